"""Integrity guard: the full text of every sample convention, avenant and consolidated text
is committed under tests/golden/. A change of legal text — in a model version, in the code
that fills it or in a renderer — fails here, so it is always an explicit, reviewed diff.

To accept a change on purpose: `COOP_GOLDEN=ecrire .venv/bin/python -m pytest
tests/test_golden.py`, then review `git diff tests/golden/` and commit it with the change.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from conftest import ROOT
from coop.avenant_text import avenant_document
from coop.catalog import load_catalog
from coop.consolidate import consolidate
from coop.document import Document
from coop.expand import expand
from coop.render.markdown import render_markdown

GOLDEN = Path(__file__).parent / "golden"
CATALOG = load_catalog(ROOT)


def _texts() -> dict[str, Document]:
    out: dict[str, Document] = {}
    for conv in CATALOG.conventions:
        out[conv.id] = expand(conv)
        if any(a.parent_id == conv.id and a.statut == "signee" for a in CATALOG.avenants):
            out[f"{conv.id}.consolide"] = consolidate(conv, CATALOG.avenants).document
    for av in CATALOG.avenants:
        assert av.before is not None
        out[av.id] = avenant_document(av, av.before)
    return out


TEXTS = _texts()


def test_every_sample_has_a_golden_text() -> None:
    assert CATALOG.errors == []
    assert sorted(f"{name}.md" for name in TEXTS) == sorted(p.name for p in GOLDEN.glob("*.md"))
    assert any(name.endswith(".consolide") for name in TEXTS)  # the Lyon sample
    assert any("-avenant-" in name for name in TEXTS)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_text_unchanged(name: str) -> None:
    text = render_markdown(TEXTS[name])
    path = GOLDEN / f"{name}.md"
    if os.environ.get("COOP_GOLDEN") == "ecrire":
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                        f"tests/golden/{name}.md", "texte produit", n=1))
    assert text == expected, f"le texte de {name} a changé :\n{diff}"
