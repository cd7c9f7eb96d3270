"""Open data files: the catalogue as CSV (for spreadsheets) and JSON (for scripts), and the
Table Schema of their columns (`schema.json`, frictionless format), all from the one
description of the columns (`records.COLUMNS`). Deterministic: same conventions, same
site URL, same day, same bytes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from .records import COLUMNS, Column, Value

CSV_SEPARATOR = ";"  # what French spreadsheets expect
CSV_LIST_SEPARATOR = " | "
TRUE, FALSE = "oui", "non"
URL_COLUMNS = ("url", "url_pdf", "url_docx")
COPY_COLUMNS = {"pdf": "url_pdf", "docx": "url_docx"}


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def site_address(site_url: str, path: str) -> str:
    """`path` (relative to the site's root) under `site_url`, or `path` as is without it."""
    return f"{site_url.rstrip('/')}/{path}" if site_url else path


def published(records: Iterable[dict[str, Value]], *, site_url: str = "",
              copies: Callable[[str], Iterable[str]] = lambda _id: ()
              ) -> list[dict[str, Value]]:
    """The rows as published: the URLs of the page and of the copies (`copies`: id -> site
    paths of its exported files) absolute under `site_url`, relative without it."""
    out = []
    for r in records:
        row = dict(r)
        for path in copies(str(r["id"])):
            column = COPY_COLUMNS.get(path.rsplit(".", 1)[-1])
            if column:
                row[column] = path
        for column in URL_COLUMNS:
            if row.get(column):
                row[column] = site_address(site_url, str(row[column]))
        out.append(row)
    return out


def to_csv(records: Iterable[dict[str, Value]]) -> bytes:
    """UTF-8 with a byte order mark (so that spreadsheets detect the encoding), `;`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    for r in records:
        writer.writerow([_cell(r.get(c.name)) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(records: Iterable[dict[str, Value]]) -> bytes:
    """A JSON array of objects, one per convention, keys in `COLUMNS` order."""
    rows = [{c.name: r.get(c.name) for c in COLUMNS} for r in records]
    return (json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# --- the Table Schema (https://specs.frictionlessdata.io/table-schema/) ---------------

def _field(col: Column, absolute: bool) -> dict[str, Any]:
    description = col.description
    if col.multiple:
        description += (" Plusieurs valeurs possibles, séparées par "
                        f"« {CSV_LIST_SEPARATOR.strip()} » dans le CSV (une liste dans le JSON).")
    field: dict[str, Any] = {"name": col.name, "type": col.type, "title": col.title,
                             "description": description,
                             "format": col.format if col.format and absolute else "default"}
    if col.type == "boolean":
        field.update(trueValues=[TRUE], falseValues=[FALSE])
    constraints: dict[str, Any] = {}
    if col.required:
        constraints["required"] = True
    if col.name == "id":
        constraints["unique"] = True
    if col.enum:
        constraints["enum"] = list(col.enum)
    if col.type == "integer":
        constraints["minimum"] = 0
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(site_url: str = "") -> dict[str, Any]:
    """The Table Schema of `conventions.csv`: one field per column of `COLUMNS`."""
    where = (f"absolues, sous {site_url.rstrip('/')}/" if site_url else
             "relatives à la racine du site (aucune adresse de site configurée : "
             "COOP_SITE_URL)")
    return {
        "title": "Catalogue des conventions de coopération",
        "description": (
            "Une ligne par convention, telle que modifiée par ses avenants signés. "
            "CSV en UTF-8 (avec BOM), séparateur « ; », valeurs multiples séparées par "
            f"« | » ; les adresses (url, url_pdf, url_docx) sont {where}. "
            "Le fichier conventions.json a les mêmes colonnes, les valeurs multiples en "
            "listes et les booléens en true / false."),
        "fields": [_field(c, bool(site_url)) for c in COLUMNS],
        "primaryKey": "id",
        "missingValues": [""],
    }


def to_schema(site_url: str = "") -> bytes:
    return (json.dumps(table_schema(site_url), ensure_ascii=False, indent=2) + "\n").encode()
