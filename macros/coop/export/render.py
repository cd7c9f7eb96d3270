"""What the PDF worker processes run, importable without the PDF stack: a spawned worker
imports this module (and the core's package), then typst and pyHanko (pdf.py) once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfTask:
    id: str
    typst_path: str  # body written by pandoc, inside `root`
    root: str  # typst root: the work folder (source and logo copies only)
    meta: dict  # sys.inputs.coop, see convention.typ
    signatories: tuple[str, ...]
    epoch: int
    out: str


def warm() -> None:
    """Import the PDF stack (about 1 s) while pandoc still converts the first documents."""
    from . import pdf  # noqa: F401


def safe_render(task: PdfTask) -> str | None:
    """Worker entry point: None when the PDF was written, else a French message."""
    from .pdf import render_pdf

    try:
        render_pdf(task)
    except Exception as exc:  # typst/pyHanko errors are reported, not raised
        message = getattr(exc, "message", None) or str(exc)
        return f"la compilation PDF a échoué : {message}"
    return None
