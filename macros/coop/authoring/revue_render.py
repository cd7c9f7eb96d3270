"""The review report, in French: Markdown (the file, the job summary, the merge-request
note) and a standalone HTML page (inline CSS, no external asset) from a Jinja template
with autoescaping. Both read the review model (`revue.Review`), nothing else."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..errors import ERROR, Problem
from ..markdown import md_escape
from .revue import (
    AJOUT,
    AVENANT,
    MODIFICATION,
    NOTHING_LEGAL,
    RENOMMAGE,
    SUPPRESSION,
    Entry,
    Review,
)

TEMPLATES = Path(__file__).parent / "templates"
MARKER = "<!-- coop-revue -->"  # finds the one note / comment the CI updates

CHANGE_WORDS = {  # (kind, change) -> past participle, agreed
    AJOUT: ("ajoutée", "ajouté"), MODIFICATION: ("modifiée", "modifié"),
    SUPPRESSION: ("supprimée", "supprimé"), RENOMMAGE: ("renommée", "renommé"),
}
TEXT_WORDS = {AJOUT: "ajouté", MODIFICATION: "modifié", SUPPRESSION: "supprimé"}


def change_word(entry: Entry) -> str:
    feminine, masculine = CHANGE_WORDS[entry.change]
    return masculine if entry.kind == AVENANT else feminine


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def tally(review: Review) -> str:
    """« 1 convention modifiée, 1 avenant ajouté. 1 erreur, 0 avertissement. »"""
    parts: list[str] = []
    for kind, noun, fem in (("convention", "convention", 0), (AVENANT, "avenant", 1)):
        for change in (AJOUT, MODIFICATION, RENOMMAGE, SUPPRESSION):
            n = sum(1 for e in review.entries if (e.kind, e.change) == (kind, change))
            if n:
                word = CHANGE_WORDS[change][fem]
                parts.append(f"{_plural(n, noun)} {word}{'s' if n > 1 else ''}")
    what = ", ".join(parts) if parts else "aucune convention ni aucun avenant modifié"
    e, w = len(review.errors), len(review.warnings)
    return f"{what[0].upper()}{what[1:]}. {_plural(e, 'erreur')}, {_plural(w, 'avertissement')}."


def nothing_legal(review: Review) -> str | None:
    """The one line of a review with nothing legal in it (None when there is something)."""
    if review.legal or review.problems:
        return None
    return (f"Aucun changement juridique entre {review.base} et {review.head} : ni le texte, "
            "ni l’en-tête, ni les échéances d’une convention ou d’un avenant ne changent.")


def where(p: Problem) -> str:
    return f"{p.path}:{p.line}:{p.col}"


def level(p: Problem) -> str:
    return "erreur" if p.level == ERROR else "avertissement"


# --- Markdown ------------------------------------------------------------------------------

def _fence(text: str) -> str:
    """A code fence longer than any backtick run of `text`."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _problem_md(review: Review, p: Problem) -> str:
    field = f" — `{p.field}`" if p.field and "`" not in p.field else ""
    new = "" if review.is_new(p) else " (déjà présent dans la base)"
    return f"- `{where(p)}` **{level(p)}**{field} : {md_escape(p.message)}{new}"


def _head_md(review: Review, base_note: str) -> list[str]:
    out = [MARKER, f"# Revue juridique : {md_escape(review.base)} → {md_escape(review.head)}"]
    if base_note:
        out.append(md_escape(base_note))
    return out


def summary_md(review: Review, base_note: str = "") -> str:
    """The top of the report: counts, call-outs, problems, the list of changes."""
    out = _head_md(review, base_note)
    if (line := nothing_legal(review)) is not None:
        return "\n\n".join([*out, *_changes_md(review), line]) + "\n"
    out.append(f"**En bref.** {tally(review)}")
    if review.alerts:
        out.append("> **À signaler aux signataires**\n>\n" + "\n".join(
            f"> - **{a.kind}** — {md_escape(a.entry)} : {md_escape(a.detail)}"
            for a in review.alerts))
    if review.problems:
        out.append("## Erreurs et avertissements\n\n" + "\n".join(
            _problem_md(review, p) for p in review.problems))
    return "\n\n".join(out + _changes_md(review)) + "\n"


def _changes_md(review: Review) -> list[str]:
    if not review.entries:
        return []
    return ["## Changements\n\n" + "\n".join(
        f"- {md_escape(e.name)} ({md_escape(e.path)}) : {change_word(e)}"
        + ("" if e.legal else " — sans effet juridique") for e in review.entries)]


def _entry_md(review: Review, e: Entry) -> str:
    out = [f"## {md_escape(e.name)} — {change_word(e)}",
           f"*{md_escape(e.path)}*" + (f" (auparavant *{md_escape(e.old_path)}*)"
                                       if e.old_path else "")
           + (f" — {md_escape(e.title)}" if e.title else "")]
    out += [f"> {md_escape(n)}" for n in e.notes]
    if not e.legal:
        out.append(NOTHING_LEGAL)
    if e.protected:
        out.append("**Clauses protégées modifiées :** " + ", ".join(map(md_escape, e.protected)))
    for title, items in (("Écarts au modèle ajoutés", e.departures_added),
                         ("Écarts au modèle retirés", e.departures_removed)):
        if items:
            out.append(f"**{title} :**\n\n" + "\n".join(f"- {md_escape(d)}" for d in items))
    for title, changes in (("En-tête", e.fields), ("Échéances", e.deadlines)):
        if changes:
            out.append(f"**{title} :**\n\n" + "\n".join(
                f"- {md_escape(c.words())}" for c in changes))
    if e.problems:
        out.append("**Erreurs et avertissements :**\n\n" + "\n".join(
            _problem_md(review, p) for p in e.problems))
    if e.change in (AJOUT, SUPPRESSION) and e.kind != AVENANT and e.texts:
        n, s = len(e.texts), "s" if len(e.texts) > 1 else ""
        whole = "tout nouveau" if e.change == AJOUT else "tout supprimé"
        out.append(f"**Texte :** {n} article{s} ou section{s}, {whole} (texte complet dans "
                   "le rapport HTML).")
    else:
        for t in e.texts:
            heading = f"### {md_escape(t.title)} — {TEXT_WORDS[t.change]}"
            if t.renamed:
                heading += f" ({md_escape(t.renamed)})"
            fence = _fence(t.unified)
            out.append(f"{heading}\n\n{fence}diff\n{t.unified}\n{fence}")
    if e.numbering:
        out.append("**Numérotation :**\n\n" + "\n".join(f"- {md_escape(n)}" for n in e.numbering))
    return "\n\n".join(out)


def report_md(review: Review, base_note: str = "") -> str:
    """The whole report: the summary, then each convention and avenant in detail."""
    summary = summary_md(review, base_note)
    if nothing_legal(review) is not None:
        return summary
    return summary + "\n" + "\n\n".join(_entry_md(review, e) for e in review.entries) + "\n"


# --- HTML ----------------------------------------------------------------------------------

@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(
        enabled_extensions=("html", "j2"), default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["change_word"] = change_word
    env.filters["where"] = where
    env.filters["level"] = level
    return env


def report_html(review: Review, base_note: str = "") -> str:
    """The standalone HTML page of the report."""
    return _environment().get_template("revue.html").render(
        review=review, base_note=base_note, tally=tally(review),
        nothing=nothing_legal(review), text_words=TEXT_WORDS, nothing_legal=NOTHING_LEGAL,
        AJOUT=AJOUT)
