"""Pages of the model versions: the official text with its blanks visible, one page per
version and per kind of adaptation (coloration, FCIL)."""

from __future__ import annotations

from coop.model import available_models, load_model

KINDS = {"coloration": "Coloration de diplôme", "fcil": "FCIL"}


def models() -> list[str]:
    return available_models()


def label(name: str) -> str:
    """A model version by its human name: « Convention de coopération portant sur … —
    version 2 » for « adaptation-offre-formation/v2 »."""
    version = name.rsplit("/", 1)[-1].removeprefix("v")
    return f"{load_model(name).title} — version {version}"


def model_uri(name: str, kind: str) -> str:
    """"modele/adaptation-offre-formation/v1/fcil.md" (relative to docs_dir)."""
    return f"modele/{name}/{kind}.md"


def pages() -> dict[str, tuple[str, str]]:
    """src_uri -> (model name, kind), for every model version and kind."""
    return {model_uri(n, k): (n, k) for n in models() for k in KINDS}

