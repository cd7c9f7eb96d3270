"""`coop check`: validate the conventions, with the deadline warnings of the day."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .. import deadlines
from ..catalog import CONVENTIONS_DIR, Catalog, convention_files, load_catalog, skipped_files
from ..errors import WARNING, Problem, format_problems
from ..loader import field_name, read_source
from ..signed.frozen import signed_problems
from .options import Subcommands, add_command, add_today, plural, root, today


def deadline_problems(catalog: Catalog, today: date) -> list[Problem]:
    """Deadline warnings of every valid convention, located in its file."""
    problems: list[Problem] = []
    for conv in catalog.conventions:
        found = deadlines.warnings(catalog.amended(conv).data, today)
        if not found:
            continue
        src = read_source(conv.path, catalog.root)  # only for line numbers
        for path, message in found:
            line, col = src.where(path)
            problems.append(Problem(conv.relpath, line, col, field_name(path), message,
                                    WARNING))
    return problems


def run(args: argparse.Namespace) -> int:
    day = today(args)  # an invalid $COOP_AUJOURDHUI stops before any loading
    catalog = load_catalog(root(args), args.fichiers or None)
    if args.fichiers:  # files named here are checked; are they in the catalogue, too?
        base = (root(args) / CONVENTIONS_DIR).resolve()
        named = [p for p in args.fichiers if p.resolve().is_relative_to(base)]
        catalog.problems += skipped_files(root(args), convention_files(root(args)), named)
    catalog.problems = sorted(catalog.problems + deadline_problems(catalog, day)
                              + signed_problems(catalog))
    if catalog.problems:
        print(format_problems(catalog.problems), file=sys.stderr)
    n, e, w = len(catalog.conventions), len(catalog.errors), len(catalog.warnings)
    if e:
        print(f"ÉCHEC : {e} erreur{plural(e)}, {w} avertissement{plural(w)}.", file=sys.stderr)
        return 1
    print(f"OK : {n} convention{plural(n)} valide{plural(n)}"
          + (f", {w} avertissement{plural(w)}." if w else "."))
    return 0


def register(sub: Subcommands) -> None:
    p = add_command(sub, "check", "valide les conventions (code 1 en cas d’erreur)", run)
    p.add_argument("fichiers", nargs="*", type=Path,
                   help="fichiers à valider (défaut : conventions/)")
    add_today(p, argparse.SUPPRESS)
