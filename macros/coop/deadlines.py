"""Deadlines of a convention, computed from its validated front-matter (pure functions).

One place for every date the site, the calendar feed and the command line show:

- **effective date**: the signature date (the model: « à compter de la date de signature
  par toutes les parties »), or `dispositions.date_effet` when `prise_effet` is `date`;
  `None` while the convention is not signed;
- **end of a term**: FCIL → `formation.duree.fin` (one term, never renewed: an FCIL lasts
  one school year at most). Coloration → 31 August of the school year in which the last
  coloured year of the cycle ends, the cycle starting at the school year of
  `formation.duree.debut` (a date from August onwards belongs to the school year that
  starts that year): `debut` 2026-09-01, `annees_colorees` [2, 3] → 31 August 2029.
  With `tacite_reconduction`, the convention is renewed for a whole new cycle
  (`annees_cycle` years) at the end of each term: 2032-08-31, 2035-08-31…;
  the *current* term is the first one that ends on or after today;
- **notice deadline** (last day to send the termination letter): the end of the term
  minus `preavis_mois` calendar months, same day number, clamped to the last day of the
  month when that day does not exist (`coop.datemath.add_months`): 31 May − 3 months =
  28 February (29 in a leap year), 31 August − 6 months = 28/29 February. It only
  matters, and is only reported, for a convention renewed tacitly: a fixed-term
  convention ends by itself;
- **comité de suivi**: due one year after `comite_suivi.derniere_reunion` when recorded,
  else one year after the effective date, then every year (anchored on that date, so
  29 February → 28 February, then 29 February again in the next leap year); only while
  the convention runs. A convention that ends less than a year after taking effect (an
  FCIL) with no meeting recorded must still hold one: it is due by the last day;
- **effective status**: a `signee` convention whose last term has ended (no tacit
  renewal) is `expiree`; every other status is kept as written.

A term ends at the end of its last day: on that day the convention still runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .convention import Convention
from .datemath import add_months
from .frdates import format_date

TODAY_ENV = "COOP_AUJOURDHUI"
TERM_WARNING_DAYS = 90
NOTICE_WARNING_DAYS = 60

FIN_DE_TERME, PREAVIS, COMITE_SUIVI = "fin_de_terme", "preavis", "comite_suivi"
KINDS = (FIN_DE_TERME, PREAVIS, COMITE_SUIVI)
KIND_LABELS = {
    FIN_DE_TERME: "Fin de la convention",
    PREAVIS: "Date limite de préavis",
    COMITE_SUIVI: "Comité de suivi",
}
RENEWAL_LABEL = "Fin de cycle (reconduction tacite)"
UNSIGNED = ("brouillon", "en_signature")

_DAY = timedelta(days=1)
_MAX_TERMS = 1000  # a renewed convention never ends: a bound for the iterators


# --- today -------------------------------------------------------------------------------

def parse_day(text: str, source: str = "--date") -> date:
    """`AAAA-MM-JJ` -> date; ValueError with a French message otherwise."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"{source} : date invalide « {text} », attendu AAAA-MM-JJ "
                     "(par exemple 2026-09-01)")


def resolve_today(explicit: str | None = None,
                  environ: Mapping[str, str] | None = None) -> date:
    """The reference day: `explicit` (`--date`), else $COOP_AUJOURDHUI, else the real today."""
    if explicit:
        return parse_day(explicit, "--date")
    value = (os.environ if environ is None else environ).get(TODAY_ENV, "").strip()
    if value:
        return parse_day(value, TODAY_ENV)
    return date.today()


# --- dates of one convention -------------------------------------------------------------

def _get(data: Mapping[str, Any], *path: str) -> Any:
    value: Any = data
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def effective_date(data: Mapping[str, Any]) -> date | None:
    """Signature date, or `dispositions.date_effet` when `prise_effet` is `date`; None
    while unsigned."""
    signed = _date(_get(data, "signature", "date"))
    if signed is None:
        return None
    if _get(data, "dispositions", "prise_effet") == "date":
        return _date(_get(data, "dispositions", "date_effet")) or signed
    return signed


def renews(data: Mapping[str, Any]) -> bool:
    """Tacit renewal: a coloration whose `dispositions.tacite_reconduction` is true."""
    return (data.get("type") == "coloration"
            and _get(data, "dispositions", "tacite_reconduction") is True)


def school_year_start(d: date) -> int:
    """The calendar year a school year starts in: August onwards opens a new one (some
    académies, La Réunion for one, go back to school in mid-August)."""
    return d.year if d.month >= 8 else d.year - 1


def cycle_years(data: Mapping[str, Any]) -> int:
    value = _get(data, "formation", "duree", "annees_cycle")
    return value if isinstance(value, int) and value > 0 else 1


def first_term_end(data: Mapping[str, Any]) -> date | None:
    """End of the first term (see the module docstring); None when the dates are missing."""
    if data.get("type") == "fcil":
        return _date(_get(data, "formation", "duree", "fin"))
    start = _date(_get(data, "formation", "duree", "debut"))
    if start is None:
        return None
    colored = _get(data, "formation", "duree", "annees_colorees")
    years = [y for y in colored if isinstance(y, int)] if isinstance(colored, list) else []
    last = max(years) if years else cycle_years(data)
    return date(school_year_start(start) + last, 8, 31)


def term_ends(data: Mapping[str, Any]) -> Iterator[date]:
    """Every term end, soonest first: one, or one per cycle when renewed tacitly."""
    first = first_term_end(data)
    if first is None:
        return
    yield first
    if renews(data):
        step = cycle_years(data)
        for k in range(1, _MAX_TERMS):
            yield date(first.year + k * step, 8, 31)


def term_end(data: Mapping[str, Any], today: date) -> date | None:
    """End of the current term: the first one ending on or after `today`; once every term
    has ended (no renewal), the last one."""
    last = None
    for end in term_ends(data):
        last = end
        if end >= today:
            break
    return last


def final_end(data: Mapping[str, Any]) -> date | None:
    """The day the convention stops by itself; None when renewed tacitly (or no dates)."""
    return None if renews(data) else first_term_end(data)


def notice_deadline(end: date, preavis_mois: int) -> date:
    """Last day to send the termination letter for a term ending on `end`: `end` minus
    `preavis_mois` calendar months, clamped to the end of the month (31 May − 3 months =
    28 February, or 29 in a leap year)."""
    return add_months(end, -preavis_mois)


def preavis_mois(data: Mapping[str, Any]) -> int:
    value = _get(data, "dispositions", "preavis_mois")
    return value if isinstance(value, int) and value > 0 else 1


def notice_deadlines(data: Mapping[str, Any]) -> Iterator[tuple[date, date]]:
    """(notice deadline, term end) for every term of a tacitly renewed convention."""
    if not renews(data):
        return
    months = preavis_mois(data)
    for end in term_ends(data):
        yield notice_deadline(end, months), end


def comite_dates(data: Mapping[str, Any]) -> Iterator[date]:
    """Due dates of the comité de suivi, soonest first: one year after the last recorded
    meeting (else after the effective date), then every year, while the convention runs.
    A convention that ends less than a year after taking effect, with no meeting recorded,
    is due to meet by its last day."""
    last = _date(_get(data, "comite_suivi", "derniere_reunion"))
    anchor = last or effective_date(data)
    if anchor is None:
        return
    stop = final_end(data)
    for k in range(1, _MAX_TERMS):
        due = add_months(anchor, 12 * k)
        if stop is not None and due > stop:
            if k == 1 and last is None and stop >= anchor:
                yield stop  # a convention shorter than a year still meets its comité once
            return
        yield due


def next_comite(data: Mapping[str, Any]) -> date | None:
    """The next comité due: overdue when before today."""
    return next(comite_dates(data), None)


def effective_status(data: Mapping[str, Any], today: date) -> str:
    """`signee` whose last term ended before `today` -> `expiree`; otherwise as written."""
    status = str(data.get("statut"))
    end = final_end(data)
    if status == "signee" and end is not None and end < today:
        return "expiree"
    return status


# --- summary for the catalogue and the convention page -----------------------------------

@dataclass(frozen=True)
class Schedule:
    """The computed dates of one convention on a given day."""

    effective_date: date | None
    term_end: date | None  # end of the current term (the last one once ended)
    renews: bool  # tacit renewal: `term_end` is the end of the current cycle
    notice_deadline: date | None  # next one not yet passed; only when in force and `renews`
    notice_term_end: date | None  # the term end that `notice_deadline` is about
    next_comite: date | None  # None when no comité is due while the convention runs
    comite_overdue: bool
    status: str  # effective status
    declared_status: str


def schedule(data: Mapping[str, Any], today: date) -> Schedule:
    status = effective_status(data, today)
    in_force = status == "signee"
    notice = next(((n, e) for n, e in notice_deadlines(data) if n >= today), None)
    notice = notice if in_force else None
    comite = next_comite(data)
    return Schedule(
        effective_date=effective_date(data),
        term_end=term_end(data, today),
        renews=renews(data),
        notice_deadline=notice[0] if notice else None,
        notice_term_end=notice[1] if notice else None,
        next_comite=comite,
        comite_overdue=in_force and comite is not None and comite < today,
        status=status,
        declared_status=str(data.get("statut")),
    )


# --- events --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Event:
    """One deadline of one convention. `term_end`: for `preavis`, the end of the term the
    letter stops; `index`: the term number (0 = first) or, for a comité, its year."""

    date: date
    kind: str  # "fin_de_terme" | "preavis" | "comite_suivi"
    convention_id: str
    title: str
    academie: str
    renews: bool = False
    term_end: date | None = None
    preavis_mois: int = 0
    index: int = 0

    def sort_key(self) -> tuple[date, str, str, int]:
        return (self.date, self.kind, self.convention_id, self.index)

    @property
    def label(self) -> str:
        """Kind of event, in French."""
        if self.kind == FIN_DE_TERME and self.renews:
            return RENEWAL_LABEL
        return KIND_LABELS[self.kind]

    @property
    def uid_key(self) -> str:
        """Identifies the event across builds even when its date is edited."""
        return f"{self.convention_id}/{self.kind}/{self.index}"

    def detail(self) -> str:
        """One sentence in French explaining the event."""
        if self.kind == PREAVIS:
            assert self.term_end is not None
            return (f"Dernier jour pour envoyer la lettre recommandée avec accusé de réception "
                    f"qui résilie la convention (préavis de {self.preavis_mois} mois) ; sans "
                    f"résiliation, elle est reconduite tacitement au-delà du "
                    f"{format_date(self.term_end)}.")
        if self.kind == FIN_DE_TERME and self.renews:
            return ("Fin du cycle de formation en cours : la convention est reconduite "
                    "tacitement pour un nouveau cycle, sauf résiliation.")
        if self.kind == FIN_DE_TERME:
            return "Dernier jour de la convention : elle prend fin sans reconduction."
        return "Réunion annuelle du comité de suivi (article 9) attendue au plus tard ce jour."


def convention_events(conv: Convention, start: date, end: date) -> list[Event]:
    """Events of one convention in force on `start`, from `start` (included) to `end`
    (excluded). Unsigned, terminated or expired conventions have none."""
    data = conv.data
    if effective_status(data, start) != "signee":
        return []
    common = {"convention_id": conv.id, "title": conv.titre, "academie": conv.academie,
              "renews": renews(data)}
    out: list[Event] = []
    for i, term in enumerate(term_ends(data)):
        if term >= end:
            break
        if term >= start:
            out.append(Event(term, FIN_DE_TERME, index=i, term_end=term, **common))
    months = preavis_mois(data)
    for i, (notice, term) in enumerate(notice_deadlines(data)):
        if notice >= end:
            break
        if notice >= start:
            out.append(Event(notice, PREAVIS, index=i, term_end=term, preavis_mois=months,
                             **common))
    for due in comite_dates(data):
        if due >= end:
            break
        if due >= start:
            out.append(Event(due, COMITE_SUIVI, index=due.year, **common))
    return sorted(out, key=Event.sort_key)


def events(conventions: Iterable[Convention], start: date, end: date) -> list[Event]:
    """Every event from `start` (included) to `end` (excluded), soonest first."""
    return sorted((e for conv in conventions for e in convention_events(conv, start, end)),
                  key=Event.sort_key)


def upcoming(conventions: Iterable[Convention], today: date, months: int = 12) -> list[Event]:
    """Events of the next `months` months: from today to the same day `months` later
    (excluded)."""
    return events(conventions, today, add_months(today, months))


# --- warnings for `check` ------------------------------------------------------------------

Field = tuple[str | int, ...]


def _in_days(d: date, today: date) -> str:
    n = (d - today).days
    return "aujourd’hui" if n == 0 else "demain" if n == 1 else f"dans {n} jours"


def warnings(data: Mapping[str, Any], today: date) -> list[tuple[Field, str]]:
    """(field path, French message) for what needs attention on `today`: term ending within
    90 days, notice deadline within 60 days, comité de suivi overdue, status inconsistent
    with the dates. Warnings, never errors."""
    out: list[tuple[Field, str]] = []
    declared, status = str(data.get("statut")), effective_status(data, today)
    kind = data.get("type")
    end_field: Field = (("formation", "duree", "fin") if kind == "fcil"
                        else ("formation", "duree", "annees_cycle"))
    end = term_end(data, today)
    start = _date(_get(data, "formation", "duree", "debut"))
    if status == "expiree" and declared == "signee" and end is not None:
        out.append((("statut",), (
            f"la convention est arrivée à son terme le {format_date(end)}, sans reconduction "
            "tacite : elle est affichée comme expirée ; passez son statut à « expiree »")))
    elif declared == "expiree" and end is not None and (renews(data) or end >= today):
        why = ("est reconduite tacitement (cycle en cours jusqu’au "
               f"{format_date(end)}) ; si elle a été dénoncée, indiquez « resiliee »"
               if renews(data) else f"court jusqu’au {format_date(end)}")
        out.append((("statut",), f"statut « expiree » alors que la convention {why}"))
    elif declared in UNSIGNED and start is not None and start <= today:
        out.append((("statut",), (
            f"la formation a commencé le {format_date(start)} mais la convention n’est pas "
            f"signée (statut « {declared} »)")))
    if status != "signee":
        return out
    if end is not None and 0 <= (end - today).days <= TERM_WARNING_DAYS:
        what = (f"le cycle en cours se termine le {format_date(end)} ({_in_days(end, today)}) : "
                "la convention sera reconduite tacitement pour un nouveau cycle"
                if renews(data) else
                f"la convention arrive à son terme le {format_date(end)} "
                f"({_in_days(end, today)}) : préparez son renouvellement ou sa clôture")
        out.append((end_field, what))
    sched = schedule(data, today)
    if (sched.notice_deadline is not None and sched.notice_term_end is not None
            and (sched.notice_deadline - today).days <= NOTICE_WARNING_DAYS):
        out.append((("dispositions", "preavis_mois"), (
            f"dernier jour pour résilier avant la reconduction tacite du "
            f"{format_date(sched.notice_term_end)} : envoyer la lettre recommandée au plus "
            f"tard le {format_date(sched.notice_deadline)} "
            f"({_in_days(sched.notice_deadline, today)})")))
    if sched.comite_overdue and sched.next_comite is not None:
        last = _date(_get(data, "comite_suivi", "derniere_reunion"))
        since = (f"un an après sa dernière réunion du {format_date(last)}" if last else
                 f"un an après la prise d’effet du {format_date(sched.effective_date)}")
        out.append((("comite_suivi", "derniere_reunion") if last else ("comite_suivi",), (
            f"comité de suivi en retard : attendu au plus tard le "
            f"{format_date(sched.next_comite)} ({since}) ; une fois réuni, indiquez la date "
            "dans « comite_suivi.derniere_reunion »")))
    return out
