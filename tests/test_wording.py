"""Every word of the agreement lives in the model version: no phrase of the model's
templates or labels appears in the code (Python, Lua filters, typst layout)."""

from __future__ import annotations

import re

from ruamel.yaml import YAML

from conftest import ROOT

PACKAGE = ROOT / "macros" / "coop"
MODELS = PACKAGE / "modeles"
CODE = [p for p in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.lua"), *PACKAGE.rglob("*.typ"),
                    *(ROOT / "scripts").rglob("*.py")]
        if MODELS not in p.parents]
_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|[*_`|>#\[\]()«»:;,.!?\"]|\n|\s-\s")
MIN_WORDS = 7  # shorter runs are domain vocabulary (« campus des métiers et des qualifications »)
# Sentences that were once written in Python (the issue that moved them): checked by name.
ONCE_IN_CODE = ["se déroule du", "exemplaires originaux", "Convention de coopération entre",
                "Fonction et signature des parties", "conviennent de ce qui suit",
                "Vu la convention de coopération", "Article modifié par",
                "pour l’établissement scolaire",
                "le recteur de la région académique", "à compter de la rentrée",
                "sans excéder une année scolaire", "Les autres stipulations",
                "est remplacé par les dispositions suivantes", "il est inséré un article"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("'", "’")).strip().lower()


def _strings(node: object) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def model_runs() -> set[str]:
    """Runs of literal text in every template and label of every model version."""
    texts = [p.read_text("utf-8") for p in MODELS.rglob("*.j2")]
    for manifest in MODELS.rglob("modele.yml"):
        data = YAML(typ="safe", pure=True).load(manifest.read_text("utf-8"))
        texts += _strings({k: v for k, v in data.items() if k in ("libelles", "avenant")})
    return {_norm(run) for text in texts for run in _TAGS.split(text)}


def model_phrases() -> set[str]:
    return {run for run in model_runs() if len(run.split()) >= MIN_WORDS}


def test_the_model_has_phrases_to_look_for() -> None:
    assert len(model_phrases()) > 50
    runs = model_runs()
    assert [s for s in ONCE_IN_CODE if not any(_norm(s) in r for r in runs)] == []


def test_no_sentence_of_the_agreement_in_code() -> None:
    phrases = model_phrases() | {_norm(s) for s in ONCE_IN_CODE}
    found = []
    for path in CODE:
        code = _norm(path.read_text("utf-8"))
        found += [f"{path.relative_to(ROOT)} : « {p} »" for p in phrases if p in code]
    assert found == []
