"""No guidance of the official model ever reaches a text: every sample and generated
conventions, in Markdown, PDF and DOCX (the samples' copies in test_export)."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf
import pytest

from benchgen import generate
from conftest import GUIDANCE, ROOT
from coop.catalog import load_catalog
from coop.expand import expand
from coop.export.pipeline import export_conventions
from coop.render.markdown import render_markdown


def _found(text: str) -> list[str]:
    return [g for g in GUIDANCE if g in text]


@pytest.mark.parametrize("root", [ROOT, ROOT / "tests" / "fixtures" / "v1"], ids=["v2", "v1"])
def test_samples(root: Path) -> None:
    catalog = load_catalog(root)
    found = {c.id: _found(render_markdown(expand(c))) for c in catalog.conventions}
    if root == ROOT:
        assert found == {c.id: [] for c in catalog.conventions}
    else:  # model v1 is frozen: its one known placeholder, kept as signed
        known = {"« région »", "«\u202frégion\u202f»"}
        assert set(found["lyon-fcil-maintenance-aeronautique"]) <= known


def test_generated_conventions(tmp_path: Path) -> None:
    generate(tmp_path, 60, seed=11)
    catalog = load_catalog(tmp_path)
    assert catalog.errors == []
    assert {c.modele for c in catalog.conventions} == {"adaptation-offre-formation/v2"}
    assert any(c.data["attestation"].get("region") for c in catalog.conventions)
    assert [(c.id, f) for c in catalog.conventions
            for f in _found(render_markdown(expand(c)))] == []


def test_generated_copies(tmp_path: Path) -> None:
    """The PDF and DOCX text of a few generated conventions (both types, with and without
    the Région), not only their Markdown."""
    generate(tmp_path, 8, seed=5)
    catalog = load_catalog(tmp_path)
    out = tmp_path / "exports"
    report = export_conventions(catalog.conventions, tmp_path, out)
    assert report.errors == [] and len(report.written) == 2 * len(catalog.conventions)
    for conv in catalog.conventions:
        pdf = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(
            out / f"{conv.id}.pdf").pages)
        word = "\n".join(p.text for p in docx.Document(str(out / f"{conv.id}.docx")).paragraphs)
        assert (conv.id, _found(pdf), _found(word)) == (conv.id, [], [])
