"""The model itself, rendered with its blanks visible (for the catalogue's model page).

Each blank shows the front-matter field that fills it, as inline code (`territoire.libelle`).
"""

from __future__ import annotations

from typing import Any

from .expand import assemble, standard_plan
from .markdown import Md
from .model import load_model
from .typography import typographie


def _blank(field: str) -> Md:
    return Md(f"`{field}`")


def _placeholder_data(kind: str) -> dict[str, Any]:
    b = _blank
    dip = {"intitule": b("diplome.intitule"), "specialite": b("diplome.specialite"),
           "niveau": b("diplome.niveau"), "cfd": b("diplome.cfd"), "rncp": None}
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
        "attestation": {"delivree": True, "region": True},
        "dispositions": {"prise_effet": "signature", "date_effet": None,
                         "tacite_reconduction": True,
                         "preavis_mois": b("dispositions.preavis_mois")},
        "signature": {"lieu": b("signature.lieu")},
    }


def _party(group: str) -> dict[str, Any]:
    b = _blank
    return {"nom": b(f"{group}.nom"), "uai": b(f"{group}.uai") if group == "etablissements"
            else None, "siret": None if group == "etablissements" else b(f"{group}.siret"),
            "adresse": b(f"{group}.adresse"), "represente": "représenté(e)",
            "designe": "désigné(e)", "designation": b(f"{group}.designation"),
            "representant": {"civilite": b("representant.civilite"),
                             "nom": b("representant.nom"),
                             "fonction": b("representant.fonction")}}


def render_model(name: str, kind: str) -> str:
    """Markdown of model `name` for `kind` (coloration | fcil) with every blank shown."""
    model = load_model(name)
    plan = standard_plan(model, kind)
    numbers = {key: i for i, (key, *_rest) in enumerate(plan, start=1)}
    coloration = kind == "coloration"
    b = _blank
    ctx: dict[str, Any] = {
        "c": _placeholder_data(kind),
        "coloration": coloration,
        "offre": "coloration" if coloration else "FCIL",
        "offre_court": "coloration de diplôme" if coloration else "FCIL",
        "offre_desc": Md(f"coloration « {b('formation.theme')} » du diplôme "
                         f"{b('diplome.intitule')} spécialité {b('diplome.specialite')}")
        if coloration else Md(f"FCIL « {b('formation.intitule')} »"),
        "diplome": _placeholder_data(kind)["formation"]["diplomes_socles"][0],
        "domaine": b("formation.theme") if coloration else b("formation.secteur"),
        "etablissements": [_party("etablissements")],
        "partenaires": [_party("partenaires")],
        "noms_partenaires": [b("partenaires.designation")],
        "phrase_parties": Md(f"{b('etablissements.designation')} et "
                             f"{b('partenaires.designation')}"),
        "publics": [b("formation.publics")],
        "duree_texte": Md(f"{b('formation.duree')} (coloration : tout ou partie du cycle ; "
                          "FCIL : 3 mois au moins, une année scolaire au plus)."),
        "ressources": [b("cooperation.ressources")],
        "etudes_besoins": [{"nom": b("etudes_besoins.partie"),
                            "cadre": b("etudes_besoins.cadre")}],
        "cosignataires": [b("attestation.cosignataires")],
        "comite": [{"titre": "pour l’établissement scolaire",
                    "membres": [b("comite_suivi.etablissement")], "dernier": False},
                   {"titre": "pour l’académie", "membres": [b("comite_suivi.academie")],
                    "dernier": False},
                   {"titre": f"pour {b('comite_suivi.partenaires.partie')}",
                    "membres": [b("comite_suivi.partenaires.membres")], "dernier": True}],
        "signataires": [{"partie": b("signataires.partie"), "fonction": b("signataires.fonction"),
                         "nom": b("signataires.nom")}],
        "date_signature": b("signature.date"),
        "exemplaires": Md(f"{b('signature.exemplaires')} exemplaires originaux"),
        "preambule": {slot: b(f"## Préambule : {slot}") for slot in
                      ("opportunite", "strategie", "signataires")},
        "numbers": numbers,
        "article": lambda key: Md(f"article {numbers[key]}"),
    }
    title = Md(f"Convention de coopération entre {b('etablissements.nom')} et "
               f"{b('partenaires.nom')}")
    blocks, _, _ = assemble(model, title, plan, ctx, {})
    return typographie("\n\n".join(blocks) + "\n")

