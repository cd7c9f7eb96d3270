"""What one build knows about the catalogue, shared by the hook and the page macros.

The hook fills it once per build (`load`); the macros of the hand-written pages read it.
The computed dates (records, deadlines, calendars) come from the convention *in force*:
the convention as amended by its signed avenants (`in_force`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from coop.avenants import Avenant, signed_avenants
from coop.catalog import Catalog, load_catalog
from coop.convention import Convention
from coop.deadlines import resolve_today
from coop.errors import format_problems

from .browse import Facet, ListPage
from .records import Value, record


class InvalidCatalog(Exception):
    """Some convention has errors; the message is the core's French report."""


@dataclass
class SiteState:
    root: Path
    catalog: Catalog
    today: date  # reference day of the computed dates (COOP_AUJOURDHUI, else today)
    records: list[dict[str, Value]] = field(default_factory=list)
    by_uri: dict[str, Convention] = field(default_factory=dict)  # page src_uri -> convention
    model_pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # -> (name, kind)
    calendars: set[str] = field(default_factory=set)  # ids whose .ics has events
    avenants: dict[str, list[Avenant]] = field(default_factory=dict)  # parent id -> by number
    in_force: dict[str, Convention] = field(default_factory=dict)  # id -> amended convention
    avenant_pages: dict[str, Avenant] = field(default_factory=dict)  # page src_uri -> avenant
    consolidated_pages: dict[str, Convention] = field(default_factory=dict)  # src_uri -> parent
    browse_facets: list[Facet] = field(default_factory=list)  # the lists without JavaScript
    browse_pages: dict[str, ListPage] = field(default_factory=dict)  # page src_uri -> page

    def signed_avenants(self, conv_id: str) -> list[Avenant]:
        return signed_avenants(self.avenants.get(conv_id, []))

    def conventions_in_force(self) -> list[Convention]:
        """Every convention as amended by its signed avenants, in catalogue order."""
        return [self.in_force[c.id] for c in self.catalog.conventions]


_current: SiteState | None = None


def load(root: Path, today: date | None = None) -> SiteState:
    """Load and validate every convention under `root`; InvalidCatalog on any error.
    `today` defaults to `coop.deadlines.resolve_today()` ($COOP_AUJOURDHUI, else today)."""
    global _current
    today = today or resolve_today()
    catalog = load_catalog(root)
    if catalog.errors:
        n = len(catalog.errors)
        raise InvalidCatalog(
            f"{n} erreur{'s' if n > 1 else ''} dans les conventions : le catalogue n’est pas "
            f"construit.\n{format_problems(catalog.errors)}")
    st = SiteState(root=root, catalog=catalog, today=today,
                   avenants=catalog.by_parent)
    for conv in catalog.conventions:
        st.in_force[conv.id] = catalog.amended(conv)
    st.records = [record(st.in_force[c.id], today, avenants=len(st.avenants.get(c.id, [])))
                  for c in catalog.conventions]
    _current = st
    return st


def current() -> SiteState:
    if _current is None:
        raise RuntimeError("catalogue non chargé : le hook coop.site n’est pas actif")
    return _current
