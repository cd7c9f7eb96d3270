"""`coop expand`: the full text of each convention, as Markdown files or on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..authoring.files import write_atomic
from ..catalog import Catalog
from ..consolidate import consolidate
from ..convention import Convention
from ..expand import expand
from ..render.markdown import render_markdown
from .options import Subcommands, add_command, only, valid_catalog


def expanded_text(conv: Convention, catalog: Catalog, consolide: bool) -> str:
    """The text written for `conv`: as drafted, or as amended by its signed avenants."""
    doc = consolidate(conv, catalog.avenants_of(conv.id)).document if consolide else expand(conv)
    return render_markdown(doc)


def run(args: argparse.Namespace) -> int:
    catalog = valid_catalog(args, "de produire les textes", args.fichiers or None)
    if catalog is None:
        return 1
    conventions = only(catalog.conventions, args.id)
    if conventions is None:
        return 1
    if args.out == "-":
        sys.stdout.writelines(expanded_text(c, catalog, args.consolide) for c in conventions)
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for conv in conventions:
        write_atomic(out / f"{conv.id}.md",
                     expanded_text(conv, catalog, args.consolide).encode("utf-8"))
    print(f"{len(conventions)} texte(s) écrit(s) dans {out}/")
    return 0


def register(sub: Subcommands) -> None:
    p = add_command(sub, "expand", "écrit le texte intégral de chaque convention", run)
    p.add_argument("fichiers", nargs="*", type=Path, help="fichiers (défaut : conventions/)")
    p.add_argument("--out", default="build/texte", metavar="DOSSIER",
                   help="dossier de sortie (défaut : build/texte/), ou - pour stdout")
    p.add_argument("--id", help="une seule convention, par son identifiant")
    p.add_argument("--consolide", action="store_true",
                   help="texte consolidé : la convention modifiée par ses avenants signés")
