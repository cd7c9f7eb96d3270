"""Round-trip edits of a convention's front-matter with ruamel.yaml.

Comments, key order, quoting, flow lists, folded texts and blank lines survive, so a
status change shows in git as the changed lines only. The body is never touched.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import ScalarString

from . import AuthoringError

# (mapping, sequence, offset) indentations tried in turn: the one that reproduces the
# file exactly is kept. The first is the style of the samples and of `make new`.
INDENTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0))


def yaml_rt(indent: tuple[int, int, int] = INDENTS[0]) -> YAML:
    y = YAML(typ="rt", pure=True)
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap long values
    y.allow_duplicate_keys = False
    mapping, sequence, offset = indent
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    return y


@dataclass
class FrontMatter:
    """A convention file cut in three: opening line, YAML header, rest (closing line + body)."""

    opening: str
    header: str
    rest: str
    data: CommentedMap
    yaml: YAML
    exact: bool  # True when dumping the unchanged data gives back `header` byte for byte

    def get(self, *path: str | int) -> Any:
        node: Any = self.data
        for key in path:
            node = node[key]
        return node

    def set(self, *path: str | int, value: Any) -> None:
        """Set a value, keeping the quoting style of the old one."""
        parent = self.get(*path[:-1])
        key = path[-1]
        old = parent[key] if (isinstance(parent, CommentedSeq) or key in parent) else None
        if isinstance(old, ScalarString) and isinstance(value, str):
            value = type(old)(value)
        parent[key] = value

    def text(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return self.opening + out.getvalue() + self.rest


def split(text: str) -> tuple[str, str, str]:
    """(opening '---' line, header, rest from the closing line on), line endings kept."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        raise AuthoringError("en-tête YAML absent : le fichier doit commencer par « --- »")
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").rstrip() in ("---", "..."):
            return lines[0], "".join(lines[1:i]), "".join(lines[i:])
    raise AuthoringError("en-tête YAML non fermé : ajoutez une ligne « --- » après l’en-tête")


def parse(text: str) -> FrontMatter:
    """Parse the front-matter of `text` for a round-trip edit."""
    if "\r" in text:
        raise AuthoringError("fins de ligne Windows (CRLF) : enregistrez le fichier avec des "
                             "fins de ligne Unix (LF) avant de le modifier")
    opening, header, rest = split(text)
    fallback: FrontMatter | None = None
    for indent in INDENTS:
        y = yaml_rt(indent)
        try:
            data = y.load(header)
        except YAMLError as exc:
            raise AuthoringError(f"en-tête YAML illisible : {exc}") from exc
        if not isinstance(data, CommentedMap):
            raise AuthoringError("l’en-tête YAML doit être une suite de champs « nom: valeur »")
        fm = FrontMatter(opening, header, rest, data, y, exact=False)
        out = io.StringIO()
        y.dump(data, out)
        if out.getvalue() == header:
            fm.exact = True
            return fm
        fallback = fallback or fm
    assert fallback is not None
    return fallback
