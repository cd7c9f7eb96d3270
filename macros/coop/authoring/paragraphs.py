"""The paragraphs of a Document as a word processor shows them, each with its place in the
tree: the way back from a DOCX paragraph to the article, the préambule or the header
value it came from.

The fragments below are the blocks `coop.render.markdown.render_markdown` joins (same
order, same Markdown); one pandoc run turns any number of fragments into plain
paragraphs (one per paragraph, heading, list item or table cell), as in the DOCX.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass

import pypandoc

from ..document import Document
from ..export.pandoc import READER
from ..markdown import md_inline
from . import AuthoringError

SEPARATOR = "ZQXCOOPSEPARATEUR{}ZQX"
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009]+")


@dataclass(frozen=True)
class Place:
    zone: str  # titre | parties | mention | preambule | partie | titre-article | note |
    #            article | annexe | cloture | signatures
    key: str = ""  # article or part key
    block: int = 0  # index of the block in its zone (article: 0 text, 1… précisions)


@dataclass(frozen=True)
class Fragment:
    place: Place
    markdown: str


def _heading(level: int, text: str, slug: str, classes: str = "") -> str:
    attrs = f"#{slug}" + (f" .{classes}" if classes else "")
    return f"{'#' * level} {md_inline(text)} {{{attrs}}}"


def fragments(doc: Document) -> list[Fragment]:
    """The blocks of `render_markdown(doc)`, in order, with their place."""
    out = [Fragment(Place("titre"), f"# {md_inline(doc.title)}")]
    out += [Fragment(Place("parties", block=i), md) for i, md in enumerate(doc.parties)]
    out += [Fragment(Place("mention", block=i), f"*{md}*") for i, md in enumerate(doc.mentions)]
    out.append(Fragment(Place("preambule", block=-1),
                        _heading(2, doc.preamble.heading, doc.preamble.slug)))
    out += [Fragment(Place("preambule", block=i), md)
            for i, md in enumerate(doc.preamble.blocks)]
    for part in doc.parts:
        out.append(Fragment(Place("partie", part.key), _heading(2, part.heading, part.slug)))
        for art in part.articles:
            out.append(Fragment(Place("titre-article", art.key),
                                _heading(3, art.heading, art.slug)))
            out += [Fragment(Place("note", art.key), f"*{note}*")
                    for note in (art.note, art.mention) if note]
            out += [Fragment(Place("article", art.key, i), md) for i, md in enumerate(art.blocks)]
    if doc.annex:
        out.append(Fragment(Place("annexe", block=-1),
                            _heading(2, doc.annex.heading, doc.annex.slug)))
        out += [Fragment(Place("annexe", block=i), md) for i, md in enumerate(doc.annex.blocks)]
    sig = doc.signatures
    out.append(Fragment(Place("cloture"), doc.closing))
    out.append(Fragment(Place("signatures", block=-1),
                        _heading(2, sig.heading, sig.slug, "signatures")))
    out += [Fragment(Place("signatures", block=i), md) for i, md in enumerate(sig.blocks)]
    return out


def normal(text: str) -> str:
    """Text compared across DOCX and Markdown: every run of spaces (no-break ones too) as
    one space, soft hyphens dropped."""
    return _SPACES.sub(" ", text.replace("\u00ad", "")).strip()


def _inlines(items: list[dict]) -> str:
    out = []
    for item in items:
        kind, content = item["t"], item.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n")
        elif kind in ("Code", "Math", "RawInline"):
            out.append(content[1])
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript",
                      "Subscript"):
            out.append(_inlines(content))
        elif kind in ("Link", "Image", "Span", "Cite"):
            out.append(_inlines(content[1]))  # [attr or citations, inlines, …]
        elif kind == "Quoted":
            out.append(_inlines(content[1]))
    return "".join(out)


def _blocks(items: list[dict]) -> list[str]:
    out: list[str] = []
    for item in items:
        kind, content = item["t"], item.get("c")
        if kind in ("Para", "Plain"):
            out.append(_inlines(content))
        elif kind == "Header":
            out.append(_inlines(content[2]))
        elif kind == "LineBlock":
            out.append("\n".join(_inlines(line) for line in content))
        elif kind in ("BulletList",):
            out += [p for entry in content for p in _blocks(entry)]
        elif kind == "OrderedList":
            out += [p for entry in content[1] for p in _blocks(entry)]
        elif kind == "DefinitionList":
            for term, defs in content:
                out.append(_inlines(term))
                out += [p for d in defs for p in _blocks(d)]
        elif kind in ("BlockQuote",):
            out += _blocks(content)
        elif kind == "Div":
            out += _blocks(content[1])
        elif kind == "CodeBlock":
            out.append(content[1])
        elif kind == "Table":
            out += _table(content)
    return out


def _table(content: list) -> list[str]:
    _attr, _caption, _specs, head, bodies, foot = content
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    return [p for row in rows for cell in row[1] for p in _blocks(cell[4])]


_SEEN: dict[str, list[str]] = {}  # fragment -> paragraphs, for the life of the process
_SEEN_MAX = 20_000


def plain(markdowns: list[str]) -> list[list[str]]:
    """The paragraphs of each Markdown fragment, as a word processor shows their text
    (one pandoc run for all those not converted yet)."""
    missing = list(dict.fromkeys(md for md in markdowns if md not in _SEEN))
    if missing:
        if len(_SEEN) > _SEEN_MAX:
            _SEEN.clear()
        _SEEN.update(zip(missing, _convert(missing), strict=True))
    return [list(_SEEN[md]) for md in markdowns]


def _convert(markdowns: list[str]) -> list[list[str]]:
    joined = "\n\n".join(f"{md}\n\n{SEPARATOR.format(i)}" for i, md in enumerate(markdowns))
    try:
        done = subprocess.run([pypandoc.get_pandoc_path(), "-f", READER, "-t", "json"],
                              input=joined, capture_output=True, text=True, timeout=120,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AuthoringError(f"pandoc n’a pas pu lire le texte de la convention : {exc}") \
            from None
    if done.returncode != 0:
        raise AuthoringError(f"pandoc : {done.stderr.strip()[-500:]}")
    paragraphs = _blocks(json.loads(done.stdout)["blocks"])
    out: list[list[str]] = [[] for _ in markdowns]
    i = 0
    for text in paragraphs:
        if text == SEPARATOR.format(i):
            i += 1
        elif i < len(out):
            out[i].append(text)
    return out
