"""A new convention file from a few answers: front-matter written through ruamel.yaml with
the schema's French description above each field, and the body's three preamble sections.

Every value still unknown is `PLACEHOLDER` (« À COMPLÉTER »): `make check` rejects it
with an « à compléter » message naming the field, until someone writes the real value.
"""

from __future__ import annotations

import io
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..schema import described_fields
from ..validate import PLACEHOLDER, latest_model
from .frontmatter import yaml_rt

COMMENT_WIDTH = 92
TODO = PLACEHOLDER
COMITE_ACADEMIE = "le recteur ou son représentant"  # model v2's default member


@dataclass
class Party:
    nom: str
    designation: str
    adresse: str | None = None
    civilite: str | None = None  # Madame | Monsieur
    representant: str | None = None  # first name and name
    fonction: str | None = None


@dataclass
class School(Party):
    uai: str | None = None


@dataclass
class Partner(Party):
    nature: str = "entreprise"
    siret: str | None = None


@dataclass
class Diploma:
    intitule: str | None = None
    specialite: str | None = None
    niveau: int | None = None
    cfd: str | None = None


@dataclass
class Answers:
    """What `make new` asks. None means « not answered »: the field gets the placeholder."""

    type: str  # coloration | fcil
    academie: str
    region_academique: str
    titre: str
    etablissement: School
    partenaires: list[Partner]
    territoire: str | None = None
    diplome: Diploma = field(default_factory=Diploma)  # coloured diploma, or FCIL base diploma
    theme: str | None = None  # coloration
    intitule: str | None = None  # FCIL
    secteur: str | None = None
    publics: list[str] = field(default_factory=lambda: ["scolaire"])
    debut: date | None = None
    fin: date | None = None  # FCIL
    annees_cycle: int | None = None  # coloration
    lieu: str | None = None
    id: str = ""
    # members for the académie / région académique at the comité de suivi (article 9)
    comite_academie: list[str] = field(default_factory=lambda: [COMITE_ACADEMIE])


def slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def default_id(type_: str, academie: str, titre: str) -> str:
    """« lyon-fcil-maintenance-des-helicopteres » (3 to 80 characters, schema pattern)."""
    words = slug(titre).removeprefix(f"{type_}-")
    return f"{slug(academie)}-{type_}-{words}"[:80].strip("-")


def default_path(root: Path, answers: Answers) -> Path:
    """conventions/<académie>/<id without the académie>.md"""
    folder = slug(answers.academie)
    name = answers.id.removeprefix(f"{folder}-") or answers.id
    return root / "conventions" / folder / f"{name}.md"


def _or_todo(value: Any) -> Any:
    return TODO if value is None or value == "" else value


def _flow(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _map(**items: Any) -> CommentedMap:
    out = CommentedMap()
    for key, value in items.items():
        if value is not _SKIP:
            out[key] = value
    return out


_SKIP = object()


def _representant(p: Party) -> CommentedMap:
    return _map(civilite=_or_todo(p.civilite), nom=_or_todo(p.representant),
                fonction=_or_todo(p.fonction))


def _signer(p: Party) -> CommentedMap:
    name = f"{p.civilite} {p.representant}" if p.civilite and p.representant else None
    fonction = p.fonction[:1].upper() + p.fonction[1:] if p.fonction else None
    return _map(partie=p.designation, fonction=_or_todo(fonction), nom=_or_todo(name))


def _diploma(d: Diploma) -> CommentedMap:
    return _map(intitule=_or_todo(d.intitule), specialite=_or_todo(d.specialite),
                niveau=_or_todo(d.niveau),
                cfd=DoubleQuotedScalarString(d.cfd) if d.cfd else _SKIP)


def front_matter(a: Answers) -> CommentedMap:
    """The header as ruamel objects, in the order of the samples (comments added later)."""
    e = a.etablissement
    school = _map(nature="etablissement", nom=e.nom, uai=_or_todo(e.uai),
                  adresse=_or_todo(e.adresse), representant=_representant(e),
                  designation=e.designation)
    partners = [_map(nature=p.nature, nom=p.nom,
                     siret=DoubleQuotedScalarString(p.siret) if p.siret else _SKIP,
                     adresse=_or_todo(p.adresse), representant=_representant(p),
                     designation=p.designation) for p in a.partenaires]
    coloration = a.type == "coloration"
    if coloration:
        duree = _map(debut=_or_todo(a.debut), annees_cycle=_or_todo(a.annees_cycle))
        formation = _map(diplome=_diploma(a.diplome), theme=_or_todo(a.theme),
                         secteur=a.secteur if a.secteur else _SKIP,
                         publics=_flow(a.publics or [TODO]), duree=duree)
    else:
        duree = _map(debut=_or_todo(a.debut), fin=_or_todo(a.fin))
        formation = _map(intitule=_or_todo(a.intitule), secteur=_or_todo(a.secteur),
                         diplomes_socles=CommentedSeq([_diploma(a.diplome)]),
                         complement=TODO, publics=_flow(a.publics or [TODO]), duree=duree)
    parties: list[Party] = [e, *a.partenaires]
    return _map(
        id=a.id, titre=a.titre, modele=latest_model(), type=a.type, statut="brouillon",
        territoire=_map(region_academique=a.region_academique, academie=a.academie,
                        libelle=_or_todo(a.territoire)),
        etablissements=CommentedSeq([school]),
        partenaires=CommentedSeq(partners),
        formation=formation,
        cooperation=_map(pfmp=_map(duree_semaines=TODO, modalites=TODO)),
        attestation=_map(delivree=TODO if coloration else True,
                         cosignataires=_flow([TODO])),
        comite_suivi=_map(
            etablissement=CommentedSeq([TODO]),
            academie=CommentedSeq(a.comite_academie or [TODO]),
            partenaires=CommentedSeq([_map(partie=p.designation, membres=_flow([TODO]))
                                      for p in a.partenaires])),
        dispositions=_map(tacite_reconduction=TODO if coloration else _SKIP,
                          preavis_mois=TODO),
        signature=_map(lieu=_or_todo(a.lieu), date=None, exemplaires=len(parties),
                       signataires=CommentedSeq([_signer(p) for p in parties])),
    )


@cache
def _descriptions() -> dict[str, str]:
    return {name: str(sub.get("description", "")) for name, sub in described_fields()}


# Hints added to the schema's description where `make new` leaves a choice to the user.
HINTS = {
    "attestation.cosignataires": "Sans attestation (delivree: false), supprimez ce champ.",
    "dispositions.tacite_reconduction": "true ou false.",
    "signature.date": "Laissez vide : « make statut … STATUT=signee DATE=… » la remplira.",
    "statut": "Changez-le avec « make statut », pas à la main.",
    "partenaires[].siret": "Facultatif.",
    "formation.diplome.cfd": "Facultatif.", "formation.diplomes_socles[].cfd": "Facultatif.",
}


def _comment(name: str, indent: int) -> str | None:
    desc = _descriptions().get(name)
    if not desc:
        return None
    if hint := HINTS.get(name):
        desc = f"{desc} {hint}"
    # never break a line before « » », « : », « ; » or after « « » (French spacing)
    glued = re.sub(r" (?=[»:;?!=])|(?<=[«=]) ", "\x00", desc)
    lines = textwrap.wrap(glued, width=max(40, COMMENT_WIDTH - indent), break_on_hyphens=False)
    return "\n".join(line.replace("\x00", " ") for line in lines)


def annotate(node: Any, prefix: str = "", indent: int = 0,
             owner: CommentedSeq | None = None) -> None:
    """Put the schema's description above every field (first item of each list only).

    `owner` is the list whose first item is `node`: the comment of that item's first key
    goes above the dash (« - nature: … »), where a reader expects it."""
    if not isinstance(node, CommentedMap):
        return
    for i, (key, value) in enumerate(node.items()):
        name = f"{prefix}{key}"
        if text := _comment(name, indent):
            if i == 0 and owner is not None:
                owner.yaml_set_comment_before_after_key(0, before=text, indent=indent - 2)
            else:
                node.yaml_set_comment_before_after_key(key, before=text, indent=indent)
        if isinstance(value, CommentedMap):
            annotate(value, name + ".", indent + 2)
        elif isinstance(value, CommentedSeq) and value and isinstance(value[0], CommentedMap):
            annotate(value[0], name + "[].", indent + 4, owner=value)


BODY = """
## Préambule : opportunité

{todo} : les besoins du territoire et des entreprises auxquels répond la {offre}
(métiers en tension, emplois non pourvus, évolution des compétences).

## Préambule : stratégie

{todo} : la place du projet dans la stratégie de l’académie et de la région académique
(carte des formations, campus des métiers et des qualifications…).

## Préambule : signataires

{todo} : une courte présentation de chaque partie signataire.
"""

HEADER_COMMENT = """\
Convention créée par « make new » : remplacez chaque « {todo} » ; « make check »
indique les champs qui restent à compléter. Corps du fichier (après l’en-tête) : les trois
sections du préambule, puis, au besoin, « ## Précisions : <article> », « ## Article ajouté
après <article> : <Titre> », « ## Article remplacé : <article> », « ## Article supprimé :
<article> » (voir le guide du contributeur)."""


def render(answers: Answers) -> str:
    """The complete text of the new file."""
    data = front_matter(answers)
    annotate(data)
    data.yaml_set_start_comment(HEADER_COMMENT.format(todo=TODO))
    out = io.StringIO()
    yaml_rt().dump(data, out)
    offre = "coloration" if answers.type == "coloration" else "FCIL"
    return "---\n" + out.getvalue() + "---\n" + BODY.format(todo=TODO, offre=offre)
