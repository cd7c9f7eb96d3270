"""The review of a change, in the reviewers' words: from two states of the catalogue (the
base of a merge request and its working tree) to a review model that the renderers
(`revue_render`: Markdown, HTML) and the CI outputs (`revue_ci`) read.

Identity: a convention or an avenant is its `id` (what the catalogue, the avenants and
the published URLs key on). Same id at another path: « renommée » (moved). Same file
with another id: also « renommée », its identifier change shown in its header changes.
Otherwise a file that disappears and one that appears are a removal and an addition,
even with the same content: a new identifier is a new agreement for its readers.

Pure: the states are loaded by the caller (`revue_git`, `cli/revue.py`); here the
documents are expanded (`coop.expand`, `coop.avenant_text`) and compared.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..avenant_text import document_of
from ..avenants import Avenant
from ..catalog import Catalog
from ..convention import Convention
from ..deadlines import schedule
from ..document import Document
from ..errors import Problem, errors_only, warnings_only
from ..model import load_model
from .revue_fields import FieldChange, field_changes, value
from .textdiff import blocks

CONVENTION, AVENANT = "convention", "avenant"
AJOUT, MODIFICATION, SUPPRESSION, RENOMMAGE = "ajout", "modification", "suppression", "renommage"
DEPARTURE_KINDS = {"ajout": "article ajouté", "remplacement": "article remplacé",
                   "suppression": "article supprimé"}
DEADLINES = (("effective_date", "prise d’effet"), ("term_end", "fin du terme en cours"),
             ("notice_deadline", "date limite de préavis"),
             ("next_comite", "prochain comité de suivi"), ("status", "statut à cette date"))
NOTHING_LEGAL = ("Modification sans effet juridique : le texte, l’en-tête et les échéances "
                 "sont inchangés.")

Loaded = Convention | Avenant


@dataclass(frozen=True)
class State:
    """One side of the comparison: a loaded catalogue and the digest of each of its
    convention and avenant files (relative path -> sha256), valid or not."""

    name: str  # « main (1a2b3c4) », « copie de travail »
    catalog: Catalog
    files: dict[str, str]


@dataclass(frozen=True)
class Segment:
    kind: str  # "egal" | "supprime" | "insere"
    text: str


@dataclass(frozen=True)
class Row:
    """One paragraph, old and new side by side (None: no such paragraph on that side)."""

    old: tuple[Segment, ...] | None
    new: tuple[Segment, ...] | None


@dataclass(frozen=True)
class TextChange:
    """One article or section of the expanded text that changed."""

    title: str  # heading as printed, in the new text when it exists
    change: str  # AJOUT | MODIFICATION | SUPPRESSION
    rows: tuple[Row, ...]
    unified: str  # unified diff of its lines (Markdown report)
    renamed: str = ""  # « titre : « a » → « b » »
    protected: bool = False


@dataclass
class Entry:
    """One convention or avenant added, changed, removed or renamed."""

    kind: str  # CONVENTION | AVENANT
    change: str  # AJOUT | MODIFICATION | SUPPRESSION | RENOMMAGE
    id: str
    title: str
    path: str
    old_path: str = ""
    fields: list[FieldChange] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)
    numbering: list[str] = field(default_factory=list)
    departures_added: list[str] = field(default_factory=list)
    departures_removed: list[str] = field(default_factory=list)
    deadlines: list[FieldChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def protected(self) -> list[str]:
        return [t.title for t in self.texts if t.protected]

    @property
    def legal(self) -> bool:
        """Whether anything a signer reads changes (text, header, deadlines, existence)."""
        return self.change in (AJOUT, SUPPRESSION) or bool(
            self.fields or self.texts or self.deadlines or self.departures_added
            or self.departures_removed or self.notes)

    @property
    def name(self) -> str:
        noun = "Avenant" if self.kind == AVENANT else "Convention"
        return f"{noun} « {self.id} »"


@dataclass(frozen=True)
class Alert:
    """What the top of the report calls out: a departure from the model or a protected
    clause."""

    kind: str  # « Écart au modèle ajouté », « Clause protégée modifiée »…
    entry: str  # entry name
    detail: str


@dataclass
class Review:
    base: str
    head: str
    entries: list[Entry]
    problems: list[Problem]  # every problem of the new state
    known: set[tuple[str, str, str, str]] = field(default_factory=set)  # `problem_key` of
    # the base's problems: a problem found there too is not the change's doing

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings_only(self.problems)

    @property
    def legal(self) -> list[Entry]:
        return [e for e in self.entries if e.legal]

    @property
    def alerts(self) -> list[Alert]:
        out: list[Alert] = []
        for e in self.entries:
            out += [Alert("Clause protégée modifiée", e.name, t) for t in e.protected]
            out += [Alert("Écart au modèle ajouté", e.name, d) for d in e.departures_added]
            out += [Alert("Écart au modèle retiré", e.name, d) for d in e.departures_removed]
        return out

    def is_new(self, problem: Problem) -> bool:
        return problem_key(problem) not in self.known


def problem_key(p: Problem) -> tuple[str, str, str, str]:
    """A problem without its position (a line shift does not make it new)."""
    return (p.path, p.field, p.message, p.level)


# --- word diff, paragraph by paragraph ----------------------------------------------------

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def word_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """(old side, new side): words kept, deleted (old side) and inserted (new side)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(Segment("egal", "".join(a[i1:i2])))
            right.append(Segment("egal", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(Segment("supprime", "".join(a[i1:i2])))
        if j2 > j1:
            right.append(Segment("insere", "".join(b[j1:j2])))
    return tuple(left), tuple(right)


def side_by_side(old: str, new: str) -> tuple[Row, ...]:
    """The changed paragraphs of a block, aligned, each with its word diff."""
    a, b = _paragraphs(old), _paragraphs(new)
    rows: list[Row] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            o = olds[k] if k < len(olds) else None
            n = news[k] if k < len(news) else None
            if o is not None and n is not None:
                rows.append(Row(*word_diff(o, n)))
            else:
                rows.append(Row(None if o is None else (Segment("supprime", o),),
                                None if n is None else (Segment("insere", n),)))
    return tuple(rows)


def _unified(old: str, new: str, old_name: str, new_name: str) -> str:
    lines = difflib.unified_diff(f"{old}\n".splitlines(keepends=True) if old else [],
                                 f"{new}\n".splitlines(keepends=True) if new else [],
                                 fromfile=old_name, tofile=new_name, n=2)
    return "".join(lines).rstrip("\n")


# --- the expanded text, article by article (the blocks of `make diff`) ---------------------

def _protected_slugs(doc: Document | None, kind: str) -> set[str]:
    if doc is None or kind != CONVENTION:
        return set()
    protected = load_model(doc.model).protected
    return {a.slug for a in doc.articles if a.key in protected}


def text_changes(old: Document | None, new: Document | None, kind: str, old_name: str,
                 new_name: str) -> tuple[list[TextChange], list[str]]:
    """(changed blocks, renumbering sentences) between two expanded texts."""
    before = {b.key: b for b in blocks(old)} if old else {}
    after = {b.key: b for b in blocks(new)} if new else {}
    # a protected clause changed: only when the agreement existed before and still does
    protected = (_protected_slugs(old, kind) | _protected_slugs(new, kind)) if old and new \
        else set()
    out: list[TextChange] = []
    numbering: list[str] = []
    for key in list(after) + [k for k in before if k not in after]:
        a, b = before.get(key), after.get(key)
        if a and b and a.number and b.number and a.number != b.number:
            numbering.append(f"l’article {a.number} « {b.label} » devient l’article {b.number}")
        if a and b and (a.text, a.label) == (b.text, b.label):
            continue
        old_text, new_text = (a.text if a else ""), (b.text if b else "")
        change = AJOUT if a is None else SUPPRESSION if b is None else MODIFICATION
        shown = b or a
        assert shown is not None
        renamed = (f"titre : « {a.label} » → « {b.label} »"
                   if a and b and a.label != b.label else "")
        out.append(TextChange(shown.title, change, side_by_side(old_text, new_text),
                              _unified(old_text, new_text, old_name, new_name), renamed,
                              key in protected))
    return out, numbering


# --- one convention or avenant --------------------------------------------------------------

def _document(item: Loaded | None) -> Document | None:
    if item is None or (isinstance(item, Avenant) and item.before is None):
        return None
    return document_of(item)


def _departures(doc: Document | None) -> dict[tuple[str, str], str]:
    if doc is None:
        return {}
    return {(d.kind, d.article_key): f"{DEPARTURE_KINDS.get(d.kind, d.kind)} « {d.title} »"
            for d in doc.departures}


def _schedule_words(data: dict[str, Any] | None, today: date) -> dict[str, str]:
    if data is None:
        return {}
    s = schedule(data, today)
    return {lbl: value("", getattr(s, attr)) if getattr(s, attr) is not None else "(aucune)"
            for attr, lbl in DEADLINES}


def deadline_changes(old: dict[str, Any] | None, new: dict[str, Any] | None,
                     today: date) -> list[FieldChange]:
    """The computed dates (term, notice, comité) that differ between two front-matters."""
    a, b = _schedule_words(old, today), _schedule_words(new, today)
    if not a or not b:
        return []
    return [FieldChange(lbl, lbl, a[lbl], b[lbl]) for lbl in a if a[lbl] != b[lbl]]


def _amended_data(catalog: Catalog, item: Loaded | None) -> dict[str, Any] | None:
    """The front-matter in force (as amended by signed avenants) of a convention, or of the
    parent of an avenant."""
    if item is None:
        return None
    conv = item if isinstance(item, Convention) else catalog.get(item.parent_id)
    return catalog.amended(conv).data if conv is not None else None


@dataclass(frozen=True)
class _Side:
    path: str
    item: Loaded | None  # None: the file does not load (see its problems)


def _entry(kind: str, change: str, old: _Side | None, new: _Side | None, base: State,
           head: State, today: date) -> Entry:
    shown = (new.item if new else None) or (old.item if old else None)
    path = new.path if new else old.path if old else ""
    entry = Entry(kind, change, shown.id if shown else path,
                  shown.titre if shown else "", path,
                  old.path if old and new and old.path != new.path else "")
    o_item, n_item = (old.item if old else None), (new.item if new else None)
    o_doc, n_doc = _document(o_item), _document(n_item)
    for side, doc, state in ((old, o_doc, base), (new, n_doc, head)):
        if side is not None and side.item is None:
            entry.notes.append(f"le fichier {side.path} ne se charge pas dans « {state.name} » "
                               "(voir ses erreurs) : son texte ne peut être développé")
        elif side is not None and doc is None:
            entry.notes.append(f"dans « {state.name} », la convention que modifie cet avenant "
                               "ne se charge pas (voir ses erreurs) : son texte ne peut être "
                               "développé")
    if old is not None and new is not None and (o_doc is None or n_doc is None):
        return _with_problems(entry, head)  # one side unreadable: no text to compare
    entry.texts, entry.numbering = text_changes(o_doc, n_doc, kind, base.name, head.name)
    if o_item is not None and n_item is not None:
        entry.fields = field_changes(o_item.data, n_item.data)
    o_dep, n_dep = _departures(o_doc), _departures(n_doc)
    entry.departures_added = [v for k, v in n_dep.items() if k not in o_dep]
    entry.departures_removed = [v for k, v in o_dep.items() if k not in n_dep]
    entry.deadlines = deadline_changes(_amended_data(base.catalog, o_item),
                                       _amended_data(head.catalog, n_item), today)
    if kind == AVENANT and o_item is None and n_item is not None:  # a new avenant
        parent = head.catalog.get(n_item.parent_id)  # type: ignore[union-attr]
        before = base.catalog.get(n_item.parent_id)  # type: ignore[union-attr]
        if parent is not None and before is not None:
            entry.deadlines = deadline_changes(base.catalog.amended(before).data,
                                               head.catalog.amended(parent).data, today)
    return _with_problems(entry, head)


def _with_problems(entry: Entry, head: State) -> Entry:
    paths = {entry.path, entry.old_path} - {""}
    entry.problems = [p for p in head.catalog.problems if p.path in paths]
    return entry


def _items(state: State) -> dict[str, _Side]:
    loaded: dict[str, Loaded] = {c.relpath: c for c in state.catalog.conventions}
    loaded |= {a.relpath: a for a in state.catalog.avenants}
    return {p: _Side(p, loaded.get(p)) for p in sorted(set(state.files) | set(loaded))}


def _kind(path: str) -> str:
    parts = path.split("/")
    return AVENANT if "avenants" in parts[1:-1] else CONVENTION


def pairs(base: State, head: State) -> list[tuple[_Side | None, _Side | None]]:
    """(old, new) sides of every file that changed, paired by identifier, else by path."""
    old, new = _items(base), _items(head)
    old_ids = {s.item.id: p for p, s in old.items() if s.item is not None}
    out: list[tuple[_Side | None, _Side | None]] = []
    taken: set[str] = set()
    for path, side in new.items():
        if side.item is not None and (o := old_ids.get(side.item.id)) is not None \
                and o not in taken:
            taken.add(o)
            out.append((old[o], side))
        elif path in old and path not in taken and not (
                old[path].item is not None and old[path].item.id in  # type: ignore[union-attr]
                {s.item.id for s in new.values() if s.item is not None}):
            taken.add(path)
            out.append((old[path], side))
        else:
            out.append((None, side))
    out += [(side, None) for path, side in old.items() if path not in taken]
    return [(o, n) for o, n in out if not _same(base, head, o, n)]


def _same(base: State, head: State, o: _Side | None, n: _Side | None) -> bool:
    if o is None or n is None or o.path != n.path:
        return False
    if base.files.get(o.path) != head.files.get(n.path):
        return False
    # an avenant file unchanged whose parent changed: its text may still change
    return not (isinstance(n.item, Avenant) and isinstance(o.item, Avenant)
                and n.item.before is not None and o.item.before is not None
                and n.item.before.source_hash != o.item.before.source_hash)


def review(base: State, head: State, today: date) -> Review:
    """What changed between `base` and `head`, for the people who sign."""
    entries: list[Entry] = []
    for o, n in pairs(base, head):
        path = (n or o).path  # type: ignore[union-attr]
        change = AJOUT if o is None else SUPPRESSION if n is None else (
            RENOMMAGE if o.path != n.path or (o.item and n.item and o.item.id != n.item.id)
            else MODIFICATION)
        entry = _entry(_kind(path), change, o, n, base, head, today)
        if entry.legal or entry.problems or not _same_bytes(base, head, o, n):
            entries.append(entry)  # an untouched avenant whose parent changed: only if
            # its own text or deadlines change
    entries.sort(key=lambda e: (e.kind == AVENANT, e.id))
    return Review(base.name, head.name, entries, sorted(head.catalog.problems),
                  {problem_key(p) for p in base.catalog.problems})


def _same_bytes(base: State, head: State, o: _Side | None, n: _Side | None) -> bool:
    return o is not None and n is not None and o.path == n.path \
        and base.files.get(o.path) == head.files.get(n.path)



