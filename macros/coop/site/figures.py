"""Key figures of the home page (counts by type, status and académie), as HTML."""

from __future__ import annotations

from collections import Counter
from html import escape
from urllib.parse import urlencode

from coop.academies import REGION_OF

from .labels import STATUTS, label
from .records import Value

Record = dict[str, Value]


def _link(base: str, **params: str) -> str:
    return escape(f"{base}?{urlencode(params)}" if params else base)


def key_figures(records: list[Record], catalogue_url: str) -> str:
    """The headline tiles: total, per type, signed."""
    types = Counter(str(r["type"]) for r in records)
    statuts = Counter(str(r["statut_effectif"]) for r in records)
    n, col, fcil, signed = (len(records), types.get("coloration", 0), types.get("fcil", 0),
                            statuts.get("signee", 0))
    tiles = [
        (n, "convention" + ("s" if n > 1 else "") + " au catalogue", _link(catalogue_url)),
        (col, "coloration" + ("s" if col > 1 else "") + " de diplôme",
         _link(catalogue_url, type="coloration")),
        (fcil, "FCIL", _link(catalogue_url, type="fcil")),
        (signed, "convention" + ("s signées" if signed > 1 else " signée"),
         _link(catalogue_url, statut="signee")),
    ]
    items = "".join(
        f'<li class="coop-chiffre"><a href="{href}"><span class="coop-chiffre__nombre">{n}'
        f'</span><span class="coop-chiffre__libelle">{escape(text)}</span></a></li>'
        for n, text, href in tiles)
    return f'<ul class="coop-chiffres" aria-label="Chiffres clés">{items}</ul>'


def by_status(records: list[Record], catalogue_url: str) -> str:
    counts = Counter(str(r["statut_effectif"]) for r in records)
    rows = "".join(
        f'<tr><td><a href="{_link(catalogue_url, statut=s)}">{escape(label(STATUTS, s))}</a>'
        f'</td><td class="coop-nombre">{counts.get(s, 0)}</td></tr>'
        for s in STATUTS)
    return ('<table class="coop-tableau-chiffres"><caption>Par statut</caption><thead><tr>'
            '<th scope="col">Statut</th><th scope="col" class="coop-nombre">Conventions</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>")


def by_academie(records: list[Record], catalogue_url: str) -> str:
    counts: Counter[tuple[str, str]] = Counter(
        (str(r["academie"]), str(r["type"])) for r in records)
    academies = sorted({a for a, _ in counts}, key=lambda a: (REGION_OF.get(a, ""), a))
    rows = []
    for a in academies:
        col, fcil = counts.get((a, "coloration"), 0), counts.get((a, "fcil"), 0)
        rows.append(
            f'<tr><td>{escape(REGION_OF.get(a, ""))}</td>'
            f'<td><a href="{_link(catalogue_url, academie=a)}">{escape(a)}</a></td>'
            f'<td class="coop-nombre">{col}</td><td class="coop-nombre">{fcil}</td>'
            f'<td class="coop-nombre">{col + fcil}</td></tr>')
    if not rows:
        rows.append('<tr><td colspan="5">Aucune convention pour l’instant.</td></tr>')
    return ('<table class="coop-tableau-chiffres"><caption>Par académie</caption><thead><tr>'
            '<th scope="col">Région académique</th><th scope="col">Académie</th>'
            '<th scope="col" class="coop-nombre">Colorations</th>'
            '<th scope="col" class="coop-nombre">FCIL</th>'
            '<th scope="col" class="coop-nombre">Total</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
