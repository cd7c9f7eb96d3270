"""A partner's returned DOCX, built from an exported one by editing its XML as Word does:
tracked deletions and insertions (`w:del` / `w:ins` with author and date), an added
paragraph (its mark and its runs inserted), comments (`word/comments.xml` and the
`w:commentRangeStart` / `w:commentReference` anchors), document properties."""

from __future__ import annotations

import copy
import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR = "Maître Durand (RHM)"
DATE = "2026-11-20T10:30:00Z"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _spaces(words: str) -> re.Pattern[str]:
    return re.compile(r"[ \u00a0\u202f]".join(map(re.escape, words.split(" "))))


def _paragraph(root: etree._Element, contains: str) -> etree._Element:
    pattern = _spaces(contains)
    for p in root.iter(w("p")):
        if pattern.search("".join(t.text or "" for t in p.iter(w("t")))):
            return p
    raise AssertionError(f"no paragraph contains {contains!r}")


def _mark(kind: str, n: int) -> etree._Element:
    return etree.Element(w(kind), {w("id"): str(n), w("author"): AUTHOR, w("date"): DATE})


def _run(text: str, rpr: etree._Element | None, tag: str = "t") -> etree._Element:
    r = etree.Element(w("r"))
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = etree.SubElement(r, w(tag))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


class Returned:
    """An exported DOCX being edited by the partner."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.document = etree.fromstring(zf.read("word/document.xml"))
            names = zf.namelist()
            self.comments = etree.fromstring(zf.read("word/comments.xml")) \
                if "word/comments.xml" in names else etree.Element(w("comments"))
            self.core = zf.read("docProps/core.xml")
            self.custom = zf.read("docProps/custom.xml")
        self.n = 900

    def replace(self, contains: str, old: str, new: str) -> Returned:
        """Words `old` of the paragraph containing `contains` deleted, `new` inserted."""
        p = _paragraph(self.document, contains)
        pattern = _spaces(old)
        for t in p.iter(w("t")):
            m = pattern.search(t.text or "")
            if not m:
                continue
            run = t.getparent()
            rpr = run.find(w("rPr"))
            text = t.text or ""
            pieces: list[etree._Element] = []
            if m.start():
                pieces.append(_run(text[:m.start()], rpr))
            deleted = _mark("del", self._next())
            deleted.append(_run(m.group(), rpr, "delText"))
            pieces.append(deleted)
            if new:
                inserted = _mark("ins", self._next())
                inserted.append(_run(new, rpr))
                pieces.append(inserted)
            if m.end() < len(text):
                pieces.append(_run(text[m.end():], rpr))
            parent = run.getparent()
            at = parent.index(run)
            parent.remove(run)
            for i, piece in enumerate(pieces):
                parent.insert(at + i, piece)
            return self
        raise AssertionError(f"{old!r} is not inside one run of the paragraph")

    def add_after(self, contains: str, text: str) -> Returned:
        """A new paragraph typed after the one containing `contains`."""
        p = _paragraph(self.document, contains)
        new = etree.Element(w("p"))
        ppr = copy.deepcopy(p.find(w("pPr"))) if p.find(w("pPr")) is not None \
            else etree.Element(w("pPr"))
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(_mark("ins", self._next()))
        new.append(ppr)
        inserted = _mark("ins", self._next())
        inserted.append(_run(text, None))
        new.append(inserted)
        p.addnext(new)
        return self

    def comment(self, contains: str, text: str) -> Returned:
        p = _paragraph(self.document, contains)
        n = str(self._next())
        c = etree.SubElement(self.comments, w("comment"),
                             {w("id"): n, w("author"): AUTHOR, w("date"): DATE})
        cp = etree.SubElement(c, w("p"))
        cp.append(_run(text, None))
        start = etree.Element(w("commentRangeStart"), {w("id"): n})
        ppr = p.find(w("pPr"))
        p.insert(p.index(ppr) + 1 if ppr is not None else 0, start)
        p.append(etree.Element(w("commentRangeEnd"), {w("id"): n}))
        ref = etree.SubElement(p, w("r"))
        etree.SubElement(ref, w("commentReference"), {w("id"): n})
        return self

    def property(self, name: str, value: str) -> Returned:
        self.custom = re.sub(
            rf'(name="{name}"><vt:lpwstr>)[^<]*'.encode(), rb"\g<1>" + value.encode(),
            self.custom)
        return self

    def subject(self, value: str) -> Returned:
        self.core = re.sub(rb"(<dc:subject>)[^<]*", rb"\g<1>" + value.encode(), self.core)
        return self

    def _next(self) -> int:
        self.n += 1
        return self.n

    def bytes(self) -> bytes:
        parts = {"word/document.xml": etree.tostring(self.document, xml_declaration=True,
                                                     encoding="UTF-8", standalone=True),
                 "word/comments.xml": etree.tostring(self.comments, xml_declaration=True,
                                                     encoding="UTF-8", standalone=True),
                 "docProps/core.xml": self.core, "docProps/custom.xml": self.custom}
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(self.data)) as src, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info, parts.pop(info.filename, None) or src.read(info))
            for name, data in parts.items():
                dst.writestr(name, data)
        return out.getvalue()
