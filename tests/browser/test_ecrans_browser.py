"""The catalogue on every screen, in headless Chromium (issue 16): every page type fits a
320 px screen and passes axe-core (no serious or critical violation) on a phone (390 px)
and a desktop (1366 px), with no justified text on a phone; the catalogue shows its first
result without scrolling at 1366×768 and cards on a phone; several values of a facet and
the end date filter the whole catalogue and survive a reload; « Télécharger la sélection
(CSV) » holds the rows shown.

Set COOP_SCREENSHOTS to a folder to keep screenshots (catalogue at 390 and 1366, a
convention at 320).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from coop.site import catalogue

from .sitebuild import make_project, renewed_coloration, served
from .test_catalogue_browser import SHOTS

CONVENTION = "conventions/lyon-fcil-maintenance-aeronautique/"
PAGES = {  # page type -> path
    "accueil": "",
    "catalogue": "catalogue/",
    "convention": CONVENTION,
    "avenant": CONVENTION + "avenant-1/",
    "texte consolidé": CONVENTION + "consolide/",
    "échéances": "echeances/",
    "parcourir": "parcourir/alphabetique/",
    "modèle": "modele/adaptation-offre-formation/v1/coloration/",
    "recherche": "recherche/",
    "mentions légales": "mentions-legales/",
}
# axe already runs elsewhere on these (to keep this module short): at 1366 px on the
# pages of test_catalogue_browser.py, at 390 and 1366 px on parcourir/ (test_nojs_browser).
AXE_ELSEWHERE = {1366: {"accueil", "catalogue", "convention", "avenant", "échéances",
                        "modèle", "parcourir"},
                 390: {"parcourir"}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    project = make_project(tmp_path_factory.mktemp("ecrans") / "projet", {
        "conventions/tests/reconduite.md": renewed_coloration()})
    with served(project) as url:
        yield url, project / "site"


@pytest.fixture(scope="module")
def records(site: tuple[str, Path]) -> list[dict[str, object]]:
    return json.loads((site[1] / "donnees/conventions.json").read_text("utf-8"))


def shot(page: object, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def settle(page: object) -> None:
    page.wait_for_selector("#coop-catalogue[data-pret='true']")


def titles(page: object) -> list[str]:
    return page.locator("#coop-table tbody th.coop-titre a").all_inner_texts()


def overflow(page: object) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_every_page_type_fits_and_passes_axe(browser: object, site: tuple[str, Path],
                                             width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    problems = []
    try:
        for kind, path in PAGES.items():
            page.goto(site[0] + path)
            if kind == "catalogue":
                settle(page)
            else:
                page.wait_for_load_state("load")
            if overflow(page) > 0:
                problems.append(f"{kind} : la page déborde de {overflow(page)} px")
            if width == 320 and kind == "convention":
                shot(page, "convention-320")
            if width < 700:
                justified = page.evaluate("""[...document.querySelectorAll(
                  '.md-content p, .md-content li, .md-content td')].filter(
                  e => getComputedStyle(e).textAlign === 'justify').length""")
                if justified:
                    problems.append(f"{kind} : {justified} paragraphes justifiés")
            if width == 320 or kind in AXE_ELSEWHERE[width]:
                continue  # axe at the phone and desktop widths
            violations = Axe().run(page).response["violations"]
            problems += [f"{kind} : axe {v['id']} ({v['impact']}) {v['nodes'][0]['target']}"
                         for v in violations if v["impact"] in ("serious", "critical")]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_first_result_above_the_fold_and_cards_on_a_phone(browser: object,
                                                          site: tuple[str, Path]) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(site[0] + "catalogue/")
        settle(page)
        first = page.locator("#coop-table tbody tr").first.bounding_box()
        assert first["y"] + 40 < 768, f"première ligne à {first['y']} px"
        shot(page, "catalogue-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        row = page.locator("#coop-table tbody tr").first
        # a card: as wide as the screen at most, its cells labelled
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        assert row.bounding_box()["width"] <= 390
        label = row.locator("td").nth(1).evaluate(
            "td => getComputedStyle(td, '::before').content")
        assert label == '"Académie"'
        assert overflow(page) <= 0
        shot(page, "catalogue-390")
        row.scroll_into_view_if_needed()
        shot(page, "catalogue-390-cartes")
    finally:
        context.close()


def expected(records: list[dict[str, object]], academies: set[str],
             before: str = "", after: str = "") -> list[str]:
    """The ids of the conventions of `academies` ending between `after` and `before`."""
    def ends(r: dict[str, object]) -> bool:
        return not before or (bool(r["date_fin"]) and after <= str(r["date_fin"]) <= before)
    return sorted(str(r["id"]) for r in records if r["academie"] in academies and ends(r))


def shown_ids(page: object) -> list[str]:
    hrefs = page.locator("#coop-table tbody th.coop-titre a").evaluate_all(
        "as => as.map(a => a.pathname)")
    return sorted(h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs)


def test_facets_end_date_reload_and_selection_csv(browser: object, site: tuple[str, Path],
                                                  records: list[dict[str, object]]) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    total = len(records)
    try:
        # two académies in the address, in lower and upper case
        page.goto(site[0] + "catalogue/?academie=lyon&academie=NANTES")
        settle(page)
        both = expected(records, {"Lyon", "Nantes"})
        assert shown_ids(page) == both and 1 < len(both) < total
        assert page.inner_text("#coop-compte") == (
            f"{len(both)} conventions sur {total} correspondent aux critères.")
        assert page.is_checked("#coop-f-academie input[value='Lyon']")
        assert page.is_checked("#coop-f-academie input[value='Nantes']")
        # a third one ticked: the count grows; its own count shown beside it
        page.check("#coop-f-academie input[value='Lille']")
        settle(page)
        three = expected(records, {"Lyon", "Nantes", "Lille"})
        assert shown_ids(page) == three and len(three) > len(both)
        assert page.inner_text("#coop-f-academie li[data-valeur='Lille']").endswith("(1)")
        # ending on or before a date: fewer rows
        page.fill("#coop-fin", "2027-12-31")
        page.dispatch_event("#coop-fin", "change")
        settle(page)
        early = expected(records, {"Lyon", "Nantes", "Lille"}, before="2027-12-31")
        assert shown_ids(page) == early and 0 < len(early) < len(three)
        assert page.inner_text("#coop-compte").startswith(f"{len(early)} convention")
        assert "fin=2027-12-31" in page.url and "academie=Lille" in page.url

        page.reload()
        settle(page)
        assert shown_ids(page) == early
        assert page.input_value("#coop-fin") == "2027-12-31"
        assert page.is_checked("#coop-f-academie input[value='Lille']")

        # the selection as CSV: the rows shown, the open-data columns, url in full
        with page.expect_download() as download:
            page.click("button.coop-csv")
        raw = Path(download.value.path()).read_bytes()
        assert raw.startswith("\ufeff".encode())
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        assert tuple(rows[0]) == catalogue.CSV_COLUMNS
        assert sorted(r["id"] for r in rows) == early
        assert [r["titre"] for r in rows] == titles(page)
        assert all(r["url"].startswith(site[0] + "conventions/") for r in rows)
        assert "colonnes du fichier des données ouvertes" in page.inner_text("#coop-csv-aide")

        # « Cette année scolaire »: ends between 1 September and 31 August
        page.click("button.coop-annee-scolaire")
        settle(page)
        today = datetime.date.today()
        start = today.year - (today.month < 9)
        year = expected(records, {"Lyon", "Nantes", "Lille"}, after=f"{start}-09-01",
                        before=f"{start + 1}-08-31")
        assert shown_ids(page) == year and "fin=annee-scolaire" in page.url
        assert page.get_attribute("button.coop-annee-scolaire", "aria-pressed") == "true"
    finally:
        context.close()


def test_etablissement_facet_lists_what_is_typed(browser: object, site: tuple[str, Path],
                                                 records: list[dict[str, object]]) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(site[0] + "catalogue/")
        settle(page)
        page.click("details.coop-facettes-bloc > summary")
        page.fill("#coop-f-etablissement .coop-facette__filtre", "mermoz")
        choice = page.locator("#coop-f-etablissement li")
        choice.first.wait_for()
        name = choice.first.inner_text().rsplit("(", 1)[0].strip()
        assert "Mermoz" in name and choice.count() == 1
        page.check("#coop-f-etablissement input[type=checkbox]")
        settle(page)
        ids = sorted(str(r["id"]) for r in records if name in (r["etablissements"] or []))
        assert shown_ids(page) == ids and "etablissement=" in page.url
    finally:
        context.close()
