"""The published site as a public-sector site: legal pages from the publisher's settings,
linked from every page's footer with the accessibility status and the date of the data,
on both engines; drafts (and the names in them) left out by default; a missing setting
stops the build and publishes nothing."""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.sitebuild import build, flat, make_project

from coop.catalog import load_catalog
from coop.site import engine

ENGINES = ("mkdocs", "zensical")
SITE_URL = "https://catalogue.exemple.invalid/conventions/"
HOSTILE = "Région <b>Exemple</b> & Cie"
LEGAL = {"mentions-legales/": "Mentions légales", "accessibilite/": "Accessibilité",
         "donnees-personnelles/": "Données personnelles"}
FOOTER = re.compile(r'<div class="md-copyright coop-pied">(.*?)</footer>', re.S)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The samples built as the repository publishes them (drafts left out), the
    publisher's name made hostile, with a site URL (sitemap.xml filled)."""
    project = make_project(tmp_path_factory.mktemp("legal") / "projet", drafts=False)
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "    nom: Région académique Exemple\n" in text
    config.write_text(text.replace("    nom: Région académique Exemple\n",
                                   f"    nom: {json.dumps(HOSTILE)}\n"), "utf-8")
    before = os.environ.get("COOP_SITE_URL")
    os.environ["COOP_SITE_URL"] = SITE_URL
    try:
        out = {}
        for name in ENGINES:
            result = build(project, project / f"site-{name}", engine=name)
            assert result.returncode == 0, result.stdout + result.stderr
            out[name] = project / f"site-{name}"
    finally:
        if before is None:
            os.environ.pop("COOP_SITE_URL")
        else:
            os.environ["COOP_SITE_URL"] = before
    out["projet"] = project
    yield out


def text_of(html: str) -> str:
    """What a reader reads: tags dropped, spaces normalised."""
    return flat(re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def footer(page: Path) -> str:
    m = FOOTER.search(page.read_text("utf-8"))
    assert m, f"{page} : pas de pied de page"
    return m.group(1)


@pytest.mark.parametrize("name", ENGINES)
def test_legal_pages_show_the_settings_escaped(sites: dict[str, Path], name: str) -> None:
    site = sites[name]
    mentions = (site / "mentions-legales" / "index.html").read_text("utf-8")
    assert "Région &lt;b&gt;Exemple&lt;/b&gt; &amp; Cie" in mentions
    assert "<b>Exemple</b>" not in mentions
    text = text_of(mentions)
    for value in ("Madame Camille Exemple, rectrice de la région académique Exemple",
                  "Hébergeur exemple", "2 rue de l’Hébergement", "01 23 45 67 89",
                  "catalogue.conventions@exemple.invalid", "Licence Ouverte 2.0"):
        assert value in text, value
    a11y = text_of((site / "accessibilite" / "index.html").read_text("utf-8"))
    assert "est non conforme avec le référentiel général d’amélioration" in a11y
    assert "Défenseur des droits" in a11y and "Voies de recours" in a11y
    page = (site / "donnees-personnelles" / "index.html").read_text("utf-8")
    data = text_of(page)
    assert "Les projets de convention (statut « brouillon ») ne sont pas publiés" in data
    assert "demander l’accès aux données qui vous concernent, leur rectification" in data
    assert 'href="mailto:dpd@exemple.invalid"' in page


@pytest.mark.parametrize("name", ENGINES)
def test_every_page_links_the_legal_pages_and_says_how_fresh_it_is(
        sites: dict[str, Path], name: str) -> None:
    site = sites[name]
    found = pages(site)
    assert len(found) > 30  # hand-written and generated pages
    for page in found:
        foot = footer(page)
        text = text_of(foot)
        assert "Accessibilité : non conforme · Données à jour au 2 novembre 2026" in text, page
        links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', foot))
        assert sorted(links.values()) == sorted(LEGAL.values()), page
        if page.name == "404.html":
            continue  # served at any address: the engines link it from the site's root
        here = page.parent.relative_to(site).as_posix()
        for href in links:
            target = posixpath.normpath(posixpath.join(here, href))
            assert (site / target / "index.html").is_file(), (page, href)


def test_both_engines_publish_the_same_legal_pages(sites: dict[str, Path]) -> None:
    for url in LEGAL:
        texts = [text_of((sites[n] / url / "index.html").read_text("utf-8").split(
            "<article", 1)[1].split("</article>", 1)[0]) for n in ENGINES]
        assert texts[0] == texts[1], url


def test_contributor_pages_are_one_entry_at_the_end_of_the_menu(
        sites: dict[str, Path]) -> None:
    home = (sites["mkdocs"] / "index.html").read_text("utf-8")
    tabs = re.findall(r'<li class="md-tabs__item[^"]*">\s*<a href="[^"]*" class="md-tabs__link">'
                      r"\s*(.*?)\s*</a>", home, re.S)
    assert tabs[0] == "Accueil" and tabs[-1] == "Contribuer"
    assert "Référence des champs" not in tabs and "Référence des champs" in home  # under it


def _texts(site: Path) -> Iterator[tuple[str, str]]:
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue  # images, compressed files
        if path.suffix == ".json":  # « é » may be written \u00e9
            text = json.dumps(json.loads(text), ensure_ascii=False)
        yield path.relative_to(site).as_posix(), text


def test_drafts_are_left_out_of_every_page_list_feed_and_data_file(
        sites: dict[str, Path]) -> None:
    catalog = load_catalog(sites["projet"])
    drafts = [c for c in catalog.conventions if c.statut == "brouillon"]
    published = [c for c in catalog.conventions if c.statut != "brouillon"]
    assert len(drafts) == 2 and published
    words = [w for c in drafts for w in (
        c.id, c.titre, *[p["representant"]["nom"] for p in
                         c.data["etablissements"] + c.data["partenaires"]])]
    for name in ENGINES:
        site = sites[name]
        files = dict(_texts(site))
        for required in ("sitemap.xml", "donnees/conventions.json", "donnees/conventions.csv",
                         "echeances/index.html", "echeances.ics", "parcourir/index.html"):
            assert required in files, required
        assert f"{SITE_URL}conventions/{published[0].id}/" in files["sitemap.xml"]
        leaks = [(rel, w) for rel, text in files.items() for w in words if w in text]
        assert not leaks, leaks
        for conv in drafts:
            assert not (site / "conventions" / conv.id).exists()


def test_drafts_are_published_when_the_setting_says_so(tmp_path: Path) -> None:
    project = make_project(tmp_path / "projet", drafts=True)
    result = build(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    drafts = [c for c in load_catalog(project).conventions if c.statut == "brouillon"]
    for conv in drafts:
        assert (project / "site" / "conventions" / conv.id / "index.html").is_file()
    data = text_of((project / "site" / "donnees-personnelles" / "index.html").read_text("utf-8"))
    assert "sont aussi publiés, avec les noms qu’ils contiennent" in data


def _without(project: Path, line: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert line in text
    config.write_text(text.replace(line, ""), "utf-8")


def test_a_missing_setting_stops_the_build_and_publishes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "projet", with_samples=False)
    _without(project, "    directeur_publication: Madame Camille Exemple, rectrice de la "
                      "région académique Exemple\n")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("ancien site", "utf-8")
    result = build(project, site)
    assert result.returncode == 1
    assert result.stderr.startswith("ÉCHEC : 1 réglage de l’éditeur manquant ou invalide : "
                                    "le site n’est pas publié")
    assert "mkdocs.yml : extra.editeur.directeur_publication manquant" in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text("utf-8") == "ancien site"


def test_a_local_build_warns_and_marks_what_to_fill_in(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """« coop serve » builds with strict=False: the build goes on, the setting is named."""
    project = make_project(tmp_path / "projet", with_samples=False)
    _without(project, "      nom: Hébergeur exemple\n")
    monkeypatch.delenv("COOP_SITE_URL", raising=False)
    report = engine.build(project, site=project / "site", strict=False)
    assert "mkdocs.yml : extra.editeur.hebergeur.nom manquant" in report.warnings
    mentions = text_of((project / "site" / "mentions-legales" / "index.html").read_text("utf-8"))
    assert "(à compléter : extra.editeur.hebergeur.nom)" in mentions
