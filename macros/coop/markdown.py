"""Markdown text values: escaping of plain text, and the marker for trusted fragments."""

from __future__ import annotations

import re


class Md(str):
    """A Markdown fragment that is inserted as is (like markupsafe.Markup for HTML)."""

    __slots__ = ()


# Characters escaped so that a plain value renders literally in both Python-Markdown and
# pandoc. Backslash escapes only where both honour them; entities for the others.
_ESCAPES = {
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
    "{": "\\{", "}": "\\}", "#": "\\#", "<": "&lt;", ">": "&gt;", "&": "&amp;",
    "|": "&#124;", "~": "&#126;", "^": "&#94;", "$": "&#36;", "@": "&#64;",
}
_ESCAPE_RE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_SPACES_RE = re.compile(r"\s+")
_BREAKING_SPACES_RE = re.compile(r"[^\S\u00a0\u202f]+")  # whitespace but no-break spaces
_LINE_START_RE = re.compile(r"^([-+]|\d+[.)])( )")


def _escape(text: str, spaces: re.Pattern[str]) -> Md:
    text = spaces.sub(" ", text).strip(" ")
    text = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)
    text = _LINE_START_RE.sub(lambda m: m.group(1).replace(".", "\\.").replace(")", "\\)")
                              .replace("-", "\\-").replace("+", "\\+") + m.group(2), text)
    return Md(text)


def md_escape(text: str) -> Md:
    """Plain text -> inline Markdown that renders exactly that text (whitespace collapsed)."""
    return _escape(text, _SPACES_RE)


_UNESCAPE_RE = re.compile(r"\\([\\`*_\[\]{}#+\-.)!])|&(amp|lt|gt|#124|#126|#94|#36|#64);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "#124": "|", "#126": "~", "#94": "^",
             "#36": "$", "#64": "@"}


def md_unescape(text: str) -> str:
    """The plain text of an `md_escape` result (exact inverse, spaces aside)."""
    return _UNESCAPE_RE.sub(lambda m: m.group(1) or _ENTITIES[m.group(2)], text)


def md_inline(text: str) -> Md:
    """Plain, already typeset text -> inline Markdown: like `md_escape`, but the no-break
    spaces the typography put in are kept."""
    return _escape(text, _BREAKING_SPACES_RE)
