"""The model itself as a Document, its blanks visible (for the catalogue's model page).

Each blank shows the front-matter field that fills it, as inline code
(`territoire.libelle`); every word comes from the model version, as for a convention.
"""

from __future__ import annotations

from typing import Any

from coop.document import Document
from coop.document import Section as TextSection
from coop.expand import build_parts, frame, inline, plan
from coop.markdown import Md
from coop.model import Model, article_titles, load_model


def _blank(field: str) -> Md:
    return Md(f"`{field}`")


def _data(kind: str) -> dict[str, Any]:
    b = _blank
    dip = {"intitule": b("diplome.intitule"), "texte": b("diplome.intitule"),
           "texte_de": b("diplome.intitule"),
           "specialite": b("diplome.specialite"), "niveau": b("diplome.niveau"),
           "cfd": b("diplome.cfd"), "rncp": None}
    return {
        "type": kind,
        "territoire": {"libelle": b("territoire.libelle")},
        "formation": {
            "theme": b("formation.theme"), "secteur": b("formation.secteur"),
            "intitule": b("formation.intitule"), "complement": b("formation.complement"),
            "effectif": b("formation.effectif"), "diplomes_socles": [dip],
            "duree": {"fin": b("formation.duree.fin")},
        },
        "cooperation": {"pfmp": {"duree_semaines": b("cooperation.pfmp.duree_semaines"),
                                 "modalites": b("cooperation.pfmp.modalites")}},
        "attestation": {"delivree": True, "region": True, "engagement": False},
        "dispositions": {"prise_effet": "signature", "date_effet": None,
                         "tacite_reconduction": True,
                         "preavis_mois": b("dispositions.preavis_mois")},
        "signature": {"lieu": b("signature.lieu"), "date": b("signature.date"),
                      "exemplaires": 2},
    }


def _party(model: Model, group: str) -> dict[str, Any]:
    b = _blank
    return {"nom": b(f"{group}.nom"), "uai": b(f"{group}.uai") if group == "etablissements"
            else None, "siret": None if group == "etablissements" else b(f"{group}.siret"),
            "adresse": b(f"{group}.adresse"), "designation": b(f"{group}.designation"),
            "appellation": b(f"{group}.nom"),
            "representant": {"civilite": b("representant.civilite"),
                             "nom": b("representant.nom"),
                             "fonction": b("representant.fonction")},
            **model.labels["accords"]["masculin"]}


def _duration(kind: str) -> dict[str, Any]:
    b = _blank
    if kind == "fcil":
        return {"debut": b("formation.duree.debut"), "fin": b("formation.duree.fin"),
                "mois": b("mois"), "jours": 0}
    return {"debut": b("formation.duree.debut"), "cycle": b("formation.duree.annees_cycle"),
            "tout_le_cycle": True}


def _context(model: Model, kind: str, numbers: dict[str, int]) -> dict[str, Any]:
    b = _blank
    data = _data(kind)
    coloration = kind == "coloration"
    academie = {"academie": b("territoire.academie"),
                "region_academique": b("territoire.region_academique")}
    signataires = [{"partie": b("signataires.partie"), "fonction": b("signataires.fonction"),
                    "nom": b("signataires.nom")}]
    return {
        "c": data,
        "coloration": coloration,
        "offre": model.label(f"offre.{kind}"),
        "offre_court": model.label(f"offre_court.{kind}"),
        "offre_desc": model.label(f"offre_desc.{kind}", theme=b("formation.theme"),
                                  texte_de=b("diplome.intitule"),
                                  intitule=b("diplome.intitule" if coloration
                                             else "formation.intitule"),
                                  specialite=b("diplome.specialite")),
        "diplome": data["formation"]["diplomes_socles"][0],
        "domaine": b("formation.theme") if coloration else b("formation.secteur"),
        "etablissements": [_party(model, "etablissements")],
        "partenaires": [_party(model, "partenaires")],
        "noms_partenaires": [b("partenaires.designation")],
        "partenaires_professionnels": [b("partenaires.designation")],
        "collectivites": [b("partenaires.designation")],
        "phrase_parties": model.render_string("{{ x | liste }}", {"x": [
            b("etablissements.designation"), b("partenaires.designation")]}),
        "publics": [b("formation.publics")],
        "duree": _duration(kind),
        "ressources": [b("cooperation.ressources")],
        "etudes_besoins": [{"nom": b("etudes_besoins.partie"),
                            "cadre": b("etudes_besoins.cadre")}],
        "cosignataires": [b("attestation.cosignataires")],
        "comite": [{"titre": model.label("comite.etablissement"),
                    "membres": [b("comite_suivi.etablissement")], "dernier": False},
                   {"titre": model.label("comite.academie", **academie),
                    "membres": [b("comite_suivi.academie")], "dernier": False},
                   {"titre": model.label("comite.partenaire",
                                         partie=b("comite_suivi.partenaires.partie")),
                    "membres": [b("comite_suivi.partenaires.membres")], "dernier": True}],
        "signataires": signataires,
        "preambule": {slot: b(f"## Préambule : {slot}") for slot in
                      ("opportunite", "strategie", "signataires")},
        "numbers": numbers,
        "article": lambda key: model.label("renvoi_article", numero=numbers[key]),
    }


def model_document(name: str, kind: str) -> Document:
    """Model `name` for `kind` (coloration | fcil), every blank shown."""
    model = load_model(name)
    articles = plan(model, [], article_titles(model, kind))
    numbers = {a.key: i for i, a in enumerate(articles, start=1)}
    ctx = _context(model, kind, numbers)
    parts, _ = build_parts(model, articles, ctx, {})
    sig = ctx["c"]["signature"]
    names = [_blank("etablissements.nom"), _blank("partenaires.nom")]
    return Document(
        kind="modele", model=name,
        title=inline(model.label("titre", noms=names, appellations=names)),
        parts=parts,
        **frame(model, ctx, model.render("preambule.md.j2", ctx),
                {**sig, "signataires": ctx["signataires"]}))
