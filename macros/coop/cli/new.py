"""`coop new`: a new convention to complete, from questions in French or from options,
written to conventions/<académie>/<identifiant>.md with a comment above each field (thin
layer over `coop.authoring`: the questions, the checks and the writer live there)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..authoring import AuthoringError
from ..authoring.files import write_new
from ..authoring.locate import id_in_use
from ..authoring.prompts import ESSENTIAL, Prompter, collect, missing_essentials
from ..authoring.skeleton import default_path, render
from .options import Subcommands, add_command, fail, root

ANSWERS = (  # (option key, help)
    ("type", "coloration ou fcil"),
    ("academie", "académie (ex. Lyon) ; la région académique en est déduite"),
    ("region_academique", "région académique (vérifiée avec l’académie)"),
    ("titre", "titre court affiché dans le catalogue"),
    ("territoire", "territoire de l’article 1 (ex. « bassin d’emploi de Saint-Nazaire »)"),
    ("etablissement", "nom officiel de l’établissement"),
    ("uai", "code UAI de l’établissement, lettre clé comprise"),
    ("adresse", "adresse postale de l’établissement"),
    ("chef", "chef d’établissement, ex. « Madame Claire Dupont »"),
    ("fonction", "fonction du chef d’établissement (ex. proviseure)"),
    ("designation", "désignation de l’établissement (défaut : « le lycée »)"),
    ("intitule", "FCIL : intitulé de la formation"),
    ("secteur", "secteur professionnel"),
    ("diplome", "diplôme coloré, ou diplôme socle d’une FCIL (ex. « CAP »)"),
    ("specialite", "spécialité du diplôme"),
    ("niveau", "niveau du diplôme (3 à 7)"),
    ("cfd", "code formation diplôme (8 caractères)"),
    ("theme", "coloration : thème de la coloration"),
    ("publics", "publics, séparés par des virgules (défaut : scolaire)"),
    ("debut", "première rentrée, AAAA-MM-JJ (défaut : le prochain 1er septembre)"),
    ("fin", "FCIL : fin de la formation, AAAA-MM-JJ"),
    ("annees_cycle", "coloration : durée du cycle en années"),
    ("comite_academie", "membre(s) du comité de suivi pour l’académie ou la région "
     "académique, séparés par « ; » (défaut : « le recteur ou son représentant »)"),
    ("lieu", "lieu de signature (défaut : la ville de l’établissement)"),
    ("id", "identifiant de la convention (défaut : académie-type-titre)"),
)
KEYS = (*(key for key, _ in ANSWERS), "partenaires")


def _option(key: str) -> str:
    return "--partenaire" if key == "partenaires" else "--" + key.replace("_", "-")


def run(args: argparse.Namespace) -> int:
    base = root(args)
    given = {key: value for key in KEYS if (value := getattr(args, key)) is not None}
    interactive = not args.non_interactif and bool(missing_essentials(given))
    prompter = Prompter(sys.stdin, sys.stdout) if interactive else None
    try:
        answers = collect(given, prompter, date.today())
        path = args.fichier.resolve() if args.fichier else default_path(base, answers)
        if (other := id_in_use(base, answers.id)) is not None:
            raise AuthoringError(f"identifiant « {answers.id} » déjà utilisé par "
                                 f"{other.relative_to(base)} : choisissez-en un autre (--id)")
        write_new(path, render(answers))
    except AuthoringError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print("\nInterrompu : rien n’a été écrit.", file=sys.stderr)
        return 130
    shown = path.relative_to(base) if path.is_relative_to(base) else path
    print(f"\nCréé : {shown}\nÉtape suivante : remplacez chaque « À COMPLÉTER », puis "
          f"lancez « make check » (il liste ce qui reste à compléter).")
    return 0


def register(sub: Subcommands) -> None:
    p = add_command(sub, "new", "crée une convention à compléter", run, description=(
        "Crée une convention de coopération à compléter. Sans option, pose les questions "
        "une à une ; avec les options essentielles ("
        + ", ".join(_option(key) for key in ESSENTIAL) + "), n’en pose aucune."))
    for key, text in ANSWERS:
        p.add_argument(_option(key), dest=key, metavar="VALEUR", help=text)
    p.add_argument("--partenaire", dest="partenaires", nargs="+", action="append",
                   metavar="NOM [SIRET [NATURE]]",
                   help="un partenaire (répétable) ; SIRET « - » s’il n’y en a pas")
    p.add_argument("--fichier", type=Path, help="chemin du fichier à créer (défaut : "
                   "conventions/<académie>/<identifiant sans l’académie>.md)")
    p.add_argument("--non-interactif", action="store_true",
                   help="ne jamais poser de question (erreur si une option essentielle manque)")
