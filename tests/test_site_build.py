"""Build the catalogue site from the sample conventions and check its HTML and data."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from browser.sitebuild import REPO, build, make_project, sample_text

from coop.site.records import COLUMNS

PAYLOAD = '{{ cycler.__init__.__globals__.os.system("touch PWNED_FILE") }}'
BLOCK_PAYLOAD = '{% set x = cycler.__init__.__globals__.os.system("touch PWNED_FILE") %}'


def hostile_convention(pwned: Path) -> str:
    """A valid convention whose title, a value and the body try template injection and
    raw HTML."""
    text = sample_text()
    payload = PAYLOAD.replace("PWNED_FILE", str(pwned))
    block = BLOCK_PAYLOAD.replace("PWNED_FILE", str(pwned))
    text = text.replace("id: lyon-fcil-maintenance-aeronautique", "id: test-injection", 1)
    text = re.sub(r"^titre: .*$", f"titre: 'Injection {payload}'", text, count=1, flags=re.M)
    text = re.sub(r"^  libelle: .*$", f"  libelle: 'bassin {payload}'", text, count=1,
                  flags=re.M)
    text = text.replace(
        "## Préambule : opportunité\n",
        "## Préambule : opportunité\n\n"
        f"Corps {payload} {block}\n\n"
        "<script>alert('corps')</script>\n\n"
        '<img src="x" onerror="alert(1)"> [lien piégé](javascript:alert(1))\n\n'
        "[lien sûr](https://www.education.gouv.fr/)\n", 1)
    return text


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("site")
    pwned = tmp / "pwned"
    project = make_project(tmp / "projet", {
        "conventions/tests/injection.md": hostile_convention(pwned),
        "build/exports/lyon-fcil-maintenance-aeronautique.pdf": "%PDF-1.7 factice",
    })
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site", pwned


def html(site: Path, rel: str) -> str:
    return (site / rel).read_text("utf-8")


def sample_ids() -> list[str]:
    ids = []
    for path in sorted((REPO / "conventions").rglob("*.md")):
        if "avenants" in path.parts:
            continue
        m = re.search(r"^id: (\S+)$", path.read_text("utf-8"), flags=re.M)
        ids.append(m.group(1) if m else path.stem)
    return ids


def test_template_injection_is_never_executed(built: tuple[Path, Path]) -> None:
    site, pwned = built
    assert not pwned.exists()
    page = html(site, "conventions/test-injection/index.html")
    assert page.count("cycler.__init__.__globals__.os.system") >= 3  # title, value, body
    assert "{% set x = cycler" in page


def test_raw_html_of_the_body_is_neutralised(built: tuple[Path, Path]) -> None:
    page = html(built[0], "conventions/test-injection/index.html")
    article = page[page.index("<article"):page.index("</article>")]
    assert "<script>alert" not in article
    assert "onerror" not in article
    assert "javascript:" not in article
    assert '<a href="https://www.education.gouv.fr/" rel="noopener noreferrer">' in article


def test_one_page_per_convention_out_of_the_nav(built: tuple[Path, Path]) -> None:
    site = built[0]
    for conv_id in sample_ids():
        assert (site / "conventions" / conv_id / "index.html").is_file(), conv_id
    page = html(site, "contribuer/index.html")  # a page that shows the navigation
    assert 'class="md-nav md-nav--primary' in page
    assert 'href="../conventions/' not in page


def test_convention_page_card_text_and_toc(built: tuple[Path, Path]) -> None:
    page = html(built[0], "conventions/lyon-fcil-maintenance-aeronautique/index.html")
    assert '<html lang="fr"' in page
    assert page.count("<h1") == 1
    assert 'class="coop-badge coop-badge--fcil"' in page
    assert 'class="coop-badge coop-badge--signee">Signée<' in page
    assert "Préavis de résiliation" in page and "3\u00a0mois" in page
    assert "Comité de suivi" in page
    assert 'id="art-objet"' in page and 'id="signatures"' in page
    assert 'href="#art-objet"' in page  # the table of contents
    assert 'href="../../modele/adaptation-offre-formation/v1/fcil/"' in page


def test_exports_linked_only_when_they_exist(built: tuple[Path, Path]) -> None:
    site = built[0]
    page = html(site, "conventions/lyon-fcil-maintenance-aeronautique/index.html")
    assert 'href="../../exports/lyon-fcil-maintenance-aeronautique.pdf"' in page
    assert (site / "exports" / "lyon-fcil-maintenance-aeronautique.pdf").is_file()
    assert ".docx" not in page
    other = html(site, "conventions/test-injection/index.html")
    assert "exports/" not in other


def test_search_index_skips_boilerplate_articles(built: tuple[Path, Path]) -> None:
    index = json.loads(html(built[0], "search/search_index.json"))
    config = index["config"]
    assert config["lang"] == ["fr"]
    locations = [d["location"] for d in index["docs"]]
    conv = [loc for loc in locations if loc.startswith("conventions/")]
    assert any(loc.endswith("#preambule") for loc in conv)
    assert not any("#art-objet" in loc or "#partie-" in loc for loc in conv)
    assert not any(loc.startswith("catalogue/") for loc in locations)


def test_open_data_csv_and_json(built: tuple[Path, Path]) -> None:
    site = built[0]
    raw = (site / "donnees" / "conventions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    data = json.loads((site / "donnees" / "conventions.json").read_text("utf-8"))
    ids = sorted([*sample_ids(), "test-injection"])
    assert sorted(r["id"] for r in rows) == ids
    assert [r["id"] for r in data] == sorted(ids)
    assert list(data[0]) == [c.name for c in COLUMNS]
    lyon = next(r for r in data if r["id"] == "lyon-fcil-maintenance-aeronautique")
    assert lyon["url"] == "conventions/lyon-fcil-maintenance-aeronautique/"
    assert lyon["date_signature"] == "2026-06-15" and lyon["niveaux"] == [4]


def test_home_reference_and_model_pages(built: tuple[Path, Path]) -> None:
    site = built[0]
    home = html(site, "index.html")
    n = len(sample_ids()) + 1
    assert f'<span class="coop-chiffre__nombre">{n}</span>' in home
    assert 'href="contribuer/"' in home
    ref = html(site, "reference/index.html")
    schema = json.loads((REPO / "macros/coop/schema/convention.schema.json").read_text())
    for prop in schema["properties"]:
        assert f"<code>{prop}</code>" in ref, prop
    assert "<code>partenaires[].siret</code>" in ref
    for col in COLUMNS:
        assert f"<code>{col.name}</code>" in ref
    model = html(site, "modele/adaptation-offre-formation/v1/fcil/index.html")
    assert "<code>territoire.libelle</code>" in model
    assert 'href="adaptation-offre-formation/v1/coloration/"' in html(site, "modele/index.html")


def test_no_third_party_requests_in_html(built: tuple[Path, Path]) -> None:
    external = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', re.I)
    for page in built[0].rglob("*.html"):
        text = page.read_text("utf-8")
        assert not external.search(text), page
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_invalid_convention_stops_the_build(tmp_path: Path) -> None:
    bad = sample_text().replace("uai: 0690026D", "uai: 0690026A")
    project = make_project(tmp_path / "projet", {"conventions/lyon/invalide.md": bad},
                           with_samples=False)
    result = build(project)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "conventions/lyon/invalide.md:" in out and "uai" in out
    assert not (project / "site" / "index.html").exists()


def test_macros_plugin_is_opt_in() -> None:
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    assert "render_by_default: false" in config
    assert "on_undefined: strict" in config and "on_error_fail: true" in config
    assert "force_render_paths" not in config
    assert "font: false" in config
