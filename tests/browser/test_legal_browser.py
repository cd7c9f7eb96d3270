"""The legal pages in headless Chromium, on a phone (390 px) and a desktop (1366 px): no
serious or critical axe-core violation, nothing wider than the screen, and the footer of a
convention page leads to them. Screenshots in $COOP_SCREENSHOTS when set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .sitebuild import make_project, served

SHOTS = os.environ.get("COOP_SCREENSHOTS")
WIDTHS = {"telephone": (390, 844), "bureau": (1366, 768)}
LEGAL = ("mentions-legales/", "accessibilite/", "donnees-personnelles/")
CONVENTION = "conventions/lyon-fcil-maintenance-aeronautique/"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("legal-navigateur") / "projet",
                           drafts=False)
    with served(project) as url:
        yield url


def open_page(browser: object, url: str, device: str) -> object:
    width, height = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="fr-FR")
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def shot(page: object, name: str, *, full: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full)


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("path", LEGAL)
def test_legal_pages_pass_axe_and_fit_the_screen(browser: object, base_url: str, path: str,
                                                 device: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(browser, base_url + path, device)
    try:
        shot(page, f"legal_{path.strip('/')}_{device}")
        violations = Axe().run(page).response["violations"]
        serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                   for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, serious
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} déborde de {overflow} px"
    finally:
        page.context.close()


def test_convention_footer_leads_to_the_legal_pages_on_a_phone(browser: object,
                                                               base_url: str) -> None:
    page = open_page(browser, base_url + CONVENTION, "telephone")
    try:
        foot = page.locator(".md-footer .coop-pied")
        foot.scroll_into_view_if_needed()
        assert "Accessibilité : non conforme" in foot.inner_text()
        assert "Données à jour au" in foot.inner_text()
        shot(page, "convention_pied_telephone", full=False)
        foot.get_by_role("link", name="Accessibilité").click()
        page.wait_for_url("**/accessibilite/")
        assert page.inner_text("h1").startswith("Déclaration d’accessibilité")
        assert page.get_by_role("link", name="Défenseur des droits").count() >= 1
    finally:
        page.context.close()
