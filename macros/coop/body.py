"""The convention body: Markdown sections that fill the model's open slots.

Grammar: level-2 headings delimit sections.
  ## Préambule : opportunité | stratégie | signataires   (all three required)
  ## Précisions : <article>                  text appended to a standard article
  ## Article ajouté après <article> : <Titre> a new article inserted after <article>
  ## Article remplacé : <article>            the standard text replaced (explicit departure)
  ## Article supprimé : <article>            removed; the section states the reason
<article> is an article key (``duree``) or its title. Inside a section, headings start at
level 3 (they are shifted one level down in the agreement). ``[[article:duree]]`` in a
section is replaced by the number of that article (« article 9 »).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import islice

PREAMBLE_SLOTS = {"opportunite": "opportunité", "strategie": "stratégie",
                  "signataires": "signataires"}

_FENCE_RE = re.compile(r"^(```+|~~~+)")
_H2_RE = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
_HEADING_RE = re.compile(r"^(#{1,6})(\s)", re.MULTILINE)
REF_RE = re.compile(r"\[\[article:([a-z0-9-]+)\]\]")

_PREAMBLE_RE = re.compile(r"^préambule\s*:\s*(.+)$")
_PRECISIONS_RE = re.compile(r"^précisions?\s*:\s*(.+)$")
_ADDED_RE = re.compile(r"^article ajouté après\s+(.+?)\s*:\s*(.+)$")
_REPLACED_RE = re.compile(r"^article remplacé\s*:\s*(.+)$")
_REMOVED_RE = re.compile(r"^article supprimé\s*:\s*(.+)$")


@dataclass(frozen=True)
class Section:
    kind: str  # preambule | precisions | ajout | remplacement | suppression | inconnu | texte
    target: str  # slot or article reference as written
    title: str  # added article's title
    heading: str
    content: str
    line: int  # file line of the heading


def normalize(text: str) -> str:
    """Lower case, no accents, single spaces, dashes as spaces: for matching names."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = re.sub(r"[’'`\-–—_]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _classify(heading: str) -> tuple[str, str, str]:
    h = re.sub(r"\s+", " ", heading.replace("\u00a0", " ").replace("\u202f", " ")).strip()
    low = h.lower()
    if m := _PREAMBLE_RE.match(low):
        return "preambule", h[len(h) - len(m.group(1)):], ""
    if m := _PRECISIONS_RE.match(low):
        return "precisions", h[len(h) - len(m.group(1)):], ""
    if m := _ADDED_RE.match(low):
        target = h[m.start(1):m.end(1)]
        return "ajout", target, h[m.start(2):].strip()
    if m := _REPLACED_RE.match(low):
        return "remplacement", h[len(h) - len(m.group(1)):], ""
    if m := _REMOVED_RE.match(low):
        return "suppression", h[len(h) - len(m.group(1)):], ""
    return "inconnu", h, ""


def split_sections(body: str, first_line: int) -> list[Section]:
    """Cut the body at level-2 headings (outside fenced code). Text before the first
    heading, when not blank, is a section of kind ``texte``."""
    sections: list[Section] = []
    current: tuple[str, int] | None = None
    buf: list[str] = []
    fence: str | None = None

    def flush() -> None:
        content = "\n".join(buf).strip("\n")
        if current is None:
            if content.strip():
                sections.append(Section("texte", "", "", "", content, first_line))
            return
        kind, target, title = _classify(current[0])
        sections.append(Section(kind, target.strip(), title, current[0], content, current[1]))

    for i, line in enumerate(body.split("\n")):
        if fence:
            if line.strip().startswith(fence):
                fence = None
        elif m := _FENCE_RE.match(line.strip()):
            fence = m.group(1)[0] * 3
        elif m := _H2_RE.match(line):
            flush()
            current, buf = (m.group(1), first_line + i), []
            continue
        buf.append(line)
    flush()
    return sections


def shift_headings(markdown: str) -> str:
    """Headings inside a section go one level down (### -> ####), outside code fences."""
    out, fence = [], None
    for line in markdown.split("\n"):
        if fence:
            if line.strip().startswith(fence):
                fence = None
        elif m := _FENCE_RE.match(line.strip()):
            fence = m.group(1)[0] * 3
        elif line.startswith("#") and len(line) - len(line.lstrip("#")) < 6:
            line = _HEADING_RE.sub(lambda m: m.group(1) + "#" + m.group(2), line, count=1)
        out.append(line)
    return "\n".join(out)


# Limits on Markdown nesting: Python-Markdown (the site) is quadratic in the number of
# unclosed `[` of a paragraph and recurses once per nested list or emphasis marker, and
# pandoc's time and memory grow with nesting (5 000 `>` in a row: 5 s). No real convention
# comes near these numbers.
MAX_BRACKETS = 50  # `[` per paragraph (pandoc: quadratic, 150 unclosed ones take 50 ms)
MAX_EMPHASIS = 1_000  # `*` and `_` per paragraph (pandoc: 64 000 unclosed ones, 6 s)
MAX_BRACKETS_TOTAL = 5_000  # `[` in the body
MAX_EMPHASIS_TOTAL = 20_000  # `*` and `_` in the body (pandoc: about 20 µs each)
MAX_WORD = 300  # characters without a space (pandoc: quadratic, 200 000 take minutes)
MAX_CELLS_TOTAL = 5_000  # `|` in the body (a 300 × 300 table: 4 s of pandoc, 45 s of typst)
MAX_MARKER_RUN = 20  # identical `*`, `_` or `~` in a row
MAX_BLOCK_DEPTH = 20  # nested list or quote levels of a line
MAX_LINES = 20_000  # lines of the body (a convention has a few hundred)
MAX_SECTIONS = 500  # `## ` headings (a model has about twenty articles)
MAX_REPORTED = 20  # nesting problems reported per file
_TICK_RUN_RE = re.compile(r"`{%d,}" % (MAX_MARKER_RUN + 1))  # noqa: UP031
_MARKER_RUN_RE = re.compile(r"\*{%d,}|_{%d,}|~{%d,}" % ((MAX_MARKER_RUN + 1,) * 3))  # noqa: UP031
# list markers need a space after them; quote markers do not (`>>>` is three quotes)
_BLOCK_MARKERS_RE = re.compile(r"^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)))+")
_BLOCK_MARKER_RE = re.compile(r">|[-*+]|\d{1,9}[.)]")
_H2_LINE_RE = re.compile(r"^##[^#]", re.MULTILINE)
# tried at the start of a word only (linear: not again at every character of a long word)
_LONG_WORD_RE = re.compile(r"(?<![^\s|])[^\s|]{%d,}" % (MAX_WORD + 1))  # noqa: UP031


def size_problem(body: str, first_line: int) -> tuple[int, str] | None:
    """(file line, French message) when the body has more lines or sections than any
    convention: checked first, before the per-line passes."""
    lines = body.count("\n") + 1
    if lines > MAX_LINES:
        return first_line + MAX_LINES, (
            f"texte trop long : plus de {MAX_LINES} lignes ; une convention en compte "
            "quelques centaines")
    for chars, limit, what in ((r"\[", MAX_BRACKETS_TOTAL, "crochets « [ »"),
                               (r"[*_]", MAX_EMPHASIS_TOTAL, "caractères « * » ou « _ »"),
                               (r"\|", MAX_CELLS_TOTAL, "cellules de tableau « | »")):
        if len(re.findall(chars, body)) > limit:
            at = next(islice(re.finditer(chars, body), limit, None)).start()
            return first_line + body.count("\n", 0, at), (
                f"texte trop complexe : plus de {limit} {what} dans le texte ; "
                "retirez-en")
    sections = _H2_LINE_RE.findall(body, 0)
    if len(sections) > MAX_SECTIONS:
        at = [m.start() for m in _H2_LINE_RE.finditer(body)][MAX_SECTIONS]
        return first_line + body.count("\n", 0, at), (
            f"trop de sections : plus de {MAX_SECTIONS} titres « ## » ; le modèle compte une "
            "vingtaine d’articles")
    return None


def _depth(prefix: str) -> int:
    """Nesting levels a line's leading markers can open: its markers, and one level per
    2 columns of indentation before the first one (a nested item is indented)."""
    indent = prefix[: len(prefix) - len(prefix.lstrip(" \t"))].replace("\t", "    ")
    return len(_BLOCK_MARKER_RE.findall(prefix)) + len(indent) // 2


def nesting_problems(body: str, first_line: int) -> list[tuple[int, str]]:
    """(file line, French message) for each paragraph nested beyond the limits above,
    outside fenced code (the first MAX_REPORTED of them)."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    brackets, emphasis, start = 0, 0, first_line
    for i, line in enumerate(body.split("\n")):
        if len(found) >= MAX_REPORTED:
            break
        n = first_line + i
        stripped = line.strip()
        if any(m.group().strip("-=:`~*_#+") for m in _LONG_WORD_RE.finditer(line)):
            # (a rule, a fence or a table's border is not a word)
            found.append((n, f"mot de plus de {MAX_WORD} caractères sans espace : coupez-le "
                             "ou raccourcissez-le (une adresse web trop longue ?)"))
        if _TICK_RUN_RE.search(line):  # fence lines too: pandoc matches runs of « ` »
            found.append((n, f"plus de {MAX_MARKER_RUN} caractères « ` » à la suite : "
                             "écrivez une ligne plus simple"))
        if fence:
            if stripped.startswith(fence):
                fence = None
            continue
        if m := _FENCE_RE.match(stripped):
            fence = m.group(1)[0] * 3
            continue
        if not stripped:
            brackets, emphasis, start = 0, 0, n + 1
            continue
        brackets += line.count("[")
        if brackets > MAX_BRACKETS:
            found.append((start, f"paragraphe trop complexe : plus de {MAX_BRACKETS} crochets "
                                 "« [ » ; découpez-le ou retirez des crochets"))
            brackets = -(10**9)  # once per paragraph
        emphasis += line.count("*") + line.count("_")
        if emphasis > MAX_EMPHASIS:
            found.append((start, f"paragraphe trop complexe : plus de {MAX_EMPHASIS} "
                                 "caractères « * » ou « _ » ; découpez-le ou retirez-en"))
            emphasis = -(10**9)
        if _MARKER_RUN_RE.search(line):
            found.append((n, f"plus de {MAX_MARKER_RUN} caractères « * », « _ » ou « ~ » "
                             "à la suite : écrivez une ligne plus simple"))
        # 400 characters of markers and indentation already hold more than 20 levels
        if (m := _BLOCK_MARKERS_RE.match(line, 0, 400)) and _depth(m.group(0)) > MAX_BLOCK_DEPTH:
            found.append((n, f"plus de {MAX_BLOCK_DEPTH} listes ou citations imbriquées "
                             "à cette ligne (chaque « > », « - », « 1. » ou retrait de "
                             "2 espaces compte pour un niveau)"))
    return found
