"""What `coop reprise` prints: the changes of a returned DOCX article by article with the
edit proposed for each, and, once applied, the source lines changed and the legal diff."""

from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import errors_only, format_problems
from ..expand import expand
from ..typography import ordinary_spaces
from . import AuthoringError
from .docxread import Change, Comment
from .reprise import (
    HEADER,
    OWN,
    PRECISIONS,
    REFUSED,
    REPLACED,
    UNPLACED,
    Entry,
    Reprise,
)
from .revisions import convention_from_bytes
from .textdiff import diff_documents

CONTEXT = 50  # characters shown around a change

KINDS = {HEADER: "valeur de l’en-tête", OWN: "texte de la convention",
         PRECISIONS: "précisions", REPLACED: "article remplacé", REFUSED: "refusée",
         UNPLACED: "non placée"}
COUNTED = {HEADER: ("valeur de l’en-tête", "valeurs de l’en-tête"),
           OWN: ("modification du texte de la convention",
                 "modifications du texte de la convention"),
           PRECISIONS: ("section de précisions", "sections de précisions"),
           REPLACED: ("article remplacé", "articles remplacés"),
           REFUSED: ("refusée", "refusées"), UNPLACED: ("non placée", "non placées")}


def _clip(text: str, start: int, end: int) -> str:
    a, b = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


def excerpts(old: str, new: str) -> tuple[str, str]:
    """Both texts cut to the changed words and some context."""
    prefix = len(next(iter([old[:i] for i in range(min(len(old), len(new)), -1, -1)
                            if old[:i] == new[:i]]), ""))
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-suffix - 1] == new[-suffix - 1]:
        suffix += 1
    return (_clip(old, prefix, len(old) - suffix), _clip(new, prefix, len(new) - suffix))


def _who(author: str, when: str) -> str:
    out = f" par {author}" if author else ""
    return out + (f" le {when[:10]}" if when else "")


def _change(c: Change) -> str:
    return f"{c.kind} « {ordinary_spaces(c.text.strip())} »{_who(c.author, c.date)}"


def _comment(c: Comment) -> str:
    return f"  commentaire{_who(c.author, c.date)} : « {ordinary_spaces(c.text)} »"


def _entry(e: Entry) -> list[str]:
    out = []
    if e.old and e.new and e.old != e.new:
        old, new = excerpts(e.old, e.new)
        out += [f"- avant : « {ordinary_spaces(old)} »", f"  après : « {ordinary_spaces(new)} »"]
    elif e.new and not e.old:
        out.append(f"- paragraphe ajouté : « {ordinary_spaces(e.new)} »")
    elif e.old and not e.new:
        out.append(f"- paragraphe supprimé : « {ordinary_spaces(e.old)} »")
    else:
        text = ordinary_spaces(e.old or "")
        out.append(f"- sur « {text[:CONTEXT * 2]}{'…' if len(text) > CONTEXT * 2 else ''} »")
    if e.changes:
        out.append("  modifications suivies : " + " ; ".join(_change(c) for c in e.changes))
    out += [_comment(c) for c in e.comments]
    if e.proposal is not None:
        out.append(f"  → {ordinary_spaces(e.proposal.summary)}")
    return out


def listing(reprise: Reprise, name: str) -> str:
    conv = reprise.conv
    out = [f"# Reprise de {name} : convention « {conv.id} » ({conv.relpath}), version "
           f"{reprise.version}"]
    if not reprise.entries and not reprise.orphan_comments:
        return "\n".join(out) + "\n\nAucune modification suivie ni commentaire dans ce DOCX.\n"
    current = None
    for e in sorted(reprise.entries, key=lambda e: e.order):
        if e.where != current:
            out += ["", f"## {ordinary_spaces(e.where)}"]
            current = e.where
        out += _entry(e)
    if reprise.orphan_comments:
        out += ["", "## Commentaires sans ancrage"] + [_comment(c) for c in
                                                         reprise.orphan_comments]
    out += ["", "## Propositions"]
    for i, p in enumerate(reprise.proposals, start=1):
        out.append(f"{i}. [{KINDS[p.kind]}] {ordinary_spaces(p.summary)}")
        if p.kind == REPLACED:
            out += ["", f"   ## Article remplacé : {p.key}", ""]
            out += [f"   {line}".rstrip() for line in p.content.split("\n")]
            out += ["", "   Motif de l’écart : À COMPLÉTER (--motif « … »)", ""]
        elif p.kind == PRECISIONS:
            out += ["", f"   ## Précisions : {p.key}", "", f"   {p.content}", ""]
    counts: dict[str, int] = {}
    for p in reprise.proposals:
        counts[p.kind] = counts.get(p.kind, 0) + 1
    summary = ", ".join(f"{n} {COUNTED[k][n > 1]}" for k, n in counts.items()) or "aucune"
    out += ["", f"Propositions : {summary}."]
    left = [p for p in reprise.proposals if p.kind in (REFUSED, UNPLACED)]
    if left:
        out.append(f"{len(left)} changement(s) non repris : à discuter avec le partenaire ou "
                   "à reporter à la main.")
    out.append("Sans --appliquer (APPLIQUER=1 avec make), rien n’a été modifié.")
    return "\n".join(out) + "\n"


def validated(text: str, path: Path, root: Path) -> None:
    """AuthoringError (with the problems) when the new text of the file is not valid."""
    relpath = path.resolve().relative_to(root.resolve()).as_posix()
    conv, problems = convention_from_bytes(text.encode("utf-8"), root, relpath)
    if conv is None or errors_only(problems):
        raise AuthoringError("la convention ainsi modifiée ne serait pas valide (rien n’a été "
                             f"écrit) :\n{format_problems(errors_only(problems))}")


def applied_report(old: str, new: str, path: Path, root: Path, reprise: Reprise,
                   motif: str | None) -> str:
    """After writing: the source lines changed, the validation, the legal diff."""
    relpath = path.resolve().relative_to(root.resolve()).as_posix()
    before, _ = convention_from_bytes(old.encode("utf-8"), root, relpath)
    after, problems = convention_from_bytes(new.encode("utf-8"), root, relpath)
    if before is None or after is None:
        raise AuthoringError("la convention n’a pas pu être relue après écriture")
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"{relpath} (avant)", tofile=f"{relpath} (après)", n=0)
    report, changed = diff_documents(expand(before), expand(after), "avant", "après reprise")
    out = ["", f"# Écrit : {relpath}", "", "## Lignes de la source modifiées", "",
           "".join(lines).rstrip("\n"), "",
           "## Validation", "",
           "valide" + (f" ({len(problems)} avertissement(s) :\n{format_problems(problems)})"
                       if problems else " (make check : aucune erreur)"),
           "", f"## Texte de l’accord modifié ({changed} article(s) ou section(s))", "", report]
    if motif and any(p.kind == REPLACED for p in reprise.proposals):
        out += ["", f"Motif de l’écart au modèle, à reprendre dans la demande de fusion : {motif}"]
    return "\n".join(out) + "\n"
