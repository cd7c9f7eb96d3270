"""The negotiation round trip: a DOCX returned by a partner, with tracked changes and
comments, back into the convention's source.

`plan_reprise` checks that the DOCX is a copy of this convention at its current version,
aligns its paragraphs with the paragraphs of the Document tree (each DOCX paragraph is a
paragraph of the expanded text) and proposes, for each change, the edit of the source it
calls for: a header value (found by rendering, see `headervalues`), the convention's own
text (préambule, précisions, added or replaced article: `mdpatch`), or a whole model
article replaced (a departure; refused for a protected clause). `apply_reprise` turns the
proposals into the new file: the header through the round-trip editor, the body line by
line. Nothing here writes a file.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..body import Section
from ..convention import Convention
from ..document import AJOUTE, MODELE, REMPLACE, Document
from ..expand import expand
from ..export.jobs import version_stamp
from ..model import article_titles, load_model, resolve_article
from ..render.markdown import render_markdown
from ..slug import added_keys
from ..typography import ordinary_spaces
from ..validate import protected_message
from . import AuthoringError
from .docxread import Change, Comment, Paragraph, ReturnedDocx
from .frontmatter import parse
from .headervalues import Explanation, HeaderValues, Target
from .mdpatch import ParEdit, Unplaceable, patch, plain_words, unit_sources
from .paragraphs import Fragment, Place, fragments, normal, plain

SIGNED = ("signee", "resiliee", "expiree")
MOTIF_TODO = "À COMPLÉTER"
OWN = "texte"  # a change of the convention's own text
HEADER = "en-tete"
REPLACED = "remplacement"
PRECISIONS = "precisions"
REFUSED = "refus"
UNPLACED = "non-place"


@dataclass
class Proposal:
    kind: str  # en-tete | texte | precisions | remplacement | refus | non-place
    summary: str  # what it does, in French
    explanation: Explanation | None = None
    section: Section | None = None  # the section edited (texte)
    edits: list[ParEdit] = field(default_factory=list)
    key: str = ""  # article (precisions, remplacement)
    content: str = ""  # new section text (precisions, remplacement)
    absorbed: list[Section] = field(default_factory=list)  # précisions a replacement takes in


@dataclass
class Entry:
    """One changed (or commented) paragraph of the DOCX, placed in the agreement."""

    where: str  # heading of its article or section, « Non placé » when not placed
    order: int  # fragment index (listing order)
    old: str | None
    new: str | None
    changes: list[Change]
    comments: list[Comment]
    proposal: Proposal | None = None


@dataclass
class Reprise:
    conv: Convention
    version: str
    entries: list[Entry]
    proposals: list[Proposal]
    orphan_comments: list[Comment]
    warnings: list[str] = field(default_factory=list)


# --- checks ------------------------------------------------------------------------------

def current_version(conv: Convention, doc: Document) -> str:
    """The version stamp the export prints on a copy of `conv` now."""
    return version_stamp(conv.source_hash, render_markdown(doc))


def check_docx(docx: ReturnedDocx, conv: Convention) -> None:
    """AuthoringError (French) when the DOCX is not a copy of this convention, or when the
    convention no longer changes but by an avenant."""
    kind, _, made_for = docx.subject.partition(" ")
    if not made_for:
        raise AuthoringError("ce DOCX ne dit pas de quelle convention il vient (propriété "
                             "« Objet » absente) : partez d’un DOCX produit par make docx")
    if made_for != conv.id or kind != "Convention":
        raise AuthoringError(f"ce DOCX est celui de « {made_for} » ({kind.lower()}), pas de "
                             f"la convention « {conv.id} » : rien n’a été écrit")
    if conv.statut in SIGNED:
        raise AuthoringError(f"la convention « {conv.id} » est au statut « {conv.statut} » : "
                             "son texte ne change plus, passez par un avenant (voir le README, "
                             "« Avenants ») ; rien n’a été écrit")
    if not docx.version:
        raise AuthoringError("ce DOCX ne porte pas de version (propriété « version » absente) "
                             ": partez d’un DOCX produit par make docx")


def same_text(docx: ReturnedDocx, expected: list[list[str]]) -> bool:
    """Is the text as sent, paragraph for paragraph, the convention's text now?"""
    sent = [normal(p.old) for p in docx.paragraphs if normal(p.old)]
    return sent == [normal(t) for texts in expected for t in texts if normal(t)]


def outdated(docx: ReturnedDocx, conv: Convention, version: str,
             made_from: Callable[[str], str | None]) -> AuthoringError:
    where = made_from(docx.version)
    return AuthoringError(
        f"ce DOCX a été fait à partir de la version {docx.version}"
        f"{f' ({where})' if where else ''} de la convention « {conv.id} », qui est aujourd’hui "
        f"à la version {version} et dont le texte a changé depuis : ses paragraphes ne "
        "correspondent plus. Envoyez au partenaire le DOCX de la version actuelle (make docx) "
        "ou reportez ses changements à la main ; rien n’a été écrit")


# --- alignment ---------------------------------------------------------------------------

@dataclass
class Aligned:
    para: Paragraph
    at: tuple[int, int] | None  # (fragment, paragraph) it is; None when not found
    after: tuple[int, int] | None = None  # an added paragraph: the one it follows


def align(docx: ReturnedDocx, expected: list[list[str]]) -> list[Aligned]:
    """Each DOCX paragraph that matters (changed, added or commented), placed."""
    flat = [(f, j, normal(text)) for f, texts in enumerate(expected)
            for j, text in enumerate(texts)]
    sent = [p for p in docx.paragraphs if normal(p.old)]
    matcher = difflib.SequenceMatcher(None, [t for _, _, t in flat],
                                      [normal(p.old) for p in sent], autojunk=False)
    place: dict[int, tuple[int, int]] = {}
    for i, j, size in matcher.get_matching_blocks():
        for n in range(size):
            place[sent[j + n].index] = flat[i + n][:2]
    out: list[Aligned] = []
    last: tuple[int, int] | None = None
    for p in docx.paragraphs:
        at = place.get(p.index)
        added = not normal(p.old) and bool(normal(p.new))
        if added:
            out.append(Aligned(p, None, last))
        elif normal(p.old) != normal(p.new) or p.comments:
            out.append(Aligned(p, at))
        if at is not None:
            last = at
    return out


# --- proposals ---------------------------------------------------------------------------

def _label(doc: Document, place: Place) -> str:
    if place.zone in ("titre-article", "note", "article"):
        art = doc.article(place.key)
        return art.heading if art else place.key
    if place.zone == "partie":
        return next(p.heading for p in doc.parts if p.key == place.key)
    return {"titre": "Titre", "parties": "Parties", "mention": "Mentions",
            "preambule": doc.preamble.heading,
            "annexe": doc.annex.heading if doc.annex else "Annexe",
            "cloture": doc.signatures.heading,
            "signatures": doc.signatures.heading}.get(place.zone, place.zone)


def _path(path: Iterable[str | int]) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


def _shown(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class Planner:
    """The proposals for one convention and one returned DOCX."""

    def __init__(self, conv: Convention, doc: Document) -> None:
        self.conv, self.doc = conv, doc
        self.model = load_model(conv.modele)
        self.titles = article_titles(self.model, conv.type)
        self.frags: list[Fragment] = fragments(doc)
        sources = [s.content for s in conv.sections] + [b for a in doc.articles
                                                        for b in a.blocks]
        units = [u for text in sources for u in unit_sources(text.split("\n"))]
        self.expected = plain([f.markdown for f in self.frags] + units)[:len(self.frags)]
        self._added = self._added_sections()
        self.values = HeaderValues(conv, self.frags)

    def _added_sections(self) -> dict[str, Section]:
        added = [s for s in self.conv.sections if s.kind == "ajout"]
        return dict(zip(added_keys([s.title for s in added]), added, strict=True))

    def _key(self, s: Section) -> str | None:
        return resolve_article(s.target, self.titles) if s.kind != "preambule" else None

    def own_section(self, place: Place) -> Section | None:
        """The body section a fragment of the convention's own text comes from."""
        if place.zone != "article":
            return None
        art = self.doc.article(place.key)
        if art is None:
            return None
        if place.block == 0:
            if art.origin == AJOUTE:
                return self._added.get(place.key)
            if art.origin == REMPLACE:
                return next((s for s in self.conv.sections if s.kind == "remplacement"
                             and self._key(s) == place.key), None)
            return None
        found = [s for s in self.conv.sections if s.kind == "precisions"
                 and self._key(s) == place.key]
        return found[place.block - 1] if place.block - 1 < len(found) else None

    def preamble_section(self, text: str) -> Section | None:
        """The « Préambule : … » section whose text holds paragraph `text`."""
        for s in self.conv.sections:
            if s.kind != "preambule":
                continue
            try:
                patch(s.content.split("\n"), [ParEdit(text, text)], plain)
            except Unplaceable:
                continue
            return s
        return None

    def model_article(self, place: Place) -> bool:
        art = self.doc.article(place.key) if place.zone == "article" else None
        return art is not None and place.block == 0 and art.origin not in (AJOUTE, REMPLACE)

    def plan(self, docx: ReturnedDocx) -> tuple[list[Entry], list[Proposal]]:
        aligned = align(docx, self.expected)
        entries = [self._entry(a) for a in aligned]
        proposals = self._header_values(entries, aligned)
        own: dict[int, Proposal] = {}
        replaced: dict[str, list[tuple[Entry, Aligned]]] = {}
        for entry, a in zip(entries, aligned, strict=True):
            if entry.proposal is not None or (entry.old == entry.new and a.at is not None):
                continue
            self._place(entry, a, own, replaced, proposals)
        for key, items in replaced.items():
            proposal = self._replacement(key, [a for _, a in items])
            proposals.append(proposal)
            for entry, _ in items:
                entry.proposal = proposal
        for proposal in own.values():
            self._check_own(proposal)
        return entries, proposals

    def _header_values(self, entries: list[Entry], aligned: list[Aligned]) -> list[Proposal]:
        """Proposals for the changes a header value explains (set on their entries)."""
        changed = [(e, a) for e, a in zip(entries, aligned, strict=True)
                   if a.at is not None and e.old != e.new
                   and self.own_section(self.frags[a.at[0]].place) is None]
        targets = [Target(a.at[0], a.at[1], e.old or "", e.new or "")
                   for e, a in changed if a.at is not None]
        explained = self.values.explain(targets) if targets else {}
        proposals: list[Proposal] = []
        by_value: dict[tuple[str, str], Proposal] = {}
        for k, exp in explained.items():
            key = (_path(exp.path), repr(exp.new))
            if key not in by_value:
                by_value[key] = self._header(exp)
                proposals.append(by_value[key])
            changed[k][0].proposal = by_value[key]
        return proposals

    def _check_own(self, proposal: Proposal) -> None:
        """An edit of the convention's own text that cannot be placed becomes « non placé »."""
        assert proposal.section is not None
        try:
            patch(proposal.section.content.split("\n"), proposal.edits, plain)
        except Unplaceable as exc:
            proposal.kind, proposal.summary = UNPLACED, f"{proposal.summary} : {exc}"

    def _entry(self, a: Aligned) -> Entry:
        p = a.para
        where = (_label(self.doc, self.frags[a.at[0]].place) if a.at else
                 _label(self.doc, self.frags[a.after[0]].place) if a.after else "Non placé")
        order = a.at[0] if a.at else a.after[0] if a.after else len(self.frags)
        return Entry(where, order, normal(p.old) or None, normal(p.new) or None, p.changes,
                     p.comments)

    def _header(self, exp: Explanation) -> Proposal:
        also = self.values.also_changed(exp)
        places = list(dict.fromkeys(ordinary_spaces(_label(self.doc, self.frags[i].place))
                                    for i in also))
        summary = (f"en-tête : {_path(exp.path)} : {_shown(exp.old)} → {_shown(exp.new)}"
                   + (f" (texte changé : {', '.join(places)})" if len(places) > 1 else ""))
        return Proposal(HEADER, summary, explanation=exp)

    def _place(self, entry: Entry, a: Aligned, own: dict[int, Proposal],
               replaced: dict[str, list[tuple[Entry, Aligned]]],
               proposals: list[Proposal]) -> None:
        """The proposal for a change no header value explains."""
        anchor = a.at or a.after
        if anchor is None:
            entry.proposal = Proposal(UNPLACED, "paragraphe introuvable dans le texte de la "
                                      "convention : reportez ce changement à la main")
            proposals.append(entry.proposal)
            return
        frag = self.frags[anchor[0]]
        anchor_text = normal(self.expected[anchor[0]][anchor[1]])
        if a.at is not None:
            edit = ParEdit(entry.old, entry.new)
        else:
            edit = ParEdit(None, entry.new, after=anchor_text)
        section = self.own_section(frag.place)
        if section is None and frag.place.zone == "preambule":
            section = self.preamble_section(anchor_text)
        if section is not None:
            self._own(entry, section, edit, own, proposals)
            return
        place = frag.place
        if place.zone in ("titre-article", "note") and a.at is None:  # added at its start
            place, edit = Place("article", place.key, 0), ParEdit(None, entry.new, after="")
        if self.model_article(place):
            if a.at is None and self._ends_article(anchor):
                self._precisions(entry, place.key, own, proposals)
                return
            replaced.setdefault(place.key, []).append((entry, Aligned(a.para, a.at, a.after)))
            return
        what = ("un titre (d’article ou de partie)" if place.zone in ("titre-article", "partie")
                else "texte du modèle hors des articles")
        entry.proposal = Proposal(UNPLACED, f"{what}, ni une valeur de l’en-tête ni un texte "
                                  "de la convention : à discuter, puis à reporter à la main")
        proposals.append(entry.proposal)

    def _ends_article(self, anchor: tuple[int, int]) -> bool:
        """Is this the last paragraph of a model article's own text?"""
        return anchor[1] == len(self.expected[anchor[0]]) - 1

    def _own(self, entry: Entry, section: Section, edit: ParEdit, own: dict[int, Proposal],
             proposals: list[Proposal]) -> None:
        proposal = own.get(section.line)
        if proposal is None:
            proposal = own[section.line] = Proposal(
                OWN, f"texte de la convention : section « ## {section.heading} » "
                     f"(ligne {section.line})", section=section)
            proposals.append(proposal)
        proposal.edits.append(edit)
        entry.proposal = proposal

    def _precisions(self, entry: Entry, key: str, own: dict[int, Proposal],
                    proposals: list[Proposal]) -> None:
        existing = [s for s in self.conv.sections if s.kind == "precisions"
                    and self._key(s) == key]
        if existing:
            self._own(entry, existing[0], ParEdit(None, entry.new, after=""), own, proposals)
            return
        entry.proposal = Proposal(PRECISIONS, f"nouvelle section « ## Précisions : {key} » "
                                  "(texte ajouté à la fin de l’article du modèle)", key=key,
                                  content=plain_words(entry.new or ""))
        proposals.append(entry.proposal)

    def _replacement(self, key: str, items: list[Aligned]) -> Proposal:
        """The whole article with the partner's edits, as a replacing section."""
        art = self.doc.article(key)
        assert art is not None
        title = self.titles.get(key, art.title)
        if (message := protected_message(self.model, key, title)) is not None:
            return Proposal(REFUSED, f"refusé : {message}. Seules les valeurs de l’en-tête "
                            "de cette clause changent : à renégocier avec le partenaire",
                            key=key)
        edits = [ParEdit(normal(a.para.old) or None, normal(a.para.new) or None,
                         after=None if a.at else (normal(self.expected[a.after[0]][a.after[1]])
                                                  if a.after and self.frags[a.after[0]].place
                                                  .zone == "article" else ""))
                 for a in items]
        try:
            lines = patch(art.blocks[0].split("\n"), edits, plain)
        except Unplaceable as exc:
            return Proposal(UNPLACED, f"article « {title} » : {exc}", key=key)
        text = "\n".join([*lines, *[f"\n{b}" for b in art.blocks[1:]]])
        content = text.replace("\u00a0", " ").replace("\u202f", " ").strip("\n")
        absorbed = [s for s in self.conv.sections if s.kind == "precisions"
                    and self._key(s) == key]
        origin = "le texte du modèle" if art.origin == MODELE else "le texte du modèle complété"
        return Proposal(REPLACED, f"écart au modèle : « ## Article remplacé : {key} » reprend "
                        f"tout l’article avec les changements ({origin} n’est plus suivi ; "
                        f"motif à donner)", key=key, content=content, absorbed=absorbed)


def plan_reprise(conv: Convention, docx: ReturnedDocx,
                 made_from: Callable[[str], str | None] = lambda version: None) -> Reprise:
    """The listing and the proposals, or an AuthoringError when the DOCX is refused.
    `made_from`: where a version stamp comes from (a commit), said when it is outdated."""
    check_docx(docx, conv)
    doc = expand(conv)
    version = current_version(conv, doc)
    planner = Planner(conv, doc)
    warnings = []
    if docx.version != version:
        if not same_text(docx, planner.expected):
            raise outdated(docx, conv, version, made_from)
        warnings.append(f"ce DOCX a été fait à partir de la version {docx.version} ; le "
                        f"fichier a changé depuis (version {version}) mais pas le texte de "
                        "l’accord : ses changements se reportent tels quels")
    entries, proposals = planner.plan(docx)
    if conv.statut == "en_signature" and any(p.kind != UNPLACED for p in proposals):
        warnings.append("la convention est en signature : si ces changements sont retenus, "
                        f"repassez-la en brouillon (make statut ID={conv.id} STATUT=brouillon) "
                        "avant un nouveau tour de signature")
    return Reprise(conv, version, entries, proposals, docx.orphan_comments, warnings)


# --- applying ----------------------------------------------------------------------------

def _section_span(lines: list[str], sections: list[Section], s: Section) -> tuple[int, int]:
    """Indices (0-based, end excluded) of the lines under the heading of section `s`."""
    later = [t.line for t in sections if t.line > s.line]
    end = min(later) - 1 if later else len(lines)
    return s.line, end


def apply_reprise(text: str, reprise: Reprise, motif: str | None) -> str:
    """The new file: body edits line by line, then header values through the round-trip
    editor. AuthoringError when a replacement lacks its motif."""
    replacements = [p for p in reprise.proposals if p.kind == REPLACED]
    if replacements and not (motif and motif.strip() and MOTIF_TODO not in motif):
        shown = ", ".join(f"« {p.key} »" for p in replacements)
        raise AuthoringError(f"l’article {shown} serait remplacé (écart au modèle) : donnez le "
                             "motif de cet écart avec --motif « … » (MOTIF=… avec make) ; "
                             "rien n’a été écrit")
    lines = text.split("\n")
    sections = reprise.conv.sections
    changes: list[tuple[int, int, list[str]]] = []
    for p in reprise.proposals:
        if p.kind == OWN and p.section is not None:
            start, end = _section_span(lines, sections, p.section)
            changes.append((start, end, patch(lines[start:end], p.edits, plain)))
        for s in p.absorbed:
            start, end = _section_span(lines, sections, s)
            changes.append((start - 1, end, []))
    for start, end, new in sorted(changes, key=lambda c: c[0], reverse=True):
        lines[start:end] = new
    while lines and not lines[-1].strip():
        lines.pop()
    for p in reprise.proposals:
        if p.kind == REPLACED:
            lines += ["", f"## Article remplacé : {p.key}", "", p.content]
        elif p.kind == PRECISIONS:
            lines += ["", f"## Précisions : {p.key}", "", p.content]
    body = "\n".join(lines) + "\n"
    explained = [p.explanation for p in reprise.proposals if p.kind == HEADER and p.explanation]
    if not explained:
        return body
    fm = parse(body)
    for exp in explained:
        try:
            fm.get(*exp.path)
        except (KeyError, IndexError, TypeError):
            raise AuthoringError(f"le champ « {_path(exp.path)} » n’est pas écrit dans "
                                 "l’en-tête (valeur par défaut) : ajoutez-le à la main ; rien "
                                 "n’a été écrit") from None
        fm.set(*exp.path, value=exp.new)
    return fm.text()
