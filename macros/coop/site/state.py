"""What one build knows about the catalogue: loaded and validated once (`load`), then
read by the page generator and by the macros of the hand-written pages.
The computed dates (records, deadlines, calendars) come from the convention *in force*:
the convention as amended by its signed avenants (`in_force`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from coop.avenants import Avenant, signed_avenants
from coop.catalog import Catalog, load_catalog
from coop.convention import Convention
from coop.deadlines import resolve_today
from coop.errors import format_problems

from .records import Value, record

DRAFT = "brouillon"


class InvalidCatalog(Exception):
    """Some convention has errors; the message is the core's French report."""


@dataclass
class SiteState:
    root: Path
    catalog: Catalog
    today: date  # reference day of the computed dates (COOP_AUJOURDHUI, else today)
    records: list[dict[str, Value]] = field(default_factory=list)
    avenants: dict[str, list[Avenant]] = field(default_factory=dict)  # parent id -> by number
    in_force: dict[str, Convention] = field(default_factory=dict)  # id -> amended convention

    def signed_avenants(self, conv_id: str) -> list[Avenant]:
        return signed_avenants(self.avenants.get(conv_id, []))

    def conventions_in_force(self) -> list[Convention]:
        """Every convention as amended by its signed avenants, in catalogue order."""
        return [self.in_force[c.id] for c in self.catalog.conventions]


def load(root: Path, today: date | None = None, *, drafts: bool = True) -> SiteState:
    """Load and validate every convention under `root`; InvalidCatalog on any error.
    `today` defaults to `coop.deadlines.resolve_today()` ($COOP_AUJOURDHUI, else today).
    `drafts` false: draft conventions and draft avenants are left out of the state, so of
    every page, list, feed and data file built from it (`published`)."""
    today = today or resolve_today()
    catalog = load_catalog(root)
    if catalog.errors:
        n = len(catalog.errors)
        raise InvalidCatalog(
            f"{n} erreur{'s' if n > 1 else ''} dans les conventions : le catalogue n’est pas "
            f"construit.\n{format_problems(catalog.errors)}")
    if not drafts:
        catalog = published(catalog)
    st = SiteState(root=root, catalog=catalog, today=today,
                   avenants=catalog.by_parent)
    for conv in catalog.conventions:
        st.in_force[conv.id] = catalog.amended(conv)
    st.records = [record(st.in_force[c.id], today, avenants=len(st.avenants.get(c.id, [])))
                  for c in catalog.conventions]
    return st


def published(catalog: Catalog) -> Catalog:
    """`catalog` without its drafts (validated all the same): the one place where what
    the site publishes is chosen. A draft avenant of a published convention is left out
    too (it names people who have not signed); signed avenants are never drafts."""
    conventions = [c for c in catalog.conventions if c.statut != DRAFT]
    kept = {c.id for c in conventions}
    avenants = [a for a in catalog.avenants if a.parent_id in kept and a.statut != DRAFT]
    by_parent = {pid: [a for a in avs if a.statut != DRAFT]
                 for pid, avs in catalog.by_parent.items() if pid in kept}
    return replace(catalog, conventions=conventions, avenants=avenants, by_parent=by_parent)
