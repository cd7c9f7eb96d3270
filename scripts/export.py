#!/usr/bin/env python3
"""Exemplaires pour signature des conventions : PDF/A et DOCX dans build/exports/.

    python scripts/export.py --format pdf|docx|all [--id ID] [--out DOSSIER]

Thin layer over coop.export: loads and validates every convention (stops with the
core's French messages when one is invalid), then exports only what changed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "macros"))  # works without the editable install too

from coop.catalog import load_catalog  # noqa: E402
from coop.errors import format_problems  # noqa: E402
from coop.export.pipeline import DEFAULT_OUT, FORMATS, export_conventions  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="export.py",
        description="Produit les exemplaires pour signature (PDF/A-2b avec champs de "
                    "signature, DOCX) de chaque convention, un fichier par identifiant.")
    parser.add_argument("--format", choices=(*FORMATS, "all"), default="all",
                        help="format à produire (défaut : all = pdf et docx)")
    parser.add_argument("--id", help="identifiant d’une seule convention à exporter")
    parser.add_argument("--out", type=Path, default=ROOT / DEFAULT_OUT,
                        help="dossier de sortie (défaut : build/exports/)")
    parser.add_argument("--racine", type=Path, default=ROOT,
                        help="racine du dépôt (défaut : dossier parent de scripts/)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processus typst en parallèle (défaut : nombre de cœurs)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = args.racine.resolve()
    started = time.perf_counter()
    catalog = load_catalog(root)
    if catalog.errors:
        print(format_problems(catalog.errors), file=sys.stderr)
        print("ÉCHEC : corrigez les erreurs avant d’exporter les conventions.", file=sys.stderr)
        return 1
    conventions = [*catalog.conventions, *(a for a in catalog.avenants if a.before)]
    if args.id:
        conventions = [c for c in conventions if c.id == args.id]
        if not conventions:
            print(f"ÉCHEC : aucune convention d’identifiant « {args.id} ».", file=sys.stderr)
            return 1
    formats = FORMATS if args.format == "all" else (args.format,)
    report = export_conventions(conventions, root, args.out.resolve(), formats, args.jobs)
    for path in report.written:
        print(f"écrit : {path}")
    for message in report.errors:
        print(f"erreur : {message}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"{len(report.written)} fichier(s) écrit(s), {len(report.skipped)} inchangé(s) "
          f"en {elapsed:.1f} s → {args.out}")
    if report.errors:
        print(f"ÉCHEC : {len(report.errors)} export(s) en erreur.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
