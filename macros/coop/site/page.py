"""The HTML of one convention page: summary card, full text, exports, departures.

Every value is escaped here; the agreement text comes sanitised from `sanitize`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from coop.avenants import Avenant
from coop.convention import Convention
from coop.deadlines import Schedule
from coop.document import Document

from . import records
from .labels import (
    DEPARTURES,
    NATURES,
    PUBLICS,
    STATUTS,
    TYPES,
    TYPES_LONG,
    format_date,
    label,
    plural,
)
from .sanitize import render_markdown


@dataclass(frozen=True)
class Download:
    label: str  # "PDF"
    href: str  # relative to the page
    size: int  # bytes


def esc(value: Any) -> str:
    """HTML-escaped text of any value."""
    return escape(str(value), quote=True)


_e = esc


def row(term: str, *values: str) -> str:
    """One <dt>/<dd> pair; `values` are HTML already escaped."""
    shown = [v for v in values if v]
    if not shown:
        return ""
    dd = "".join(f"<dd>{v}</dd>" for v in shown)
    return f'<div class="coop-fiche__champ"><dt>{_e(term)}</dt>{dd}</div>'


def badges(conv: Convention, status: str | None = None) -> str:
    """Type and status badges; `status` is the effective one, the declared status is
    named beside it when they differ (« Expirée (déclarée signée) »)."""
    t, declared = conv.type, conv.statut
    s = status or declared
    html = (
        f'<span class="coop-badge coop-badge--{_e(t)}" title="{_e(label(TYPES_LONG, t))}">'
        f"{_e(label(TYPES, t))}</span> "
        f'<span class="coop-badge coop-badge--{_e(s)}">{_e(label(STATUTS, s))}</span>'
    )
    if s != declared:
        html += (f' <span class="coop-muted coop-statut-declare">(déclarée '
                 f"{_e(label(STATUTS, declared).lower())})</span>")
    return html


def _party(p: dict[str, Any], ident: str) -> str:
    text = f"<strong>{_e(p.get('nom', ''))}</strong>"
    details = [label(NATURES, p.get("nature", ""))]
    if p.get(ident):
        details.append(f"{ident.upper()} {p[ident]}")
    return text + f' <span class="coop-muted">({_e(" · ".join(details))})</span>'


def _formation(conv: Convention) -> list[str]:
    f = conv.data.get("formation") or {}
    rows: list[str] = []
    if conv.type == "coloration" and f.get("diplome"):
        d = f["diplome"]
        rows.append(row("Diplôme coloré",
                         f"{_e(records.diploma_label(d))} "
                         f'<span class="coop-muted">(niveau {_e(d.get("niveau", ""))})</span>'))
        rows.append(row("Thème de la coloration", _e(f.get("theme", ""))))
        if f.get("secteur"):
            rows.append(row("Secteur", _e(f["secteur"])))
    else:
        rows.append(row("Formation", _e(f.get("intitule", ""))))
        rows.append(row("Secteur", _e(f.get("secteur", ""))))
        socles = [f"{_e(records.diploma_label(d))} "
                  f'<span class="coop-muted">(niveau {_e(d.get("niveau", ""))})</span>'
                  for d in f.get("diplomes_socles", [])]
        rows.append(row("Diplômes socles", *socles))
    publics = [label(PUBLICS, p) for p in f.get("publics", [])]
    if publics:
        effectif = f" — {plural(int(f['effectif']), 'place')}" if f.get("effectif") else ""
        rows.append(row("Publics", _e(", ".join(publics)) + _e(effectif)))
    return rows


def _period(conv: Convention) -> str:
    f = conv.data.get("formation") or {}
    duree = f.get("duree") or {}
    start, end = records.start_date(conv), duree.get("fin")
    if conv.type == "fcil" and end:
        return _e(f"Du {format_date(start)} au {format_date(end)}")
    text = f"À partir du {format_date(start)}" if start else ""
    if duree.get("annees_cycle"):
        text += f" — cycle de {plural(int(duree['annees_cycle']), 'an')}"
        if duree.get("annees_colorees"):
            years = ", ".join(f"{y}{'re' if y == 1 else 'e'}" for y in duree["annees_colorees"])
            text += f" (années colorées : {years})"
    return _e(text)


def _signature(conv: Convention) -> str:
    sig = conv.data.get("signature") or {}
    d = records.signature_date(conv)
    lieu = sig.get("lieu", "")
    if d:
        return _e(f"Signée à {lieu} le {format_date(d)}")
    return _e(f"Non signée — lieu prévu : {lieu}") if lieu else _e("Non signée")


def _comite(conv: Convention, sched: Schedule) -> list[str]:
    c = conv.data.get("comite_suivi") or {}
    n = (len(c.get("etablissement", [])) + len(c.get("academie", []))
         + sum(len(p.get("membres", [])) for p in c.get("partenaires", [])))
    text = f"Réunion une fois par an — {plural(n, 'membre')}"
    if c.get("derniere_reunion"):
        text += f" — dernière réunion le {format_date(c['derniere_reunion'])}"
    values = [_e(text)]
    if sched.next_comite is not None and sched.status == "signee":
        due = _e(f"Prochaine réunion au plus tard le {format_date(sched.next_comite)}")
        if sched.comite_overdue:
            due = (f'<strong class="coop-retard">{due}</strong> '
                   '<span class="coop-badge coop-badge--retard">en retard</span>')
        values.append(due)
    return values


def _effect(sched: Schedule) -> str:
    if sched.effective_date is None:
        return _e("À la signature par toutes les parties (non signée)")
    return _e(format_date(sched.effective_date))


def _term(conv: Convention, sched: Schedule) -> tuple[str, str]:
    """(row title, value) for the end of the current term."""
    if sched.term_end is None:
        return "Fin de la convention", ""
    end = format_date(sched.term_end)
    if sched.renews:
        years = ((conv.data.get("formation") or {}).get("duree") or {}).get("annees_cycle")
        cycle = f"un nouveau cycle de {plural(int(years), 'an')}" if years else "un nouveau cycle"
        return "Fin du cycle en cours", _e(
            f"{end} — reconduite tacitement pour {cycle}, sauf résiliation")
    if sched.status == "expiree":
        return "Fin de la convention", _e(f"{end} — terme atteint, sans reconduction")
    return "Fin de la convention", _e(f"{end} — sans reconduction tacite")


def _notice(conv: Convention, sched: Schedule) -> str:
    months = (conv.data.get("dispositions") or {}).get("preavis_mois")
    if not months:
        return ""
    text = _e(plural(int(months), "mois", "mois"))
    if sched.notice_deadline is not None and sched.notice_term_end is not None:
        text += _e(f" — pour résilier avant la reconduction du "
                   f"{format_date(sched.notice_term_end)}, lettre recommandée au plus tard le ")
        text += f"<strong>{_e(format_date(sched.notice_deadline))}</strong>"
    return text


def card(conv: Convention, sched: Schedule, downloads: Sequence[Download], model_href: str,
         ics_href: str = "", echeances_href: str = "") -> str:
    data = conv.data
    terr = data.get("territoire") or {}
    term_title, term_value = _term(conv, sched)
    rows = [
        row("Établissement" if len(data.get("etablissements", [])) < 2 else "Établissements",
             *[_party(p, "uai") for p in data.get("etablissements", [])]),
        row("Partenaire" if len(data.get("partenaires", [])) < 2 else "Partenaires",
             *[_party(p, "siret") for p in data.get("partenaires", [])]),
        *_formation(conv),
        row("Territoire", _e(f"{terr.get('libelle', '')} — académie de {conv.academie}, "
                              f"région académique {conv.region_academique}")),
        row("Période de formation", _period(conv)),
        row("Modèle suivi", f'<a href="{_e(model_href)}">{_e(conv.modele)}</a>'),
    ]
    dates = [  # computed by coop.deadlines on the day of the build
        row("Signature", _signature(conv)),
        row("Prise d’effet", _effect(sched)),
        row(term_title, term_value),
        row("Préavis de résiliation", _notice(conv, sched)),
        row("Comité de suivi", *_comite(conv, sched)),
    ]
    return (
        '<section class="coop-fiche" aria-labelledby="coop-fiche-titre">'
        '<div class="coop-fiche__entete">'
        f'<h2 class="coop-fiche__titre" id="coop-fiche-titre">{_e(conv.titre)}</h2>'
        f'<p class="coop-badges">{badges(conv, sched.status)}</p></div>'
        f'<dl class="coop-fiche__champs">{"".join(rows)}</dl>'
        '<div class="coop-fiche__dates">'
        '<h3 class="coop-fiche__sous-titre">Dates et échéances</h3>'
        f'<dl class="coop-fiche__champs">{"".join(dates)}</dl>'
        f"{calendar_block(ics_href, echeances_href)}</div>"
        f"{downloads_block(downloads)}</section>"
    )


def calendar_block(ics_href: str, echeances_href: str = "") -> str:
    """Link to the convention's own calendar feed (and to the « Échéances » page)."""
    if not ics_href:
        return ""
    more = (f' — <a href="{_e(echeances_href)}">toutes les échéances du catalogue</a>'
            if echeances_href else "")
    return ('<p class="coop-agenda">'
            f'<a href="{_e(ics_href)}" download>Ajouter ses échéances à mon agenda '
            f'<span class="coop-muted">(fichier .ics)</span></a>{more}</p>')


def downloads_block(downloads: Sequence[Download]) -> str:
    if not downloads:
        return ""
    links = "".join(
        f'<li><a class="md-button" href="{_e(d.href)}" download>'
        f'Télécharger le {_e(d.label)} <span class="coop-muted">({_e(_size(d.size))})</span>'
        f"</a></li>"
        for d in downloads
    )
    return f'<ul class="coop-telechargements" aria-label="Exemplaires à signer">{links}</ul>'


def _size(n: int) -> str:
    return f"{max(1, round(n / 1000))}\u00a0Ko" if n < 1_000_000 else f"{n / 1e6:.1f}\u00a0Mo"


def departures_block(doc: Document) -> str:
    deps = list(doc.departures)
    if not deps:
        return ""
    items = []
    for d in deps:
        art = doc.article(d.article_key)
        title = _e(d.title)
        if art is not None and d.kind != "suppression":
            title = f'<a href="#{_e(art.slug)}">{_e(art.heading)}</a>'
        reason = ""
        if d.kind == "suppression" and d.detail:  # the reason given for the removal
            reason = f'<div class="coop-ecart__motif">{render_markdown(d.detail).html}</div>'
        items.append(f"<li><strong>{_e(label(DEPARTURES, d.kind))}</strong> — "
                     f"{title}{reason}</li>")
    return (
        '<h2 id="ecarts-modele">Écarts par rapport au modèle</h2>'
        f'<ul class="coop-ecarts">{"".join(items)}</ul>'
    )


def source_block(conv: Convention | Avenant) -> str:
    return (
        '<p class="coop-source coop-muted">'
        f"Fichier source : <code>{_e(conv.relpath)}</code> — "
        f"empreinte <code>{_e(conv.source_hash[:10])}</code></p>"
    )


def split_h1(html: str) -> tuple[str, str]:
    """(the first <h1>…</h1>, the rest) of the agreement's HTML."""
    end = html.find("</h1>")
    if html.lstrip().startswith("<h1") and end != -1:
        return html[: end + 5], html[end + 5:]
    return "", html


def page_html(conv: Convention, sched: Schedule, expansion: Any, body_html: str,
              downloads: Sequence[Download], rel: Callable[[str], str],
              ics_uri: str = "", echeances_uri: str = "", after_card: str = "") -> str:
    """`ics_uri`, `echeances_uri`: site paths of the convention's .ics and of the
    « Échéances » page (links left out when empty); `after_card`: HTML put between the
    summary card and the text (the avenants)."""
    h1, text = split_h1(body_html)
    model_href = rel(f"modele/{conv.modele}/{conv.type}/")
    ics_href = rel(ics_uri) if ics_uri else ""
    echeances_href = rel(echeances_uri) if echeances_uri else ""
    return (
        f"{h1}{card(conv, sched, downloads, model_href, ics_href, echeances_href)}"
        f"{after_card}"
        f'<div class="coop-texte">{text}</div>'
        f"{departures_block(expansion)}{source_block(conv)}"
    )
