"""Expansion: a validated convention -> its Document tree (`coop.document`).

Words come from the model version the convention names (templates and labels); values are
escaped text; body sections are inserted as Markdown; neither is ever evaluated as a
template. Every renderer (site, DOCX, PDF, diff) reads the tree built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .body import REF_RE, Section, normalize, shift_headings
from .convention import Convention
from .datemath import months_and_days
from .document import (
    AJOUTE,
    COMPLETE,
    MODELE,
    REMPLACE,
    Article,
    Departure,
    Document,
    Part,
    Signatory,
)
from .document import Section as TextSection
from .drafting import agree, diploma
from .identifiers import format_siret
from .markdown import Md, md_escape, md_unescape
from .model import Model, article_titles, load_model, resolve_article
from .schema import with_defaults
from .slug import added_keys
from .typography import typographie

PREAMBLE_SLUG = "preambule"
SIGNATURES_SLUG = "signatures"


def typeset(md: str) -> Md:
    """French typography on a Markdown fragment."""
    return Md(typographie(md))


def inline(md: str) -> str:
    """Typeset plain text of an inline Markdown fragment (a title, a heading)."""
    return md_unescape(typographie(md))


def _duration(model: Model, c: dict[str, Any]) -> dict[str, Any]:
    d = c["formation"]["duree"]
    if c["type"] == "fcil":
        months, days = months_and_days(d["debut"], d["fin"] + timedelta(days=1))
        return {"debut": d["debut"], "fin": d["fin"], "mois": months, "jours": days}
    cycle = d["annees_cycle"]
    years = sorted(d.get("annees_colorees") or range(1, cycle + 1))
    return {"debut": d["debut"], "cycle": cycle, "annees": years,
            "tout_le_cycle": years == list(range(1, cycle + 1)),
            "annees_noms": [model.label(f"annees.{y}") for y in years]}


def _territory(c: dict[str, Any]) -> dict[str, Any]:
    t = c["territoire"]
    return {"academie": t["academie"], "region_academique": t["region_academique"]}


def _committee(model: Model, c: dict[str, Any]) -> list[dict[str, Any]]:
    cs = c["comite_suivi"]
    groups = [{"titre": model.label("comite.etablissement"), "membres": cs["etablissement"]}]
    academie = cs.get("academie") or (  # the model's « Du Recteur », unless the author says
        [model.label("comite.academie_defaut")] if "academie_defaut" in model.labels["comite"]
        else [])
    if academie:
        groups.append({"titre": model.label("comite.academie", **_territory(c)),
                       "membres": academie})
    groups += [{"titre": model.label("comite.partenaire", partie=p["partie"]),
                "membres": p["membres"]} for p in cs["partenaires"]]
    for i, g in enumerate(groups):
        g["dernier"] = i == len(groups) - 1
    return groups


def closing(model: Model, signature: dict[str, Any]) -> Md:
    """The closing line (place, date, number of copies) of a convention or an avenant."""
    signed = signature.get("date")
    return model.render("cloture.md.j2", {
        "lieu": signature["lieu"],
        "date": signed if signed else model.label("date_en_blanc"),
        "exemplaires": model.label("exemplaires", n=signature["exemplaires"])})


def context(model: Model, conv: Convention, numbers: dict[str, int],
            preamble: dict[str, Md]) -> dict[str, Any]:
    """What the model's templates are filled with."""
    c = with_defaults(conv.data)
    c["formation"]["diplomes_socles"] = [diploma(model, d)
                                         for d in c["formation"].get("diplomes_socles") or []]
    kind = c["type"]
    coloration = kind == "coloration"
    f = c["formation"]
    etabs = [agree(model, e) for e in c["etablissements"]]
    partners = [agree(model, p) for p in c["partenaires"]]
    public = "collectivite_territoriale"
    diplome = diploma(model, f["diplome"])
    desc = diplome | {"theme": f["theme"]} if coloration else {"intitule": f["intitule"]}
    designations = [p["designation"] for p in etabs + partners]
    renvoi = {key: model.label("renvoi_article", numero=n) for key, n in numbers.items()}
    return {
        "c": c,
        "coloration": coloration,
        "offre": model.label(f"offre.{kind}"),
        "offre_court": model.label(f"offre_court.{kind}"),
        "offre_desc": model.label(f"offre_desc.{kind}", **desc),
        "diplome": diplome,
        "domaine": f.get("theme") if coloration else f.get("secteur"),
        "etablissements": etabs,
        "partenaires": partners,
        "noms_etablissements": [e["designation"] for e in etabs],
        "noms_partenaires": [p["designation"] for p in partners],
        # the professional partners (all partners when only collectivités take part)
        "partenaires_professionnels": [p["designation"] for p in partners
                                       if p["nature"] != public] or
                                      [p["designation"] for p in partners],
        "collectivites": [p["designation"] for p in partners if p["nature"] == public],
        "phrase_parties": model.render_string("{{ x | liste | premiere_majuscule }}",
                                              {"x": designations}),
        "publics": [model.label(f"publics.{p}") for p in f["publics"]],
        "duree": _duration(model, c),
        "ressources": c["cooperation"]["ressources"] or [],
        "etudes_besoins": [{"nom": e["partie"], "cadre": e["cadre"]}
                           for e in c["cooperation"]["etudes_besoins"] or []],
        "cosignataires": [model.label(f"cosignataires.{k}", **_territory(c))
                          for k in c["attestation"]["cosignataires"] or []],
        "comite": _committee(model, c),
        "signataires": c["signature"]["signataires"],
        "preambule": preamble,
        "numbers": numbers,
        "article": lambda key: renvoi[key],
    }


def appellations(ctx: dict[str, Any]) -> list[Md]:
    """How the text names every party, in order (établissements, then partners)."""
    return [p["appellation"] for p in ctx["etablissements"] + ctx["partenaires"]]


# --- the plan of articles ------------------------------------------------------------------

@dataclass(frozen=True)
class Planned:
    key: str
    title: str
    part: str
    section: Section | None  # the replacing or added section, None for the model's text


def _added_keys(sections: list[Section]) -> dict[int, str]:
    """Key of each added article, by position in `sections`."""
    where = [i for i, s in enumerate(sections) if s.kind == "ajout"]
    return dict(zip(where, added_keys([sections[i].title for i in where]), strict=True))


def plan(model: Model, sections: list[Section], titles: dict[str, str]) -> list[Planned]:
    """Articles in order, after removals, replacements and additions of the body."""
    removed, replaced = set(), {}
    added: dict[str, list[tuple[str, Section]]] = {}
    keys = _added_keys(sections)
    for i, s in enumerate(sections):
        key = resolve_article(s.target, titles) if s.kind != "preambule" else None
        if key is None:
            continue
        if s.kind == "suppression":
            removed.add(key)
        elif s.kind == "remplacement":
            replaced[key] = s
        elif s.kind == "ajout":
            added.setdefault(key, []).append((keys[i], s))
    out: list[Planned] = []
    for part in model.parts:
        for key in part.articles:
            if key not in removed:
                out.append(Planned(key, titles[key], part.key, replaced.get(key)))
            out += [Planned(k, s.title, part.key, s) for k, s in added.get(key, [])]
    return out


def section_md(section: Section, numbers: dict[str, int], model: Model) -> Md:
    """A body section as Markdown: headings one level down, `[[article:x]]` numbered."""
    text = shift_headings(section.content.strip())
    return typeset(REF_RE.sub(
        lambda m: model.label("renvoi_article", numero=numbers[m.group(1)]), text))


def build_parts(model: Model, articles: list[Planned], ctx: dict[str, Any],
                precisions: dict[str, list[Md]]) -> tuple[tuple[Part, ...], list[Departure]]:
    """Parts and numbered articles; the departures that added or replaced articles."""
    by_part: dict[str, list[Article]] = {p.key: [] for p in model.parts}
    departures: list[Departure] = []
    for number, item in enumerate(articles, start=1):
        if item.section is None:
            blocks = [typeset(model.render(f"articles/{item.key}.md.j2", ctx))]
            origin = COMPLETE if item.key in precisions else MODELE
        else:
            blocks = [section_md(item.section, ctx["numbers"], model)]
            origin = AJOUTE if item.key.startswith("ajout-") else REMPLACE
            departures.append(Departure("ajout" if origin == AJOUTE else "remplacement",
                                        item.key, item.title, blocks[0]))
        blocks += precisions.get(item.key, [])
        heading = model.label("titre_article", numero=number, titre=item.title)
        note = (typeset(model.label(f"ecart_{'ajout' if origin == AJOUTE else 'remplacement'}"))
                if origin in (AJOUTE, REMPLACE) and "ecart_ajout" in model.labels else None)
        by_part[item.part].append(Article(
            key=item.key, slug=f"art-{item.key}", number=number,
            title=inline(md_escape(item.title)), heading=inline(heading), part=item.part,
            origin=origin, blocks=tuple(blocks), note=note))
    parts = []
    for i, p in enumerate(model.parts):
        if by_part[p.key]:
            heading = model.label("titre_partie", numeral=model.numeral(i), titre=p.title)
            parts.append(Part(p.key, f"partie-{p.key}", model.numeral(i), p.title,
                              inline(heading), tuple(by_part[p.key])))
    return tuple(parts), departures


ANNEX_SLUG = "ecarts"


def annex(model: Model, conv: Convention, parts: tuple[Part, ...],
          departures: list[Departure]) -> TextSection | None:
    """The departures from the model, listed for the signer (model versions that have an
    `ecarts.md.j2` template); one line when there is none."""
    if not model.has("ecarts.md.j2"):
        return None
    articles = {a.key: a for p in parts for a in p.articles}

    def reference(key: str) -> Md:
        art = articles[key]
        return model.label("avenant.reference", numero=art.number, titre=art.title)

    entries: list[dict[str, Any]] = []
    for d in departures:
        if d.kind == "suppression":
            entries.append({"genre": d.kind, "titre": d.title,
                            "motif": Md(" ".join(d.detail.split()))})
        else:
            entries.append({"genre": d.kind, "reference": reference(d.article_key)})
    if (conv.data.get("attestation") or {}).get("engagement") and "reconnaissance" in articles:
        entries.append({"genre": "choix", "texte": model.label(
            "choix_engagement", reference=reference("reconnaissance"))})
    text = model.render("ecarts.md.j2", {"ecarts": entries, "modele": model.name})
    return TextSection(ANNEX_SLUG, inline(model.label("ecarts")), (typeset(text),))


_PUNCT = ",;.:()«»\"'’"


def unbreakable(data: dict[str, Any]) -> tuple[str, ...]:
    """Words of proper names, civilities and identifiers, which a layout must never
    hyphenate nor split (« Jean-Mermoz », « Monsieur », a SIRET), longest first."""
    values: list[str] = []
    for p in data["etablissements"] + data["partenaires"]:
        rep = p.get("representant") or {}
        values += [p["nom"], p["designation"], rep.get("civilite", ""), rep.get("nom", ""),
                   p.get("uai") or ""]
        if p.get("siret"):
            values.append(format_siret(str(p["siret"])))
    f = data.get("formation") or {}
    for d in [f.get("diplome") or {}, *(f.get("diplomes_socles") or [])]:
        values += [str(d.get("cfd") or ""), str(d.get("rncp") or "")]
    values += [s["nom"] for s in data["signature"]["signataires"]]
    words = {w.strip(_PUNCT) for v in values for w in str(v).split(" ")}
    keep = {w for w in words if len(w) > 2 and (w[:1].isupper() or "-" in w
                                                 or any(c.isdigit() for c in w))}
    return tuple(sorted(keep, key=lambda w: (-len(w), w)))


def copy_labels(model: Model, kind: str) -> dict[str, str]:
    """Words printed around the text of a copy (header, footer, signature boxes)."""
    words = model.labels["exemplaire"]
    return {"nature": str(words["nature"][kind]),
            **{k: str(v) for k, v in words.items() if k != "nature"}}


def frame(model: Model, ctx: dict[str, Any], preamble: Md,
          signature: dict[str, Any]) -> dict[str, Any]:
    """What surrounds the articles of a Document, built alike for a convention, an avenant
    and the model page: parties, préambule, closing line, signature block, signatories."""
    signataires = signature["signataires"]
    table = model.render("signatures.md.j2", {"signataires": signataires})
    return {
        "parties": (typeset(model.render("parties.md.j2", ctx)),),
        "preamble": TextSection(PREAMBLE_SLUG, inline(model.label("preambule")),
                                (typeset(preamble),)),
        "closing": typeset(closing(model, signature)),
        "signatures": TextSection(SIGNATURES_SLUG, inline(model.label("signatures")),
                                  (typeset(table),)),
        "signatories": tuple(Signatory(s["partie"], s["fonction"], s["nom"])
                             for s in signataires),
    }


def expand(conv: Convention) -> Document:
    """The complete agreement of a validated convention, as a Document tree."""
    model = load_model(conv.modele)
    titles = article_titles(model, conv.type)
    articles = plan(model, conv.sections, titles)
    numbers = {a.key: i for i, a in enumerate(articles, start=1)}
    preamble = {normalize(s.target).replace(" ", ""): section_md(s, numbers, model)
                for s in conv.sections if s.kind == "preambule"}
    ctx = context(model, conv, numbers, preamble)
    precisions: dict[str, list[Md]] = {}
    removed: list[Departure] = []
    for s in conv.sections:
        key = resolve_article(s.target, titles) if s.kind != "preambule" else None
        if s.kind == "precisions" and key:
            precisions.setdefault(key, []).append(section_md(s, numbers, model))
        elif s.kind == "suppression" and key:
            removed.append(Departure("suppression", key, titles[key],
                                     section_md(s, numbers, model)))
    parts, departures = build_parts(model, articles, ctx, precisions)
    d = conv.data
    everyone = d["etablissements"] + d["partenaires"]
    return Document(
        kind="convention",
        model=model.name,
        title=inline(model.label("titre", noms=[p["nom"] for p in everyone],
                                 appellations=appellations(ctx))),
        parts=parts,
        **frame(model, ctx, model.render("preambule.md.j2", ctx), d["signature"]),
        departures=tuple(removed + departures),
        logos=tuple((conv.root / p["logo"]).resolve() for p in everyone if p.get("logo")),
        labels=copy_labels(model, conv.type),
        annex=annex(model, conv, parts, removed + departures),
        unbreakable=unbreakable(d),
    )
