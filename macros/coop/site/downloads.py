"""What a page offers to download: the copies `coop export` made (`build/exports/`) that
exist, each saying what it is, its format and its size (RGAA: « PDF, 120 Ko »).

A signed convention offers its signed copy once one is recorded (`signed_copy`: none is
recorded today; a later change records them); until then its button says that the copy
is the one to sign, not signed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coop.convention import Convention
from coop.export.targets import consolidated_id, model_id

from .page import Download

EXPORTS_DIR = "build/exports"
FORMATS = (("pdf", "PDF"), ("docx", "DOCX"))
SIGNED = frozenset({"signee", "resiliee", "expiree"})  # declared statuses of a signed text

TO_SIGN = "l’exemplaire à signer"
TO_SIGN_UNSIGNED = "l’exemplaire à signer (non signé)"
SIGNED_COPY = "l’exemplaire signé"
CONSOLIDATED = "le texte consolidé"
BLANK_MODEL = "le modèle vierge"
AVENANT = "l’avenant"


def exported(root: Path, doc_id: str) -> list[tuple[str, str, Path]]:
    """(extension, format name, path) of the exported copies of `doc_id` that exist."""
    found = []
    for ext, name in FORMATS:
        path = root / EXPORTS_DIR / f"{doc_id}.{ext}"
        if path.is_file():
            found.append((ext, name, path))
    return found


def signed_copy(root: Path, conv: Convention) -> Path | None:
    """The recorded signed copy of `conv` (a PDF). Hook: no signed copy is recorded yet,
    so a signed convention offers its copy to sign, said « non signé »."""
    return None


def convention_label(root: Path, conv: Convention) -> str:
    """What the copy of a convention is, as its download button says it."""
    if conv.statut in SIGNED:
        return SIGNED_COPY if signed_copy(root, conv) is not None else TO_SIGN_UNSIGNED
    return TO_SIGN


def downloads(root: Path, doc_id: str, what: str,
              link: Callable[[str], str]) -> list[Download]:
    """The downloads of `doc_id`'s exported copies; `link`: site path -> link from the
    page."""
    return [Download(name, link(f"exports/{doc_id}.{ext}"), path.stat().st_size, what)
            for ext, name, path in exported(root, doc_id)]


def consolidated(root: Path, conv_id: str, link: Callable[[str], str]) -> list[Download]:
    return downloads(root, consolidated_id(conv_id), CONSOLIDATED, link)


def blank_model(root: Path, name: str, kind: str,
                link: Callable[[str], str]) -> list[Download]:
    return downloads(root, model_id(name, kind), BLANK_MODEL, link)


def files(root: Path, doc_id: str) -> list[tuple[str, Path]]:
    """(site path, source file) of the exported copies of `doc_id`, to publish."""
    return [(f"exports/{doc_id}.{ext}", path) for ext, _name, path in exported(root, doc_id)]
