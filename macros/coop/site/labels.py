"""French labels for the enumerations of the front-matter, and date formatting."""

from __future__ import annotations

from datetime import date

TYPES = {"coloration": "Coloration", "fcil": "FCIL"}
TYPES_LONG = {
    "coloration": "Coloration de diplôme",
    "fcil": "Formation complémentaire d’initiative locale (FCIL)",
}
STATUTS = {
    "brouillon": "Brouillon",
    "en_signature": "En signature",
    "signee": "Signée",
    "resiliee": "Résiliée",
    "expiree": "Expirée",
}
PUBLICS = {
    "scolaire": "scolaires",
    "etudiant": "étudiants",
    "apprenti": "apprentis",
    "formation_continue": "stagiaires de la formation continue",
}
NATURES = {
    "etablissement": "Établissement",
    "academie": "Académie",
    "region_academique": "Région académique",
    "entreprise": "Entreprise",
    "groupement_entreprises": "Groupement d’entreprises",
    "pole_competitivite": "Pôle de compétitivité",
    "federation_professionnelle": "Fédération professionnelle",
    "branche_professionnelle": "Branche professionnelle",
    "collectivite_territoriale": "Collectivité territoriale",
    "etablissement_public_sante": "Établissement public de santé",
    "association": "Association",
}
DEPARTURES = {
    "ajout": "Article ajouté",
    "remplacement": "Article remplacé",
    "suppression": "Article supprimé",
    "complement": "Précisions apportées",
}
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
)
NBSP = "\u00a0"


def label(table: dict[str, str], key: object) -> str:
    """The French label of an enumeration value (the value itself when unknown)."""
    return table.get(str(key), str(key))


def format_date(d: date | None) -> str:
    """« 1er septembre 2026 », « 2 septembre 2026 » (no-break spaces), "" for None."""
    if d is None:
        return ""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day}{NBSP}{MONTHS[d.month - 1]}{NBSP}{d.year}"


def school_year(d: date) -> str:
    """The school year a date falls in: August onwards belongs to the next one."""
    start = d.year if d.month >= 8 else d.year - 1
    return f"{start}-{start + 1}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if n <= 1 else (plural_form or singular + "s")
    return f"{n}{NBSP}{word}"

AVENANT_STATUTS = {  # an avenant is masculine: « signé »
    "brouillon": "Brouillon",
    "en_signature": "En signature",
    "signee": "Signé",
}
