"""French typography of the values on the signature copy: proper names, civilities and
identifiers never hyphenated nor split across lines; typographic apostrophes in values."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from coop.catalog import load_catalog
from coop.expand import expand
from coop.export.pipeline import export_conventions
from coop.render.markdown import render_markdown

CATALOG = load_catalog(ROOT)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    assert export_conventions(CATALOG.conventions, ROOT, out, ("pdf",)).errors == []
    return out


def _text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("conv", CATALOG.conventions, ids=lambda c: c.id)
def test_names_and_identifiers_never_split(pdfs: Path, conv) -> None:
    text = _text(pdfs / f"{conv.id}.pdf")
    joined = text.replace("\xad\n", "").replace("-\n", "-").replace(" \n", " ")
    words = [w.replace("\u00a0", " ") for w in expand(conv).unbreakable]
    assert words
    # a word split at a line end is found once the lines are joined, not before
    assert [w for w in words if joined.count(w) > text.count(w)] == []


def test_siret_and_apostrophes_in_values() -> None:
    md = render_markdown(expand(CATALOG.get("aix-marseille-fcil-portuaire")))
    assert "Provence-Alpes-Côte d’Azur" in md and "d'Azur" not in md
    siret = next(p["siret"] for p in CATALOG.get("aix-marseille-fcil-portuaire")
                 .data["partenaires"] if p.get("siret"))
    digits = siret.replace(" ", "")
    grouped = "\u00a0".join((digits[:3], digits[3:6], digits[6:9], digits[9:]))
    assert f"SIRET {grouped}" in md
