"""Empty signature fields (pyHanko), added as one incremental update of the PDF/A + PDF/UA
file.

PDF/A-2b allows incremental updates, and signing itself is one, so the typst output is
kept byte for byte and the fields are appended after it. Two pyHanko behaviours are
switched off to keep the result deterministic and the metadata valid: the random second
half of the trailer /ID (derived from the first half instead) and the refresh of the
metadata. pyHanko 0.38 rewrites the XMP packet on write: it drops typst's PDF/A extension
schema that declares `pdfuaid` (a PDF/A violation), drops `dc:language` and sets the
modification date to the current time. typst's /Info and XMP are therefore kept as they
are (tests/test_export_archive.py reads the final XMP).

PDF/UA-1 (ISO 14289-1, 7.18) wants every widget in the structure tree: each field gets
a `Form` structure element (appended to the document element), its /StructParent in the
parent tree, and a /TU description (« Date et signature – pour <party> », the model's
words, written by pdf.py).
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
    description: str = ""  # /TU: what assistive technology reads for the field


class _StableWriter(IncrementalPdfFileWriter):
    @classmethod
    def _handle_id(cls, prev: PdfFileReader) -> generic.ArrayObject:
        id1 = prev.trailer["/ID"][0]
        raw = bytes(getattr(id1, "original_bytes", id1))
        id2 = hashlib.sha256(raw + b"coop-signature-fields").digest()[:16]
        return generic.ArrayObject([generic.ByteStringObject(raw),
                                    generic.ByteStringObject(id2)])

    def _update_meta(self) -> None:
        """Keep typst's /Info and XMP metadata untouched (dates and PDF/UA schema included)."""


def _document_element(tree: generic.DictionaryObject) -> generic.IndirectObject | None:
    """The structure element the Form elements are appended to (typst: « Document »)."""
    kids = tree.raw_get("/K")
    first = kids.raw_get(0) if isinstance(kids, generic.ArrayObject) and kids else kids
    return first if isinstance(first, generic.IndirectObject) else None


def _add_to_parent_tree(writer: _StableWriter, tree: generic.DictionaryObject, key: int,
                        elem: generic.IndirectObject) -> None:
    parents = tree["/ParentTree"]
    if "/Nums" in parents:
        parents["/Nums"].extend([generic.NumberObject(key), elem])
    else:  # a tree with /Kids: keys only grow, so a new last leaf keeps the order
        leaf = writer.add_object(generic.DictionaryObject({
            generic.NameObject("/Nums"): generic.ArrayObject([generic.NumberObject(key), elem]),
            generic.NameObject("/Limits"): generic.ArrayObject(
                [generic.NumberObject(key), generic.NumberObject(key)])}))
        parents["/Kids"].append(leaf)
    writer.update_container(parents)


def _tag_widgets(writer: _StableWriter, fields: list[FieldBox]) -> None:
    """PDF/UA-1: a Form structure element and a /TU description for each new field."""
    root = writer.root
    if "/StructTreeRoot" not in root:
        return
    tree = root["/StructTreeRoot"]
    doc_ref = _document_element(tree)
    if doc_ref is None:
        return
    doc = doc_ref.get_object()
    refs = {str(ref.get_object()["/T"]): ref for ref in root["/AcroForm"].raw_get("/Fields")}
    key = int(tree.get("/ParentTreeNextKey", 0))
    kids = doc.raw_get("/K")
    if not isinstance(kids, generic.ArrayObject):
        kids = generic.ArrayObject([] if kids is None else [kids])
        doc[generic.NameObject("/K")] = kids
    for f in fields:
        ref = refs[f.name]
        widget = ref.get_object()
        elem = writer.add_object(generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/StructElem"),
            generic.NameObject("/S"): generic.NameObject("/Form"),
            generic.NameObject("/P"): doc_ref,
            generic.NameObject("/K"): generic.DictionaryObject({
                generic.NameObject("/Type"): generic.NameObject("/OBJR"),
                generic.NameObject("/Obj"): ref,
                generic.NameObject("/Pg"): widget.raw_get("/P")}),
        }))
        kids.append(elem)
        widget[generic.NameObject("/StructParent")] = generic.NumberObject(key)
        if f.description:
            widget[generic.NameObject("/TU")] = generic.TextStringObject(f.description)
        _add_to_parent_tree(writer, tree, key, elem)
        key += 1
    tree[generic.NameObject("/ParentTreeNextKey")] = generic.NumberObject(key)
    writer.update_container(tree)
    writer.mark_update(doc_ref)


def add_signature_fields(pdf: bytes, fields: list[FieldBox]) -> bytes:
    if not fields:
        return pdf
    writer = _StableWriter(io.BytesIO(pdf))
    for f in fields:
        append_signature_field(writer, SigFieldSpec(
            sig_field_name=f.name, on_page=f.page - 1,
            box=tuple(round(v, 2) for v in f.box)))  # type: ignore[arg-type]
    _tag_widgets(writer, fields)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
