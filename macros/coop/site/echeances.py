"""The « Échéances » page: overdue comités de suivi, then upcoming deadlines grouped by
month, filterable by académie.

A pure function of the conventions and of the reference day; it returns Markdown with
raw HTML blocks (no blank line inside a block) and one small inline script, no external
asset. Every value from a convention is HTML-escaped, braces included, so the output
is inert whatever the page is later fed to.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from itertools import groupby

from ..catalog import Catalog
from ..convention import Convention
from ..datemath import add_months
from ..deadlines import COMITE_SUIVI, FIN_DE_TERME, PREAVIS, Event, schedule, upcoming
from ..frdates import format_date, month_title
from .feeds import REMINDER_DAYS

NBSP = "\u00a0"
LATE, LATE_TITLE = "retard", "En retard"  # the section of the overdue comités
Month = tuple[int, int]  # (year, month)

RULES = f"""\
## Comment ces dates sont calculées {{ #calcul }}

- **Prise d’effet**{NBSP}: la date de signature par toutes les parties, ou la date \
indiquée dans la convention quand elle prend effet à une date fixée.
- **Fin de la convention**{NBSP}: pour une FCIL, la date de fin de la formation{NBSP}; \
pour une coloration, le 31{NBSP}août de l’année scolaire où s’achève la dernière année \
colorée du cycle. Une coloration reconduite tacitement repart pour un cycle complet à \
chaque échéance («{NBSP}fin de cycle{NBSP}»).
- **Date limite de préavis**{NBSP}: dernier jour pour envoyer la lettre recommandée avec \
accusé de réception qui résilie une convention reconduite tacitement{NBSP}: la fin du \
cycle moins le préavis, en mois du calendrier. Quand le jour n’existe pas dans le mois \
d’arrivée, on retient le dernier jour de ce mois{NBSP}: 31{NBSP}mai moins 3{NBSP}mois \
donne le 28{NBSP}février (29 les années bissextiles). Le préavis court en principe à \
compter de la réception{NBSP}: envoyez la lettre quelques jours avant.
- **Comité de suivi**{NBSP}: une réunion par an, au plus tard un an après la dernière \
réunion enregistrée dans la convention, ou à défaut un an après la prise d’effet.
- Seules les conventions signées et en vigueur figurent ici{NBSP}; une convention signée \
dont le terme est passé sans reconduction est affichée comme expirée.
"""

_SCRIPT = """\
<script>
(function () {
  function apply(select) {
    var root = select.closest(".coop-echeances");
    if (!root) { return; }
    var value = select.value, shown = 0;
    root.querySelectorAll("tr[data-academie]").forEach(function (row) {
      var keep = !value || row.getAttribute("data-academie") === value;
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    root.querySelectorAll("section[data-mois]").forEach(function (section) {
      section.hidden = !section.querySelector("tr[data-academie]:not([hidden])");
    });
    var none = root.querySelector(".coop-echeances-aucune");
    if (none) { none.hidden = shown > 0; }
  }
  if (!window.coopEcheancesFiltre) {
    window.coopEcheancesFiltre = true;
    document.addEventListener("change", function (event) {
      var target = event.target;
      if (target && target.matches && target.matches("select.coop-echeances-filtre")) {
        apply(target);
      }
    });
  }
  document.querySelectorAll("select.coop-echeances-filtre").forEach(apply);
})();
</script>"""


@dataclass(frozen=True)
class Feed:
    """A calendar feed offered on the page: national (`academie` empty) or one académie's."""

    academie: str
    href: str  # the file, relative to the page
    address: str = ""  # its absolute https address, "" when the site's address is unknown

    @property
    def webcal(self) -> str:
        """The same address for calendar applications (`webcal://`), "" without one."""
        host = self.address.split("://", 1)[-1]
        return f"webcal://{host}" if self.address else ""


SUBSCRIBE_ID = "abonnement"
BUTTON = ' class="md-button md-button--primary"'


def _feed_links(feed: Feed, what: str, button: str = "") -> str:
    """Subscribe (webcal, or the file's address to copy: never `download`), the address
    shown to copy, and the file to download."""
    if feed.webcal:
        subscribe = f'<a{button} href="{_text(feed.webcal)}">S’abonner {what}</a>'
        copy = (f"Adresse d’abonnement à copier dans votre agenda{NBSP}: "
                f"<code>{_text(feed.address)}</code>")
    else:
        subscribe = f'<a{button} href="{_text(feed.href)}">S’abonner {what}</a>'
        copy = f"Adresse d’abonnement{NBSP}: copiez l’adresse du lien «{NBSP}S’abonner{NBSP}»"
    download = (f'<a href="{_text(feed.href)}" download>télécharger le fichier '
                f'<span class="coop-muted">(.ics)</span></a>')
    return f"{subscribe}<br>{copy} — ou {download}"


def subscriptions(feeds: Sequence[Feed]) -> str:
    """The « S’abonner » section: the national feed, then one per académie."""
    national = [f for f in feeds if not f.academie]
    by_academy = sorted((f for f in feeds if f.academie), key=lambda f: _fold(f.academie))
    parts = [f"## S’abonner aux échéances {{ #{SUBSCRIBE_ID} }}\n",
             '<div class="coop-abonnement" data-pagefind-ignore>\n'
             "<p>Un agenda <strong>abonné</strong> (Outlook, Thunderbird, Google Agenda, "
             "agenda du téléphone) se met à jour à chaque publication du catalogue, avec un "
             f"rappel {REMINDER_DAYS}{NBSP}jours avant chaque date limite de préavis et "
             "chaque comité de suivi ; un fichier importé, lui, ne change plus.</p>"]
    for f in national:
        parts.append(f"<p>{_feed_links(f, 'au calendrier national', BUTTON)}</p>")
    if by_academy:
        items = "".join(f"<li><strong>{_text(f.academie)}</strong>{NBSP}: "
                        f"{_feed_links(f, 'au calendrier de l’académie')}</li>"
                        for f in by_academy)
        parts.append(f"<details><summary>Ou seulement les échéances d’une académie "
                     f"({len(by_academy)}{NBSP}calendrier{'s' if len(by_academy) > 1 else ''})"
                     "</summary>"
                     f'<ul class="coop-abonnement__academies">{items}</ul></details>')
    parts.append("</div>\n")
    return "\n".join(parts)


def _text(value: object) -> str:
    """HTML-escaped text, braces as entities: never markup nor template syntax."""
    return escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


def _kind_cell(event: Event, overdue: bool = False) -> str:
    label = f'<span class="coop-echeance-type">{_text(event.label)}</span>'
    if overdue:
        label += ' <span class="coop-badge coop-badge--retard">en retard</span>'
    elif event.kind == PREAVIS and event.term_end is not None:
        label += (f"<br><small>préavis de {event.preavis_mois}{NBSP}mois avant la fin de cycle "
                  f"du {_text(format_date(event.term_end))}</small>")
    elif event.kind == FIN_DE_TERME and not event.renews:
        label += "<br><small>sans reconduction</small>"
    return label


def _row(event: Event, link_prefix: str, overdue: bool = False) -> str:
    href = f"{link_prefix}conventions/{event.convention_id}/"
    return (f'<tr data-academie="{_text(event.academie)}" data-type="{_text(event.kind)}">'
            f'<td><time datetime="{event.date.isoformat()}">{_text(format_date(event.date))}'
            f"</time></td><td>{_kind_cell(event, overdue)}</td>"
            f'<td><a href="{_text(href)}">{_text(event.title)}</a></td>'
            f"<td>{_text(event.academie)}</td></tr>")


def _anchor(key: str) -> str:
    """Id of a section's heading: « echeances-2027-02 », « echeances-retard »."""
    return f"echeances-{key}"


def _month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _section(key: str, title: str, rows: str, note: str = "") -> str:
    return (f'<section class="coop-echeances-mois" data-mois="{key}">\n'
            f'<h2 id="{_anchor(key)}">{title}</h2>\n{note}'
            '<table class="coop-echeances-table">\n'
            "<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Échéance</th>"
            "<th scope=\"col\">Convention</th><th scope=\"col\">Académie</th>"
            "</tr></thead>\n<tbody>\n"
            f"{rows}\n</tbody>\n</table>\n</section>")


def _month(key: Month, evts: list[Event], link_prefix: str) -> str:
    rows = "\n".join(_row(e, link_prefix) for e in evts)
    return _section(_month_key(*key), month_title(*key), rows)


def overdue_comites(conventions: Iterable[Convention], today: date) -> list[Event]:
    """The comités de suivi that should have met before `today` (conventions in force),
    oldest first."""
    out = []
    for c in conventions:
        sched = schedule(c.data, today)
        if sched.comite_overdue and sched.next_comite is not None:
            out.append(Event(sched.next_comite, COMITE_SUIVI, c.id, c.titre, c.academie,
                             renews=sched.renews, index=sched.next_comite.year))
    return sorted(out, key=Event.sort_key)


def _overdue(evts: list[Event], link_prefix: str) -> str:
    rows = "\n".join(_row(e, link_prefix, overdue=True) for e in evts)
    note = ('<p class="coop-echeances-note">Comités de suivi qui auraient dû se réunir : '
            "une fois la réunion tenue, indiquez sa date dans "
            "<code>comite_suivi.derniere_reunion</code>.</p>\n")
    return _section(LATE, LATE_TITLE, rows, note)


def _filter(evts: list[Event]) -> str:
    academies = sorted({e.academie for e in evts}, key=_fold)
    options = "".join(f'<option value="{_text(a)}">{_text(a)}</option>' for a in academies)
    return ('<p class="coop-echeances-filtre-bloc">'
            f'<label for="coop-echeances-academie">Académie{NBSP}:</label> '
            '<select id="coop-echeances-academie" class="coop-echeances-filtre">'
            f'<option value="">Toutes les académies</option>{options}</select></p>')


def _agenda(catalog: Catalog | Iterable[Convention], today: date, months: int
            ) -> tuple[list[Event], list[tuple[Month, list[Event]]]]:
    """(overdue comités, the next `months` months' events grouped by month): what the
    page shows and its table of contents lists."""
    conventions = catalog.conventions if isinstance(catalog, Catalog) else list(catalog)
    evts = upcoming(conventions, today, months)
    groups = [(key, list(group)) for key, group in
              groupby(evts, key=lambda e: (e.date.year, e.date.month))]
    return overdue_comites(conventions, today), groups


def headings(catalog: Catalog | Iterable[Convention], today: date, *, months: int = 12
             ) -> list[tuple[str, str]]:
    """(id, title) of the page's section headings, in page order: the table of contents
    (they sit in raw HTML, which the engine's toc does not read)."""
    late, groups = _agenda(catalog, today, months)
    out = [(_anchor(LATE), LATE_TITLE)] if late else []
    return out + [(_anchor(_month_key(*key)), month_title(*key)) for key, _evts in groups]


def echeances_page(catalog: Catalog | Iterable[Convention], today: date, *, months: int = 12,
                   link_prefix: str = "", ics_url: str | None = None,
                   heading: str | None = None, feeds: Sequence[Feed] = ()) -> str:
    """The page's Markdown: intro, académie filter, one section per month (soonest
    first) with one table row per event, then how the dates are computed.

    `link_prefix` goes before `conventions/<id>/` (e.g. "../" when the page is served at
    `echeances/`); `ics_url` adds the calendar subscription link, or `feeds` a section to
    subscribe to each feed (`subscriptions`); `heading` an H1."""
    late, groups = _agenda(catalog, today, months)
    evts = [e for _key, group in groups for e in group]
    last = add_months(today, months) - timedelta(days=1)
    parts = [f"# {heading}\n"] if heading else []
    parts.append(
        f"Fins de convention, dates limites de préavis et comités de suivi des conventions "
        f"signées, du {format_date(today)} au {format_date(last)}, par ordre chronologique"
        + (" ; les comités de suivi en retard d’abord.\n" if late else ".\n"))
    if feeds:
        parts.append(f'<p class="coop-echeances-ics"><a href="#{SUBSCRIBE_ID}">S’abonner à ces '
                     "échéances dans son agenda</a> (calendrier national ou d’une académie, "
                     "avec rappels).</p>\n")
    elif ics_url:
        parts.append(f'<p class="coop-echeances-ics"><a href="{_text(ics_url)}" download>'
                     "S’abonner au calendrier des échéances (.ics)</a> "
                     '<span class="coop-muted">— pour un agenda qui se met à jour, '
                     "abonnez-le à l’adresse de ce lien plutôt que d’importer le fichier. "
                     "Chaque convention a aussi son propre calendrier, sur sa page.</span></p>\n")
    if not evts and not late:
        parts.append(f"*Aucune échéance dans les {months}{NBSP}prochains mois.*\n")
    else:
        sections = [_overdue(late, link_prefix)] if late else []
        sections += [_month(key, group, link_prefix) for key, group in groups]
        if not evts:
            sections.append(f'<p class="coop-echeances-vide">Aucune autre échéance dans les '
                            f"{months}{NBSP}prochains mois.</p>")
        body = "\n".join(sections)
        parts.append(
            f'<div class="coop-echeances" data-aujourdhui="{today.isoformat()}">\n'
            f"{_filter(late + evts)}\n{body}\n"
            '<p class="coop-echeances-aucune" hidden>Aucune échéance pour cette académie.</p>\n'
            "</div>\n")
        parts.append(_SCRIPT + "\n")
    if feeds:
        parts.append(subscriptions(feeds))
    parts.append(RULES)
    return "\n".join(parts)
