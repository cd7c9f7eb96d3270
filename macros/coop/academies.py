"""Académies and régions académiques (DOMAIN.md)."""

from __future__ import annotations

REGIONS: dict[str, tuple[str, ...]] = {
    "Auvergne-Rhône-Alpes": ("Clermont-Ferrand", "Grenoble", "Lyon"),
    "Bourgogne-Franche-Comté": ("Besançon", "Dijon"),
    "Bretagne": ("Rennes",),
    "Centre-Val de Loire": ("Orléans-Tours",),
    "Corse": ("Corse",),
    "Grand Est": ("Nancy-Metz", "Reims", "Strasbourg"),
    "Hauts-de-France": ("Amiens", "Lille"),
    "Île-de-France": ("Créteil", "Paris", "Versailles"),
    "Normandie": ("Normandie",),
    "Nouvelle-Aquitaine": ("Bordeaux", "Limoges", "Poitiers"),
    "Occitanie": ("Montpellier", "Toulouse"),
    "Pays de la Loire": ("Nantes",),
    "Provence-Alpes-Côte d'Azur": ("Aix-Marseille", "Nice"),
    "Guadeloupe": ("Guadeloupe",),
    "Guyane": ("Guyane",),
    "Martinique": ("Martinique",),
    "La Réunion": ("La Réunion",),
    "Mayotte": ("Mayotte",),
}

ACADEMIE_CODES: dict[str, str] = {
    "Paris": "01", "Aix-Marseille": "02", "Besançon": "03", "Bordeaux": "04",
    "Clermont-Ferrand": "06", "Dijon": "07", "Grenoble": "08", "Lille": "09", "Lyon": "10",
    "Montpellier": "11", "Nancy-Metz": "12", "Poitiers": "13", "Rennes": "14",
    "Strasbourg": "15", "Toulouse": "16", "Nantes": "17", "Orléans-Tours": "18",
    "Reims": "19", "Amiens": "20", "Limoges": "22", "Nice": "23", "Créteil": "24",
    "Versailles": "25", "Corse": "27", "La Réunion": "28", "Martinique": "31",
    "Guadeloupe": "32", "Guyane": "33", "Mayotte": "43", "Normandie": "70",
}

REGION_OF: dict[str, str] = {a: r for r, acs in REGIONS.items() for a in acs}

# Académies that no longer exist, with what replaced them.
FORMER_ACADEMIES = {"Caen": "Normandie", "Rouen": "Normandie"}
