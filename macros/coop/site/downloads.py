"""What a page offers to download: the copies `coop export` made (`build/exports/`) that
exist, each saying what it is, its format and its size (RGAA: « PDF, 120 Ko »).

A convention or an avenant whose signed copy is recorded (`coop signee`: the PDF in
`signees/` next to its file, `exemplaire_signe` in its front-matter) offers that copy first,
with the verification in words, and the copy to sign after it, for reference; a signed
convention without a recorded copy says that its copy is the one to sign, not signed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from coop.convention import Convention
from coop.export.targets import consolidated_id, model_id
from coop.signed import COPY_FIELD, SCANNED, UNTRUSTED

from .labels import format_date
from .page import Download

EXPORTS_DIR = "build/exports"
FORMATS = (("pdf", "PDF"), ("docx", "DOCX"))
SIGNED = frozenset({"signee", "resiliee", "expiree"})  # declared statuses of a signed text

TO_SIGN = "l’exemplaire à signer"
TO_SIGN_UNSIGNED = "l’exemplaire à signer (non signé)"
SIGNED_COPY = "l’exemplaire signé"
FOR_REFERENCE = "l’exemplaire à signer (pour mémoire, non signé)"
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


def signed_copy(root: Path, doc: Any) -> Path | None:
    """The recorded signed copy (a PDF next to the file) of a convention or an avenant."""
    copy = doc.source_data.get(COPY_FIELD)
    if not isinstance(copy, dict) or not isinstance(copy.get("fichier"), str):
        return None
    path = Path(doc.path).parent / copy["fichier"]
    return path if path.is_file() else None


def signed_uri(doc_id: str) -> str:
    return f"signees/{doc_id}.pdf"


def _signed_on(value: object) -> str:
    try:
        return format_date(datetime.fromisoformat(str(value)).date())
    except ValueError:
        return str(value)


def verification(doc: Any) -> str:
    """The verification of a recorded signed copy, in words, for its reader."""
    copy = doc.source_data.get(COPY_FIELD) or {}
    if copy.get("verification") == SCANNED:
        return "Copie numérisée, non vérifiée."
    who = [f"{s.get('signataire')} le {_signed_on(s.get('date'))}"
           + (" (certificat non reconnu)" if s.get("certificat") == UNTRUSTED else "")
           for s in copy.get("signatures") or []]
    return (f"Signé électroniquement par {', '.join(who)} ; signatures intactes, "
            "conforme au texte du catalogue.")


def document_downloads(root: Path, doc: Any, what: str,
                       link: Callable[[str], str]) -> list[Download]:
    """The downloads of a convention or an avenant: its recorded signed copy first, with
    its verification, then its copy to sign for reference; else its copies (`what`)."""
    stored = signed_copy(root, doc)
    if stored is None:
        return downloads(root, doc.id, what, link)
    main = Download("PDF", link(signed_uri(doc.id)), stored.stat().st_size, SIGNED_COPY,
                    note=verification(doc), main=True)
    return [main, *downloads(root, doc.id, FOR_REFERENCE, link)]


def row_downloads(root: Path, doc: Any, what: str,
                  link: Callable[[str], str]) -> list[Download]:
    """A table row's downloads: the signed copy alone when recorded (one unambiguous
    « PDF »), else the copies."""
    return document_downloads(root, doc, what, link)[:1] if signed_copy(root, doc) \
        else downloads(root, doc.id, what, link)


def signed_files(root: Path, doc: Any) -> list[tuple[str, Path]]:
    """(site path, source file) of the recorded signed copy of `doc`, to publish."""
    stored = signed_copy(root, doc)
    return [] if stored is None else [(signed_uri(doc.id), stored)]


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
