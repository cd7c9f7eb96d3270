"""What the PDF worker processes run, importable without the PDF stack: a spawned worker
imports this module (and the core's package), then typst and pyHanko (pdf.py) once."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context


@dataclass(frozen=True)
class PdfTask:
    id: str
    typst_path: str  # body written by pandoc, inside `root`
    root: str  # typst root: the work folder (source and logo copies only)
    meta: dict  # sys.inputs.coop, see convention.typ
    signatories: tuple[str, ...]
    epoch: int
    out: str


def worker_pool(n: int) -> ProcessPoolExecutor:
    """`n` spawned PDF processes ("spawn": forking a parent whose typst (Rust) thread pool
    already runs deadlocks) that end with the export: each one exits as soon as its
    parent is gone (killed: nothing would tell an idle worker otherwise, and it would
    hold the export's output pipes open forever)."""
    return ProcessPoolExecutor(max_workers=n, mp_context=get_context("spawn"),
                               initializer=_end_with, initargs=(os.getpid(),))


def _end_with(parent: int, period: float = 0.5) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(period)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


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
