"""Expansion: a validated convention -> the complete Markdown text of the agreement.

The one rendering path (DESIGN.md, principle 1): the site, the DOCX and the PDF all use
`expand()`. Values are escaped text; body sections are inserted as Markdown; neither is ever
evaluated as a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from .body import REF_RE, Section, normalize, shift_headings
from .convention import Convention
from .datemath import months_and_days
from .frdates import format_date
from .markdown import Md, md_escape
from .model import Model, liste, load_model, render
from .schema import with_defaults
from .typography import plain, typographie
from .validate import article_titles, resolve_article

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
PUBLICS = {"scolaire": "public scolaire", "etudiant": "étudiants", "apprenti": "apprentis",
           "formation_continue": "stagiaires de la formation continue"}
ORDINALS = {1: "première", 2: "deuxième", 3: "troisième"}


@dataclass(frozen=True)
class Article:
    number: int
    key: str
    title: str
    part: str
    origin: str  # modele | complete | remplace | ajoute


@dataclass(frozen=True)
class Departure:
    kind: str  # ajout | remplacement | suppression
    article_key: str
    title: str
    detail: str  # Markdown: the new text, or the reason for a removal


@dataclass(frozen=True)
class Signatory:
    party: str
    fonction: str
    nom: str


@dataclass
class Expansion:
    markdown: str
    title: str
    articles: list[Article] = field(default_factory=list)
    departures: list[Departure] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    logos: list[Path] = field(default_factory=list)


def _cap(text: str) -> Md:
    return Md(text[:1].upper() + text[1:])


def _de(name: str) -> str:
    """« de Lyon », « d’Amiens »."""
    return ("d’" if normalize(name)[:1] in "aeiouy" else "de ") + name


def _agree(party: dict[str, Any]) -> dict[str, Any]:
    fem = party.get("genre") == "feminin"
    return {**party, "represente": "représentée" if fem else "représenté",
            "designe": "désignée" if fem else "désigné"}


def _duration(c: dict[str, Any]) -> Md:
    d = c["formation"]["duree"]
    if c["type"] == "fcil":
        months, days = months_and_days(d["debut"], d["fin"] + timedelta(days=1))
        span = f"{months} mois" + (f" et {days} jour{'s' if days > 1 else ''}" if days else "")
        return Md(f"La FCIL se déroule du {format_date(d['debut'])} au {format_date(d['fin'])}, "
                  f"soit une durée de {span}, sans excéder une année scolaire.")
    cycle = d["annees_cycle"]
    years = sorted(d.get("annees_colorees") or range(1, cycle + 1))
    start = f"à compter de la rentrée du {format_date(d['debut'])}"
    if years == list(range(1, cycle + 1)):
        unit = "an" if cycle == 1 else "ans"
        return Md(f"La coloration s’inscrit dans l’ensemble du cycle de formation, soit {cycle} "
                  f"{unit}, {start}.")
    names = [f"la {ORDINALS[y]} année" for y in years]
    return Md(f"La coloration s’inscrit dans une partie du cycle de formation de {cycle} ans : "
              f"{liste(names)}, {start}.")


def _cosigners(c: dict[str, Any]) -> list[str]:
    t = c["territoire"]
    labels = {
        "chef_etablissement": "le chef d’établissement scolaire porteur de la coloration",
        "recteur_region_academique": f"le recteur de la région académique {t['region_academique']}",
        "recteur_academie": f"le recteur de l’académie {_de(t['academie'])}",
    }
    return [labels[k] for k in c["attestation"]["cosignataires"] or []]


def _committee(c: dict[str, Any]) -> list[dict[str, Any]]:
    cs = c["comite_suivi"]
    groups = [{"titre": "pour l’établissement scolaire", "membres": cs["etablissement"]}]
    if cs.get("academie"):
        groups.append({"titre": f"pour l’académie {_de(c['territoire']['academie'])}",
                       "membres": cs["academie"]})
    groups += [{"titre": f"pour {p['partie']}", "membres": p["membres"]}
               for p in cs["partenaires"]]
    for i, g in enumerate(groups):
        g["dernier"] = i == len(groups) - 1
    return groups


def _signature_date(c: dict[str, Any]) -> Md:
    signed = c["signature"].get("date")
    return Md(format_date(signed)) if signed else Md("……………………")


def _copies(n: int) -> str:
    return "un exemplaire original" if n == 1 else f"{n} exemplaires originaux"


def context(conv: Convention, numbers: dict[str, int], preamble: dict[str, Md]) -> dict[str, Any]:
    c = with_defaults(conv.data)
    coloration = c["type"] == "coloration"
    f = c["formation"]
    etabs = [_agree(e) for e in c["etablissements"]]
    partners = [_agree(p) for p in c["partenaires"]]
    if coloration:
        dip = f["diplome"]
        desc = Md(f"coloration « {md_escape(f['theme'])} » du diplôme "
                  f"{md_escape(dip['intitule'])} spécialité {md_escape(dip['specialite'])}")
    else:
        desc = Md(f"FCIL « {md_escape(f['intitule'])} »")
    designations = [p["designation"] for p in etabs + partners]
    return {
        "c": c,
        "coloration": coloration,
        "offre": "coloration" if coloration else "FCIL",
        "offre_court": "coloration de diplôme" if coloration else "FCIL",
        "offre_desc": desc,
        "diplome": f["diplome"] or {},
        "domaine": f.get("theme") if coloration else f.get("secteur"),
        "etablissements": etabs,
        "partenaires": partners,
        "noms_etablissements": [e["designation"] for e in etabs],
        "noms_partenaires": [p["designation"] for p in partners],
        "phrase_parties": _cap(liste(designations)),
        "publics": [PUBLICS[p] for p in f["publics"]],
        "duree_texte": _duration(c),
        "ressources": c["cooperation"]["ressources"] or [],
        "etudes_besoins": [{"nom": e["partie"], "cadre": e["cadre"]}
                           for e in c["cooperation"]["etudes_besoins"] or []],
        "cosignataires": _cosigners(c),
        "comite": _committee(c),
        "signataires": c["signature"]["signataires"],
        "date_signature": _signature_date(c),
        "exemplaires": _copies(c["signature"]["exemplaires"]),
        "preambule": preamble,
        "numbers": numbers,
        "article": lambda key: Md(f"article {numbers[key]}"),
    }


Plan = list[tuple[str, str, str, Section | None]]


def _section_md(section: Section, numbers: dict[str, int]) -> Md:
    text = shift_headings(section.content.strip())
    return Md(REF_RE.sub(lambda m: f"article {numbers[m.group(1)]}", text))


def _plan(model: Model, sections: list[Section], titles: dict[str, str]) -> Plan:
    """Articles in order: (key, title, part key, replacing/added section or None)."""
    removed, replaced = set(), {}
    added: dict[str, list[Section]] = {}
    for s in sections:
        key = resolve_article(s.target, titles) if s.kind != "preambule" else None
        if key is None:
            continue
        if s.kind == "suppression":
            removed.add(key)
        elif s.kind == "remplacement":
            replaced[key] = s
        elif s.kind == "ajout":
            added.setdefault(key, []).append(s)
    plan: list[tuple[str, str, str, Section | None]] = []
    for part in model.parts:
        for key in part.articles:
            if key not in removed:
                plan.append((key, titles[key], part.key, replaced.get(key)))
            for s in added.get(key, []):
                slug = "ajout-" + normalize(s.title).replace(" ", "-")
                plan.append((slug, s.title, part.key, s))
    return plan


def assemble(model: Model, title: Md, plan: Plan, ctx: dict[str, Any],
             precisions: dict[str, list[Md]]) -> tuple[list[str], list[Article], list[Departure]]:
    """The agreement's Markdown blocks, from a plan of articles and a template context."""
    out = [f"# {title}", render(model.name, "parties.md.j2", ctx),
           "## Préambule {#preambule}", render(model.name, "preambule.md.j2", ctx)]
    articles: list[Article] = []
    departures: list[Departure] = []
    part_index = {p.key: i for i, p in enumerate(model.parts)}
    current_part = None
    for number, (key, atitle, part, section) in enumerate(plan, start=1):
        if part != current_part:
            p = model.parts[part_index[part]]
            out.append(f"## {ROMAN[part_index[part]]}. {p.title} {{#partie-{part}}}")
            current_part = part
        out.append(f"### Article {number} – {md_escape(atitle)} {{#art-{key}}}")
        if section is None:
            text = render(model.name, f"articles/{key}.md.j2", ctx)
            origin = "complete" if key in precisions else "modele"
        else:
            text = _section_md(section, ctx["numbers"])
            origin = "ajoute" if key.startswith("ajout-") else "remplace"
            kind = "ajout" if origin == "ajoute" else "remplacement"
            departures.append(Departure(kind, key, atitle, text))
        out.append(text)
        out.extend(precisions.get(key, []))
        articles.append(Article(number, key, atitle, part, origin))
    out += [render(model.name, "cloture.md.j2", ctx),
            "## Fonction et signature des parties {#signatures .signatures}",
            render(model.name, "signatures.md.j2", ctx)]
    return out, articles, departures


def expand(conv: Convention) -> Expansion:
    """The complete agreement text of a validated convention."""
    model = load_model(conv.modele)
    titles = article_titles(model, conv.type)
    plan = _plan(model, conv.sections, titles)
    numbers = {key: i for i, (key, *_rest) in enumerate(plan, start=1)}
    preamble = {normalize(s.target).replace(" ", ""): _section_md(s, numbers)
                for s in conv.sections if s.kind == "preambule"}
    ctx = context(conv, numbers, preamble)
    precisions: dict[str, list[Md]] = {}
    removed: list[Departure] = []
    for s in conv.sections:
        key = resolve_article(s.target, titles) if s.kind != "preambule" else None
        if s.kind == "precisions" and key:
            precisions.setdefault(key, []).append(_section_md(s, numbers))
        elif s.kind == "suppression" and key:
            removed.append(Departure("suppression", key, titles[key], _section_md(s, numbers)))
    d = conv.data
    title = Md("Convention de coopération entre " + liste(
        [p["nom"] for p in d["etablissements"] + d["partenaires"]]))
    blocks, articles, departures = assemble(model, title, plan, ctx, precisions)
    logos = [(conv.root / p["logo"]).resolve() for p in d["etablissements"] + d["partenaires"]
             if p.get("logo")]
    signatories = [Signatory(s["partie"], s["fonction"], s["nom"])
                   for s in d["signature"]["signataires"]]
    return Expansion(markdown=typographie("\n\n".join(blocks) + "\n"),
                     title=plain("Convention de coopération entre " + parties_names(d)),
                     articles=articles, departures=removed + departures,
                     signatories=signatories, logos=logos)


def standard_plan(model: Model, kind: str) -> Plan:
    return _plan(model, [], article_titles(model, kind))


def parties_names(d: dict[str, Any]) -> str:
    """« A, B et C »: the names of every party, as plain text."""
    names = [str(p["nom"]) for p in d["etablissements"] + d["partenaires"]]
    return ", ".join(names[:-1]) + " et " + names[-1]

