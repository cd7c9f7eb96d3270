"""The same sources built by both engines (MkDocs + Material, Zensical): the core
generates every page, so both sites hold the same pages with the same text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser.sitebuild import Reader, build, make_project

from coop.catalog import load_catalog
from coop.site import engine
from coop.site.engine import engine_config, read_config

ENGINES = ("mkdocs", "zensical")
SITE_URL = "https://exemple.gouv.fr/catalogue/"
# What an engine adds of its own (theme assets, its search index, compressed sitemap).
ENGINE_OWN = re.compile(r"^(assets/(javascripts|stylesheets|images)/|search/|search\.json$"
                        r"|sitemap\.xml\.gz$)")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    project = make_project(tmp_path_factory.mktemp("moteurs") / "projet")
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(engine.SITE_URL_ENV, SITE_URL)
        for name in ENGINES:
            result = build(project, project / f"site-{name}", engine=name)
            assert result.returncode == 0, result.stdout + result.stderr
            assert f"site construit avec {engine.ENGINES[name].label}" in result.stdout
            out[name] = project / f"site-{name}"
    out["projet"] = project
    return out


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
            and not ENGINE_OWN.match(p.relative_to(site).as_posix())}


def _main_text(page: Path) -> str:
    """The text of the page's article (the generated content), words normalised."""
    html = page.read_text("utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    return " ".join(Reader(article).text.replace("¶", " ").split())


def test_both_engines_publish_the_same_files(sites: dict[str, Path]) -> None:
    mkdocs, zensical = _files(sites["mkdocs"]), _files(sites["zensical"])
    assert mkdocs == zensical
    ids = [c.id for c in load_catalog(sites["projet"]).conventions]
    for conv_id in ids:  # every convention page, its feed
        assert f"conventions/{conv_id}/index.html" in zensical
        assert f"conventions/{conv_id}/echeances.ics" in zensical
    for page in ("index.html", "catalogue/index.html", "echeances/index.html",
                 "parcourir/index.html", "modele/adaptation-offre-formation/v2/fcil/index.html",
                 "donnees/conventions.json", "donnees/conventions.csv", "echeances.ics"):
        assert page in zensical, page
    exports = {f for f in zensical if f.startswith("exports/")}
    assert exports == {f for f in mkdocs if f.startswith("exports/")}


def test_both_engines_show_the_same_text(sites: dict[str, Path]) -> None:
    pages = sorted(f for f in _files(sites["mkdocs"]) if f.endswith("index.html")
                   and f.split("/")[0] in ("conventions", "modele", "parcourir", "echeances",
                                           "catalogue"))
    assert len(pages) > 20
    for rel in pages:
        assert _main_text(sites["mkdocs"] / rel) == _main_text(sites["zensical"] / rel), rel


def test_both_engines_read_the_table_of_contents_from_the_headings(
        sites: dict[str, Path]) -> None:
    rel = "conventions/lyon-fcil-maintenance-aeronautique/index.html"
    tocs = {}
    for name in ENGINES:
        reader = Reader((sites[name] / rel).read_text("utf-8"))
        tocs[name] = [href for href, _title in reader.toc]
    assert "#preambule" in tocs["mkdocs"] and "#signatures" in tocs["mkdocs"]
    assert tocs["mkdocs"] == tocs["zensical"]


@pytest.mark.parametrize("name", ENGINES)
def test_sitemap_lists_every_page_and_pages_are_canonical(sites: dict[str, Path],
                                                          name: str) -> None:
    site = sites[name]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in ET.parse(site / "sitemap.xml").findall("s:url/s:loc", ns)}
    pages = {SITE_URL + p.relative_to(site).as_posix().removesuffix("index.html")
             for p in site.rglob("index.html") if "pagefind" not in p.parts}
    assert locs == pages
    page = (site / "conventions/lyon-fcil-maintenance-aeronautique/index.html").read_text()
    assert (f'<link rel="canonical" href="{SITE_URL}conventions/'
            'lyon-fcil-maintenance-aeronautique/">') in page


@pytest.mark.parametrize("name", ENGINES)
def test_a_failing_engine_publishes_nothing(tmp_path: Path, name: str) -> None:
    project = make_project(tmp_path / "projet")
    (project / "docs" / "contribuer.md").write_text("[lien cassé](nulle-part.md)\n", "utf-8")
    result = build(project, engine=name)  # strict: the broken link stops the build
    assert result.returncode == 1
    label = engine.ENGINES[name].label
    assert f"ÉCHEC : {label} n’a pas construit le site" in result.stderr
    assert "Traceback" not in result.stderr and "\x1b[" not in result.stderr
    assert "nulle-part.md" in result.stderr or "page does not exist" in result.stderr
    assert not (project / "site").exists()


def test_engine_configuration_keeps_the_deployers_settings(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    project = make_project(tmp_path / "projet", with_samples=False)
    monkeypatch.setenv(engine.SITE_URL_ENV, "https://exemple.gouv.fr/catalogue/")
    base = read_config(project)
    base["theme"]["custom_dir"] = "theme-maison"
    config = engine_config(base, engine.ENGINES["zensical"], root=project,
                           docs=Path(".docs"), site=Path(".site"))
    assert config["site_url"] == "https://exemple.gouv.fr/catalogue/"
    assert config["docs_dir"] == ".docs" and config["site_dir"] == ".site"
    assert config["theme"]["variant"] == "classic" and config["theme"]["language"] == "fr"
    assert config["theme"]["custom_dir"] == str((project / "theme-maison").resolve())
    assert "hooks" not in config and config["nav"] == base["nav"]
    monkeypatch.delenv(engine.SITE_URL_ENV)
    assert "site_url" not in engine_config(read_config(project), engine.ENGINES["mkdocs"],
                                           root=project, docs=Path("d"), site=Path("s"))


def test_the_command_line_names_every_engine() -> None:
    from coop.cli import site as cli_site

    assert set(cli_site.ENGINE_NAMES) == set(engine.ENGINES)
    assert cli_site.DEFAULT_ENGINE == engine.DEFAULT_ENGINE
