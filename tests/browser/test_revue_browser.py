"""The HTML review report in headless Chromium: no serious axe-core violation, nothing
loaded from anywhere (a standalone page), the changed words marked for a reader."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from conftest import SAMPLES, edit
from coop.authoring.revue import review
from coop.authoring.revue_git import snapshot
from coop.authoring.revue_render import report_html

from .sitebuild import chromium

NANTES = "conventions/nantes/coloration-mspc-maintenance-navale.md"
PARIS = "conventions/paris/bts-mhr-gastronomie-durable.md"


def _change(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    path.write_text(edit(path.read_text("utf-8"), old, new), "utf-8")


def report(tmp_path: Path) -> str:
    """A report with every part: call-outs, an error, header, deadlines, text diff."""
    before, after = tmp_path / "avant", tmp_path / "apres"
    shutil.copytree(SAMPLES, before / "conventions")
    shutil.copytree(SAMPLES, after / "conventions")
    _change(after, NANTES, "preavis_mois: 6", "preavis_mois: 3")
    _change(after, NANTES, "prend en charge le transport des élèves",
            "prend en charge le transport et les repas des élèves")
    _change(after, PARIS, "uai: 0750708M", "uai: 0750708A")
    rev = review(snapshot(before, "main"), snapshot(after, "copie de travail"),
                 date(2026, 11, 2))
    return report_html(rev, "Base : essai.")


def test_report_is_accessible_and_standalone(tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    html = report(tmp_path)
    with chromium() as browser:
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.set_content(html, wait_until="load")
        assert page.title().startswith("Revue juridique")
        assert page.locator("ins", has_text="et les repas").count() == 1
        assert page.locator("caption", has_text="Litiges et résiliations").count() == 1
        violations = Axe().run(page).response["violations"]
        context.close()
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    assert requested == []  # no stylesheet, font, script or image from anywhere
