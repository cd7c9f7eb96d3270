"""Synthetic but valid conventions for the benchmark (`make bench`, `scripts/bench.py`).

`generate(root, n)` writes `n` convention files under `root/conventions/<académie>/`:
both types, every académie with its région académique, 1 to 4 partners with valid SIRET
(Luhn) keys, valid UAI check letters, every status with consistent dates, bodies of varied
length, some articles with précisions, added or replaced. The output depends only on
`n` and `seed` (deterministic), and every file passes `load_catalog` without error.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from coop.academies import ACADEMIE_CODES, REGION_OF
from coop.datemath import add_months
from coop.identifiers import LA_POSTE_SIREN, luhn_ok, uai_check_letter

MODEL = "adaptation-offre-formation/v2"  # the newest version, for new conventions
REFERENCE_DAY = date(2026, 3, 1)  # the statuses fit the dates on that day (COOP_AUJOURDHUI)
STATUSES = ("brouillon", "en_signature", "signee", "signee", "resiliee", "expiree")
PARTNER_NATURES = ("entreprise", "groupement_entreprises", "pole_competitivite",
                   "federation_professionnelle", "branche_professionnelle",
                   "collectivite_territoriale", "etablissement_public_sante", "association")
PUBLICS = ("scolaire", "etudiant", "apprenti", "formation_continue")
# (intitulé, niveau, first digit of the CFD)
DIPLOMAS = (("CAP", 3, "5"), ("Baccalauréat professionnel", 4, "4"), ("BTS", 5, "3"))
SPECIALITES = (
    "Maintenance des systèmes de production connectés", "Métiers de l’électricité",
    "Cuisine", "Commercialisation et services en restauration", "Logistique",
    "Technicien en chaudronnerie industrielle", "Accompagnement, soins et services à la personne",
    "Management en hôtellerie-restauration", "Maintenance des véhicules",
    "Aéronautique option systèmes", "Agencement de l’espace architectural",
    "Conception des processus de réalisation de produits", "Systèmes numériques",
)
SECTEURS = ("Construction navale", "Aéronautique", "Hôtellerie-restauration", "Logistique",
            "Énergies renouvelables", "Santé", "Bâtiment", "Agroalimentaire", "Numérique",
            "Industrie ferroviaire", "Métallurgie", "Tourisme")
THEMES = ("maintenance navale", "gastronomie durable", "énergies marines",
          "logistique portuaire", "véhicules électriques", "soins en gériatrie",
          "bâtiment bas carbone", "cybersécurité industrielle", "filière bois",
          "maintenance ferroviaire", "œnotourisme", "hydrogène")
FIRST_NAMES = ("Claire", "Paul", "Nadia", "Thomas", "Sophie", "Karim", "Inès", "Yannick",
               "Julie", "Bernard", "Léa", "Hugo", "Amina", "Louis", "Chloé", "Mathieu")
LAST_NAMES = ("Dupont", "Martin", "Benali", "Leroy", "Bernard", "Haddad", "Garcia",
              "Le Goff", "Roux", "Rey", "Moreau", "Fournier", "Girard", "Lambert", "Faure")
COMPANY_WORDS = ("Atlantique", "Industries", "Services", "Maintenance", "Énergies",
                 "Systèmes", "Logistique", "Technologies", "Hélicoptères", "Ateliers",
                 "Transports", "Solutions", "Conseil", "Environnement")
STREETS = ("rue des Aviateurs", "boulevard Pierre-de-Coubertin", "avenue Bourdelle",
           "rue Médéric", "quai de la Joliette", "rue de Lancry", "chemin des Écoliers")
WORDS = (
    "la", "formation", "des", "élèves", "entreprise", "partenaires", "territoire", "besoins",
    "compétences", "métiers", "lycée", "recrutement", "techniciens", "atelier", "plateau",
    "technique", "projet", "académie", "région", "filière", "emploi", "qualification",
    "apprentissage", "tuteur", "périodes", "milieu", "professionnel", "maintenance", "sécurité",
    "innovation", "chaque", "année", "pendant", "avec", "pour", "dans", "les", "une", "sur",
    "selon", "afin", "de", "développer", "accueillir", "accompagner", "renforcer", "insertion",
    "durable", "local", "bassin", "campus", "qualifications", "diplôme", "enseignants",
)
ADDED_TITLES = ("Engagements de la collectivité", "Mise à disposition de matériel",
                "Transport des élèves", "Hébergement des stagiaires", "Confidentialité",
                "Assurance des stagiaires")
REPLACEABLE = ("communication", "professionnalisation", "etudes-besoins")  # not protected
PRECISABLE = ("objet", "publics-duree", "appui-formation", "suivi", "duree")


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def uai(rng: random.Random) -> str:
    digits = f"0{rng.randint(10, 97):02d}{rng.randint(0, 9999):04d}"
    return digits + uai_check_letter(digits)


def siret(rng: random.Random) -> str:
    """14 digits with a valid Luhn key (never the SIREN of La Poste)."""
    while True:
        body = f"{rng.randint(1, 9)}{rng.randint(0, 10**12 - 1):012d}"
        if body.startswith(LA_POSTE_SIREN):
            continue
        for last in "0123456789":
            if luhn_ok(body + last):
                return body + last


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(sentences))


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(("Madame", "Monsieur")), f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _diploma(rng: random.Random) -> dict[str, Any]:
    intitule, niveau, digit = rng.choice(DIPLOMAS)
    d: dict[str, Any] = {"intitule": intitule, "specialite": rng.choice(SPECIALITES),
                         "niveau": niveau}
    if rng.random() < 0.7:
        d["cfd"] = f"{digit}{rng.randint(0, 9999999):07d}"
    if rng.random() < 0.4:
        d["rncp"] = f"RNCP{rng.randint(10000, 39999)}"
    return d


def convention(i: int, rng: random.Random) -> tuple[str, dict[str, Any], str]:
    """(académie, front-matter data, body) of the i-th synthetic convention."""
    extra = random.Random(i)  # fields added later: drawn apart, the rest stays as it was
    kind = "coloration" if rng.random() < 0.55 else "fcil"
    academie = rng.choice(sorted(ACADEMIE_CODES))
    statut = rng.choice(STATUSES)
    city = academie.split("-")[0]
    school_civ, school_name = person(rng)
    school = {"nature": "etablissement",
              "nom": f"Lycée professionnel {rng.choice(LAST_NAMES)} {i}",
              "uai": uai(rng),
              "adresse": f"{rng.randint(1, 99)} {rng.choice(STREETS)}, {city}",
              "representant": {"civilite": school_civ, "nom": school_name,
                               "fonction": "proviseure" if school_civ == "Madame"
                               else "proviseur"},
              "designation": "le lycée"}
    parties_edu: list[dict[str, Any]] = [school]
    if rng.random() < 0.15:
        rc, rn = person(rng)
        parties_edu.insert(0, {"nature": "academie", "nom": f"Académie {academie}",
                               "adresse": f"{rng.randint(1, 99)} {rng.choice(STREETS)}, {city}",
                               "representant": {"civilite": rc, "nom": rn,
                                                "fonction": "recteur d’académie"},
                               "designation": "l’académie", "genre": "feminin"})
    partners = []
    for k in range(rng.randint(1, 4)):
        pc, pn = person(rng)
        partners.append({
            "nature": rng.choice(PARTNER_NATURES),
            "nom": f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)} {city} {k + 1}",
            "siret": siret(rng),
            "adresse": f"{rng.randint(1, 199)} {rng.choice(STREETS)}, {city}",
            "representant": {"civilite": pc, "nom": pn, "fonction": "directeur général"},
            "designation": f"le partenaire {k + 1}"})
        if rng.random() < 0.3:
            partners[-1]["genre"] = "feminin"
    start = date(_start_year(rng, statut, kind), 9, rng.randint(1, 15))
    formation: dict[str, Any] = {}
    secteur = rng.choice(SECTEURS)
    if kind == "coloration":
        cycle = rng.randint(1, 3)
        duree: dict[str, Any] = {"debut": start, "annees_cycle": cycle}
        if cycle > 1 and rng.random() < 0.5:
            duree["annees_colorees"] = list(range(2, cycle + 1))
        theme = rng.choice(THEMES)
        formation = {"diplome": _diploma(rng), "theme": theme, "secteur": secteur}
        title = f"Coloration « {theme} » – {school['nom']}"
    else:
        end = add_months(start, rng.randint(4, 9)) - timedelta(days=1)
        duree = {"debut": start, "fin": min(end, date(start.year + 1, 6, 30))}
        intitule = f"{rng.choice(THEMES).capitalize()} {i}"
        formation = {"intitule": intitule, "secteur": secteur,
                     "diplomes_socles": [_diploma(rng) for _ in range(rng.randint(1, 2))],
                     "complement": paragraph(rng, 1)}
        title = f"FCIL {intitule} – {school['nom']}"
    formation["publics"] = rng.sample(PUBLICS, rng.randint(1, 3))
    if rng.random() < 0.7:
        formation["effectif"] = rng.randint(8, 30)
    formation["duree"] = duree
    designations = [p["designation"] for p in (*parties_edu, *partners)]
    cosign = (["recteur_academie"] if kind == "fcil" else
              [rng.choice(("chef_etablissement", "recteur_academie"))])
    signed = statut in ("signee", "resiliee", "expiree")
    sig_date = start - timedelta(days=rng.randint(20, 120)) if signed else None
    dispositions: dict[str, Any] = {"preavis_mois": rng.randint(1, 6)}
    if kind == "coloration" and statut != "expiree" and rng.random() < 0.5:
        dispositions["tacite_reconduction"] = True
    if sig_date and rng.random() < 0.3:
        dispositions["prise_effet"] = "date"
        dispositions["date_effet"] = sig_date + timedelta(days=10)
    comite: dict[str, Any] = {
        "etablissement": ["le chef d’établissement", "le directeur délégué aux formations"],
        "partenaires": [{"partie": p["designation"], "membres": ["le directeur général"]}
                        for p in partners]}
    if sig_date and rng.random() < 0.5:
        comite["derniere_reunion"] = sig_date + timedelta(days=rng.randint(1, 15))
    data: dict[str, Any] = {
        "id": f"bench-{i:05d}-{kind}-{slug(academie)}",
        "titre": title,
        "modele": MODEL,
        "type": kind,
        "statut": statut,
        "territoire": {"region_academique": REGION_OF[academie], "academie": academie,
                       "libelle": f"bassin d’emploi de {city}"},
        "etablissements": parties_edu,
        "partenaires": partners,
        "formation": formation,
        "cooperation": {
            "pfmp": {"duree_semaines": rng.randint(4, 22), "modalites": paragraph(rng, 1)},
            "ressources": [sentence(rng, 8) for _ in range(rng.randint(0, 3))],
            "etudes_besoins": [{"partie": partners[0]["designation"],
                                "cadre": "l’observatoire des métiers de la branche"}]},
        "attestation": ({"delivree": True, "cosignataires": cosign,
                         "region": extra.random() < 0.5 and any(
                             p["nature"] == "collectivite_territoriale" for p in partners),
                         "engagement": extra.random() < 0.3}
                        if rng.random() < 0.8 else {"delivree": False}),
        "comite_suivi": comite,
        "dispositions": dispositions,
        "signature": {"lieu": city, "date": sig_date, "exemplaires": len(designations),
                      "signataires": [{"partie": d, "fonction": "Représentant",
                                       "nom": " ".join(person(rng))} for d in designations]},
    }
    return academie, data, _body(rng)


def _start_year(rng: random.Random, statut: str, kind: str) -> int:
    """Dates consistent with the status on REFERENCE_DAY: no deadline warning is expected
    from an unsigned convention already running or an expired one still running."""
    if statut in ("brouillon", "en_signature"):
        return rng.choice((2026, 2027))
    if statut == "expiree":
        return 2024 if kind == "fcil" else 2021
    if statut == "resiliee":
        return rng.choice((2024, 2025))
    return rng.choice((2025, 2026)) if kind == "coloration" else 2026


def _body(rng: random.Random) -> str:
    """The three preamble points, then optional précisions, added and replaced articles;
    from a few lines to a few pages."""
    size = rng.choice((1, 1, 2, 3, 5, 8))
    parts = [f"## Préambule : {slot}\n\n" + "\n\n".join(
                 paragraph(rng, rng.randint(2, 4)) for _ in range(rng.randint(1, size)))
             for slot in ("opportunité", "stratégie", "signataires")]
    for key in rng.sample(PRECISABLE, rng.randint(0, 2)):
        parts.append(f"## Précisions : {key}\n\n{paragraph(rng, rng.randint(1, 3))}")
    if rng.random() < 0.3:
        parts.append(f"## Article ajouté après appui-formation : {rng.choice(ADDED_TITLES)}\n\n"
                     f"{paragraph(rng, 2)} Voir l’[[article:suivi]].\n\n"
                     f"### Modalités\n\n- {sentence(rng, 6)}\n- {sentence(rng, 7)}")
    if rng.random() < 0.2:
        parts.append(f"## Article remplacé : {rng.choice(REPLACEABLE)}\n\n"
                     f"{paragraph(rng, rng.randint(2, 4))}")
    return "\n\n".join(parts) + "\n"


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | date):
        return str(value) if not isinstance(value, date) else value.isoformat()
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def to_yaml(value: Any, indent: int = 0) -> str:
    """Block YAML of plain data (dicts, lists, strings, numbers, dates), strings quoted."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict | list) and v:
                lines.append(f"{pad}{k}:")
                lines.append(to_yaml(v, indent + 2))
            elif isinstance(v, list):
                lines.append(f"{pad}{k}: []")
            else:
                lines.append(f"{pad}{k}: {_yaml_scalar(v)}".rstrip())
    else:
        for item in value:
            if isinstance(item, dict):
                inner = to_yaml(item, indent + 2).split("\n")
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}- {_yaml_scalar(item)}")
    return "\n".join(lines)


def render(data: dict[str, Any], body: str) -> str:
    return f"---\n{to_yaml(data)}\n---\n\n{body}"


def generate(root: Path, n: int, seed: int = 2024) -> list[Path]:
    """Write `n` valid conventions under `root/conventions/`; returns their paths."""
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        academie, data, body = convention(i, rng)
        path = root / "conventions" / slug(academie) / f"{data['id']}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(data, body), encoding="utf-8")
        paths.append(path)
    return paths
