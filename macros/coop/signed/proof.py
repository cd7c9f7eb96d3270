"""Is the signed PDF the catalogue's text? First byte for byte (the signed file begins
with the copy the catalogue exports now, and its first signature signs exactly that), else
by text: the words of every page, without the footers, equal to those of the catalogue's
copy once whitespace is collapsed. Otherwise the refusal lists, article by article, what
differs (the report of `make diff`)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..authoring.textdiff import DEBUT, Block, diff_blocks
from ..document import Document
from ..typography import ordinary_spaces
from . import IDENTICAL, SAME_TEXT, SignedCopyError
from .verify import Verification

SPACES = re.compile(r"\s+")
SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+")
ANCHOR = re.compile(r"\{\{s\d+\|[^{}]*\}\}")  # `make pdf ANCRES=1`: not the agreement's text


@dataclass(frozen=True)
class PageText:
    lines: list[str]
    footer_ids: list[str]  # the document ids read in the footers
    anchored: bool = False  # anchors for signing platforms were found (and left out)


class TextMismatch(SignedCopyError):
    """The signed text differs: the message says so, `report` shows where."""

    def __init__(self, message: str, report: str) -> None:
        super().__init__(message)
        self.report = report


def revisions(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf)).xrefs.total_revisions)


def _footer(labels: dict[str, str]) -> re.Pattern[str]:
    """`<id> version <v> page N / M`, the footer convention.typ prints."""
    version, page = (re.escape(labels.get(k, k)) for k in ("version", "page"))
    return re.compile(rf"^(\S+) {version} \S+ {page} \d+ / \d+$")


def page_lines(pdf: bytes, labels: dict[str, str]) -> PageText:
    """The text lines of every page, spaces collapsed, without footers nor initials box."""
    import pypdf

    footer, initials = _footer(labels), labels.get("paraphes")
    lines, ids, anchored = [], [], False
    try:
        pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
        texts = [page.extract_text() or "" for page in pages]
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise SignedCopyError(f"texte illisible dans le PDF signé ({exc})") from None
    for text in texts:
        for raw in text.split("\n"):
            anchored = anchored or ANCHOR.search(raw) is not None
            line = SPACES.sub(" ", ANCHOR.sub("", ordinary_spaces(raw))).strip()
            if m := footer.match(line):
                ids.append(m[1])
            elif line and line != initials:
                lines.append(line)
    return PageText(lines, ids, anchored)


def _heading_word(doc: Document) -> str:
    first = next((a for p in doc.parts for a in p.articles), None)
    return ordinary_spaces(first.heading).split(" ")[0] if first else "Article"


def text_blocks(lines: list[str], doc: Document) -> list[Block]:
    """Lines cut at each article heading (`Article N – Titre`), as blocks of `textdiff`:
    one sentence a line, so that a diff shows the sentence that changed."""
    heading = re.compile(rf"^{re.escape(_heading_word(doc))} (\d+) [–-] (.+)$")
    out: list[tuple[str, str, int | None, list[str]]] = [("debut", DEBUT, None, [])]
    for line in lines:
        if m := heading.match(line):
            out.append((m[2], line, int(m[1]), []))
        else:
            out[-1][3].append(line)
    return [Block(f"art:{label}" if number else label, label, title, number,
                  "\n".join(SENTENCE_END.split(_joined(body))))
            for label, title, number, body in out]


def _joined(lines: list[str]) -> str:
    """Lines of a paragraph as one text: a line ending with a hyphen is glued to the next
    (« adaptation-\noffre » is one word)."""
    text = ""
    for line in lines:
        glue = "" if not text or (text.endswith("-") and not text.endswith(" -")) else " "
        text += glue + line
    return SPACES.sub(" ", text).strip()


def _flat(blocks: list[Block]) -> str:
    return " ".join(SPACES.sub(" ", f"{b.title} {b.text}") for b in blocks)


def identical(signed: bytes, copy: bytes, verification: Verification) -> bool:
    """The signed file begins with `copy` and its first signature signs exactly that."""
    return signed.startswith(copy) and verification.first_signed == revisions(copy)


def prove(signed: bytes, copies: Sequence[Callable[[], bytes]], verification: Verification,
          doc: Document, conv_id: str, name: str) -> str:
    """IDENTICAL or SAME_TEXT, else a SignedCopyError (TextMismatch with the diff).
    `copies`: the catalogue's copies the signed file may begin with (made on demand: the
    plain copy, then, when the signed text has anchors, the copy with anchors); the text is
    compared with the first."""
    copy = copies[0]()
    if identical(signed, copy, verification):
        return IDENTICAL
    theirs = page_lines(signed, doc.labels)
    if theirs.anchored and any(identical(signed, more(), verification) for more in copies[1:]):
        return IDENTICAL
    others = sorted({i for i in theirs.footer_ids if not conv_id.startswith(i.rstrip("…"))})
    if others:
        raise SignedCopyError(f"{name} : ce PDF est l’exemplaire de « {others[0]} », pas de "
                              f"« {conv_id} » : vérifiez le fichier et l’identifiant")
    ours = page_lines(copy, doc.labels)
    before, after = text_blocks(ours.lines, doc), text_blocks(theirs.lines, doc)
    if _flat(before) == _flat(after):
        return SAME_TEXT
    report, titles = diff_blocks(before, after, "texte du catalogue", "PDF signé")
    which = ", ".join(f"« {t} »" for t in titles)
    raise TextMismatch(
        f"{name} : le PDF signé n’est pas le texte actuel de « {conv_id} » (diffère : "
        f"{which or 'la mise en page'}) ; s’il s’agit d’une version plus "
        "ancienne, faites signer l’exemplaire actuel (make pdf ID=…) ou rétablissez le texte "
        "signé", report)
