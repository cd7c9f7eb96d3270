"""What changed in the agreement text, article by article: the legal effect of a change,
not a diff of YAML. Works on two Document trees (`coop.expand.expand`) of one convention."""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from ..document import Document
from ..markdown import md_inline
from ..typography import ordinary_spaces

DEBUT = "Titre et parties"  # label of the first block in the report

WRAP = 88


@dataclass(frozen=True)
class Block:
    key: str  # anchor: art-duree, preambule, signatures… ("debut" for title and parties)
    label: str  # heading without its number, for articles (a rename is a change)
    title: str  # heading as printed
    number: int | None  # article number, None for other blocks
    text: str  # the block's text, without its heading


def _wrap(text: str) -> str:
    """Long paragraphs cut at WRAP columns so that a diff shows the sentence that changed."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= WRAP or line.lstrip().startswith(("|", "#", "```")):
            out.append(line)
            continue
        m = re.match(r"^(\s*(?:[-*+]|\d+\.)\s+|\s*)", line)
        lead = m.group(1) if m else ""
        out.extend(textwrap.wrap(line, width=WRAP, subsequent_indent=" " * len(lead),
                                 break_long_words=False, break_on_hyphens=False))
    return "\n".join(out)


def _titled(key: str, heading: str, text: str) -> Block:
    """A block that is not an article: its heading is its label (ordinary spaces: the
    report is terminal text)."""
    label = ordinary_spaces(heading)
    return Block(key, label, label, None, text)


def _join(parts: Iterable[str]) -> str:
    return _wrap("\n\n".join(parts))


def blocks(doc: Document) -> list[Block]:
    """The agreement cut at its headings (title and parties, preamble, parts, articles,
    signatures), from its tree; the closing « Fait à … » goes with the signatures."""
    head = f"# {md_inline(doc.title)}"
    out = [Block("debut", DEBUT, DEBUT, None, _join([head, *doc.parties, *doc.mentions])),
           _titled(doc.preamble.slug, doc.preamble.heading, _join(doc.preamble.blocks))]
    for part in doc.parts:
        out.append(_titled(part.slug, part.heading, ""))
        out += [Block(a.slug, ordinary_spaces(a.title), ordinary_spaces(a.heading), a.number,
                      _join(a.blocks))
                for a in part.articles]
    if doc.annex:
        out.append(_titled(doc.annex.slug, doc.annex.heading, _join(doc.annex.blocks)))
    sig = doc.signatures
    out.append(_titled(sig.slug, sig.heading, _join([doc.closing, *sig.blocks])))
    return out


def diff_documents(old: Document | None, new: Document | None, old_name: str,
                    new_name: str) -> tuple[str, int]:
    """(report, number of blocks changed). None stands for « no such version »."""
    report, titles = diff_blocks(blocks(old) if old else [], blocks(new) if new else [],
                                 old_name, new_name)
    return report, len(titles)


def diff_blocks(old: list[Block], new: list[Block], old_name: str,
                new_name: str) -> tuple[str, list[str]]:
    """(report, titles of the blocks changed), blocks matched by key (the signed-copy
    check cuts a PDF's text in blocks too)."""
    before = {b.key: b for b in old}
    after = {b.key: b for b in new}
    order = list(after) + [k for k in before if k not in after]
    out: list[str] = []
    changed: list[str] = []
    renumbered: list[str] = []
    for key in order:
        a, b = before.get(key), after.get(key)
        if a and b and a.number and b.number and a.number != b.number:
            renumbered.append(f"l’article {a.number} « {b.label} » devient l’article "
                              f"{b.number}")
        if a and b and (a.text, a.label) == (b.text, b.label):
            continue
        changed.append((b or a).title)  # type: ignore[union-attr]
        if a is None and b is not None:
            out.append(f"## {b.title} — ajouté")
            out.append("\n".join("+" + line for line in b.text.split("\n")))
        elif b is None and a is not None:
            out.append(f"## {a.title} — supprimé")
            out.append("\n".join("-" + line for line in a.text.split("\n")))
        elif a is not None and b is not None:
            heading = f"## {b.title} — modifié"
            if a.label != b.label:
                heading += f" (titre : « {a.label} » → « {b.label} »)"
            out.append(heading)
            lines = difflib.unified_diff(
                f"{a.text}\n".splitlines(keepends=True), f"{b.text}\n".splitlines(keepends=True),
                fromfile=old_name, tofile=new_name, n=2)
            out.append("".join(lines).rstrip("\n"))
    if renumbered:
        out.append("## Numérotation\n" + "\n".join(f"- {r}" for r in renumbered))
    return "\n\n".join(out), changed
