"""What the page of a convention shows, as plain values for its templates: the summary
card (rows of term and values), badges, downloads.

No HTML here: the templates (`coop.site.renderer`) escape every value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coop.convention import Convention
from coop.deadlines import Schedule
from coop.identifiers import format_siret

from . import models, records
from .labels import NATURES, PUBLICS, STATUTS, TYPES, TYPES_LONG, format_date, label, plural


@dataclass(frozen=True)
class Download:
    label: str  # the format: "PDF"
    href: str  # relative to the page
    size: int  # bytes
    what: str = ""  # what the file is: « l’exemplaire à signer (non signé) » (downloads.py)
    note: str = ""  # a signed copy's verification, in words
    main: bool = False  # the main download of the page (a recorded signed copy)


@dataclass(frozen=True)
class Badge:
    kind: str  # a statut or a type: the CSS modifier (coop-badge--signee)
    label: str
    title: str = ""  # the long form, shown on hover


@dataclass(frozen=True)
class Value:
    """A piece of a card's value, plain text; the template styles it."""

    text: str
    href: str = ""  # the text links there
    strong: bool = False  # emphasised (a party's name, the last day to act)
    note: str = ""  # muted, in parentheses, after the text
    late: bool = False  # an overdue date: emphasised, with an « en retard » badge
    badge: str = ""  # shown as the badge of that status


Line = tuple[Value, ...]  # one <dd>


@dataclass(frozen=True)
class Row:
    term: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Card:
    """The summary card of a convention or an avenant."""

    title: str
    badges: tuple[Badge, ...]
    rows: tuple[Row, ...]
    dates: tuple[Row, ...] = ()  # « Dates et échéances », computed on the day of the build
    declared: str = ""  # the declared status, when the effective one differs
    downloads: tuple[Download, ...] = ()
    ics_href: str = ""  # the convention's calendar feed (none without events)
    echeances_href: str = ""  # the « Échéances » page


def row(term: str, *lines: str | Value | Line) -> Row | None:
    """A row of the card; empty values are left out, and a row without any value too."""
    shown = tuple((x,) if isinstance(x, Value) else (Value(x),) if isinstance(x, str) else x
                  for x in lines if x)
    return Row(term, shown) if shown else None


def rows(*items: Row | None) -> tuple[Row, ...]:
    return tuple(r for r in items if r is not None)


def badges(conv: Convention, status: str | None = None) -> tuple[tuple[Badge, ...], str]:
    """(type and status badges, the declared status in lower case when the effective
    `status` differs: « Expirée (déclarée signée) »)."""
    t, declared = conv.type, conv.statut
    s = status or declared
    shown = (Badge(t, label(TYPES, t), label(TYPES_LONG, t)), Badge(s, label(STATUTS, s)))
    return shown, label(STATUTS, declared).lower() if s != declared else ""


def _party(p: dict[str, Any], ident: str) -> Value:
    details = [label(NATURES, p.get("nature", ""))]
    if p.get(ident):  # a SIRET written as on the copy: « 732 829 320 00074 »
        value = format_siret(str(p[ident])) if ident == "siret" else p[ident]
        details.append(f"{ident.upper()} {value}")
    return Value(str(p.get("nom", "")), strong=True, note=" · ".join(details))


def _diploma(d: dict[str, Any]) -> Value:
    return Value(records.diploma_label(d), note=f"niveau {d.get('niveau', '')}")


def _formation(conv: Convention) -> list[Row | None]:
    f = conv.data.get("formation") or {}
    out: list[Row | None] = []
    if conv.type == "coloration" and f.get("diplome"):
        out += [row("Diplôme coloré", _diploma(f["diplome"])),
                row("Thème de la coloration", str(f.get("theme", ""))),
                row("Secteur", str(f.get("secteur") or ""))]
    else:
        out += [row("Formation", str(f.get("intitule", ""))),
                row("Secteur", str(f.get("secteur", ""))),
                row("Diplômes socles", *map(_diploma, f.get("diplomes_socles", [])))]
    publics = [label(PUBLICS, p) for p in f.get("publics", [])]
    if publics:
        effectif = f" — {plural(int(f['effectif']), 'place')}" if f.get("effectif") else ""
        out.append(row("Publics", ", ".join(publics) + effectif))
    return out


def _period(conv: Convention) -> str:
    f = conv.data.get("formation") or {}
    duree = f.get("duree") or {}
    start, end = records.start_date(conv), duree.get("fin")
    if conv.type == "fcil" and end:
        return f"Du {format_date(start)} au {format_date(end)}"
    text = f"À partir du {format_date(start)}" if start else ""
    if duree.get("annees_cycle"):
        text += f" — cycle de {plural(int(duree['annees_cycle']), 'an')}"
        if duree.get("annees_colorees"):
            years = ", ".join(f"{y}{'re' if y == 1 else 'e'}" for y in duree["annees_colorees"])
            text += f" (années colorées : {years})"
    return text


def _signature(conv: Convention) -> str:
    sig = conv.data.get("signature") or {}
    d = records.signature_date(conv)
    lieu = sig.get("lieu", "")
    if d:
        return f"Signée à {lieu} le {format_date(d)}"
    return f"Non signée — lieu prévu : {lieu}" if lieu else "Non signée"


def _comite(conv: Convention, sched: Schedule) -> list[Value]:
    c = conv.data.get("comite_suivi") or {}
    n = (len(c.get("etablissement", [])) + len(c.get("academie", []))
         + sum(len(p.get("membres", [])) for p in c.get("partenaires", [])))
    text = f"Réunion une fois par an — {plural(n, 'membre')}"
    if c.get("derniere_reunion"):
        text += f" — dernière réunion le {format_date(c['derniere_reunion'])}"
    values = [Value(text)]
    if sched.next_comite is not None and sched.status == "signee":
        values.append(Value(f"Prochaine réunion au plus tard le {format_date(sched.next_comite)}",
                            late=sched.comite_overdue))
    return values


def _effect(sched: Schedule) -> str:
    if sched.effective_date is None:
        return "À la signature par toutes les parties (non signée)"
    return format_date(sched.effective_date)


def _term(conv: Convention, sched: Schedule) -> Row | None:
    """The end of the current term."""
    if sched.term_end is None:
        return None
    end = format_date(sched.term_end)
    if sched.renews:
        years = ((conv.data.get("formation") or {}).get("duree") or {}).get("annees_cycle")
        cycle = f"un nouveau cycle de {plural(int(years), 'an')}" if years else "un nouveau cycle"
        return row("Fin du cycle en cours",
                   f"{end} — reconduite tacitement pour {cycle}, sauf résiliation")
    if sched.status == "expiree":
        return row("Fin de la convention", f"{end} — terme atteint, sans reconduction")
    return row("Fin de la convention", f"{end} — sans reconduction tacite")


def _notice(conv: Convention, sched: Schedule) -> Line:
    months = (conv.data.get("dispositions") or {}).get("preavis_mois")
    if not months:
        return ()
    text = plural(int(months), "mois", "mois")
    if sched.notice_deadline is None or sched.notice_term_end is None:
        return (Value(text),)
    return (Value(f"{text} — pour résilier avant la reconduction du "
                  f"{format_date(sched.notice_term_end)}, lettre recommandée au plus tard le "),
            Value(format_date(sched.notice_deadline), strong=True))


def _plural_term(singular: str, items: Sequence[object]) -> str:
    return singular if len(items) < 2 else singular + "s"


def card(conv: Convention, sched: Schedule, model_href: str, *,
         downloads: Sequence[Download] = (), ics_href: str = "",
         echeances_href: str = "") -> Card:
    """The card of `conv` (the convention in force), its dates as of `sched`."""
    data = conv.data
    terr = data.get("territoire") or {}
    etabs, partners = data.get("etablissements", []), data.get("partenaires", [])
    shown, declared = badges(conv, sched.status)
    return Card(
        title=conv.titre, badges=shown, declared=declared,
        rows=rows(
            row(_plural_term("Établissement", etabs), *[_party(p, "uai") for p in etabs]),
            row(_plural_term("Partenaire", partners), *[_party(p, "siret") for p in partners]),
            *_formation(conv),
            row("Territoire", f"{terr.get('libelle', '')} — académie de {conv.academie}, "
                              f"région académique {conv.region_academique}"),
            row("Période de formation", _period(conv)),
            row("Modèle suivi", Value(models.label(conv.modele), href=model_href))),
        dates=rows(
            row("Signature", _signature(conv)),
            row("Prise d’effet", _effect(sched)),
            _term(conv, sched),
            row("Préavis de résiliation", _notice(conv, sched)),
            row("Comité de suivi", *_comite(conv, sched))),
        downloads=tuple(downloads), ics_href=ics_href, echeances_href=echeances_href)
