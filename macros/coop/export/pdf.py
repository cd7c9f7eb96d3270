"""Typst source -> PDF/A-2b and PDF/UA-1 with one empty signature field per signatory.

Runs in worker processes (see `pipeline`): everything it needs travels in `PdfTask`.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import typst

from .render import PdfTask
from .sigfields import FieldBox, add_signature_fields

__all__ = ["PdfTask", "field_name", "render_pdf"]

TEMPLATE = Path(__file__).with_name("convention.typ")
PDF_STANDARDS = ["a-2b", "ua-1"]  # archival and accessible: both at once
QUERY_LABEL = "<coop-signature>"
_fonts: typst.Fonts | None = None


def field_name(index: int, party: str) -> str:
    """`signature-2-airbus-helicopters`: ASCII, no dot (a dot separates PDF field names)."""
    spaced = party.replace("’", " ").replace("'", " ")
    ascii_ = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:40]
    return f"signature-{index}" + (f"-{slug}" if slug else "")


def _fonts_once() -> typst.Fonts:
    """Only the fonts embedded in typst: no system font, same output everywhere."""
    global _fonts
    if _fonts is None:
        _fonts = typst.Fonts(include_system_fonts=False)
    return _fonts


def _field_boxes(query_json: str, signatories: tuple[str, ...],
                 labels: dict[str, str]) -> list[FieldBox]:
    boxes = []
    for item in json.loads(query_json):
        v = item.get("value")
        if item.get("func") != "metadata" or not isinstance(v, dict) or "index" not in v:
            continue
        index = int(v["index"])
        party = signatories[index - 1] if index <= len(signatories) else ""
        llx, ury = v["x"], v["ph"] - v["y"]  # typst: top-left origin; PDF: bottom-left
        description = labels["date_et_signature"] + (f" – {labels['pour']} {party}"
                                                     if party else "")
        boxes.append(FieldBox(field_name(index, party), int(v["page"]),
                              (llx, ury - v["h"], llx + v["w"], ury), description))
    return boxes


def render_pdf(task: PdfTask) -> str:
    """Compile, add the signature fields, write atomically. Returns the output path."""
    src = Path(task.typst_path)
    src.write_text(TEMPLATE.read_text(encoding="utf-8") + "\n" + src.read_text(encoding="utf-8"),
                   encoding="utf-8")
    compiler = typst.Compiler(str(src), root=task.root, font_paths=_fonts_once(),
                              ignore_system_fonts=True,
                              sys_inputs={"coop": json.dumps(task.meta, ensure_ascii=False)})
    pdf = compiler.compile(format="pdf", pdf_standards=PDF_STANDARDS, timestamp=task.epoch)
    assert isinstance(pdf, bytes)
    if task.meta.get("signable", True):
        boxes = _field_boxes(compiler.query(QUERY_LABEL, format="json"), task.signatories,
                             task.meta["labels"])
        pdf = add_signature_fields(pdf, boxes)
    tmp = f"{task.out}.tmp-{os.getpid()}"
    Path(tmp).write_bytes(pdf)
    os.replace(tmp, task.out)
    return task.out
