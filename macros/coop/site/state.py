"""What one build knows about the catalogue, shared by the hook and the page macros.

The hook fills it once per build (`load`); the macros of the hand-written pages read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from coop.catalog import Catalog, load_catalog
from coop.convention import Convention
from coop.deadlines import resolve_today
from coop.errors import format_problems

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
    _current = SiteState(root=root, catalog=catalog, today=today,
                         records=[record(c, today) for c in catalog.conventions])
    return _current


def current() -> SiteState:
    if _current is None:
        raise RuntimeError("catalogue non chargé : le hook coop.site n’est pas actif")
    return _current
