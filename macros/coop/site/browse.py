"""The catalogue without JavaScript: paged static lists of every convention.

Four ways in, each a list of conventions in alphabetical order of their title, cut in
pages of `PAGE_SIZE`: by académie, by type, by effective status, and all of them. A hub
page (`parcourir/`) links to the first page of each list; every page links to its
previous and next page and to a window of page numbers (constant size, whatever the
number of pages). So every convention is reachable from the catalogue page by plain
links, and a crawler finds them all.

Pure functions of the catalogue records (`coop.site.records`): each record goes into four
lists, each page holds at most `PAGE_SIZE` of them, so the whole is O(N) pages and links
(after one sort), and no page grows with the catalogue, except the hub's list of
alphabetical pages (N / PAGE_SIZE links).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coop.slug import slug

from .labels import STATUTS, TYPES, TYPES_LONG, label

PAGE_SIZE = 100
ROOT = "parcourir"
HUB_URI = f"{ROOT}/index.md"
HUB_TITLE = "Parcourir le catalogue"
CATALOGUE_URI = "catalogue.md"  # the interactive catalogue (docs/)
ALPHA = "alphabetique"

Record = dict[str, Any]

# The one list title of each type and effective status.
TYPE_TITLES = {
    "coloration": "Colorations de diplôme",
    "fcil": "Formations complémentaires d’initiative locale (FCIL)",
}
STATUS_TITLES = {
    "brouillon": "Conventions en brouillon",
    "en_signature": "Conventions en signature",
    "signee": "Conventions signées",
    "resiliee": "Conventions résiliées",
    "expiree": "Conventions expirées",
}
_DE_LA = {"Guadeloupe", "Guyane", "Martinique"}  # « académie de la Martinique »


def fold(text: str) -> str:
    """Sort key: accents and case ignored (« École » between « Ecole » and « Ecrit »)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


def academie_of(name: str) -> str:
    """« de Lyon », « d’Aix-Marseille », « de la Martinique »."""
    if name in _DE_LA:
        return f"de la {name}"
    return f"d’{name}" if fold(name[:1]) in "aeiouy" else f"de {name}"


@dataclass
class Listing:
    """One list: a facet's value (« Lyon »), its conventions in order, its pages."""

    facet: str  # "academie", "type", "statut" or ALPHA
    key: str  # the value's slug (« lyon »), "" for ALPHA
    label: str  # « Lyon », « Signée »…
    title: str  # « Conventions de l’académie de Lyon »
    rows: list[Record] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return f"{ROOT}/{self.facet}/{self.key}" if self.key else f"{ROOT}/{self.facet}"

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.rows) // PAGE_SIZE))

    def uri(self, number: int) -> str:
        """Source path of page `number` (1-based): `…/index.md`, then `…/page-2.md`."""
        return f"{self.folder}/index.md" if number == 1 else f"{self.folder}/page-{number}.md"


@dataclass(frozen=True)
class ListPage:
    listing: Listing
    number: int  # 1-based

    @property
    def first(self) -> int:
        """Rank (1-based) of the page's first convention in its list."""
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def rows(self) -> list[Record]:
        return self.listing.rows[self.first - 1:self.first - 1 + PAGE_SIZE]

    @property
    def title(self) -> str:
        count = self.listing.page_count
        if count == 1:
            return self.listing.title
        return f"{self.listing.title} — page {self.number} sur {count}"


@dataclass(frozen=True)
class Facet:
    name: str
    heading: str  # the hub's section
    listings: list[Listing]


def _group(rows: Iterable[Record], facet: str, value: Callable[[Record], str],
           make: Callable[[str], Listing]) -> list[Listing]:
    out: dict[str, Listing] = {}
    for r in rows:
        v = value(r)
        if v not in out:
            out[v] = make(v)
        out[v].rows.append(r)
    return list(out.values())


def facets(records: Iterable[Record]) -> list[Facet]:
    """The lists, every one in alphabetical order of title (then id)."""
    rows = sorted(records, key=lambda r: (fold(str(r["titre"])), str(r["id"])))
    academies = _group(rows, "academie", lambda r: str(r["academie"]), lambda a: Listing(
        "academie", slug(a) or "academie", a, f"Conventions de l’académie {academie_of(a)}"))
    academies.sort(key=lambda li: fold(li.label))
    types = _group(rows, "type", lambda r: str(r["type"]), lambda t: Listing(
        "type", slug(t), label(TYPES_LONG, t), TYPE_TITLES.get(t, label(TYPES, t))))
    types.sort(key=lambda li: _rank(TYPES, li.key))
    statuses = _group(rows, "statut", lambda r: str(r["statut_effectif"]), lambda s: Listing(
        "statut", slug(s), label(STATUTS, s), STATUS_TITLES.get(s, label(STATUTS, s))))
    statuses.sort(key=lambda li: _rank(STATUTS, li.key.replace("-", "_")))
    everything = Listing(ALPHA, "", "Toutes les conventions",
                         "Toutes les conventions, par ordre alphabétique", rows)
    return [Facet("academie", "Par académie", academies),
            Facet("type", "Par type", types),
            Facet("statut", "Par statut", statuses),
            Facet(ALPHA, "Par ordre alphabétique", [everything])]


def _rank(table: dict[str, str], key: str) -> tuple[int, str]:
    keys = list(table)
    return (keys.index(key), key) if key in keys else (len(keys), key)


def pages(all_facets: Sequence[Facet]) -> dict[str, ListPage]:
    """Every list page, by source path."""
    return {li.uri(n): ListPage(li, n) for f in all_facets for li in f.listings
            for n in range(1, li.page_count + 1)}


def window(current: int, count: int, radius: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and `radius` around the current one;
    None where numbers are skipped (« … »). At most 2 * radius + 5 entries."""
    shown = sorted({1, count, *range(max(1, current - radius), min(count, current + radius) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


# --- what the templates receive: plain values, hrefs already relative --------------

@dataclass(frozen=True)
class Link:
    text: str
    href: str
    note: str = ""  # « 12 conventions »
    span: tuple[str, str] | None = None  # first and last title of an alphabetical page


@dataclass(frozen=True)
class Item:
    title: str
    href: str
    type: str
    type_label: str
    status: str
    status_label: str
    academie: str
    formation: str


@dataclass(frozen=True)
class Pager:
    prev: str  # href, "" on the first page
    next: str  # href, "" on the last page
    numbers: list[tuple[int | None, str]]  # (number or None for « … », href)
    current: int
    count: int


def count_label(n: int) -> str:
    return f"{n}\u00a0convention{'s' if n > 1 else ''}"


def item(r: Record, href: str) -> Item:
    status = str(r["statut_effectif"])
    return Item(str(r["titre"]), href, str(r["type"]), label(TYPES, r["type"]), status,
                label(STATUTS, status), str(r["academie"]), str(r.get("formation") or ""))


def page_context(p: ListPage, href: Callable[[str], str],
                 convention_href: Callable[[Record], str]) -> dict[str, Any]:
    """What `browse.html` needs for page `p`: `href(source path)` links another
    generated page, `convention_href(record)` a convention's page."""
    li, count = p.listing, p.listing.page_count
    pager = Pager(
        prev=href(li.uri(p.number - 1)) if p.number > 1 else "",
        next=href(li.uri(p.number + 1)) if p.number < count else "",
        numbers=[(n, href(li.uri(n)) if n else "") for n in window(p.number, count)],
        current=p.number, count=count)
    return {"title": p.title, "listing": li, "first": p.first,
            "last": p.first + len(p.rows) - 1, "total": len(li.rows),
            "items": [item(r, convention_href(r)) for r in p.rows], "pager": pager,
            "hub_href": href(HUB_URI), "catalogue_href": href(CATALOGUE_URI),
            "alpha": li.facet == ALPHA}


def _alpha_link(p: ListPage, href: Callable[[str], str]) -> Link:
    rows = p.rows
    span = (str(rows[0]["titre"]), str(rows[-1]["titre"])) if rows else None
    return Link(f"Page {p.number}", href(p.listing.uri(p.number)), count_label(len(rows)), span)


def hub_context(all_facets: Sequence[Facet], href: Callable[[str], str]) -> dict[str, Any]:
    """What `browse_hub.html` needs: per facet, a link to each list's first page; for the
    alphabetical list, a link to each of its pages."""
    sections = []
    for f in all_facets:
        if f.name == ALPHA:
            li = f.listings[0]
            links = [_alpha_link(ListPage(li, n), href) for n in range(1, li.page_count + 1)]
        else:
            links = [Link(li.label, href(li.uri(1)), count_label(len(li.rows)))
                     for li in f.listings]
        sections.append((f.name, f.heading, links))
    total = len(all_facets[-1].listings[0].rows) if all_facets else 0
    return {"title": HUB_TITLE, "sections": sections, "total": total,
            "page_size": PAGE_SIZE, "catalogue_href": href(CATALOGUE_URI)}
