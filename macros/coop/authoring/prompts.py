"""The questions of `make new`: each answer is checked as it is typed (UAI and SIRET keys,
académie ↔ région académique, dates), and the same checks apply to command-line options.

Parsers take the text typed and return the value to store, or raise `Invalid` with a
French message; `collect` asks only what the command line did not give.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TextIO

from .. import identifiers as ids
from ..academies import ACADEMIE_CODES, FORMER_ACADEMIES, REGION_OF, REGIONS
from ..body import normalize
from ..datemath import add_months
from ..schema import schema, suggest
from ..validate import _LEVEL_HINTS, fcil_dates_message, school_year_end
from . import AuthoringError
from .skeleton import COMITE_ACADEMIE, Answers, Diploma, Partner, School, default_id

TYPES = ("coloration", "fcil")
PUBLICS = ("scolaire", "etudiant", "apprenti", "formation_continue")
CYCLE_YEARS = {3: 2, 4: 3, 5: 2}  # usual length of the cycle by diploma level


def partner_natures() -> list[str]:
    return list(schema()["$defs"]["partenaire"]["properties"]["nature"]["enum"])


class Invalid(ValueError):
    """An answer that does not pass its check; the message is in French."""


Parser = Callable[[str], Any]


def _pick(value: str, choices: list[str] | tuple[str, ...], what: str) -> str:
    """A choice by number (« 2 »), by name, accents and case ignored."""
    v = value.strip()
    if v.isdigit() and 1 <= int(v) <= len(choices):
        return choices[int(v) - 1]
    for c in choices:
        if normalize(c) == normalize(v):
            return c
    shown = ", ".join(f"« {c} »" for c in choices)
    raise Invalid(f"{what} inconnu(e) « {v} »{suggest(v, list(choices))} ; choix possibles : "
                  f"{shown}")


def parse_type(value: str) -> str:
    return _pick(value, TYPES, "type")


def parse_academie(value: str) -> str:
    v = value.strip()
    for old, new in FORMER_ACADEMIES.items():
        if normalize(old) == normalize(v):
            raise Invalid(f"l’académie de {old} n’existe plus : depuis 2020, elle fait partie "
                          f"de l’académie de {new}")
    academies = sorted(ACADEMIE_CODES)
    for a in academies:
        if normalize(a) == normalize(v):
            return a
    raise Invalid(f"académie inconnue « {v} »{suggest(v, academies)} ; les 30 académies : "
                  f"{', '.join(academies)}")


def region_parser(academie: str) -> Parser:
    def parse(value: str) -> str:
        region = _pick(value, list(REGIONS), "région académique")
        if REGION_OF[academie] != region:
            raise Invalid(f"l’académie « {academie} » appartient à la région académique "
                          f"« {REGION_OF[academie]} », pas à « {region} »")
        return region
    return parse


def text_parser(minimum: int = 2, maximum: int = 300) -> Parser:
    def parse(value: str) -> str:
        v = re.sub(r"\s+", " ", value).strip()
        if len(v) < minimum:
            raise Invalid(f"texte trop court (au moins {minimum} caractères)")
        if len(v) > maximum:
            raise Invalid(f"texte trop long (au plus {maximum} caractères)")
        return v
    return parse


def parse_uai(value: str) -> str:
    v = value.strip().upper()
    if msg := ids.check_uai(v):
        raise Invalid(msg)
    return v


def parse_siret(value: str) -> str:
    if msg := ids.check_siret(value.strip()):
        raise Invalid(msg)
    return re.sub(r"\D", "", value)


def parse_nature(value: str) -> str:
    return _pick(value, partner_natures(), "nature")


def parse_person(value: str) -> tuple[str, str]:
    """« Madame Claire Dupont » / « Mme Claire Dupont » / « M. Paul Martin » -> (civilité, nom)."""
    m = re.fullmatch(r"\s*(madame|mme\.?|monsieur|m\.|mr\.?)\s+(\S.*?)\s*", value, re.I)
    if not m:
        raise Invalid("commencez par « Madame » ou « Monsieur », puis le prénom et le nom "
                      "(ex. « Madame Claire Dupont »)")
    civ = "Monsieur" if m.group(1).lower().startswith(("monsieur", "m.", "mr")) else "Madame"
    return civ, re.sub(r"\s+", " ", m.group(2))


def guess_level(intitule: str) -> int | None:
    name = normalize(intitule)
    return next((lvl for hint, lvl in _LEVEL_HINTS if re.match(rf"{hint}\b", name)), None)


def int_parser(minimum: int, maximum: int) -> Parser:
    def parse(value: str) -> int:
        v = value.strip()
        if not re.fullmatch(r"[0-9]+", v) or not minimum <= int(v) <= maximum:
            raise Invalid(f"nombre entier attendu, de {minimum} à {maximum}")
        return int(v)
    return parse


def cfd_parser(level: int | None) -> Parser:
    def parse(value: str) -> str:
        v = value.strip().upper()
        if msg := ids.check_cfd(v, level):
            raise Invalid(msg)
        return v
    return parse


def parse_date(value: str) -> date:
    v = value.strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v):
        raise Invalid(f"date attendue au format AAAA-MM-JJ, pas « {v} »")
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise Invalid(f"date impossible : « {v} » n’existe pas dans le calendrier") from None


def fcil_end_parser(start: date | None) -> Parser:
    """The end of an FCIL: at least 3 months after `start`, in the same school year
    (the validator's rule, DOMAIN.md)."""
    def parse(value: str) -> date:
        end = parse_date(value)
        if start is not None and (message := fcil_dates_message(start, end)):
            raise Invalid(message)
        return end
    return parse


def parse_members(value: str) -> list[str]:
    """Members of the comité de suivi, separated by « ; »."""
    members = [text_parser(2, 300)(m) for m in value.split(";") if m.strip()]
    if not members:
        raise Invalid("au moins un membre (plusieurs : séparés par « ; »)")
    return members


def parse_publics(value: str) -> list[str]:
    out: list[str] = []
    for word in re.split(r"[,;\s]+", value.strip()):
        if word and (p := _pick(word, PUBLICS, "public")) not in out:
            out.append(p)
    if not out:
        raise Invalid("au moins un public : " + ", ".join(PUBLICS))
    return out


def parse_id(value: str) -> str:
    v = value.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{2,79}", v):
        raise Invalid("identifiant attendu en minuscules, chiffres et tirets (3 à 80 "
                      "caractères)")
    return v


def next_school_year(today: date) -> date:
    return date(today.year + (today >= date(today.year, 9, 1)), 9, 1)


def city_of(address: str | None) -> str | None:
    m = re.search(r"\b[0-9]{5}\s+(.+)$", address or "")
    return m.group(1).strip() if m else None


class Prompter:
    """Questions on `out`, answers from `inp`, one line each; a wrong answer is asked again."""

    def __init__(self, inp: TextIO, out: TextIO) -> None:
        self.inp, self.out = inp, out

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def ask(self, label: str, parse: Parser, default: str | None = None,
            required: bool = False) -> Any:
        shown = f" [{default}]" if default else ""
        while True:
            self.out.write(f"{label}{shown} : ")
            self.out.flush()
            line = self.inp.readline()
            if not line:
                self.say("")
                raise AuthoringError("saisie interrompue : rien n’a été écrit")
            answer = line.strip() or (default or "")
            if not answer:
                if not required:
                    return None
                self.say("  ✗ réponse obligatoire")
                continue
            try:
                return parse(answer)
            except Invalid as exc:
                self.say(f"  ✗ {exc}")


def option(key: str) -> str:
    """The command-line option of an answer: `annees_cycle` -> `--annees-cycle`."""
    return "--partenaire" if key == "partenaires" else "--" + key.replace("_", "-")


@dataclass
class Asker:
    """Takes each answer from the command line (`given`, raw text checked by the same parser)
    or, when a prompter is there, asks it; without a prompter a missing answer is its
    default, or None (« À COMPLÉTER »)."""

    given: dict[str, Any]
    prompter: Prompter | None

    def __call__(self, key: str, label: str, parse: Parser, default: Any = None,
                 required: bool = False) -> Any:
        value = self.given.get(key) if key else None
        if value is not None:
            try:
                return parse(str(value))
            except Invalid as exc:
                raise AuthoringError(f"{option(key)} « {value} » : {exc}") from None
        if self.prompter is None:
            return None if default is None else parse(str(default))
        return self.prompter.ask(label, parse, None if default is None else str(default),
                                 required)

    def section(self, title: str) -> None:
        if self.prompter is not None:
            self.prompter.say(f"\n— {title} —")


ESSENTIAL = ("type", "academie", "titre", "etablissement", "uai", "partenaires")


def missing_essentials(given: dict[str, Any]) -> list[str]:
    return [option(k) for k in ESSENTIAL if not given.get(k)]


def _designation_parser(taken: list[str]) -> Parser:
    base = text_parser(2, 80)

    def parse(value: str) -> str:
        v = base(value)
        if v in taken:
            raise Invalid(f"désignation « {v} » déjà utilisée par une autre partie")
        return v
    return parse


def _partner(ask: Asker, index: int, taken: list[str]) -> Partner | None:
    nom = ask("", f"Partenaire n° {index} : nom officiel"
              + (" (Entrée pour terminer)" if index > 1 else ""), text_parser(2, 300),
              required=index == 1)
    if nom is None:
        return None
    natures = partner_natures()
    nature = ask("", "  nature (" + ", ".join(f"{i}={n}" for i, n in enumerate(natures, 1))
                 + ")", parse_nature, default="entreprise")
    siret = ask("", "  SIRET (14 chiffres ; Entrée s’il n’y en a pas)", parse_siret)
    adresse = ask("", "  adresse postale", text_parser(5, 300))
    person = ask("", "  représenté(e) par (ex. « Monsieur Paul Martin »)", parse_person)
    fonction = ask("", "  fonction du représentant", text_parser(1, 200)) if person else None
    designation = ask("", "  désigné(e) dans la convention par", _designation_parser(taken),
                      default=nom)
    taken.append(designation)
    return Partner(nom=nom, designation=designation, adresse=adresse,
                   civilite=person[0] if person else None,
                   representant=person[1] if person else None, fonction=fonction,
                   nature=nature, siret=siret)


def _given_partner(raw: list[str] | tuple[str, ...], taken: list[str]) -> Partner:
    """`--partenaire NOM [SIRET [NATURE]]` (SIRET « - » when there is none)."""
    if not 1 <= len(raw) <= 3:
        raise AuthoringError("--partenaire attend NOM [SIRET [NATURE]] (SIRET « - » s’il n’y "
                             "en a pas)")
    try:
        nom = text_parser(2, 300)(raw[0])
        siret = parse_siret(raw[1]) if len(raw) > 1 and raw[1] not in ("", "-") else None
        nature = parse_nature(raw[2]) if len(raw) > 2 else "entreprise"
        designation = _designation_parser(taken)(nom)
    except Invalid as exc:
        raise AuthoringError(f"--partenaire « {' '.join(raw)} » : {exc}") from None
    taken.append(designation)
    return Partner(nom=nom, designation=designation, nature=nature, siret=siret)


def default_end(start: date | None) -> str | None:
    """30 June of the school year of `start`, when that makes 3 months or more."""
    if start is None:
        return None
    end = date(school_year_end(start).year, 6, 30)
    return end.isoformat() if end >= add_months(start, 3) - timedelta(days=1) else None


def collect(given: dict[str, Any], prompter: Prompter | None, today: date) -> Answers:
    """Every answer, from the command line (`given`, raw text checked as if typed) or asked.

    With a prompter, only what `given` lacks is asked; without one (scripts), the essential
    answers must be given and the others become placeholders or defaults."""
    if prompter is None and (missing := missing_essentials(given)):
        raise AuthoringError("réponses manquantes pour une création sans questions : "
                             + ", ".join(missing))
    ask = Asker(given, prompter)
    if prompter is not None:
        prompter.say("Nouvelle convention de coopération. Entrée accepte la valeur proposée "
                     "[entre crochets] ; une réponse laissée vide devient « À COMPLÉTER ».")
    ask.section("Convention")
    kind = ask("type", "Type (1=coloration, 2=fcil)", parse_type, required=True)
    academie = ask("academie", "Académie", parse_academie, required=True)
    region = ask("region_academique", "Région académique", region_parser(academie),
                 default=REGION_OF[academie])
    titre = ask("titre", "Titre court (affiché dans le catalogue)", text_parser(5, 200),
                required=True)
    territoire = ask("territoire", "Territoire (ex. « bassin d’emploi de Saint-Nazaire »)",
                     text_parser(2, 200))

    ask.section("Établissement")
    nom = ask("etablissement", "Nom de l’établissement", text_parser(2, 300), required=True)
    uai = ask("uai", "UAI (7 chiffres et la lettre clé, ex. 0690026D)", parse_uai,
              required=True)
    adresse = ask("adresse", "Adresse postale", text_parser(5, 300))
    person = ask("chef", "Chef d’établissement (ex. « Madame Claire Dupont »)", parse_person)
    fonction = None
    if person:
        fonction = ask("fonction", "Fonction", text_parser(1, 200),
                       default="proviseure" if person[0] == "Madame" else "proviseur")
    designation = ask("designation", "Désigné dans la convention par", text_parser(2, 80),
                      default="le lycée")
    school = School(nom=nom, designation=designation, adresse=adresse, uai=uai,
                    civilite=person[0] if person else None,
                    representant=person[1] if person else None, fonction=fonction)

    ask.section("Partenaires")
    taken = [designation]
    partners = [_given_partner(raw, taken) for raw in given.get("partenaires") or []]
    while not partners or (prompter is not None and not given.get("partenaires")):
        partner = _partner(ask, len(partners) + 1, taken)
        if partner is None:
            break
        partners.append(partner)

    ask.section("Formation")
    diploma = Diploma()
    theme = intitule = secteur = None
    if kind == "coloration":
        label = "Diplôme coloré"
    else:
        intitule = ask("intitule", "Intitulé de la FCIL", text_parser(3, 200))
        secteur = ask("secteur", "Secteur professionnel", text_parser(3, 200))
        label = "Diplôme socle (dont les titulaires suivent la FCIL)"
    diploma.intitule = ask("diplome", f"{label} : type (ex. « Baccalauréat professionnel », "
                           "« CAP », « BTS »)", text_parser(2, 200))
    diploma.specialite = ask("specialite", "  spécialité", text_parser(2, 300))
    diploma.niveau = ask("niveau", "  niveau (CAP = 3, bac pro = 4, BTS = 5)", int_parser(3, 7),
                         default=guess_level(diploma.intitule or ""))
    diploma.cfd = ask("cfd", "  code formation diplôme (CFD, 8 caractères ; facultatif)",
                      cfd_parser(diploma.niveau))
    if kind == "coloration":
        theme = ask("theme", "Thème de la coloration (ex. « maintenance navale »)",
                    text_parser(3, 200))
        secteur = ask("secteur", "Secteur professionnel (facultatif)", text_parser(3, 200))
    publics = ask("publics", "Publics (scolaire, etudiant, apprenti, formation_continue)",
                  parse_publics, default="scolaire")
    debut = ask("debut", "Première rentrée (AAAA-MM-JJ)", parse_date,
                default=next_school_year(today).isoformat())
    fin = cycle = None
    if kind == "fcil":
        fin = ask("fin", "Fin de la formation (AAAA-MM-JJ)", fcil_end_parser(debut),
                  default=default_end(debut))
    else:
        cycle = ask("annees_cycle", "Durée du cycle du diplôme, en années (1 à 3)",
                    int_parser(1, 3), default=CYCLE_YEARS.get(diploma.niveau or 0))

    ask.section("Comité de suivi")
    comite = ask("comite_academie", "Pour l’académie ou la région académique, membre(s) du "
                 "comité de suivi (plusieurs : séparés par « ; »)", parse_members,
                 default=COMITE_ACADEMIE)

    ask.section("Signature")
    lieu = ask("lieu", "Lieu de signature (« Fait à … »)", text_parser(1, 200),
               default=city_of(adresse))
    conv_id = ask("id", "Identifiant de la convention", parse_id,
                  default=default_id(kind, academie, titre))
    return Answers(type=kind, academie=academie, region_academique=region, titre=titre,
                   etablissement=school, partenaires=partners, territoire=territoire,
                   diplome=diploma, theme=theme, intitule=intitule, secteur=secteur,
                   publics=publics or ["scolaire"], debut=debut, fin=fin, annees_cycle=cycle,
                   lieu=lieu, id=conv_id, comite_academie=comite or [COMITE_ACADEMIE])
