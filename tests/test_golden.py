"""Integrity guard: the full text of every sample convention, avenant and consolidated text
is committed under tests/golden/. A change of legal text — in a model version, in the code
that fills it or in a renderer — fails here, so it is always an explicit, reviewed diff.

tests/golden/v1/ holds the texts of conventions written under model v1 (frozen copies of
the samples as they were when v2 came, in tests/fixtures/v1/): model v1 is closed, its
texts never change — neither by a later model version nor by a code change.

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
from coop.consolidate import consolidate, copy_of
from coop.document import Document
from coop.expand import expand
from coop.render.markdown import render_markdown

HERE = Path(__file__).parent
SETS = {"": (ROOT, HERE / "golden"), "v1": (HERE / "fixtures" / "v1", HERE / "golden" / "v1")}


def _texts(root: Path) -> dict[str, Document]:
    catalog = load_catalog(root)
    assert catalog.errors == [], [p.format() for p in catalog.errors]
    out: dict[str, Document] = {}
    for conv in catalog.conventions:
        out[conv.id] = expand(conv)
        if any(a.parent_id == conv.id and a.statut == "signee" for a in catalog.avenants):
            cons = consolidate(conv, catalog.avenants)
            out[f"{conv.id}.consolide"] = cons.document
            if (copy := copy_of(cons)) is not None:  # the exported copy (model v2 on)
                out[f"{conv.id}.consolide-exemplaire"] = copy
    for av in catalog.avenants:
        assert av.before is not None
        out[av.id] = avenant_document(av, av.before)
    return out


TEXTS = {name: _texts(root) for name, (root, _) in SETS.items()}
CASES = [(s, name) for s, texts in TEXTS.items() for name in sorted(texts)]


@pytest.mark.parametrize("which", sorted(SETS))
def test_every_text_has_a_golden_file(which: str) -> None:
    texts, golden = TEXTS[which], SETS[which][1]
    assert sorted(f"{n}.md" for n in texts) == sorted(p.name for p in golden.glob("*.md"))
    assert any(name.endswith(".consolide") for name in texts)  # the Lyon sample
    assert any("-avenant-" in name for name in texts)


def test_v1_fixtures_follow_model_v1() -> None:
    assert {d.model for d in TEXTS["v1"].values()} == {"adaptation-offre-formation/v1"}


@pytest.mark.parametrize(("which", "name"), CASES)
def test_text_unchanged(which: str, name: str) -> None:
    text = render_markdown(TEXTS[which][name])
    path = SETS[which][1] / f"{name}.md"
    if os.environ.get("COOP_GOLDEN") == "ecrire":
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                        f"tests/golden/{name}.md", "texte produit", n=1))
    assert text == expected, f"le texte de {name} a changé :\n{diff}"
