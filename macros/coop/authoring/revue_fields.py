"""Header fields in the reviewers' words: « préavis : 3 mois → 6 mois ».

A front-matter is flattened into (dotted field, value) pairs — list items numbered from 1,
« etablissements[1].uai » — and each field gets the French label a lawyer reads, each
value the French form of a date, a yes/no, a count of months.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..frdates import format_date

ABSENT = "(absent)"

# Field (list indexes written « [] ») -> label. Fields not listed keep their dotted name.
LABELS: dict[str, str] = {
    "id": "identifiant",
    "titre": "titre",
    "modele": "version du modèle",
    "type": "nature de l’adaptation",
    "statut": "statut",
    "territoire.region_academique": "région académique",
    "territoire.academie": "académie",
    "territoire.libelle": "territoire",
    "etablissements[].nature": "établissement {n} : nature",
    "etablissements[].nom": "établissement {n} : nom",
    "etablissements[].uai": "établissement {n} : UAI",
    "etablissements[].adresse": "établissement {n} : adresse",
    "etablissements[].designation": "établissement {n} : désignation",
    "etablissements[].logo": "établissement {n} : logo",
    "etablissements[].representant.civilite": "établissement {n} : civilité du représentant",
    "etablissements[].representant.nom": "établissement {n} : représentant",
    "etablissements[].representant.fonction": "établissement {n} : fonction du représentant",
    "partenaires[].nature": "partenaire {n} : nature",
    "partenaires[].nom": "partenaire {n} : nom",
    "partenaires[].siret": "partenaire {n} : SIRET",
    "partenaires[].adresse": "partenaire {n} : adresse",
    "partenaires[].designation": "partenaire {n} : désignation",
    "partenaires[].genre": "partenaire {n} : genre",
    "partenaires[].logo": "partenaire {n} : logo",
    "partenaires[].representant.civilite": "partenaire {n} : civilité du représentant",
    "partenaires[].representant.nom": "partenaire {n} : représentant",
    "partenaires[].representant.fonction": "partenaire {n} : fonction du représentant",
    "formation.diplome": "diplôme coloré",
    "formation.theme": "thème de la coloration",
    "formation.intitule": "intitulé de la formation",
    "formation.secteur": "secteur",
    "formation.complement": "complément apporté",
    "formation.publics": "publics",
    "formation.effectif": "effectif",
    "formation.duree.debut": "première rentrée",
    "formation.duree.fin": "fin de la formation",
    "formation.duree.annees_cycle": "durée du cycle",
    "formation.duree.annees_colorees": "années colorées",
    "cooperation.pfmp.duree_semaines": "durée des PFMP",
    "cooperation.pfmp.modalites": "modalités des PFMP",
    "cooperation.ressources": "ressources mises à disposition",
    "attestation.delivree": "attestation de compétences délivrée",
    "attestation.cosignataires": "cosignataires de l’attestation",
    "attestation.region": "attestation cosignée par la Région",
    "attestation.engagement": "engagement à délivrer l’attestation",
    "comite_suivi.etablissement": "comité de suivi : membres de l’établissement",
    "comite_suivi.academie": "comité de suivi : membres de l’académie",
    "comite_suivi.derniere_reunion": "dernière réunion du comité de suivi",
    "dispositions.prise_effet": "prise d’effet",
    "dispositions.date_effet": "date de prise d’effet",
    "dispositions.tacite_reconduction": "tacite reconduction",
    "dispositions.preavis_mois": "préavis",
    "signature.lieu": "lieu de signature",
    "signature.date": "date de signature",
    "signature.exemplaires": "nombre d’originaux",
    "signature.signataires[].partie": "signataire {n} : partie",
    "signature.signataires[].fonction": "signataire {n} : fonction",
    "signature.signataires[].nom": "signataire {n} : nom",
    # avenants
    "convention": "convention modifiée",
    "numero": "numéro de l’avenant",
    "objet": "objet",
    "date_effet": "date d’effet",
}
UNITS = {"dispositions.preavis_mois": "mois", "cooperation.pfmp.duree_semaines": "semaines",
         "formation.duree.annees_cycle": "ans", "formation.effectif": "places",
         "signature.exemplaires": "exemplaires"}

_INDEX = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class FieldChange:
    field: str  # dotted name as written (« dispositions.preavis_mois »)
    label: str  # « préavis »
    old: str  # « 3 mois », ABSENT when the field is new
    new: str

    def words(self) -> str:
        return f"{self.label} : {self.old} → {self.new}"


def flatten(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted field, scalar or list of scalars) for every leaf of a front-matter."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list) and any(isinstance(v, Mapping | list) for v in data):
        for i, value in enumerate(data, 1):
            yield from flatten(value, f"{prefix}[{i}]")
    else:
        yield prefix, data


def label(field: str) -> str:
    """« etablissements[2].uai » -> « établissement 2 : UAI »; a modification of an
    avenant (« modifications.dispositions.preavis_mois ») is named by the field it sets."""
    inner = field.removeprefix("modifications.")
    numbers = _INDEX.findall(inner)
    generic = _INDEX.sub("[]", inner)
    text = LABELS.get(generic)
    if text is None:
        return field
    text = text.format(n=numbers[0] if numbers else "")
    return f"modification : {text}" if inner != field else text


def value(field: str, raw: Any) -> str:
    """A value as a reader says it: dates in French, oui/non, units."""
    if raw is None:
        return ABSENT
    if isinstance(raw, bool):
        return "oui" if raw else "non"
    if isinstance(raw, date):
        return format_date(raw)
    if isinstance(raw, list):
        return ", ".join(value(field, v) for v in raw) or "(aucun)"
    text = " ".join(str(raw).split())
    unit = UNITS.get(_INDEX.sub("[]", field.removeprefix("modifications.")))
    return f"{text} {unit}" if unit else text


def field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
                  ) -> list[FieldChange]:
    """Every header field whose value differs, in the order of the new front-matter."""
    before = dict(flatten(old or {}))
    after = dict(flatten(new or {}))
    order = list(after) + [k for k in before if k not in after]
    return [FieldChange(k, label(k), value(k, before.get(k)), value(k, after.get(k)))
            for k in order if before.get(k) != after.get(k)]
