"""One catalogue record per convention: the columns of the open data and of the table.

`COLUMNS` is the single description of the published data: the CSV, the JSON, the
catalogue page and the field reference page all read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from coop.convention import Convention

from .labels import STATUTS, TYPES, label, school_year

Value = str | int | None | list[str] | list[int]


@dataclass(frozen=True)
class Column:
    name: str
    description: str  # French, shown on the field reference page
    get: Callable[[Convention], Value]
    multiple: bool = False  # a list in JSON, values joined by " | " in CSV


def _names(items: list[dict[str, Any]], key: str = "nom") -> list[str]:
    return [str(i[key]) for i in items if i.get(key)]


def _formation(c: Convention) -> dict[str, Any]:
    return c.data.get("formation") or {}


def diploma_label(d: dict[str, Any]) -> str:
    return f"{d.get('intitule', '')} {d.get('specialite', '')}".strip()


def formation_label(c: Convention) -> str:
    """« Baccalauréat professionnel MSPC » (coloration) or the FCIL's title."""
    f = _formation(c)
    if c.type == "coloration" and f.get("diplome"):
        return diploma_label(f["diplome"])
    return str(f.get("intitule", ""))


def levels(c: Convention) -> list[int]:
    f = _formation(c)
    if f.get("diplome"):
        return [int(f["diplome"]["niveau"])]
    return sorted({int(d["niveau"]) for d in f.get("diplomes_socles", []) if "niveau" in d})


def sector(c: Convention) -> str:
    """FCIL: its sector; coloration: its sector when given, else its theme."""
    f = _formation(c)
    return str(f.get("secteur") or f.get("theme") or "")


def start_date(c: Convention) -> date | None:
    d = (_formation(c).get("duree") or {}).get("debut")
    return d if isinstance(d, date) else None


def end_date(c: Convention) -> date | None:
    """Known end of the convention's training: the FCIL's end date (a coloration's end is
    open: it is renewed tacitly while deployed in a cursus)."""
    d = (_formation(c).get("duree") or {}).get("fin")
    return d if isinstance(d, date) else None


def signature_date(c: Convention) -> date | None:
    d = (c.data.get("signature") or {}).get("date")
    return d if isinstance(d, date) else None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


COLUMNS: tuple[Column, ...] = (
    Column("id", "Identifiant stable de la convention (nom de sa page).", lambda c: c.id),
    Column("titre", "Titre court de la convention.", lambda c: c.titre),
    Column("type", "« coloration » ou « fcil ».", lambda c: c.type),
    Column("type_libelle", "Type en clair : « Coloration » ou « FCIL ».",
           lambda c: label(TYPES, c.type)),
    Column("statut", "brouillon, en_signature, signee, resiliee ou expiree.", lambda c: c.statut),
    Column("statut_libelle", "Statut en clair (« Signée »…).", lambda c: label(STATUTS, c.statut)),
    Column("region_academique", "Région académique.", lambda c: c.region_academique),
    Column("academie", "Académie.", lambda c: c.academie),
    Column("territoire", "Territoire nommé à l’article 1 (bassin d’emploi…).",
           lambda c: str(c.data["territoire"].get("libelle", ""))),
    Column("etablissements", "Établissement(s) ou autorité(s) académique(s) signataire(s).",
           lambda c: _names(c.data.get("etablissements", [])), multiple=True),
    Column("uai", "Code(s) UAI des établissements.",
           lambda c: _names(c.data.get("etablissements", []), "uai"), multiple=True),
    Column("partenaires", "Partenaire(s) professionnel(s).",
           lambda c: _names(c.data.get("partenaires", [])), multiple=True),
    Column("siret", "SIRET des partenaires, quand il est renseigné.",
           lambda c: [s.replace(" ", "") for s in _names(c.data.get("partenaires", []), "siret")],
           multiple=True),
    Column("formation", "Diplôme coloré (coloration) ou intitulé de la FCIL.", formation_label),
    Column("niveaux", "Niveau(x) de diplôme (nomenclature 2019 : CAP 3, bac pro 4, BTS 5) ; "
           "pour une FCIL, ceux des diplômes socles.", levels, multiple=True),
    Column("secteur", "Secteur professionnel (FCIL) ou thème de la coloration.", sector),
    Column("annee_scolaire", "Année scolaire de la première rentrée (« 2026-2027 »).",
           lambda c: school_year(d) if (d := start_date(c)) else None),
    Column("date_debut", "Date de début de la formation (AAAA-MM-JJ).",
           lambda c: _iso(start_date(c))),
    Column("date_fin", "Date de fin de la formation quand elle est connue (FCIL), "
           "sinon vide.", lambda c: _iso(end_date(c))),
    Column("date_signature", "Date de signature (AAAA-MM-JJ), vide si non signée.",
           lambda c: _iso(signature_date(c))),
    Column("preavis_mois", "Préavis de résiliation, en mois.",
           lambda c: (c.data.get("dispositions") or {}).get("preavis_mois")),
    Column("modele", "Version du modèle de convention suivie.", lambda c: c.modele),
    Column("url", "Adresse de la page de la convention, relative à la racine du site.",
           lambda c: page_url(c.id)),
)


def page_uri(conv_id: str) -> str:
    """Source path of the generated page, relative to docs_dir."""
    return f"conventions/{conv_id}.md"


def page_url(conv_id: str) -> str:
    return f"conventions/{conv_id}/"


def record(c: Convention) -> dict[str, Value]:
    return {col.name: col.get(c) for col in COLUMNS}
