"""Reading a DOCX returned by a partner: its properties, and each paragraph as it was sent
(deleted text kept, insertions left out) and as the partner left it, with the authors
and dates of the tracked changes and the comments anchored in it.

Python-docx drops tracked insertions, so the WordprocessingML is read directly. The
package is untrusted: its size, the number of its entries and their uncompressed sizes
are checked before anything is extracted, and no entity or network access is resolved.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from . import AuthoringError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"

MAX_FILE = 20 * 1024 * 1024  # bytes of the DOCX itself
MAX_ENTRIES = 2000
MAX_PART = 40 * 1024 * 1024  # uncompressed bytes of one part read
MAX_TOTAL = 200 * 1024 * 1024  # uncompressed bytes of the whole package
MAX_RATIO = 200  # uncompressed / compressed, beyond which a large part is a zip bomb

INSERTED = ("ins", "moveTo")
DELETED = ("del", "moveFrom")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Change:
    kind: str  # insertion | suppression
    text: str
    author: str
    date: str  # as written in the DOCX (ISO 8601), "" when absent


@dataclass(frozen=True)
class Comment:
    author: str
    date: str
    text: str


@dataclass
class Paragraph:
    index: int  # position among the paragraphs of the body (tables included)
    old: str  # the text as sent: unchanged and deleted runs
    new: str  # the text as returned: unchanged and inserted runs
    changes: list[Change] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    inserted: bool = False  # the paragraph itself is a tracked insertion
    deleted: bool = False  # its paragraph mark is a tracked deletion

    @property
    def changed(self) -> bool:
        return self.old != self.new or self.inserted or self.deleted


@dataclass
class ReturnedDocx:
    subject: str  # « Convention <id> » (core properties)
    version: str  # custom property « version »: the version stamp of the copy
    statut: str  # custom property « statut » when the copy was made
    paragraphs: list[Paragraph]
    orphan_comments: list[Comment]  # comments anchored nowhere in the body


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False)


def _open(data: bytes) -> zipfile.ZipFile:
    if len(data) > MAX_FILE:
        raise AuthoringError(f"fichier trop volumineux ({len(data) // (1024 * 1024)} Mo) : un "
                             f"DOCX de convention tient en moins de {MAX_FILE // (1024 * 1024)} Mo")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise AuthoringError("ce fichier n’est pas un DOCX (document Word .docx)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise AuthoringError(f"DOCX illisible : {exc}") from None
    if len(infos) > MAX_ENTRIES:
        raise AuthoringError(f"DOCX refusé : {len(infos)} éléments dans l’archive")
    total = sum(i.file_size for i in infos)
    bomb = any(i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
               for i in infos)
    if total > MAX_TOTAL or bomb:
        raise AuthoringError("DOCX refusé : son contenu décompressé est démesuré (archive "
                             "piégée ?) ; rien n’a été lu")
    if "word/document.xml" not in zf.namelist():
        raise AuthoringError("ce fichier n’est pas un DOCX : word/document.xml est absent")
    return zf


def _read(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    """A part parsed, reading at most MAX_PART bytes whatever its header announces."""
    if name not in zf.namelist():
        return None
    try:
        with zf.open(name) as fh:
            raw = fh.read(MAX_PART + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        raise AuthoringError(f"DOCX illisible ({name}) : {exc}") from None
    if len(raw) > MAX_PART:
        raise AuthoringError(f"DOCX refusé : {name} est démesuré une fois décompressé")
    try:
        return etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise AuthoringError(f"DOCX illisible ({name}) : XML invalide ({exc})") from None


def _text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(w("t"), w("delText")))


def _comments(root: etree._Element | None) -> dict[str, Comment]:
    if root is None:
        return {}
    out = {}
    for c in root.iter(w("comment")):
        text = "\n".join(" ".join(_text_of(p).split()) for p in c.iter(w("p")))
        out[c.get(w("id"), "")] = Comment(c.get(w("author"), ""), c.get(w("date"), ""),
                                          text.strip())
    return out


def _tracked(el: etree._Element, stop: etree._Element) -> etree._Element | None:
    """The nearest w:ins / w:del (or move) around `el` inside paragraph `stop`."""
    node = el.getparent()
    while node is not None and node is not stop:
        if etree.QName(node).localname in INSERTED + DELETED:
            return node
        node = node.getparent()
    return None


def _piece(el: etree._Element) -> str:
    name = etree.QName(el).localname
    if name in ("t", "delText"):
        return el.text or ""
    if name == "tab":
        return "\t"
    if name in ("br", "cr"):
        return "\n"
    return "-" if name == "noBreakHyphen" else ""


def _mark(p: etree._Element, kind: tuple[str, ...]) -> bool:
    rpr = p.find(f"{w('pPr')}/{w('rPr')}")
    return rpr is not None and any(rpr.find(w(k)) is not None for k in kind)


def paragraph(p: etree._Element, index: int, comments: dict[str, Comment]) -> Paragraph:
    old: list[str] = []
    new: list[str] = []
    changes: list[Change] = []
    last: etree._Element | None = None
    for el in p.iter(w("t"), w("delText"), w("tab"), w("br"), w("cr"), w("noBreakHyphen")):
        piece = _piece(el)
        mark = _tracked(el, p)
        kind = etree.QName(mark).localname if mark is not None else ""
        if kind not in INSERTED:
            old.append(piece)
        if kind not in DELETED:
            new.append(piece)
        if mark is None:
            last = None
            continue
        label = "insertion" if kind in INSERTED else "suppression"
        if mark is last and changes:
            changes[-1] = Change(label, changes[-1].text + piece, changes[-1].author,
                                 changes[-1].date)
        else:
            changes.append(Change(label, piece, mark.get(w("author"), ""),
                                  mark.get(w("date"), "")))
        last = mark
    found = [comments[i] for el in p.iter(w("commentRangeStart"), w("commentReference"))
             if (i := el.get(w("id"), "")) in comments]
    unique = list(dict.fromkeys(found))
    return Paragraph(index, "".join(old), "".join(new), changes, unique,
                     inserted=_mark(p, INSERTED), deleted=_mark(p, DELETED))


def _property(root: etree._Element | None, name: str) -> str:
    if root is None:
        return ""
    for prop in root.iter(f"{{{CUSTOM}}}property"):
        if prop.get("name") == name:
            return "".join(prop.itertext()).strip()
    return ""


def read_docx(data: bytes) -> ReturnedDocx:
    """The returned DOCX, or an AuthoringError (in French) when it is not one we can read."""
    with _open(data) as zf:
        document = _read(zf, "word/document.xml")
        comments = _comments(_read(zf, "word/comments.xml"))
        core = _read(zf, "docProps/core.xml")
        custom = _read(zf, "docProps/custom.xml")
    assert document is not None
    body = document.find(w("body"))
    if body is None:
        raise AuthoringError("ce fichier n’est pas un DOCX : le corps du document est absent")
    subject = core.find(f"{{{DC}}}subject") if core is not None else None
    paragraphs = [paragraph(p, i, comments) for i, p in enumerate(body.iter(w("p")))]
    anchored = {c for p in paragraphs for c in p.comments}
    return ReturnedDocx(
        subject=(subject.text or "").strip() if subject is not None else "",
        version=_property(custom, "version"),
        statut=_property(custom, "statut"),
        paragraphs=paragraphs,
        orphan_comments=[c for c in comments.values() if c not in anchored])
