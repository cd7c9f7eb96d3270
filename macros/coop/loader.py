"""Read one convention file: front-matter (YAML, with positions) and Markdown body.

Never raises on bad input: every problem becomes a `Problem` with file, line and field.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import ScalarNode as RScalarNode
from ruamel.yaml.resolver import VersionedResolver

from .errors import ERROR, Problem

_FAST_LOADER = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)
MAX_BYTES = 1_000_000  # a convention is a few dozen KB; refuse anything absurd
Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed convention file, before validation."""

    path: Path
    relpath: str
    raw: bytes
    data: Any = None
    body: str = ""
    body_line: int = 1  # file line of the body's first line
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: Path_) -> tuple[int, int]:
        """Best (line, col) for a field path: the field itself or its nearest parent."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path_, message: str, level: str = ERROR) -> Problem:
        line, col = self.where(path)
        return Problem(self.relpath, line, col, field_name(path), message, level)


def field_name(path: Path_) -> str:
    """`('partenaires', 0, 'siret')` -> `partenaires[1].siret` (items counted from 1)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Constructor(RoundTripConstructor):
    """Keeps dates as text: they are checked (and parsed) by validation, with a French message."""


def _keep_scalar(constructor: RoundTripConstructor, node: Any) -> str:
    return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _keep_scalar)

_STANDARD_TAGS = {
    None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:float", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}


def _yaml() -> YAML:
    y = YAML(typ="rt", pure=True)
    y.Constructor = _Constructor
    y.allow_duplicate_keys = False
    return y


_KEY_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|\"[^\"\n]*\"|'[^'\n]*')[ \t]*:(?:[ \t]|$)")


_BLOCK_SCALAR_RE = re.compile(r"^[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")


def field_at(lines: list[str], index: int) -> Path_:
    """Field path of the YAML line `index` (0-based), guessed from the indentation of the
    lines above: names the field of a syntax error, which has no parsed data."""
    stack: list[tuple[int, str | int]] = []  # (indentation, key or item index)
    items: dict[tuple[Path_, int], int] = {}
    block: int | None = None  # indentation of the key of a block scalar (| or >)
    for line in lines[: index + 1]:
        content = line.lstrip(" \t")
        if not content or content.startswith("#"):
            continue
        indent = len(line) - len(content)
        if block is not None and indent > block:
            continue  # text of a block scalar
        block = None
        pos = 0  # through the "- - " markers of the line, without copying it (linear)
        while content[pos:pos + 1] == "-" and content[pos + 1:pos + 2] in ("", " ", "\t") \
                and len(stack) <= 2 * MAX_DEPTH:  # deeper is refused: any name will do
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = tuple(k for _, k in stack)
            n = items[(parent, indent)] = items.get((parent, indent), -1) + 1
            stack.append((indent, n))
            end = pos + 1
            while content[end:end + 1] in (" ", "\t"):
                end += 1
            indent += end - pos
            pos = end
        content = content[pos:]
        if m := _KEY_RE.match(content):
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, m.group(1).strip("\"'")))
            if _BLOCK_SCALAR_RE.search(content[m.end():]):
                block = indent
    return tuple(k for _, k in stack)


def _message_fr(exc: MarkedYAMLError) -> str:
    problem = (exc.problem or "").lower()
    context = (exc.context or "").lower()
    if "duplicate key" in problem or "duplicate key" in context or "found duplicate" in problem:
        return "clé en double : chaque champ ne peut apparaître qu’une fois"
    if "'\\t'" in problem or "tab" in problem:
        return "tabulation interdite en YAML : indentez avec des espaces"
    if "mapping values are not allowed" in problem:
        return ("« : » inattendu ; mettez la valeur entre guillemets "
                "si elle contient « : »")
    if "could not find expected ':'" in problem:
        return "« : » attendu après le nom du champ"
    if "expected <block end>" in problem:
        return "indentation incohérente"
    if "found unexpected end of stream" in problem or "while scanning a quoted" in context:
        return "guillemet ouvrant sans guillemet fermant"
    if "while parsing a flow" in context:
        return "liste ou dictionnaire entre [ ] ou { } mal fermé"
    return f"erreur de syntaxe YAML ({exc.problem or exc.context})"


# Bounds on the shape of a front-matter, checked by a linear scan of its text before any
# YAML parser runs: the parsers recurse once per nesting level (a few thousand levels in
# 100 KB of `[[[[…` take minutes) and validation costs grow with the number of fields.
# A real front-matter has about 150 lines, 5 levels and 200 fields.
MAX_FRONT_CHARS = 200_000
MAX_FRONT_LINES = 3_000
MAX_FRONT_LINE_CHARS = 10_000
MAX_DEPTH = 20  # nested fields, lists and [ ] or { } collections
MAX_ELEMENTS = 2_000  # fields and list items
_SPECIAL_RE = re.compile(r"[\[\]{}'\"#,]|:(?=[ \t]|$)")
_SIMPLE_KEY_RE = re.compile(r"[^\s#'\"\[\]{},][^#]*?:(?:[ \t]|$)")
_DASHES_RE = re.compile(r"(?:-(?:[ \t]+|$))+")
_BLOCK_INDICATOR_RE = re.compile(r"(?:^|[ \t])[|>][-+0-9]*[ \t]*(?:#.*)?$")
_NODE_START = ("", "-", ":", "?", "[", "{", ",")


def _quote_end(line: str, start: int, quote: str) -> int | None:
    """Index just after the quote closing a string whose text starts at `start`."""
    pattern = r"(?:[^'\n]|'')*'" if quote == "'" else r'(?:[^"\\\n]|\\.)*"'
    m = re.compile(pattern).match(line, start)
    return m.end() if m else None


def shape_problem(text: str) -> tuple[int, int, str] | None:
    """(0-based line, 1-based column, French message) of the first bound above that the
    front-matter `text` exceeds, or None. Linear in the size of the text."""
    if len(text) > MAX_FRONT_CHARS:
        return 0, 1, (f"en-tête YAML trop long ({len(text) // 1000} Ko) : la limite est "
                      f"{MAX_FRONT_CHARS // 1000} Ko ; une convention en compte quelques-uns")
    lines = text.split("\n")
    if len(lines) > MAX_FRONT_LINES + 1:
        return MAX_FRONT_LINES, 1, (f"en-tête YAML trop long : plus de {MAX_FRONT_LINES} "
                                    "lignes")
    flow = 0  # depth of [ ] and { } collections
    quote = ""  # open quoted string, across lines
    block: int | None = None  # indentation of the key of a block scalar (| or >)
    stack: list[int] = []  # indentations of the open block levels
    elements = 0
    for i, line in enumerate(lines):
        if len(line) > MAX_FRONT_LINE_CHARS:
            return i, MAX_FRONT_LINE_CHARS + 1, (
                f"ligne de l’en-tête YAML trop longue (plus de {MAX_FRONT_LINE_CHARS} "
                "caractères) : utilisez un texte sur plusieurs lignes (« >- »)")
        content = line.lstrip(" ")
        indent = len(line) - len(content)
        start, last = 0, ""
        if quote:
            end = _quote_end(line, 0, quote)
            if end is None:
                continue
            start, last, quote = end, "x", ""
        elif flow == 0:
            if not content.strip(" \t") or content.startswith("#"):
                continue
            if block is not None and indent > block:
                continue  # text of a block scalar
            block = None
            while stack and stack[-1] >= indent:
                stack.pop()
            stack.append(indent)
            dashes = _DASHES_RE.match(content)
            n = dashes.group().count("-") if dashes else 0
            rest = content[dashes.end():] if dashes else content
            key = 1 if _SIMPLE_KEY_RE.match(rest) else 0
            elements += n + key
            if len(stack) + max(n - 1, 0) + key > MAX_DEPTH:
                return i, indent + 1, (f"en-tête YAML trop imbriqué : plus de {MAX_DEPTH} "
                                       "niveaux de champs ou de listes")
            if _BLOCK_INDICATOR_RE.search(content):
                block = indent
            start = indent + (dashes.end() if dashes else 0)
            last = "-" if n else ""
        last_end = start
        for m in _SPECIAL_RE.finditer(line, start):
            p = m.start()
            if p < last_end:
                continue  # inside a quoted string closed on this line
            ch = m.group()
            prev = "x" if line[last_end:p].strip(" \t") else last
            if ch == "#" and (p == 0 or line[p - 1] in " \t"):
                break
            if ch in "'\"":
                if prev not in _NODE_START:
                    continue  # an apostrophe inside a plain text
                end = _quote_end(line, p + 1, ch)
                if end is None:
                    quote = ch
                    break
                last, last_end = "x", end
                continue
            if ch in "[{":
                if flow == 0 and prev not in ("", "-", ":", "?"):
                    continue  # a bracket inside a plain text
                flow += 1
                elements += 1
                if len(stack) + flow > MAX_DEPTH:
                    return i, p + 1, (f"en-tête YAML trop imbriqué : plus de {MAX_DEPTH} "
                                      "niveaux de [ ] ou { } et de champs")
            elif ch in "]}":
                flow = max(flow - 1, 0) if flow else 0
            elif ch == "," and flow:
                elements += 1
            last, last_end = ch, m.end()
        if elements > MAX_ELEMENTS:
            return i, 1, (f"en-tête YAML trop grand : plus de {MAX_ELEMENTS} champs ou "
                          "éléments de liste")
    return None


MAX_REFUSED = 20  # anchors or tags reported per file (the scan stops there)


def _scan_events(y: YAML, text: str, src: Source, offset: int) -> bool:
    """Refuse aliases (billion-laughs) and non-standard tags before constructing anything."""
    ok = True
    lines = text.split("\n")

    def refuse(mark: Any, message: str) -> None:
        name = field_name(field_at(lines, mark.line))
        src.problems.append(Problem(src.relpath, mark.line + 1 + offset, mark.column + 1, name,
                                    message))

    for event in y.parse(io.StringIO(text)):
        mark = event.start_mark
        if isinstance(event, AliasEvent):
            refuse(mark, "les alias YAML (*nom) ne sont pas autorisés")
            return False
        if isinstance(event, ScalarEvent | CollectionStartEvent) and getattr(event, "anchor", None):
            refuse(mark, "les ancres YAML (&nom) ne sont pas autorisées")
            ok = False
        tag = getattr(event, "tag", None)
        if isinstance(event, ScalarEvent | CollectionStartEvent) and tag not in _STANDARD_TAGS:
            refuse(mark, f"étiquette YAML « {tag} » interdite")
            ok = False
        if len(src.problems) >= MAX_REFUSED:
            break
    return ok


def _plain(node: Any, path: Path_, positions: dict[Path_, tuple[int, int]], offset: int) -> Any:
    """ruamel round-trip objects -> plain dict/list/str/int/bool, recording positions."""
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            k = str(key)
            try:
                line, col = node.lc.value(key)
            except (KeyError, TypeError):
                line, col = node.lc.key(key)
            kline, kcol = node.lc.key(key)
            positions[(*path, k)] = (kline + 1 + offset, kcol + 1)
            if isinstance(value, CommentedMap | CommentedSeq):
                positions[(*path, k, "__value__")] = (line + 1 + offset, col + 1)
            out[k] = _plain(value, (*path, k), positions, offset)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            line, col = node.lc.item(i)
            positions[(*path, i)] = (line + 1 + offset, col + 1)
            items.append(_plain(value, (*path, i), positions, offset))
        return items
    if isinstance(node, bool | int | float) or node is None:
        return node
    return str(node)


_RESOLVER = VersionedResolver(version=(1, 2))


def _number(tag: str, value: str) -> int | float:
    """An int or float scalar, as ruamel's YAML 1.2 constructor reads it."""
    v = value.replace("_", "")
    sign = -1 if v.startswith("-") else 1
    v = v.lstrip("+-")
    if tag.endswith(":int"):
        for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
            if v.startswith(prefix):
                return sign * int(v[2:], base)
        return sign * int(v)
    if v.lower() == ".inf":
        return sign * float("inf")
    return float("nan") if v.lower() == ".nan" else sign * float(v)


def _scalar(node: pyyaml.ScalarNode) -> Any:
    if node.style:  # quoted or block scalar: text (libyaml gives plain scalars no style)
        return node.value
    tag = str(_RESOLVER.resolve(RScalarNode, node.value, (True, False)))
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return node.value.lower() == "true"
    if tag.endswith((":int", ":float")):
        return _number(tag, node.value)
    return node.value  # str, and dates kept as text (checked by validation)


class _NeedsCarefulParser(Exception):
    pass


def _from_node(node: Any, path: Path_, positions: dict[Path_, tuple[int, int]],
               offset: int) -> Any:
    if isinstance(node, pyyaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value in node.value:
            if not isinstance(key_node, pyyaml.ScalarNode):
                raise _NeedsCarefulParser
            k = str(_scalar(key_node))
            if k in out:
                raise _NeedsCarefulParser  # duplicate key: the careful parser says where
            mark = key_node.start_mark
            positions[(*path, k)] = (mark.line + 1 + offset, mark.column + 1)
            if not isinstance(value, pyyaml.ScalarNode):
                vmark = value.start_mark
                positions[(*path, k, "__value__")] = (vmark.line + 1 + offset, vmark.column + 1)
            out[k] = _from_node(value, (*path, k), positions, offset)
        return out
    if isinstance(node, pyyaml.SequenceNode):
        items = []
        for i, value in enumerate(node.value):
            mark = value.start_mark
            positions[(*path, i)] = (mark.line + 1 + offset, mark.column + 1)
            items.append(_from_node(value, (*path, i), positions, offset))
        return items
    return _scalar(node)


Positions = dict[Path_, tuple[int, int]]


def _fast_parse(text: str, offset: int) -> tuple[dict[str, Any], Positions] | None:
    """Front-matter read by libyaml (C): plain data and positions, as the careful parser
    gives them. None when anything is unusual (error, alias, anchor, explicit tag, duplicate
    key, not a mapping): the careful ruamel parser then reports it precisely."""
    try:
        for event in pyyaml.parse(text, Loader=_FAST_LOADER):
            if isinstance(event, pyyaml.AliasEvent) or getattr(event, "anchor", None) or \
                    getattr(event, "tag", None) is not None:
                return None
        node = pyyaml.compose(text, Loader=_FAST_LOADER)
        if not isinstance(node, pyyaml.MappingNode):
            return None
        positions: Positions = {}
        return _from_node(node, (), positions, offset), positions
    except (pyyaml.YAMLError, _NeedsCarefulParser, RecursionError, ValueError):
        return None


def read_source(path: Path, root: Path) -> Source:
    """Read and parse one convention file. Problems are collected in `Source.problems`."""
    return parse_source(path, *read_raw(path, root))


def read_raw(path: Path, root: Path) -> tuple[str, bytes]:
    """(path relative to `root`, at most MAX_BYTES + 1 bytes of the file)."""
    try:
        relpath = path.resolve().relative_to(_resolved(root)).as_posix()
    except ValueError:
        relpath = path.as_posix()
    with path.open("rb") as fh:  # never more than the limit in memory
        return relpath, fh.read(MAX_BYTES + 1)


@lru_cache(maxsize=8)
def _resolved(root: Path) -> Path:
    return root.resolve()


def parse_source(path: Path, relpath: str, raw: bytes) -> Source:
    """Parse the bytes `read_raw` returned."""
    src = Source(path=path, relpath=relpath, raw=raw)
    if len(raw) > MAX_BYTES:
        src.problems.append(Problem(relpath, 1, 1, "", (
            f"fichier trop volumineux ({path.stat().st_size // 1000} Ko) : "
            f"une convention ne doit pas dépasser {MAX_BYTES // 1000} Ko")))
        return src
    parse_text(src, raw)
    return src


def parse_text(src: Source, raw: bytes) -> None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        src.problems.append(Problem(src.relpath, line, 1, "", (
            "le fichier n’est pas encodé en UTF-8 (octet invalide "
            f"0x{raw[exc.start]:02x}) : enregistrez-le en UTF-8")))
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        before = text[: text.index("\x00")]
        src.problems.append(Problem(src.relpath, before.count("\n") + 1,
                                    len(before) - before.rfind("\n"), "",
                                    "le fichier contient un octet nul : enregistrez-le en texte"))
        return
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        src.problems.append(Problem(src.relpath, 1, 1, "", (
            "en-tête YAML absent : le fichier doit commencer par une ligne « --- »")))
        return
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        src.problems.append(Problem(src.relpath, 1, 1, "", (
            "en-tête YAML non fermé : ajoutez une ligne « --- » après le dernier champ")))
        return
    yaml_text = "\n".join(lines[1:end]) + "\n"
    src.body = "\n".join(lines[end + 1:])
    src.body_line = end + 2
    offset = 1  # the opening '---' line
    src.positions[()] = (1, 1)
    if (shape := shape_problem(yaml_text)) is not None:
        line, col, message = shape
        top = field_at(yaml_text.split("\n"), line)[:1]  # the field, not 20 levels of it
        src.problems.append(Problem(src.relpath, line + 1 + offset, col, field_name(top),
                                    message))
        return
    if (fast := _fast_parse(yaml_text, offset)) is not None:
        src.data, positions = fast
        src.positions.update(positions)
        return
    y = _yaml()  # the careful parser: exact messages for every kind of problem
    try:
        if not _scan_events(y, yaml_text, src, offset):
            return
        data = y.load(yaml_text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else 1
        col = (mark.column + 1) if mark else 1
        # an unclosed [ ] or { } is noticed lines later: name the field where it opened
        opened = exc.context_mark if "flow" in (exc.context or "") else None
        at = opened or mark
        name = field_name(field_at(yaml_text.split("\n"), at.line)) if at else ""
        src.problems.append(Problem(src.relpath, line, col, name, _message_fr(exc)))
        return
    except (YAMLError, ValueError, RecursionError) as exc:
        src.problems.append(Problem(src.relpath, 1, 1, "", f"YAML illisible ({exc})"))
        return
    if data is None:
        src.problems.append(Problem(src.relpath, 1, 1, "", "en-tête YAML vide"))
        return
    if not isinstance(data, CommentedMap):
        src.problems.append(Problem(src.relpath, 2, 1, "", (
            "l’en-tête YAML doit être une suite de champs « nom: valeur »")))
        return
    src.data = _plain(data, (), src.positions, offset)
