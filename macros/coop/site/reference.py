"""The field reference page, generated from the JSON Schema of the front-matter, and the
documentation of the open data columns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import coop

from .records import COLUMNS

SCHEMA_PATH = Path(coop.__file__).parent / "schema" / "convention.schema.json"


@dataclass(frozen=True)
class Field:
    path: str  # "partenaires[].siret"
    kind: str  # French: « texte », « entier »…
    required: bool
    description: str
    values: tuple[str, ...]


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow local `$ref`s; the referring node's own keys win (its description)."""
    seen = 0
    while "$ref" in node and seen < 20:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def _kind(node: dict[str, Any], root: dict[str, Any]) -> str:
    if "oneOf" in node:
        return " ou ".join(_kind(_resolve(n, root), root) for n in node["oneOf"])
    if "enum" in node:
        return "valeur de liste"
    if node.get("format") == "date":
        return "date"
    return {"string": "texte", "integer": "entier", "boolean": "oui / non (true / false)",
            "object": "groupe de champs", "array": "liste", "null": "vide"}.get(
        str(node.get("type", "")), "—")


def fields(root: dict[str, Any] | None = None) -> list[Field]:
    """Every field of the schema, depth first, in the schema's order."""
    root = root or schema()
    out: list[Field] = []

    def walk(node: dict[str, Any], path: str, required: bool) -> None:
        node = _resolve(node, root)
        if path:
            values = tuple(str(v) for v in node.get("enum", ()))
            out.append(Field(path, _kind(node, root), required,
                             str(node.get("description", "")), values))
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            items = _resolve(node["items"], root)
            if items.get("type") == "object":
                walk_object(items, path + "[]")
            elif "enum" in items:
                out[-1] = Field(out[-1].path, "liste de valeurs", required,
                                out[-1].description, tuple(str(v) for v in items["enum"]))
        elif node.get("type") == "object":
            walk_object(node, path)

    def walk_object(node: dict[str, Any], path: str) -> None:
        req = set(node.get("required", ()))
        for name, child in node.get("properties", {}).items():
            walk(child, f"{path}.{name}" if path else name, name in req)

    walk(root, "", True)
    return out


def fields_html(root: dict[str, Any] | None = None) -> str:
    rows = []
    for f in fields(root):
        depth = f.path.count(".")
        values = ""
        if f.values:
            values = "<br><span class=\"coop-muted\">Valeurs : </span>" + ", ".join(
                f"<code>{escape(v)}</code>" for v in f.values)
        rows.append(
            f'<tr><td class="coop-champ" style="padding-left:{0.6 + depth}em">'
            f"<code>{escape(f.path)}</code></td><td>{escape(f.kind)}</td>"
            f'<td>{"oui" if f.required else "non"}</td>'
            f"<td>{escape(f.description)}{values}</td></tr>")
    return ('<div class="coop-defilement" tabindex="0" role="region" '
            'aria-label="Champs de l’en-tête YAML">'
            '<table class="coop-reference"><thead><tr><th scope="col">Champ</th>'
            '<th scope="col">Type</th><th scope="col">Obligatoire</th>'
            '<th scope="col">Description</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


COLUMN_TYPES = {"string": "texte", "integer": "entier", "boolean": "oui / non",
                "date": "date (AAAA-MM-JJ)"}


def columns_html() -> str:
    """The open data columns (`records.COLUMNS`, as `donnees/schema.json` describes them)."""
    rows = "".join(
        f"<tr><td><code>{escape(c.name)}</code></td>"
        f"<td>{escape(COLUMN_TYPES.get(c.type, c.type))}</td>"
        f'<td>{"oui" if c.required else "non"}</td><td>{escape(c.description)}'
        f'{" <em>Plusieurs valeurs possibles.</em>" if c.multiple else ""}'
        + (" Valeurs : " + ", ".join(f"<code>{escape(v)}</code>" for v in c.enum)
           if c.enum else "")
        + "</td></tr>"
        for c in COLUMNS)
    return ('<div class="coop-defilement" tabindex="0" role="region" '
            'aria-label="Colonnes des données ouvertes">'
            '<table class="coop-reference"><thead><tr><th scope="col">Colonne</th>'
            '<th scope="col">Type</th><th scope="col">Toujours renseignée</th>'
            f'<th scope="col">Contenu</th></tr></thead><tbody>{rows}</tbody></table></div>')
