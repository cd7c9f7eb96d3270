#!/usr/bin/env python3
"""Nouvelle convention : pose les questions en français (ou lit les options) et écrit
conventions/<académie>/<identifiant>.md, avec un commentaire au-dessus de chaque champ.

    python scripts/new.py                                  # questions une à une
    python scripts/new.py --type fcil --academie Lyon --titre "…" --etablissement "…" \\
        --uai 0690026D --partenaire "Nom" 73282932000074 entreprise   # sans questions

Thin layer over coop.authoring: the questions, the checks and the file writer live there.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "macros"))  # works without the editable install too

from coop.authoring import AuthoringError  # noqa: E402
from coop.authoring.files import write_new  # noqa: E402
from coop.authoring.locate import id_in_use  # noqa: E402
from coop.authoring.prompts import ESSENTIAL, Prompter, collect, missing_essentials  # noqa: E402
from coop.authoring.skeleton import default_path, render  # noqa: E402

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
    ("lieu", "lieu de signature (défaut : la ville de l’établissement)"),
    ("id", "identifiant de la convention (défaut : académie-type-titre)"),
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="new.py",
        description="Crée une convention de coopération à compléter. Sans option, pose les "
                    "questions une à une ; avec les options essentielles ("
                    + ", ".join("--" + k.replace("_", "-") if k != "partenaires"
                                else "--partenaire" for k in ESSENTIAL)
                    + "), n’en pose aucune.")
    for key, text in ANSWERS:
        p.add_argument("--" + key.replace("_", "-"), dest=key, metavar="VALEUR", help=text)
    p.add_argument("--partenaire", dest="partenaires", nargs="+", action="append",
                   metavar="NOM [SIRET [NATURE]]",
                   help="un partenaire (répétable) ; SIRET « - » s’il n’y en a pas")
    p.add_argument("--fichier", type=Path, help="chemin du fichier à créer (défaut : "
                   "conventions/<académie>/<identifiant sans l’académie>.md)")
    p.add_argument("--non-interactif", action="store_true",
                   help="ne jamais poser de question (erreur si une option essentielle manque)")
    p.add_argument("--racine", type=Path, default=ROOT, help="racine du dépôt")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = args.racine.resolve()
    given = {k: v for k, v in vars(args).items()
             if k not in ("fichier", "non_interactif", "racine") and v is not None}
    interactive = not args.non_interactif and bool(missing_essentials(given))
    prompter = Prompter(sys.stdin, sys.stdout) if interactive else None
    try:
        answers = collect(given, prompter, date.today())
        path = args.fichier.resolve() if args.fichier else default_path(root, answers)
        if (other := id_in_use(root, answers.id)) is not None:
            raise AuthoringError(f"identifiant « {answers.id} » déjà utilisé par "
                                 f"{other.relative_to(root)} : choisissez-en un autre (--id)")
        write_new(path, render(answers))
    except AuthoringError as exc:
        print(f"ÉCHEC : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrompu : rien n’a été écrit.", file=sys.stderr)
        return 130
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    print(f"\nCréé : {shown}\nÉtape suivante : remplacez chaque « À COMPLÉTER », puis "
          f"lancez « make check » (il liste ce qui reste à compléter).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
