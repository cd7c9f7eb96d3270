"""`coop export`: the copies for signature, PDF/A and DOCX, of what changed since the
last export (thin layer over `coop.export.pipeline`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .options import Subcommands, add_command, only, root, valid_catalog

CHOICES = ("pdf", "docx", "all")  # coop.export.pipeline.FORMATS, and both (tests/test_cli.py)


def run(args: argparse.Namespace) -> int:
    # imported here: the export stack (pyHanko, typst) would slow every other command by 0.5 s
    from ..export.pipeline import DEFAULT_OUT, FORMATS, export_conventions
    from ..export.targets import BlankModel, consolidated_targets
    from ..site.model_page import model_document
    from ..site.models import KINDS, models

    started = time.perf_counter()
    catalog = valid_catalog(args, "d’exporter les conventions")
    if catalog is None:
        return 1
    conventions = only([*catalog.conventions, *(a for a in catalog.avenants if a.before),
                        *consolidated_targets(catalog.conventions, catalog.avenants),
                        *(BlankModel(n, k, model_document) for n in models() for k in KINDS)],
                       args.id)
    if conventions is None:
        return 1
    out = args.out or root(args) / DEFAULT_OUT
    formats = FORMATS if args.format == "all" else (args.format,)
    report = export_conventions(conventions, root(args), out.resolve(), formats, args.jobs,
                                anchors=args.ancres)
    for path in report.written:
        print(f"écrit : {path}")
    for message in report.errors:
        print(f"erreur : {message}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"{len(report.written)} fichier(s) écrit(s), {len(report.skipped)} inchangé(s) "
          f"en {elapsed:.1f} s → {out}")
    if report.errors:
        print(f"ÉCHEC : {len(report.errors)} export(s) en erreur.", file=sys.stderr)
        return 1
    return 0


def _workers(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu, pas « {text} »") from None


def register(sub: Subcommands) -> None:
    p = add_command(sub, "export", "exemplaires pour signature (PDF, DOCX) dans build/exports/",
                    run, description="Produit les exemplaires pour signature (PDF/A-2b et "
                    "PDF/UA-1 avec champs de signature, DOCX) de chaque convention et de "
                    "chaque avenant, un fichier par identifiant ; le texte consolidé d’une "
                    "convention modifiée par avenant (<id>-consolide, pour information) ; le "
                    "modèle vierge de chaque version (modele-<version>-<type>.docx) ; seuls "
                    "les exemplaires dont la source a changé sont refaits.")
    p.add_argument("--format", choices=CHOICES, default="all",
                   help="format à produire (défaut : all = pdf et docx)")
    p.add_argument("--id", help="identifiant d’une seule convention à exporter")
    p.add_argument("--out", type=Path, metavar="DOSSIER",
                   help="dossier de sortie (défaut : build/exports/ sous la racine)")
    p.add_argument("--ancres", action="store_true",
                   help="ancres de texte invisibles {{s1|signature|largeur|hauteur}} dans la "
                   "case de chaque signataire, où les plateformes de signature (type Yousign) "
                   "placent leurs champs")
    p.add_argument("--jobs", type=_workers, metavar="N",
                   help="processus typst en parallèle (défaut : nombre de cœurs)")
