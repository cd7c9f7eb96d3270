"""The catalogue with JavaScript disabled, in headless Chromium: the catalogue page shows
its first page of conventions as links, and leads to every convention by plain links
(`parcourir/`); the list pages pass axe-core and fit a phone.

Set COOP_SCREENSHOTS to a folder to keep screenshots of a list page (1366 and 390 wide).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coop.site.browse import fold

from .sitebuild import chromium, make_project, served
from .test_catalogue_browser import SHOTS

DRAFT = "Bac pro MSPC coloré « maintenance navale » – Saint-Nazaire"  # en signature


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(make_project(tmp_path_factory.mktemp("sans-js") / "projet")) as url:
        yield url


@pytest.fixture(scope="module")
def browser_nojs() -> Iterator[object]:
    with chromium() as b:
        yield b


def _shot(page: object, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_clicking_from_the_catalogue_to_a_convention_without_javascript(
        browser_nojs: object, site_url: str) -> None:
    context = browser_nojs.new_context(java_script_enabled=False, locale="fr-FR",
                                   viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url + "catalogue/")
        # the table's first page is in the HTML, its links work; the filters need JS
        first = page.locator("#coop-table tbody th.coop-titre a").all_inner_texts()
        assert DRAFT in first and first == sorted(first, key=fold)
        assert page.locator("form.coop-filtres").is_hidden()
        page.get_by_role("link", name="toutes les conventions par académie, par type ou par statut"
                         ).click()
        page.wait_for_url("**/parcourir/")
        assert page.locator("h1").inner_text().rstrip("¶") == "Parcourir le catalogue"
        page.get_by_role("link", name="Nantes", exact=True).click()
        page.wait_for_url("**/parcourir/academie/nantes/")
        assert page.locator("h1").inner_text().rstrip("¶") == "Conventions de l’académie de Nantes"
        _shot(page, "parcourir-nantes-1366")
        page.get_by_role("link", name=DRAFT).click()
        page.wait_for_url("**/conventions/nantes-coloration-mspc-navale/")
        assert page.title().startswith(DRAFT)
        assert page.locator("#coop-fiche-titre").inner_text().rstrip("¶") == DRAFT
    finally:
        context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_list_page_fits_and_passes_axe(browser_nojs: object, site_url: str, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser_nojs.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(site_url + "parcourir/alphabetique/")
        page.wait_for_load_state("load")
        _shot(page, f"parcourir-alphabetique-{width}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"la page déborde de {overflow} px"
        for path in ("parcourir/alphabetique/", "parcourir/"):
            page.goto(site_url + path)
            page.wait_for_load_state("load")
            violations = Axe().run(page).response["violations"]
            serious = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                       for v in violations if v["impact"] in ("serious", "critical")]
            assert not serious, (path, serious)
    finally:
        context.close()
