#!/usr/bin/env python3
"""Change le statut d’une convention (brouillon → en_signature → signee → resiliee | expiree).

    python scripts/statut.py --id ID --statut signee --date 2026-06-15

Only the changed lines of the front-matter move (round-trip edit); the result is validated
before it is written, atomically. Thin layer over coop.authoring.lifecycle.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "macros"))  # works without the editable install too

from coop.authoring import AuthoringError  # noqa: E402
from coop.authoring.files import write_atomic  # noqa: E402
from coop.authoring.lifecycle import CYCLE, change_status  # noqa: E402
from coop.authoring.locate import find_convention  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="statut.py",
        description=f"Change le statut d’une convention. Cycle de vie : {CYCLE}. La "
                    "signature (signee) demande sa date.")
    p.add_argument("--id", required=True, help="identifiant de la convention")
    p.add_argument("--statut", required=True, help="nouveau statut")
    p.add_argument("--date", help="date de signature AAAA-MM-JJ (pour signee)")
    p.add_argument("--racine", type=Path, default=ROOT, help="racine du dépôt")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = args.racine.resolve()
    try:
        path = find_convention(root, args.id)
        relpath = path.resolve().relative_to(root).as_posix()
        change = change_status(path.read_text("utf-8"), relpath, root, args.statut.strip(),
                               args.date or None)
    except AuthoringError as exc:
        print(f"ÉCHEC : {exc}", file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print("ÉCHEC : le fichier n’est pas encodé en UTF-8", file=sys.stderr)
        return 1
    write_atomic(path, change.text.encode("utf-8"))
    for warning in change.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    print(f"{relpath} : statut « {change.old} » → « {change.new} »"
          + (f", signée le {args.date}" if change.new == "signee" else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
