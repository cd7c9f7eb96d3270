"""Empty signature fields (pyHanko), added as one incremental update of the PDF/A file.

PDF/A-2b allows incremental updates, and signing itself is one, so the typst output is
kept byte for byte and the fields are appended after it. Two pyHanko behaviours are
switched off to keep the result deterministic and the PDF/A metadata consistent: the
random second half of the trailer /ID (derived from the first half instead) and the
refresh of the modification date and producer in /Info and XMP (left as typst wrote them,
so that /Info and XMP still agree).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigFieldSpec, append_signature_field


@dataclass(frozen=True)
class FieldBox:
    name: str
    page: int  # 1-based, as typst counts
    box: tuple[float, float, float, float]  # PDF user space: llx, lly, urx, ury


class _StableWriter(IncrementalPdfFileWriter):
    @classmethod
    def _handle_id(cls, prev: PdfFileReader) -> generic.ArrayObject:
        id1 = prev.trailer["/ID"][0]
        raw = bytes(getattr(id1, "original_bytes", id1))
        id2 = hashlib.sha256(raw + b"coop-signature-fields").digest()[:16]
        return generic.ArrayObject([generic.ByteStringObject(raw),
                                    generic.ByteStringObject(id2)])

    def _update_meta(self) -> None:
        """Keep typst's /Info and XMP metadata untouched (dates included)."""


def add_signature_fields(pdf: bytes, fields: list[FieldBox]) -> bytes:
    if not fields:
        return pdf
    writer = _StableWriter(io.BytesIO(pdf))
    for f in fields:
        append_signature_field(writer, SigFieldSpec(
            sig_field_name=f.name, on_page=f.page - 1,
            box=tuple(round(v, 2) for v in f.box)))  # type: ignore[arg-type]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
