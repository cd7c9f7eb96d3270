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
    Reader,
    build,
    ended_fcil,
    flat,
    make_project,
    renewed_coloration,
    sample_text,
)

from coop.catalog import load_catalog
from coop.convention import Convention
from coop.document import MODELE
from coop.expand import expand
from coop.site import search
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


def sample_convention(conv_id: str) -> Convention:
    return next(c for c in load_catalog(REPO).conventions if c.id == conv_id)


EXTRA_IDS = ["test-injection", "lyon-fcil-terminee", "nantes-coloration-reconduite"]
LYON_ID = "lyon-fcil-maintenance-aeronautique"
LYON_PAGE = f"conventions/{LYON_ID}/index.html"
PARENT = f"conventions/{LYON_ID}/"
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
    page = html(built[0], LYON_PAGE)
    assert '<html lang="fr"' in page
    assert page.count("<h1") == 1
    reader = Reader(page)
    card = reader.heading("coop-fiche-titre")
    assert card.title == "FCIL Maintenance des hélicoptères – lycée Jean-Mermoz"
    assert "FCIL Signée" in card.text
    dates = reader.headings[reader.headings.index(card) + 1]
    assert dates.title == "Dates et échéances"
    assert "Préavis de résiliation 3 mois" in dates.text and "Comité de suivi" in dates.text
    assert ("../../modele/adaptation-offre-formation/v2/fcil/",
            "Convention de coopération portant sur une adaptation de l’offre de formation "
            "aux besoins locaux — version 2") in card.links
    # the table of contents, read by the engine from the page's headings: the card, the
    # avenants, then the text's headings as the tree has them
    doc = expand(sample_convention(LYON_ID))
    headings = [doc.preamble, *[x for p in doc.parts for x in (p, *p.articles)],
                *([doc.annex] if doc.annex else []), doc.signatures]
    assert reader.toc == [("#coop-fiche-titre", card.title),
                          (f"#{dates.id}", "Dates et échéances"), ("#avenants", "Avenants"),
                          *[(f"#{x.slug}", flat(x.heading)) for x in headings]]
    assert all(h[1:] in reader.ids for h, _t in reader.toc)


def test_search_skips_the_model_articles_only(built: tuple[Path, Path]) -> None:
    for conv_id in (LYON_ID, "nantes-coloration-mspc-navale", "aix-marseille-fcil-portuaire"):
        doc = expand(sample_convention(conv_id))
        reader = Reader(html(built[0], f"conventions/{conv_id}/index.html"))
        excluded = {h.id for h in reader.headings if h.excluded}
        assert excluded == ({a.slug for a in doc.articles if a.origin == MODELE}
                            | {p.slug for p in doc.parts}), conv_id
        assert any(a.origin != MODELE for a in doc.articles), conv_id


def test_every_anchor_of_a_generated_page_resolves(built: tuple[Path, Path]) -> None:
    site = built[0]
    pages = [*site.glob("conventions/*/index.html"), *site.glob("conventions/*/*/index.html"),
             *site.glob("modele/*/*/*/index.html"), site / "echeances/index.html"]
    assert len(pages) > 10
    for path in pages:
        reader = Reader(path.read_text("utf-8"))
        anchors = [h for h, _t in reader.toc + reader.links if h.startswith("#")]
        assert reader.toc, path
        assert all(h[1:] in reader.ids for h in anchors), path



def test_exports_linked_only_when_they_exist(built: tuple[Path, Path]) -> None:
    site = built[0]
    page = html(site, "conventions/lyon-fcil-maintenance-aeronautique/index.html")
    assert 'href="../../exports/lyon-fcil-maintenance-aeronautique.pdf"' in page
    assert (site / "exports" / "lyon-fcil-maintenance-aeronautique.pdf").is_file()
    assert ".docx" not in page
    other = html(site, "conventions/test-injection/index.html")
    assert "exports/" not in other


def test_search_index_skips_boilerplate_articles(built: tuple[Path, Path]) -> None:
    entry = json.loads(html(built[0], "pagefind/pagefind-entry.json"))
    assert list(entry["languages"]) == ["fr"]
    pages = search.indexed_pages(built[0])
    anchors = {a["id"] for url, p in pages.items() if url.startswith("/conventions/")
               for a in p["anchors"]}
    assert "preambule" in anchors
    assert "art-objet" not in anchors and not any(a.startswith("partie-") for a in anchors)
    assert not any(url.startswith(("/catalogue/", "/echeances/", "/contribuer/"))
                   for url in pages)


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


def test_the_engine_holds_no_business_logic() -> None:
    """No hook nor plugin of ours: every engine gets the same folder of pages."""
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    assert "hooks:" not in config and "macros" not in config.split("plugins:")[1]
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
    page = html(site, "conventions/nantes-coloration-reconduite/index.html")
    reader = Reader(page)
    card = reader.heading("coop-fiche-titre")
    dates = reader.headings[reader.headings.index(card) + 1]
    for seen in ("Prise d’effet 20 juin 2024",
                 "Fin du cycle en cours 31 août 2027 — reconduite tacitement",
                 "lettre recommandée au plus tard le 28 février 2027",
                 "Prochaine réunion au plus tard le 20 juin 2025 en retard"):
        assert seen in dates.text, seen
    assert "<strong>28\u00a0février\u00a02027</strong>" in page  # the date to meet stands out
    assert ("echeances.ics", "Ajouter ses échéances à mon agenda (fichier .ics)") in dates.links
    assert ("../../echeances/", "toutes les échéances du catalogue") in dates.links
    ended = Reader(html(site, "conventions/lyon-fcil-terminee/index.html"))
    assert "FCIL Expirée (déclarée signée)" in ended.heading("coop-fiche-titre").text
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
    heads = re.findall(r'<h2 id="echeances-(\d{4}-\d{2})">([^<]+)'
                       r'(?:<a class="headerlink"[^>]*>¶</a>)?</h2>', article)
    assert [m for m, _ in heads] == months
    assert ("2027-02", "Février 2027") in heads
    toc = Reader(page).toc  # the months in the table of contents, overdue first
    assert toc[:len(heads) + 1] == [("#echeances-retard", "En retard"),
                                    *[(f"#echeances-{m}", flat(t)) for m, t in heads]]
    # the overdue comité de suivi comes first, in its own section
    assert article.index('data-mois="retard"') < article.index(f'data-mois="{months[0]}"')
    late = article.split('data-mois="retard"', 1)[1].split("</section>", 1)[0]
    assert '<time datetime="2025-06-20">' in late
    assert 'href="../conventions/nantes-coloration-reconduite/"' in late
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
    assert 'href="echeances/#abonnement"' in html(site, "index.html")
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

def test_parent_page_lists_its_avenants(built: tuple[Path, Path]) -> None:
    page = html(built[0], PARENT + "index.html")
    reader = Reader(page)
    block = reader.heading("avenants")
    assert block.title == "Avenants"
    assert "Avenant n° 1 Allongement des périodes en entreprise" in block.text
    assert "Signé 4 janvier 2027 PDF" in block.text
    assert '<time datetime="2027-01-04">' in page
    assert ("avenant-1/", "Avenant n° 1") in block.links
    assert (f"../../exports/{AVENANT_ID}.pdf", "PDF, 1 Ko") in block.links  # RGAA: size
    assert not any(".docx" in h for h, _t in block.links)  # only the files that exist
    assert ("consolide/", "Lire le texte consolidé") in block.links
    assert "(la convention telle que modifiée par l’avenant n° 1)" in block.text
    # the card is that of the convention in force, the text the signed one
    assert "fixé à 16 semaines" in reader.text and "18 semaines" not in reader.text
    other = html(built[0], "conventions/nantes-coloration-mspc-navale/index.html")
    assert "coop-avenants" not in other and "consolide/" not in other



def test_consolidated_page(built: tuple[Path, Path]) -> None:
    site = built[0]
    page = html(site, PARENT + "consolide/index.html")
    assert page.count("<h1") == 1
    assert "<title>Texte consolidé au 4 janvier 2027 — FCIL Maintenance des hélicoptères" in flat(
        page)
    reader = Reader(page)
    banner = next(h for h in reader.headings if h.tag == "h1")
    assert "tel que modifié par l’avenant n° 1 du 4 janvier 2027." in banner.text
    assert ("../avenant-1/", "avenant n° 1") in banner.links
    assert ("../", "la convention signée") in banner.links
    marked = {h.id: h.links for h in reader.headings
              if "Article modifié par l’avenant n° 1 du 4 janvier 2027." in h.text}
    assert marked == {"art-appui-formation": [("../avenant-1/", "avenant n° 1")],
                      "art-communication": [("../avenant-1/", "avenant n° 1")]}
    assert (site / PARENT / "avenant-1" / "index.html").is_file()
    assert "fixé à 18 semaines" in reader.text and "16 semaines" not in reader.text
    assert "Hélicoptères en fête" in reader.text
    assert ("#art-communication", "Article 7 – Communication") in reader.toc
    anchors = {a["id"] for a in search.indexed_pages(site)[f"/{PARENT}consolide/"]["anchors"]}
    assert {"preambule", "art-communication"} <= anchors  # changed: indexed
    assert "art-objet" not in anchors and not any(a.startswith("partie-") for a in anchors)
    assert not (site / "conventions/nantes-coloration-mspc-navale/consolide").exists()



def test_avenant_page(built: tuple[Path, Path]) -> None:
    site = built[0]
    page = html(site, PARENT + "avenant-1/index.html")
    assert page.count("<h1") == 1
    reader = Reader(page)
    h1 = next(h for h in reader.headings if h.tag == "h1")
    assert h1.title.startswith("Avenant n° 1 à la convention de coopération entre")
    card = reader.heading("coop-fiche-titre")
    assert card.title.startswith("Avenant n° 1 — Allongement")
    assert ("../", "FCIL Maintenance des hélicoptères – lycée Jean-Mermoz") in card.links
    assert ("../consolide/", "texte consolidé") in card.links
    for seen in ("Objet Porter les périodes de formation", "Date d’effet 4 janvier 2027",
                 "Statut Signé", "Signé à Bron le 12 novembre 2026",
                 "Madame Claire Dupont, Proviseure du lycée professionnel Jean-Mermoz "
                 "(pour le lycée)"):
        assert seen in card.text, seen
    assert (f"../../../exports/{AVENANT_ID}.pdf", "Télécharger l’avenant (PDF, 1 Ko)") in card.links
    articles = [h.title for h in reader.headings if h.id.startswith("art-avenant-")]
    assert articles == [
        "Article 1 – Objet de l’avenant",
        "Article 2 – Modification de l’article 4 « L’appui à la formalisation du projet "
        "de formation »",
        "Article 3 – Modification de l’article 7 « Communication »",
        "Article 4 – Prise d’effet"]
    assert "Le présent avenant prend effet le 4 janvier 2027." in reader.text
    assert "signatures" in reader.ids



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
    assert "<dt>Fin de la convention</dt> <dd>28 mai 2027" in card


# --- a deployer's templates ----------------------------------------------------------------

CARD_OVERRIDE = """\
<section class="fiche-maison" aria-labelledby="fiche-maison">
<h2 id="fiche-maison">Fiche de l’académie : {{ card.title }}</h2>
{% for row in card.rows %}<p>{{ row.term }}</p>{% endfor %}
</section>
"""


@pytest.mark.parametrize("custom_dir", ["", "theme-maison"])
def test_a_deployer_template_replaces_the_card(tmp_path: Path, custom_dir: str) -> None:
    """`overrides/coop/card.html` (or `<custom_dir>/coop/card.html`) replaces our card;
    the rest of the page is ours, and the values are still escaped."""
    folder = f"{custom_dir}/coop" if custom_dir else "overrides/coop"
    hostile = sample_text().replace(
        "titre: FCIL Maintenance des hélicoptères – lycée Jean-Mermoz",
        "titre: 'FCIL <script>alert(1)</script> {{ 7*7 }}'", 1)
    project = make_project(tmp_path / "projet", {
        "conventions/lyon/fcil-maintenance-aeronautique.md": hostile,
        f"{folder}/card.html": CARD_OVERRIDE})
    if custom_dir:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace(
            "  name: material\n", f"  name: material\n  custom_dir: {custom_dir}\n", 1), "utf-8")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "site" / LYON_PAGE).read_text("utf-8")
    reader = Reader(page)
    card = reader.heading("fiche-maison")
    assert card.title == "Fiche de l’académie : FCIL <script>alert(1)</script> {{ 7*7 }}"
    assert "Établissement Partenaire Formation" in card.text
    assert "coop-fiche" not in page and "<script>alert" not in page and "49" not in card.text
    assert "signatures" in reader.ids and "Préambule" in reader.text  # our text template
