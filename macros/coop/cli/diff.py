"""`coop diff`: what changes in the text of a convention (not in its YAML), article by
article, between a git revision and the working copy (over `coop.authoring.revisions`)."""

from __future__ import annotations

import argparse
import sys

from ..authoring import AuthoringError
from ..authoring.revisions import text_diff
from .options import Subcommands, add_command, fail, root


def run(args: argparse.Namespace) -> int:
    try:
        report = text_diff(root(args), args.id, args.rev or "HEAD")
    except AuthoringError as exc:
        return fail(str(exc))
    sys.stdout.write(report)
    return 0


def register(sub: Subcommands) -> None:
    p = add_command(sub, "diff", "texte d’une convention modifié depuis une révision git", run,
                    description="Compare le texte intégral d’une convention entre une révision "
                    "git et la copie de travail, article par article.")
    p.add_argument("--id", required=True, help="identifiant de la convention")
    p.add_argument("--rev", default="HEAD", help="révision git de référence (défaut : HEAD)")
