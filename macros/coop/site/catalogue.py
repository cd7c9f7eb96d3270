"""The interactive catalogue at any scale: a first page of results written into the
catalogue page, and the rows in small shards that its script fetches only when a view
needs them.

- `table_html`: the catalogue block of the page — the first `PAGE_SIZE` conventions in
  the default order (title, then id, as the lists of `parcourir/`) as a real table with
  working links, the filter form (hidden until the script runs) with each facet's values
  and counts, the count sentence. Nothing in it grows with the catalogue but the facet
  values.
- `data_files`: under `DATA_DIR`, a manifest (total, columns, facet counts, shard list,
  version) and the rows in shards of `SHARD_SIZE`, in the default order, as arrays of
  the columns the table, the filters and the free-text search need.

`docs/assets/catalogue-core.js` mirrors the facet orders, the default order (by rank)
and the short date format. Pure: same records, same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .browse import fold
from .labels import STATUTS, TYPES, label
from .records import COLUMNS as RECORD_COLUMNS
from .records import Value
from .renderer import Renderer
from .urls import relative

DATA_DIR = "donnees/catalogue"
MANIFEST = f"{DATA_DIR}/manifeste.json"
TEMPLATE = "catalogue.html"
PAGE_SIZE = 50  # rows per page of the table (PAGE_SIZE in catalogue-core.js)
SHARD_SIZE = 500  # a multiple of PAGE_SIZE: one page of the default order is one shard
PARCOURIR = "parcourir/"  # the lists without JavaScript (coop.site.browse)

Record = dict[str, Value]

# The record columns a shard carries, in this order (the manifest names them).
FIELDS = ("id", "titre", "url", "type", "statut", "statut_effectif", "region_academique",
          "academie", "territoire", "etablissements", "uai", "partenaires", "siret",
          "formation", "niveaux", "secteur", "annee_scolaire", "date_signature",
          "date_fin", "reconduction_tacite")

SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                "sept.", "oct.", "nov.", "déc.")


@dataclass(frozen=True)
class FacetSpec:
    key: str  # URL parameter and select id (« coop-f-<key> »)
    label: str
    field: str  # record column
    display: Callable[[str], str]
    order: Callable[[str], Any]  # sort key of a value


def _same(v: str) -> str:
    return v


def _reverse_text(v: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in v)


_STATUT_ORDER = list(STATUTS)
FACETS = (
    FacetSpec("type", "Type", "type", lambda v: label(TYPES, v), fold),
    FacetSpec("region", "Région académique", "region_academique", _same, fold),
    FacetSpec("academie", "Académie", "academie", _same, fold),
    FacetSpec("statut", "Statut", "statut_effectif", lambda v: label(STATUTS, v),
              lambda v: (_STATUT_ORDER.index(v) if v in _STATUT_ORDER else 99, v)),
    FacetSpec("niveau", "Niveau de diplôme", "niveaux", lambda v: f"Niveau {v}",
              lambda v: int(v) if v.isdigit() else 99),
    FacetSpec("secteur", "Secteur ou thème", "secteur", _same, fold),
    FacetSpec("annee", "Année scolaire", "annee_scolaire", _same, _reverse_text),  # newest first
)

# Facets with too many values to write into the page (thousands at national scale):
# catalogue.js lists the values matching what the visitor types, from the loaded rows.
# (URL parameter, label, record column), as in catalogue-core.js.
LARGE_FACETS = (("etablissement", "Établissement", "etablissements"),
                ("partenaire", "Partenaire", "partenaires"))
SEARCHABLE = 8  # a facet with more values than this gets a text box to narrow its list

# « Télécharger la sélection (CSV) »: the columns of donnees/conventions.csv that the
# shards carry, in that file's order (catalogue.js writes them, url made absolute).
CSV_COLUMNS = tuple(c.name for c in RECORD_COLUMNS if c.name in FIELDS)

# (sort key of catalogue-core.js, header)
COLUMNS = (("titre", "Titre"), ("type", "Type"), ("academie", "Académie"),
           ("etablissements", "Établissement"), ("partenaires", "Partenaires"),
           ("formation", "Diplôme ou secteur"), ("statut", "Statut"),
           ("date_signature", "Signature"), ("date_fin", "Fin"))


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    options: list[Option]

    @property
    def searchable(self) -> bool:
        return len(self.options) > SEARCHABLE


@dataclass(frozen=True)
class Day:
    iso: str
    text: str  # « 2 juin 2026 », « 15 sept. 2026 »


@dataclass(frozen=True)
class Row:
    """What a table row shows (the same cells as `renderRow` in catalogue.js)."""

    title: str
    href: str
    type: str
    type_label: str
    academie: str
    etablissements: str
    partenaires: str
    formation: str
    secteur: str  # shown under the formation when it differs
    status: str
    status_label: str
    declared: str  # the declared status, lower case, when it differs; else ""
    signature: Day | None
    end: Day | None
    renews: bool


def ordered(records: Iterable[Record]) -> list[Record]:
    """The default order: title (accents and case ignored), then id."""
    return sorted(records, key=lambda r: (fold(str(r["titre"])), str(r["id"])))


def _values(value: Value) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def facets(records: Sequence[Record]) -> list[Facet]:
    """Each facet's values with their number of conventions, in the page's order."""
    out = []
    for spec in FACETS:
        counts: dict[str, int] = {}
        for r in records:
            for v in _values(r.get(spec.field)):
                counts[v] = counts.get(v, 0) + 1
        values = sorted(counts, key=lambda v, s=spec: (s.order(v), v))
        out.append(Facet(spec.key, spec.label,
                         [Option(v, spec.display(v), counts[v]) for v in values]))
    return out


def short_date(iso: Value) -> Day | None:
    """« 2026-06-02 » -> « 2 juin 2026 » (as `formatDate` in catalogue-core.js)."""
    if not isinstance(iso, str) or len(iso) != 10:
        return None
    year, month, day = iso.split("-")
    return Day(iso, f"{int(day)}\u00a0{SHORT_MONTHS[int(month) - 1]}\u00a0{year}")


def row(r: Record, href: str) -> Row:
    status, declared = str(r["statut_effectif"] or r["statut"]), str(r["statut"])
    formation, secteur = str(r.get("formation") or ""), str(r.get("secteur") or "")
    return Row(
        title=str(r["titre"]), href=href, type=str(r["type"]), type_label=label(TYPES, r["type"]),
        academie=str(r["academie"]), etablissements=", ".join(_values(r.get("etablissements"))),
        partenaires=", ".join(_values(r.get("partenaires"))), formation=formation,
        secteur=secteur if secteur != formation else "", status=status,
        status_label=label(STATUTS, status),
        declared=label(STATUTS, declared).lower() if declared != status else "",
        signature=short_date(r.get("date_signature")), end=short_date(r.get("date_fin")),
        renews=bool(r.get("reconduction_tacite")))


def count_label(total: int) -> str:
    """As `countLabel` in catalogue-core.js, with nothing filtered."""
    if total == 0:
        return "Aucune convention au catalogue."
    return f"{total} convention{'s' if total > 1 else ''} au catalogue."


# --- data files ---------------------------------------------------------------------

def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def shard_name(index: int) -> str:
    return f"lot-{index:04d}.json"


def _shards(rows: Sequence[Record]) -> list[bytes]:
    return [_json([[r.get(f) for f in FIELDS] for r in rows[i:i + SHARD_SIZE]])
            for i in range(0, len(rows), SHARD_SIZE)]


def _version(shards: Sequence[bytes]) -> str:
    h = hashlib.sha256(json.dumps(FIELDS).encode())
    for s in shards:
        h.update(hashlib.sha256(s).digest())
    return h.hexdigest()[:12]


def manifest(records: Sequence[Record], shards: Sequence[bytes]) -> dict[str, Any]:
    return {
        "version": _version(shards),
        "total": len(records),
        "taille_page": PAGE_SIZE,
        "taille_lot": SHARD_SIZE,
        "colonnes": list(FIELDS),
        "lots": [{"fichier": shard_name(i), "debut": i * SHARD_SIZE,
                  "lignes": min(SHARD_SIZE, len(records) - i * SHARD_SIZE)}
                 for i in range(len(shards))],
        "facettes": {f.key: [[o.value, o.count] for o in f.options] for f in facets(records)},
    }


def data_files(records: Sequence[Record]) -> dict[str, bytes]:
    """Site path -> content: the manifest and the shards of the rows (default order)."""
    rows = ordered(records)
    shards = _shards(rows)
    files = {f"{DATA_DIR}/{shard_name(i)}": s for i, s in enumerate(shards)}
    files[MANIFEST] = _json(manifest(rows, shards))
    return files


# --- the page -----------------------------------------------------------------------

def table_html(records: Sequence[Record], renderer: Renderer, *, page_url: str) -> str:
    """The catalogue block of the page served at `page_url` (links relative to it)."""
    rows = ordered(records)
    version = _version(_shards(rows))
    html = renderer.render(
        TEMPLATE, rows=[row(r, relative(str(r["url"]), page_url)) for r in rows[:PAGE_SIZE]],
        facets=facets(rows), columns=COLUMNS, total=len(rows), page_size=PAGE_SIZE,
        pages=max(1, -(-len(rows) // PAGE_SIZE)), count=count_label(len(rows)),
        root=relative("", page_url), manifest=f"{relative(MANIFEST, page_url)}?v={version}",
        lists_href=relative(PARCOURIR, page_url), large_facets=LARGE_FACETS,
        csv_columns=CSV_COLUMNS)
    # A raw HTML block for Python-Markdown: no blank line may end it early.
    return "\n".join(line for line in html.splitlines() if line.strip())
