"""French typography for Markdown and plain text (spaces around punctuation, units, dates).

Only the horizontal spaces *between* two characters of a line (a "gap", possibly empty) are
ever changed: a gap is kept, replaced by a no-break space, or (before `,` and `.`) removed.
Decisions depend on the characters around the gap only, so the result is idempotent. Markdown
constructs whose text must stay byte-identical (code, URLs, HTML, attribute blocks...) are
protected: no gap inside them is touched. Everything runs in linear time.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from coop.frdates import MONTHS

nbsp = "\u00a0"  # no-break space: before `:`, number-unit, day-month...
nnbsp = "\u202f"  # narrow no-break space: before `;` `!` `?`, inside « guillemets »
NBSP, NNBSP = nbsp, nnbsp

_SPACES = " \t\u00a0\u202f\u2009"
# A gap: a run of horizontal spaces, or an empty gap where a space may be inserted.
_GAP = re.compile(r"[ \t\u00a0\u202f\u2009]+|(?<=\S)(?=[;:!?»%€])|(?<=[«°])(?=\S)")
_RUN = re.compile(r"[;:!?]+")
_DOTS = re.compile(r"[.,]+")
# Characters after which `;:!?` get a space inserted when directly attached.
_CLOSERS = frozenset(")]»\"’*_`%€°>")
# Characters that may follow an attached `:` for a space to be inserted ("Note:" but not 14:30).
_AFTER_COLON = frozenset(")]»\"’*_")
_UNIT = re.compile(
    r"(?:mois|semaines?|jours?|ans?|années?|heures?|h|%|€|exemplaires?|élèves?|apprenants?"
    r"|km|kg|m|places?|euros?)(?!\w)")
_MONTH = re.compile(r"(?:%s)(?!\w)" % "|".join(MONTHS), re.IGNORECASE)  # noqa: UP031
_YEAR = re.compile(r"\d{4}(?!\w)")
_ARTICLE = frozenset({"article", "Article", "articles", "Articles", "ARTICLE", "ARTICLES"})
_CIVIL = frozenset({"Mme", "Mmes", "Mlle", "Mlles", "Madame", "Monsieur", "Mesdames",
                    "Messieurs"})
_MONTHS = frozenset(MONTHS)

# Markdown: block level.
_FENCE = re.compile(r"`{3,}|~{3,}")
_REFDEF = re.compile(r" {0,3}(\*?\[[^\]\n]+\]):")  # link, footnote or abbreviation definition
_PREFIX = re.compile(  # indentation, block quote, list and heading markers
    r"[ \t]*(?:>[ \t]*|(?:[-*+]|\d{1,9}[.)]|\#{1,6})(?:[ \t]+|(?=[\r\n])|\Z))*")
_CAPTION = re.compile(r"[ \t]*Table:")  # pandoc table caption
# Markdown: inline constructs left untouched.
_URL = r"(?:https?://|mailto:|www\.)[^\s<>()«»\"]*(?:\([^\s<>()«»\"]*\)[^\s<>()«»\"]*)*"
_INLINE = re.compile(rf"""
    \\[!-/:-@\[-`{{-~]                                    # backslash escape
  | (?P<ticks>`+)                                         # code span
  | (?P<comment><!--)
  | <(?:[A-Za-z][A-Za-z0-9+.\-]{{1,31}}:[^\s<>]*          # autolink
      |/?[A-Za-z][A-Za-z0-9\-]*(?:[ \t\n/][^<>]*)?        # HTML tag
      |[!?][^<>]*)>
  | &(?:\#[0-9]{{1,7}}|\#[xX][0-9a-fA-F]{{1,6}}|[A-Za-z][A-Za-z0-9]{{1,31}});   # entity
  | \]\((?:<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)   # link target and title
      (?:[ \t\n]+(?:"[^"\n]{{0,1000}}"|'[^'\n]{{0,1000}}'|\([^()\n]{{0,1000}}\)))?[ \t\n]*\)
  | \]\[[^\[\]\n]*\]                                      # reference label
  | \{{(?=[\#.:]|[^{{}}\n]*=)[^{{}}\n]*\}}                # attribute block
  | (?P<url>{_URL})
""", re.VERBOSE)
_BARE_URL = re.compile(_URL)
_URL_TRAILING = ".,:;!?'*_"
_TICKS = re.compile(r"`+")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _left_ok(ch: str) -> bool:
    return _is_word(ch) or ch in _CLOSERS


def _word_before(text: str, end: int) -> str:
    """The word (at most 12 characters) ending at `end`, or ""."""
    start, limit = end, max(0, end - 13)
    while start > limit and _is_word(text[start - 1]):
        start -= 1
    return "" if start == limit and start > 0 and _is_word(text[start - 1]) else text[start:end]


def _is_day(word: str) -> bool:
    return word == "1er" or (word.isascii() and word.isdigit() and len(word) <= 2
                             and 1 <= int(word) <= 31)


def _decide(text: str, s: int, e: int, left_protected: bool) -> str | None:
    """What the gap text[s:e] becomes, or None to keep it."""
    if s == 0 or e >= len(text):
        return None
    a, b = text[s - 1], text[e]
    if a in "\r\n|" or b in "\r\n|" or a in _SPACES:
        return None
    gap = s < e
    if b in ";:!?":
        if not gap and not _left_ok(a):
            return None
        end = _RUN.match(text, e).end()  # type: ignore[union-attr]
        run, c = text[e:end], text[end:end + 1]
        if run[-1] == "!" and c == "[":  # image: `![alt](...)`
            run, c = run[:-1], "!"
            if not run:
                return None
        space = nbsp if b == ":" else nnbsp
        if gap:
            return space
        if b == ":":
            return space if not c or c.isspace() or c in _AFTER_COLON else None
        return None if _is_word(c) else space
    if a == "«" or b == "»":
        return nnbsp
    if b in ".,":
        end = _DOTS.match(text, e).end()  # type: ignore[union-attr]
        if left_protected or (a.isdigit() and b == "."):  # no joining to a URL; no "1." list
            return None
        return "" if gap and _left_ok(a) and not _is_word(text[end:end + 1] or " ") else None
    if a.isdigit() and (b in "%€" or (gap and _UNIT.match(text, e))):
        return nbsp
    if (a == "°" and s >= 2 and text[s - 2] in "nN" and (s == 2 or not _is_word(text[s - 3]))
            and _is_word(b)):
        return nbsp
    if not gap:
        return None
    if a == ".":  # "M. Dupont" (also "M . Dupont", whose first gap gets removed)
        k = s - 1
        while k > 0 and text[k - 1] in _SPACES:
            k -= 1
        return nbsp if b.isupper() and _word_before(text, k) in ("M", "MM") else None
    if not _is_word(a):
        return None
    if b.islower() and not a.isdigit() and a != "r":
        return None  # the rules below need a digit, a capital or a day (« 1er », « 12 ») before
    word = _word_before(text, s)
    if ((b.isdigit() and word in _ARTICLE)
            or (b.isupper() and word in _CIVIL)
            or (word.lower() in _MONTHS and _YEAR.match(text, e))
            or (_is_day(word) and _MONTH.match(text, e))):
        return nbsp
    return None


def _apply(text: str, spans: list[tuple[int, int]], prefix_ends: set[int]) -> str:
    """Apply the rules to every gap outside the (sorted, disjoint) protected spans."""
    out: list[str] = []
    last = 0
    bounds = [0]
    for start, end in spans:
        bounds += [start, end]
    bounds.append(len(text))
    for i in range(0, len(bounds), 2):
        ts, te = bounds[i], bounds[i + 1]
        if ts >= te:
            continue
        for m in _GAP.finditer(text, ts, min(te + 1, len(text))):
            s, e = m.span()
            if e > te or s in prefix_ends:
                continue
            rep = _decide(text, s, e, s == ts > 0)
            if rep is not None and rep != text[s:e]:
                out += [text[last:s], rep]
                last = e
    out.append(text[last:])
    return "".join(out)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif start < end:
            merged.append((start, end))
    return merged


def _url_span(text: str, m: re.Match[str]) -> tuple[int, int]:
    end = m.end()
    while end > m.start() + 4 and text[end - 1] in _URL_TRAILING:
        end -= 1
    return m.start(), end


def _inline_spans(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Protected inline constructs of the paragraph text[start:end]."""
    runs: dict[int, list[int]] = {}
    for m in _TICKS.finditer(text, start, end):
        runs.setdefault(m.end() - m.start(), []).append(m.start())
    pos = start
    while (m := _INLINE.search(text, pos, end)) is not None:
        if m.group("ticks"):
            n = m.end() - m.start()
            starts = runs.get(n, [])
            i = bisect.bisect_left(starts, m.end())
            close = starts[i] + n if i < len(starts) else m.end()
            spans.append((m.start(), close))
            pos = close
        elif m.group("comment"):
            close = text.find("-->", m.end(), end)
            pos = end if close < 0 else close + 3
            spans.append((m.start(), pos))
        elif m.group("url"):
            span = _url_span(text, m)
            spans.append(span)
            pos = max(span[1], m.start() + 1)
        else:
            spans.append(m.span())
            pos = m.end()


def _markdown_spans(md: str) -> tuple[list[tuple[int, int]], set[int]]:
    spans: list[tuple[int, int]] = []
    prefix_ends: set[int] = set()
    fence = ""
    block = -1  # start of the current paragraph, -1 if none
    pos = 0
    for line in md.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        stripped = line.strip(" \t\r\n")
        if fence:
            spans.append((start, pos))
            if stripped.startswith(fence) and stripped == stripped[0] * len(stripped):
                fence = ""
            continue
        fence_match = _FENCE.match(stripped)
        if fence_match and "`" in stripped[fence_match.end():]:
            fence_match = None  # "```a```" is a code span, not a fence
        refdef = _REFDEF.match(line)
        delimiter_row = "-" in stripped and not stripped.strip("|:- \t")
        if fence_match or not stripped or delimiter_row or (refdef and refdef[1][0] == "["
                                                            and refdef[1][1] != "^"):
            if block >= 0:
                _inline_spans(md, block, start, spans)
                block = -1
            if fence_match:
                fence = fence_match[0]
            if stripped:
                spans.append((start, pos))
            continue
        if block < 0:
            block = start
        if refdef:  # footnote or abbreviation definition: only its label
            spans.append((start, start + refdef.end()))
        elif (caption := _CAPTION.match(line)) is not None:
            spans.append((start, start + caption.end()))
        else:
            prefix = _PREFIX.match(line).end()  # type: ignore[union-attr]
            if prefix:
                spans.append((start, start + prefix))
                prefix_ends.add(start + prefix)
    if block >= 0:
        _inline_spans(md, block, len(md), spans)
    return _merge(spans), prefix_ends


def typographie(markdown: str) -> str:
    """French typography for a Markdown document (see the module docstring).

    Blocks separated by a blank line are independent (no rule crosses a blank line), so
    each is typeset once and remembered: the model's boilerplate repeats in every
    convention. Documents with constructs that can span blank lines (code fences, HTML
    comments) are typeset whole."""
    if "```" in markdown or "~~~" in markdown or "<!--" in markdown:
        return _document(markdown)
    return "\n\n".join(_block(b) for b in markdown.split("\n\n"))


@lru_cache(maxsize=8192)
def _block(markdown: str) -> str:
    return _document(markdown)


def _document(markdown: str) -> str:
    spans, prefix_ends = _markdown_spans(markdown)
    return _apply(markdown, spans, prefix_ends)


def plain(text: str) -> str:
    """French typography for plain text (no Markdown); bare URLs are still left untouched."""
    spans = [_url_span(text, m) for m in _BARE_URL.finditer(text)]
    return _apply(text, _merge(spans), set())


def decimal(value: float, digits: int = 1) -> str:
    """« 1,4 »: a number written with a decimal comma."""
    return f"{value:.{digits}f}".replace(".", ",")


def ordinary_spaces(text: str) -> str:
    """Terminal text: ordinary spaces instead of no-break ones (columns stay aligned)."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")
