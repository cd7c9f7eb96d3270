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
_LINE_START_RE = re.compile(r"^([-+]|\d+[.)])(\s)")


def md_escape(text: str) -> Md:
    """Plain text -> inline Markdown that renders exactly that text (whitespace collapsed)."""
    text = _SPACES_RE.sub(" ", text).strip()
    text = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)
    text = _LINE_START_RE.sub(lambda m: m.group(1).replace(".", "\\.").replace(")", "\\)")
                              .replace("-", "\\-").replace("+", "\\+") + m.group(2), text)
    return Md(text)
