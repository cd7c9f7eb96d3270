"""`coop export`: the copies for signature, PDF/A and DOCX, of what changed since the
last export (thin layer over `coop.export.pipeline`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .options import Subcommands, add_command, only, root, valid_catalog

if TYPE_CHECKING:
    from ..export.pipeline import ExportReport

CHOICES = ("pdf", "docx", "all")  # coop.export.pipeline.FORMATS, and both (tests/test_cli.py)
FORMATS = ("pdf", "docx")  # coop.export.pipeline.FORMATS, not imported before it is needed
DEFAULT_OUT = Path("build") / "exports"  # coop.export.pipeline.DEFAULT_OUT, likewise


def run(args: argparse.Namespace) -> int:
    # imported here: the export stack (pyHanko, typst) would slow every other command by 0.5 s
    from ..export import stamp

    started = time.perf_counter()
    shown = args.out or root(args) / DEFAULT_OUT  # as the summary names it
    out = shown.resolve()
    formats = FORMATS if args.format == "all" else (args.format,)
    options = {"formats": list(formats), "id": args.id or "", "anchors": bool(args.ancres)}
    key = stamp.inputs_key(root(args), out, options)
    copies = stamp.unchanged(root(args), out, key)
    if copies is not None:  # nothing changed since the last export: nothing is even read
        _summary(0, copies, started, shown)
        return 0
    stamp.write(out, None, [], "", [])  # an interrupted export leaves no stamp behind
    report, logos = _export(args, out, formats)
    if report is None:
        return 1
    for path in report.written:
        print(f"écrit : {path}")
    for message in report.errors:
        print(f"erreur : {message}", file=sys.stderr)
    same = key is not None and stamp.inputs_key(root(args), out, options) == key
    stamp.write(out, key if same and not report.errors else None, *logos,
                [*report.written, *report.skipped])
    _summary(len(report.written), len(report.skipped), started, shown)
    if report.errors:
        print(f"ÉCHEC : {len(report.errors)} export(s) en erreur.", file=sys.stderr)
        return 1
    return 0


def _export(args: argparse.Namespace, out: Path, formats: tuple[str, ...],
            ) -> tuple[ExportReport | None, tuple[list[str], str]]:
    """The ordinary export (catalogue, per-copy cache); the logos the documents name and
    their stats (for the stamp). None when the catalogue or `--id` refuses."""
    from ..export import stamp
    from ..export.pipeline import export_conventions
    from ..export.targets import BlankModel, consolidated_targets
    from ..site.model_page import model_document
    from ..site.models import KINDS, models

    catalog = valid_catalog(args, "d’exporter les conventions")
    if catalog is None:
        return None, ([], "")
    conventions = only([*catalog.conventions, *(a for a in catalog.avenants if a.before),
                        *consolidated_targets(catalog.conventions, catalog.avenants),
                        *(BlankModel(n, k, model_document) for n in models() for k in KINDS)],
                       args.id)
    if conventions is None:
        return None, ([], "")
    logos = stamp.logos_of([*catalog.conventions, *catalog.avenants])
    logos_key = stamp.logos_key(root(args), logos)
    report = export_conventions(conventions, root(args), out, formats, args.jobs,
                                anchors=args.ancres)
    return report, (logos, logos_key)


def _summary(written: int, skipped: int, started: float, out: Path) -> None:
    elapsed = time.perf_counter() - started
    print(f"{written} fichier(s) écrit(s), {skipped} inchangé(s) en {elapsed:.1f} s → {out}")


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
