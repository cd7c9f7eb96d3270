"""One catalogue record per convention: the columns of the open data and of the table.

`COLUMNS` is the single description of the published data: the CSV, the JSON, the
catalogue page and the field reference page all read it. A row describes the convention in
force (as amended by its signed avenants); an avenant is never a row of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from coop.convention import Convention
from coop.deadlines import Schedule, schedule

from .labels import STATUTS, TYPES, label, school_year

Value = str | int | bool | None | list[str] | list[int]


@dataclass(frozen=True)
class Column:
    """One column, described once: the CSV, the JSON, the Table Schema (`schema.json`,
    frictionless format: `type`, `title`, `format`, constraints) and the reference page."""

    name: str
    description: str  # French, shown on the field reference page
    get: Callable[[Convention, Schedule], Value] | None  # None: given to `record` by name
    multiple: bool = False  # a list in JSON, values joined by " | " in CSV
    type: str = "string"  # Table Schema type of the CSV cell: string, integer, boolean, date
    title: str = ""  # French, short
    required: bool = False  # never empty
    enum: tuple[str, ...] = ()  # the only values allowed
    format: str = ""  # Table Schema format (« uri »), when the type has one


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


def signature_date(c: Convention) -> date | None:
    d = (c.data.get("signature") or {}).get("date")
    return d if isinstance(d, date) else None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


STATUS_VALUES = tuple(STATUTS)
DATE = {"type": "date"}  # AAAA-MM-JJ: Table Schema's default date format
YES_NO = {"type": "boolean"}  # « oui » / « non » in the CSV (opendata.TRUE, FALSE)

COLUMNS: tuple[Column, ...] = (
    Column("id", "Identifiant stable de la convention (nom de sa page).", lambda c, _s: c.id,
           title="Identifiant", required=True),
    Column("titre", "Titre court de la convention.", lambda c, _s: c.titre, title="Titre",
           required=True),
    Column("type", "« coloration » ou « fcil ».", lambda c, _s: c.type, title="Type",
           required=True, enum=tuple(TYPES)),
    Column("type_libelle", "Type en clair : « Coloration » ou « FCIL ».",
           lambda c, _s: label(TYPES, c.type), title="Type en clair", required=True,
           enum=tuple(TYPES.values())),
    Column("statut", "Statut déclaré dans la convention : brouillon, en_signature, signee, "
           "resiliee ou expiree.", lambda c, _s: c.statut, title="Statut déclaré",
           required=True, enum=STATUS_VALUES),
    Column("statut_libelle", "Statut déclaré, en clair (« Signée »…).",
           lambda c, _s: label(STATUTS, c.statut), title="Statut déclaré en clair",
           required=True, enum=tuple(STATUTS.values())),
    Column("statut_effectif", "Statut à la date de publication du site : le statut déclaré, "
           "sauf pour une convention signée arrivée à son terme sans reconduction tacite, "
           "qui est « expiree ».", lambda _c, s: s.status, title="Statut effectif",
           required=True, enum=STATUS_VALUES),
    Column("region_academique", "Région académique.", lambda c, _s: c.region_academique,
           title="Région académique", required=True),
    Column("academie", "Académie.", lambda c, _s: c.academie, title="Académie",
           required=True),
    Column("territoire", "Territoire nommé à l’article 1 (bassin d’emploi…).",
           lambda c, _s: str(c.data["territoire"].get("libelle", "")), title="Territoire"),
    Column("etablissements", "Établissement(s) ou autorité(s) académique(s) signataire(s).",
           lambda c, _s: _names(c.data.get("etablissements", [])), multiple=True,
           title="Établissements", required=True),
    Column("uai", "Code(s) UAI des établissements.",
           lambda c, _s: _names(c.data.get("etablissements", []), "uai"), multiple=True,
           title="UAI"),
    Column("partenaires", "Partenaire(s) professionnel(s).",
           lambda c, _s: _names(c.data.get("partenaires", [])), multiple=True,
           title="Partenaires", required=True),
    Column("siret", "SIRET des partenaires, quand il est renseigné.",
           lambda c, _s: [s.replace(" ", "")
                          for s in _names(c.data.get("partenaires", []), "siret")],
           multiple=True, title="SIRET"),
    Column("formation", "Diplôme coloré (coloration) ou intitulé de la FCIL.",
           lambda c, _s: formation_label(c), title="Formation", required=True),
    Column("niveaux", "Niveau(x) de diplôme (nomenclature 2019 : CAP 3, bac pro 4, BTS 5) ; "
           "pour une FCIL, ceux des diplômes socles.", lambda c, _s: levels(c), multiple=True,
           title="Niveaux"),
    Column("secteur", "Secteur professionnel (FCIL) ou thème de la coloration.",
           lambda c, _s: sector(c), title="Secteur"),
    Column("annee_scolaire", "Année scolaire de la première rentrée (« 2026-2027 »).",
           lambda c, _s: school_year(d) if (d := start_date(c)) else None,
           title="Année scolaire"),
    Column("date_debut", "Date de début de la formation (AAAA-MM-JJ).",
           lambda c, _s: _iso(start_date(c)), title="Début de la formation", **DATE),
    Column("date_signature", "Date de signature (AAAA-MM-JJ), vide si non signée.",
           lambda c, _s: _iso(signature_date(c)), title="Signature", **DATE),
    Column("date_effet", "Date de prise d’effet : la signature par toutes les parties, ou "
           "la date fixée par la convention ; vide si non signée.",
           lambda _c, s: _iso(s.effective_date), title="Prise d’effet", **DATE),
    Column("date_fin", "Fin de la période en cours : fin de la formation (FCIL) ou 31 août "
           "de l’année où s’achève la dernière année colorée du cycle (coloration) ; pour "
           "une coloration reconduite tacitement, fin du cycle en cours.",
           lambda _c, s: _iso(s.term_end), title="Fin de la période en cours", **DATE),
    Column("reconduction_tacite", "true (oui dans le CSV) quand la convention est reconduite "
           "tacitement à la fin de chaque cycle.", lambda _c, s: s.renews,
           title="Reconduction tacite", required=True, **YES_NO),
    Column("preavis_mois", "Préavis de résiliation, en mois.",
           lambda c, _s: (c.data.get("dispositions") or {}).get("preavis_mois"),
           title="Préavis (mois)", type="integer"),
    Column("date_limite_preavis", "Dernier jour pour envoyer la lettre de résiliation avant "
           "la prochaine reconduction tacite (fin du cycle moins le préavis) ; vide sans "
           "reconduction ou hors vigueur.", lambda _c, s: _iso(s.notice_deadline),
           title="Date limite de préavis", **DATE),
    Column("prochain_comite", "Date à laquelle le prochain comité de suivi doit s’être "
           "réuni (un an après la dernière réunion, ou après la prise d’effet) ; vide "
           "quand aucun n’est attendu.", lambda _c, s: _iso(s.next_comite),
           title="Prochain comité de suivi", **DATE),
    Column("comite_en_retard", "true (oui dans le CSV) quand ce comité de suivi est en "
           "retard à la date de publication.", lambda _c, s: s.comite_overdue,
           title="Comité en retard", required=True, **YES_NO),
    Column("avenants", "Nombre d’avenants à la convention, quel que soit leur statut "
           "(brouillon, en signature ou signé) ; les valeurs des autres colonnes tiennent "
           "compte des avenants signés.", None, title="Avenants", required=True,
           type="integer"),
    Column("modele", "Version du modèle de convention suivie.", lambda c, _s: c.modele,
           title="Modèle", required=True),
    Column("url", "Adresse de la page de la convention : absolue quand l’adresse du site "
           "est configurée (COOP_SITE_URL), sinon relative à la racine du site.",
           lambda c, _s: page_url(c.id), title="Page", required=True, format="uri"),
    Column("url_pdf", "Adresse de l’exemplaire PDF de la convention (exemplaire à signer, "
           "non signé, tant qu’aucun exemplaire signé n’est enregistré) ; vide quand il "
           "n’est pas publié. Absolue ou relative comme « url ».", None,
           title="Exemplaire PDF", format="uri"),
    Column("url_docx", "Adresse de l’exemplaire DOCX de la convention ; vide quand il "
           "n’est pas publié. Absolue ou relative comme « url ».", None,
           title="Exemplaire DOCX", format="uri"),
    Column("date_publication", "Date de publication des données (AAAA-MM-JJ) : le jour de "
           "la construction du site, date de référence des statuts et échéances calculés.",
           None, title="Date de publication", required=True, **DATE),
)


def page_uri(conv_id: str) -> str:
    """Source path of the generated page, relative to docs_dir."""
    return f"conventions/{conv_id}.md"


def page_url(conv_id: str) -> str:
    return f"conventions/{conv_id}/"


def record(c: Convention, today: date, **known: Value) -> dict[str, Value]:
    """The catalogue row of `c`, its computed dates as of `today` (its publication date);
    `known` gives the columns that the convention alone does not tell (`avenants`: their
    count, 0 by default; the copies' URLs are set when the open data is published,
    `opendata.published`)."""
    sched = schedule(c.data, today)
    known = {"avenants": 0, "date_publication": today.isoformat(), **known}
    return {col.name: col.get(c, sched) if col.get is not None else known.get(col.name)
            for col in COLUMNS}
