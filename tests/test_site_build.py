"""Build the catalogue site from the sample conventions and check its HTML and data."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

import icalendar
import pytest
from browser.sitebuild import (
    REPO,
    build,
    ended_fcil,
    make_project,
    renewed_coloration,
    sample_text,
)

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


def hostile_avenant(pwned: Path) -> str:
    """A signed avenant to the hostile convention: it ends the FCIL earlier (the
    deadlines must follow) and tries template injection and raw HTML too."""
    payload = PAYLOAD.replace("PWNED_FILE", str(pwned))
    text = (REPO / "conventions/lyon/avenants/fcil-maintenance-aeronautique-avenant-1.md"
            ).read_text("utf-8")
    for old, new in [
        ("convention: lyon-fcil-maintenance-aeronautique", "convention: test-injection"),
        ("titre: Allongement", f"titre: 'Avenant {payload}' # Allongement"),
        ("  cooperation.pfmp.duree_semaines: 18", "  formation.duree.fin: 2027-05-28"),
        ("## Exposé\n", f"## Exposé\n\n<script>alert('avenant')</script> {payload}\n"),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("site")
    pwned = tmp / "pwned"
    project = make_project(tmp / "projet", {
        "conventions/tests/injection.md": hostile_convention(pwned),
        "conventions/tests/terminee.md": ended_fcil(),
        "conventions/tests/reconduite.md": renewed_coloration(),
        "conventions/tests/avenants/injection-avenant-1.md": hostile_avenant(pwned),
        "build/exports/lyon-fcil-maintenance-aeronautique.pdf": "%PDF-1.7 factice",
        f"build/exports/{AVENANT_ID}.pdf": "%PDF-1.7 factice",
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


EXTRA_IDS = ["test-injection", "lyon-fcil-terminee", "nantes-coloration-reconduite"]
PARENT = "conventions/lyon-fcil-maintenance-aeronautique/"
AVENANT_ID = "lyon-fcil-maintenance-aeronautique-avenant-1"


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
    assert not any(loc.startswith(("catalogue/", "echeances/")) for loc in locations)


def test_open_data_csv_and_json(built: tuple[Path, Path]) -> None:
    site = built[0]
    raw = (site / "donnees" / "conventions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    data = json.loads((site / "donnees" / "conventions.json").read_text("utf-8"))
    ids = sorted([*sample_ids(), *EXTRA_IDS])
    assert sorted(r["id"] for r in rows) == ids
    assert [r["id"] for r in data] == sorted(ids)
    assert list(data[0]) == [c.name for c in COLUMNS]
    lyon = next(r for r in data if r["id"] == "lyon-fcil-maintenance-aeronautique")
    assert lyon["url"] == "conventions/lyon-fcil-maintenance-aeronautique/"
    assert lyon["date_signature"] == "2026-06-15" and lyon["niveaux"] == [4]


def test_home_reference_and_model_pages(built: tuple[Path, Path]) -> None:
    site = built[0]
    home = html(site, "index.html")
    n = len(sample_ids()) + len(EXTRA_IDS)
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


# --- deadlines: catalogue columns, summary card, « Échéances » page, calendar feeds -----

def test_open_data_has_the_computed_dates(built: tuple[Path, Path]) -> None:
    site = built[0]
    data = {r["id"]: r for r in json.loads(html(site, "donnees/conventions.json"))}
    header = html(site, "donnees/conventions.csv").lstrip("\ufeff").splitlines()[0]
    for col in ("date_effet", "date_fin", "statut_effectif", "prochain_comite",
                "date_limite_preavis"):
        assert col in header.split(";") and all(col in r for r in data.values()), col
    ended = data["lyon-fcil-terminee"]
    assert (ended["statut"], ended["statut_effectif"], ended["date_fin"]) == (
        "signee", "expiree", "2026-06-30")
    renewed = data["nantes-coloration-reconduite"]
    assert (renewed["date_effet"], renewed["date_fin"], renewed["date_limite_preavis"]) == (
        "2024-06-20", "2027-08-31", "2027-02-28")
    assert (renewed["prochain_comite"], renewed["comite_en_retard"]) == ("2025-06-20", True)
    # a coloration not yet signed still has the end of its first cycle
    draft = data["nantes-coloration-mspc-navale"]
    assert (draft["statut_effectif"], draft["date_effet"], draft["date_fin"]) == (
        "en_signature", None, "2030-08-31")
    assert all(r["date_fin"] for r in data.values())


def test_card_shows_deadlines_and_effective_status(built: tuple[Path, Path]) -> None:
    site = built[0]
    page = html(site, "conventions/nantes-coloration-reconduite/index.html").replace(
        "\u00a0", " ")
    card = page[page.index('<section class="coop-fiche"'):]
    card = card[:card.index("</section>")]
    assert "<dt>Prise d’effet</dt><dd>20 juin 2024</dd>" in card
    assert "<dt>Fin du cycle en cours</dt><dd>31 août 2027 — reconduite tacitement" in card
    assert "au plus tard le <strong>28 février 2027</strong>" in card
    assert "Prochaine réunion au plus tard le 20 juin 2025" in card
    assert 'coop-badge--retard">en retard<' in card
    assert '<a href="echeances.ics" download>' in card
    assert 'href="../../echeances/"' in card
    ended = html(site, "conventions/lyon-fcil-terminee/index.html")
    assert 'coop-badge--expiree">Expirée</span>' in ended
    assert "(déclarée signée)" in ended
    draft = html(site, "conventions/nantes-coloration-mspc-navale/index.html")
    assert "echeances.ics" not in draft  # no deadline before it is signed


def test_echeances_page(built: tuple[Path, Path]) -> None:
    site, pwned = built
    page = html(site, "echeances/index.html")
    assert 'md-tabs__link">\n' in page or "Échéances" in page
    assert re.search(r'class="md-tabs__link[^"]*"[^>]*>\s*Échéances', page)  # in the nav
    article = page[page.index("<article"):page.index("</article>")]
    assert "au 1er\u00a0novembre\u00a02027" in article  # 12 months from TODAY
    months = re.findall(r'<section class="coop-echeances-mois" data-mois="(\d{4}-\d{2})">',
                        article)
    assert months == sorted(months) and len(months) == len(set(months)) >= 3
    assert months[0] >= "2026-11" and months[-1] <= "2027-10"
    heads = re.findall(r'<h2 id="echeances-(\d{4}-\d{2})">([^<]+)</h2>', article)
    assert [m for m, _ in heads] == months
    assert ("2027-02", "Février 2027") in heads
    assert 'href="#echeances-2027-02"' in page  # the months in the table of contents
    # the overdue comité de suivi comes first, in its own section
    assert article.index('data-mois="retard"') < article.index(f'data-mois="{months[0]}"')
    late = article.split('data-mois="retard"', 1)[1].split("</section>", 1)[0]
    assert '<time datetime="2025-06-20">' in late
    assert 'href="../conventions/nantes-coloration-reconduite/"' in late
    assert 'href="#echeances-retard"' in page
    # each row: a date of its month, a link to an existing convention page
    for month in months:
        section = article.split(f'data-mois="{month}"', 1)[1].split("</section>", 1)[0]
        dates = re.findall(r'<time datetime="(\d{4}-\d{2})-\d{2}">', section)
        assert dates and set(dates) == {month}
    links = re.findall(r'<td><a href="\.\./conventions/([^"/]+)/">', article)
    assert "nantes-coloration-reconduite" in links and "test-injection" in links
    for conv_id in set(links):
        assert (site / "conventions" / conv_id / "index.html").is_file(), conv_id
    assert "lyon-fcil-terminee" not in links  # expired: no deadline any more
    assert "nantes-coloration-mspc-navale" not in links  # not signed
    assert "Date limite de préavis" in article and "Fin de cycle (reconduction tacite)" in article
    # convention text stays text: escaped, braces as entities, nothing run
    assert not pwned.exists()
    assert "cycler.__init__" in article and "{{" not in article
    assert "&#123;&#123; cycler" in article
    # the académie filter and the site-wide feed
    assert '<select id="coop-echeances-academie"' in article
    assert '<option value="Nantes">Nantes</option>' in article
    assert '<a href="../echeances.ics" download>' in article
    assert 'href="echeances.ics"' in html(site, "index.html")
    assert 'href="echeances/"' in html(site, "index.html")


def _uids(ics: bytes) -> dict[str, str]:
    cal = icalendar.Calendar.from_ical(ics)
    return {str(v["UID"]): v["DTSTART"].dt.isoformat() for v in cal.walk("VEVENT")}


def test_calendar_feeds_parse_and_keep_their_uids(
        built: tuple[Path, Path], tmp_path: Path) -> None:
    site = built[0]
    feed = (site / "echeances.ics").read_bytes()
    cal = icalendar.Calendar.from_ical(feed)
    assert str(cal["X-WR-CALNAME"]) == "Échéances des conventions de coopération"
    events = list(cal.walk("VEVENT"))
    assert events and all(not isinstance(v["DTSTART"].dt, datetime) for v in events)
    assert all(str(v["SUMMARY"]).split("\u00a0:")[0] in
               ("Fin de la convention", "Date limite de préavis", "Comité de suivi",
                "Fin de cycle (reconduction tacite)") for v in events)
    uids = _uids(feed)
    assert "nantes-coloration-reconduite.preavis.0@conventions-cooperation" in uids
    for conv_id in sample_ids() + EXTRA_IDS:  # one feed per convention, a subset
        own = _uids((site / "conventions" / conv_id / "echeances.ics").read_bytes())
        assert own.items() <= uids.items(), conv_id
    # a later build (another day, same sources): same UIDs for the same deadlines
    later = build(make_project(tmp_path / "projet", {
        "conventions/tests/reconduite.md": renewed_coloration()}),
        site=tmp_path / "site", today="2026-12-15")
    assert later.returncode == 0, later.stdout + later.stderr
    again = _uids((tmp_path / "site" / "echeances.ics").read_bytes())
    common = {u: d for u, d in again.items() if u in uids}
    assert "nantes-coloration-reconduite.preavis.0@conventions-cooperation" in common
    assert len(common) >= len(uids) - 3 and common.items() <= uids.items()


# --- avenants: parent page, avenant page, consolidated text, data, deadlines -----------

def flat(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ").replace("&nbsp;", " ")


def test_parent_page_lists_its_avenants(built: tuple[Path, Path]) -> None:
    page = html(built[0], PARENT + "index.html")
    block = page[page.index('<section class="coop-avenants"'):]
    block = flat(block[:block.index("</section>")])
    assert '<h2 id="avenants">Avenants</h2>' in block
    assert '<a href="avenant-1/">Avenant n° 1</a>' in block
    assert "Allongement des périodes en entreprise" in block
    assert '<span class="coop-badge coop-badge--signee">Signé</span>' in block
    assert '<time datetime="2027-01-04">4 janvier 2027</time>' in block
    assert f'href="../../exports/{AVENANT_ID}.pdf" download>PDF</a>' in block
    assert ".docx" not in block  # only the files that exist
    assert '<a class="md-button md-button--primary" href="consolide/">' in block
    assert "modifiée par l’avenant n° 1" in block
    assert 'href="#avenants"' in page  # in the table of contents
    # the card is that of the convention in force, the text the signed one
    assert "fixé à 16 semaines" in flat(page) and "18 semaines" not in flat(page)
    other = html(built[0], "conventions/nantes-coloration-mspc-navale/index.html")
    assert "coop-avenants" not in other and "consolide/" not in other


def test_consolidated_page(built: tuple[Path, Path]) -> None:
    site = built[0]
    page = flat(html(site, PARENT + "consolide/index.html"))
    assert page.count("<h1") == 1
    assert "<title>Texte consolidé — FCIL Maintenance des hélicoptères" in page
    banner = page[page.index('<div class="admonition info coop-consolide"'):]
    banner = banner[:banner.index("</div>")]
    assert "tel que modifié par l’<a href=\"../avenant-1/\">avenant n° 1</a> du 4 janvier " \
           "2027" in banner
    assert '<a href="../">la convention signée</a>' in banner
    marks = re.findall(r'<h3 id="art-([a-z-]+)"[^>]*>(?:(?!</h3>).)*</h3>'
                       r'<p class="coop-modifie"><em>Article modifié par '
                       r'l’<a href="../avenant-1/">avenant n° 1</a> du '
                       r"4 janvier 2027\.</em></p>", page, flags=re.S)
    assert marks == ["appui-formation", "communication"]
    assert "fixé à 18 semaines" in page and "16 semaines" not in page
    assert "Hélicoptères en fête" in page
    assert 'href="#art-communication"' in page  # its own table of contents
    index = json.loads(html(site, "search/search_index.json"))
    locations = [d["location"] for d in index["docs"]
                 if d["location"].startswith(PARENT + "consolide/")]
    assert any(loc.endswith("#preambule") for loc in locations)
    assert not any("#art-objet" in loc or "#partie-" in loc for loc in locations)
    assert not (site / "conventions/nantes-coloration-mspc-navale/consolide").exists()


def test_avenant_page(built: tuple[Path, Path]) -> None:
    site = built[0]
    page = flat(html(site, PARENT + "avenant-1/index.html"))
    assert page.count("<h1") == 1
    assert "<h1" in page and "Avenant n° 1 à la convention de coopération entre" in page
    card = page[page.index('<section class="coop-fiche"'):]
    card = card[:card.index("</section>")]
    assert '<dt>Convention modifiée</dt><dd><a href="../">FCIL Maintenance' in card
    assert '<a href="../consolide/">texte consolidé</a>' in card
    assert "<dt>Objet</dt><dd>Porter les périodes de formation" in card
    assert "<dt>Date d’effet</dt><dd>4 janvier 2027</dd>" in card
    assert "Signé à Bron le 12 novembre 2026" in card
    assert "Madame Claire Dupont, Proviseure du lycée professionnel Jean-Mermoz" in card
    assert f'href="../../../exports/{AVENANT_ID}.pdf" download>' in card
    heads = re.findall(r'<h3 id="art-avenant-(\d)">Article \d – ([^<]+)<', page)
    assert [t for _n, t in heads] == [
        "Objet de l’avenant",
        "Modification de l’article 4 « L’appui à la formalisation du projet de formation »",
        "Modification de l’article 7 « Communication »", "Prise d’effet"]
    assert "Le présent avenant prend effet le 4 janvier 2027." in page
    assert 'id="signatures"' in page


def test_hostile_avenant_stays_text(built: tuple[Path, Path]) -> None:
    site, pwned = built
    page = html(site, "conventions/test-injection/avenant-1/index.html")
    article = page[page.index("<article"):page.index("</article>")]
    assert not pwned.exists()
    assert "<script>alert" not in article
    assert article.count("cycler.__init__.__globals__.os.system") >= 2  # title, exposé


def test_avenants_out_of_the_nav_and_of_the_rows(built: tuple[Path, Path]) -> None:
    site = built[0]
    for rel in ("contribuer/index.html", "catalogue/index.html"):  # pages with the nav
        hrefs = re.findall(r'href="([^"]*)"', html(site, rel))
        assert not [h for h in hrefs if "avenant-" in h or "consolide/" in h], rel
    data = {r["id"]: r for r in json.loads(html(site, "donnees/conventions.json"))}
    assert not any("avenant" in conv_id for conv_id in data)
    assert data["lyon-fcil-maintenance-aeronautique"]["avenants"] == 1
    assert data["nantes-coloration-mspc-navale"]["avenants"] == 0
    header = html(site, "donnees/conventions.csv").lstrip("\ufeff").splitlines()[0]
    assert "avenants" in header.split(";")
    assert "<code>avenants</code>" in html(site, "reference/index.html")


def test_signed_avenant_moves_the_deadlines(built: tuple[Path, Path]) -> None:
    """The hostile convention ends on 30 June 2027; its signed avenant ends it on 28 May."""
    site = built[0]
    data = {r["id"]: r for r in json.loads(html(site, "donnees/conventions.json"))}
    assert data["test-injection"]["date_fin"] == "2027-05-28"
    assert data["lyon-fcil-maintenance-aeronautique"]["date_fin"] == "2027-06-30"
    own = _uids((site / "conventions/test-injection/echeances.ics").read_bytes())
    assert "2027-05-28" in own.values() and "2027-06-30" not in own.values()
    assert "2027-05-28" in _uids((site / "echeances.ics").read_bytes()).values()
    page = html(site, "echeances/index.html")
    may = page.split('data-mois="2027-05"', 1)[1].split("</section>", 1)[0]
    assert 'href="../conventions/test-injection/"' in may
    card = flat(html(site, "conventions/test-injection/index.html"))
    assert "<dt>Fin de la convention</dt><dd>28 mai 2027" in card
