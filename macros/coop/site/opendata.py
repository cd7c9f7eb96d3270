"""Open data files: the catalogue as CSV (for spreadsheets) and JSON (for scripts and
the catalogue page). Deterministic: same conventions, same bytes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from .records import COLUMNS, Value

CSV_SEPARATOR = ";"  # what French spreadsheets expect
CSV_LIST_SEPARATOR = " | "


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def to_csv(records: Iterable[dict[str, Value]]) -> bytes:
    """UTF-8 with a byte order mark (so that spreadsheets detect the encoding), `;`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    for r in records:
        writer.writerow([_cell(r[c.name]) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(records: Iterable[dict[str, Value]]) -> bytes:
    """A JSON array of objects, one per convention, keys in `COLUMNS` order."""
    rows = list(records)
    return (json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
