#!/usr/bin/env python3
"""Ce qui change dans le texte de la convention (et non dans son YAML), article par article,
entre une révision git (HEAD par défaut) et la copie de travail.

    python scripts/diff.py --id ID [--rev main]

Thin layer over coop.authoring.revisions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "macros"))  # works without the editable install too

from coop.authoring import AuthoringError  # noqa: E402
from coop.authoring.revisions import text_diff  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="diff.py",
        description="Compare le texte intégral d’une convention entre une révision git et la "
                    "copie de travail, article par article.")
    p.add_argument("--id", required=True, help="identifiant de la convention")
    p.add_argument("--rev", default="HEAD", help="révision git de référence (défaut : HEAD)")
    p.add_argument("--racine", type=Path, default=ROOT, help="racine du dépôt")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = text_diff(args.racine.resolve(), args.id, args.rev or "HEAD")
    except AuthoringError as exc:
        print(f"ÉCHEC : {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
