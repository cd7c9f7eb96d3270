"""Which header value produced which words of the agreement, found by rendering: the
convention is expanded again with one front-matter value swapped for a unique marker,
and the paragraph that changes shows where that value is printed (a general rule: no
list of fields, no knowledge of the templates).

A changed paragraph is explained by a header value when the words around the value are
those around the marker, and the words the partner put in their place, read back as a
value of the same type (a number, a date, a text), give the returned paragraph when the
convention is expanded once more.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..convention import Convention
from ..expand import expand
from ..frdates import MONTHS, format_date
from .paragraphs import Fragment, fragments, normal, plain

SKIPPED = ("id", "modele", "type", "statut")  # what the convention is, not a value it prints
MARK_TEXT = "Zqxmarque{}qxz"
MARK_NUMBER = 987
MARK_DATE = date(1903, 7, 29)
_DATE = re.compile(r"(\d{1,2})(?:er)? (" + "|".join(MONTHS) + r") (\d{4})", re.IGNORECASE)

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Explanation:
    path: Path  # the front-matter field
    old: Any
    new: Any


def leaves(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every scalar value of the front-matter that the text may print (no booleans)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not (path == () and key in SKIPPED):
                yield from leaves(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from leaves(value, (*path, i))
    elif isinstance(data, (str, int, date)) and not isinstance(data, bool):
        yield path, data


def with_value(conv: Convention, path: Path, value: Any) -> Convention:
    data = copy.deepcopy(conv.data)
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return replace(conv, data=data)


def marker(value: Any, n: int) -> tuple[Any, str]:
    """A value of the same type as `value` and the words it prints as."""
    if isinstance(value, date):
        return MARK_DATE, f"{MARK_DATE.day} {MONTHS[MARK_DATE.month - 1]} {MARK_DATE.year}"
    if isinstance(value, int):
        return MARK_NUMBER, str(MARK_NUMBER)
    text = MARK_TEXT.format(n)
    return text, text


def printed(value: Any, text: str) -> bool:
    """Can `value` be printed in `text` (casefolded)? A cheap filter before rendering: a
    value whose usual forms are absent from every changed paragraph explains none."""
    if isinstance(value, date):
        return normal(format_date(value)).casefold() in text
    if isinstance(value, int):
        return re.search(rf"(?<!\d){value}(?!\d)", text) is not None
    return normal(str(value)).casefold() in text


def _fragments(conv: Convention) -> list[Fragment] | None:
    try:
        return fragments(expand(conv))
    except Exception:  # a marker the templates cannot take (a choice, a computed date)
        return None


def read_back(words: str, old: Any) -> list[Any]:
    """Values of the type of `old` that may print as `words` (the best guess first)."""
    if isinstance(old, date):
        m = _DATE.fullmatch(words.strip())
        if not m:
            return []
        try:
            return [date(int(m[3]), MONTHS.index(m[2].lower()) + 1, int(m[1]))]
        except ValueError:
            return []
    if isinstance(old, int):
        digits = words.replace(" ", "")
        return [int(digits)] if digits.isdigit() else []
    text = words.strip()
    if not text:
        return []
    found = [text, text[0].lower() + text[1:], text.replace("’", "'")]
    return list(dict.fromkeys(found))


def _pattern(variant: str, mark: str) -> re.Pattern[str] | None:
    pieces = re.split(re.escape(mark), variant, flags=re.IGNORECASE)
    if len(pieces) < 2:
        return None
    return re.compile("(.+?)".join(map(re.escape, pieces)), re.DOTALL)


def _same(groups: tuple[str, ...]) -> str | None:
    return groups[0] if groups and all(g == groups[0] for g in groups) else None


@dataclass
class Target:
    """A changed paragraph: its fragment, its index in it, the text as sent and returned."""

    fragment: int
    index: int
    old: str
    new: str


class HeaderValues:
    """Explains changed paragraphs by header values, for one convention."""

    def __init__(self, conv: Convention, original: list[Fragment]) -> None:
        self.conv = conv
        self.original = original

    def explain(self, targets: list[Target]) -> dict[int, Explanation]:
        """{position in `targets`: explanation} for the targets a header value explains."""
        wanted = {t.fragment for t in targets}
        trials: list[tuple[Path, Any, str, int]] = []  # (field, old value, marker words, fragment)
        sources: list[str] = []
        said = " ".join(t.old for t in targets).casefold()
        for n, (path, value) in enumerate(leaves(self.conv.data)):
            if not printed(value, said):
                continue
            mark_value, words = marker(value, n)
            variant = _fragments(with_value(self.conv, path, mark_value))
            if variant is None or len(variant) != len(self.original):
                continue
            for f in wanted:
                if variant[f].markdown != self.original[f].markdown:
                    trials.append((path, value, words, f))
                    sources.append(variant[f].markdown)
        rendered = plain(sources)
        guesses: list[tuple[int, Path, Any, Any]] = []
        for (path, value, words, f), paragraphs in zip(trials, rendered, strict=True):
            for k, t in enumerate(targets):
                if t.fragment != f or t.index >= len(paragraphs):
                    continue
                pattern = _pattern(normal(paragraphs[t.index]), normal(words))
                if pattern is None:
                    continue
                before, after = pattern.fullmatch(t.old), pattern.fullmatch(t.new)
                if not before or not after:
                    continue
                was, now = _same(before.groups()), _same(after.groups())
                if was is None or now is None or was == now:
                    continue
                guesses += [(k, path, value, v) for v in read_back(now, value) if v != value]
        return self._verified(targets, guesses)

    def _verified(self, targets: list[Target], guesses: list[tuple[int, Path, Any, Any]]
                  ) -> dict[int, Explanation]:
        """The guesses whose expansion gives the returned paragraph, the first per target."""
        checks: list[tuple[int, Path, Any, Any]] = []
        sources: list[str] = []
        for k, path, old, new in guesses:
            variant = _fragments(with_value(self.conv, path, new))
            if variant is not None and len(variant) == len(self.original):
                checks.append((k, path, old, new))
                sources.append(variant[targets[k].fragment].markdown)
        out: dict[int, Explanation] = {}
        for (k, path, old, new), paragraphs in zip(checks, plain(sources), strict=True):
            t = targets[k]
            if k not in out and t.index < len(paragraphs) and \
                    normal(paragraphs[t.index]) == t.new:
                out[k] = Explanation(path, old, new)
        return out

    def also_changed(self, explanation: Explanation) -> list[int]:
        """Fragments (indices) the new value changes."""
        variant = _fragments(with_value(self.conv, explanation.path, explanation.new)) or []
        return [i for i, (a, b) in enumerate(zip(self.original, variant, strict=False))
                if a.markdown != b.markdown]
