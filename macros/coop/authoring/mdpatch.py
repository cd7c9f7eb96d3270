"""Carry a partner's edits of plain paragraphs back into the Markdown they came from,
changing only the lines concerned.

A paragraph of the DOCX is the typeset text of a Markdown paragraph or list item of the
source. The edit is found word by word between the text as sent and as returned, each
changed span located in the Markdown through a character alignment (the typography only
adds no-break spaces and curly apostrophes), and replaced there; the rest of the line,
its wrapping and its markup stay. Inserted words are escaped: a partner's text stays text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..markdown import md_escape
from . import AuthoringError
from .paragraphs import normal

_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
SIMILAR = 0.8  # how close the Markdown's text must be to the paragraph as sent
Plain = Callable[[list[str]], list[list[str]]]


class Unplaceable(AuthoringError):
    """An edit that cannot be carried into the Markdown without guessing (French)."""


@dataclass(frozen=True)
class ParEdit:
    old: str | None  # the paragraph as sent (normal text); None: a paragraph added
    new: str | None  # as returned; None: the paragraph removed
    after: str | None = None  # added paragraph: the paragraph it follows ("": at the start)


@dataclass(frozen=True)
class Unit:
    start: int  # first line (index in the region)
    end: int  # one past the last line
    text: str  # its plain text (normal)


def spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first line, line after the last) of each paragraph and list item of a region."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, line in enumerate([*lines, ""]):
        if not line.strip() or _ITEM.match(line):
            if start is not None:
                spans.append((start, i))
            start = i if line.strip() else None
        elif start is None:
            start = i
    return spans


def unit_sources(lines: list[str]) -> list[str]:
    return ["\n".join(lines[a:b]) for a, b in spans(lines)]


def units(lines: list[str], plain: Plain) -> list[Unit]:
    """Paragraphs and list items of a Markdown region, with their plain text."""
    found = spans(lines)
    texts = plain(["\n".join(lines[a:b]) for a, b in found])
    return [Unit(a, b, normal(" ".join(t))) for (a, b), t in zip(found, texts, strict=True)]


def _comparable(text: str) -> str:
    """Same length as `text`: line breaks as spaces, straight apostrophes as curly ones."""
    return text.replace("\n", " ").replace("'", "’").replace("\u00a0", " ").replace(
        "\u202f", " ")


def find(found: list[Unit], text: str) -> Unit:
    best = max(found, key=lambda u: difflib.SequenceMatcher(None, u.text, text).ratio(),
               default=None)
    if best is None or difflib.SequenceMatcher(None, best.text, text).ratio() < SIMILAR:
        raise Unplaceable(f"paragraphe introuvable dans la source : « {_short(text)} »")
    return best


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _spans(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """Changed spans (old start, old end, new start, new end), word by word."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pa = [0]
    for t in a:
        pa.append(pa[-1] + len(t))
    pb = [0]
    for t in b:
        pb.append(pb[-1] + len(t))
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(pa[i1], pa[i2], pb[j1], pb[j2]) for tag, i1, i2, j1, j2 in ops if tag != "equal"]


def _locate(source: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets in `source` (Markdown) of `text[start:end]` (its typeset plain text)."""
    blocks = difflib.SequenceMatcher(None, _comparable(source), text,
                                     autojunk=False).get_matching_blocks()

    def at(x: int, closing: bool) -> int:
        for i, j, size in blocks:
            if (j < x <= j + size) if closing else (j <= x < j + size):
                return i + x - j
        raise Unplaceable("le changement touche une mise en forme ou un renvoi calculé : "
                          "reportez-le à la main")

    if start == end:  # an insertion: after the character before, or before the next one
        return (at(start, True),) * 2 if start else (at(0, False),) * 2
    s, e = at(start, False), at(end, True)
    if normal(_comparable(source[s:e])) != normal(_comparable(text[start:end])):
        raise Unplaceable("le changement touche une mise en forme ou un renvoi calculé : "
                          "reportez-le à la main")
    return s, e


def plain_words(text: str) -> str:
    """Returned words as Markdown source: ordinary spaces (the typography puts the no-break
    ones back) and escaped markup."""
    spaced = text.replace("\u00a0", " ").replace("\u202f", " ")
    lead = len(spaced) - len(spaced.lstrip(" "))
    trail = len(spaced) - len(spaced.rstrip(" "))
    core = md_escape(spaced.strip(" ")) if spaced.strip(" ") else ""
    return " " * lead + core + " " * trail


def edit_unit(source: str, old: str, new: str) -> str:
    """`source` (a paragraph's Markdown) with the words changed between `old` and `new`."""
    text = _comparable(old)
    out = source
    for oa, ob, na, nb in reversed(_spans(old, new)):
        s, e = _locate(source, text, oa, ob)
        out = out[:s] + plain_words(new[na:nb]) + out[e:]
    return out


def patch(lines: list[str], edits: list[ParEdit], plain: Plain) -> list[str]:
    """`lines` with every edit applied (Unplaceable when one cannot be placed)."""
    found = units(lines, plain)
    changes: list[tuple[int, int, list[str]]] = []  # (start, end, new lines), region indices
    for edit in edits:
        if edit.old is None:
            text = plain_words(edit.new or "")
            if not edit.after:
                at = found[0].start if found else 0
                changes.append((at, at, [text, ""]))
            else:
                unit = find(found, edit.after)
                changes.append((unit.end, unit.end, ["", text]))
            continue
        unit = find(found, edit.old)
        if edit.new is None:
            end = unit.end + 1 if unit.end < len(lines) and not lines[unit.end].strip() \
                else unit.end
            changes.append((unit.start, end, []))
            continue
        source = "\n".join(lines[unit.start:unit.end])
        changes.append((unit.start, unit.end, edit_unit(source, edit.old, edit.new).split("\n")))
    out = list(lines)
    for start, end, new in sorted(changes, key=lambda c: (c[0], c[1]), reverse=True):
        out[start:end] = new
    return out
