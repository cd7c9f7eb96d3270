"""The avenants on the site, as plain values for the templates: the « Avenants » block of
the parent's page, the card of an avenant's page and what the consolidated text (a
convention as amended by its signed avenants) links to.

No HTML here: the templates (`coop.site.renderer`) escape every value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from coop.avenants import Avenant
from coop.convention import Convention

from .labels import AVENANT_STATUTS, format_date, label
from .page import Badge, Card, Download, Value, row, rows


def avenant_uri(av: Avenant) -> str:
    """Source path of the generated page of an avenant, relative to docs_dir."""
    return f"conventions/{av.parent_id}/avenant-{av.numero}.md"


def consolidated_uri(conv_id: str) -> str:
    return f"conventions/{conv_id}/consolide.md"


def badge(av: Avenant) -> Badge:
    return Badge(av.statut, label(AVENANT_STATUTS, av.statut))


@dataclass(frozen=True)
class AvenantRow:
    """A row of the « Avenants » table of the parent's page."""

    label: str  # « Avenant n° 1 »
    href: str
    title: str
    status: Badge
    date_effet: date
    downloads: tuple[Download, ...]


@dataclass(frozen=True)
class Avenants:
    """The « Avenants » block of a convention page."""

    rows: tuple[AvenantRow, ...]
    signed: tuple[int, ...]  # numbers of the signed avenants
    consolidated_href: str  # empty when none is signed


def parent_block(avenants: Sequence[Avenant], avenant_href: Callable[[Avenant], str],
                 downloads: Callable[[Avenant], Sequence[Download]],
                 consolidated_href: str) -> Avenants | None:
    """The « Avenants » block (None when the convention has none); `consolidated_href` is
    empty when no avenant is signed."""
    if not avenants:
        return None
    signed = tuple(a.numero for a in avenants if a.statut == "signee")
    return Avenants(
        rows=tuple(AvenantRow(a.label, avenant_href(a), a.titre, badge(a),
                              a.data["date_effet"], tuple(downloads(a))) for a in avenants),
        signed=signed, consolidated_href=consolidated_href if signed else "")


def _signature(av: Avenant) -> str:
    sig = av.data.get("signature") or {}
    lieu, d = sig.get("lieu", ""), sig.get("date")
    if d:
        return f"Signé à {lieu} le {format_date(d)}"
    return f"Non signé — lieu prévu : {lieu}" if lieu else "Non signé"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def card(av: Avenant, parent: Convention, parent_href: str, consolidated_href: str = "",
         downloads: Sequence[Download] = ()) -> Card:
    """The card of an avenant's page; `consolidated_href` (the parent's consolidated text)
    is shown once the avenant is signed."""
    sig = av.data.get("signature") or {}
    modified = (Value(parent.titre, href=parent_href),)
    if consolidated_href and av.statut == "signee":
        modified += (Value(" — "), Value("texte consolidé", href=consolidated_href))
    status = badge(av)
    return Card(
        title=f"{av.label} — {av.titre}",
        badges=(Badge("avenant", "Avenant"), status),
        rows=rows(
            row("Convention modifiée", modified),
            row("Objet", _cap(str(av.data.get("objet", "")))),
            row("Date d’effet", format_date(av.data["date_effet"])),
            row("Statut", Value(status.label, badge=status.kind)),
            row("Signature", _signature(av)),
            row("Signataires", *[Value(f"{s['nom']}, {s['fonction']}", note=f"pour {s['partie']}")
                                 for s in sig.get("signataires", [])])),
        downloads=tuple(downloads))
