"""The command line, `python -m coop <commande>`: one small module per command, help
and messages in French (`french.py`), shared options in `options.py`."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import deadlines
from . import check, diff, echeances, expand, export, new, reprise, revue, signee, site, statut
from .french import FrenchParser
from .options import add_root, add_today

COMMANDS = (check, expand, export, new, statut, signee, diff, revue, reprise, echeances, site)


def parser() -> FrenchParser:
    p = FrenchParser(prog="coop",
                     description="Catalogue des conventions de coopération (coloration, FCIL).",
                     epilog="« coop COMMANDE --help » détaille les options d’une commande.")
    add_root(p, Path("."))
    add_today(p, None)
    sub = p.add_subparsers(dest="commande", required=True, metavar="COMMANDE",
                           title="commandes")
    for command in COMMANDS:
        command.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ValueError as exc:  # an invalid $COOP_AUJOURDHUI
        if deadlines.TODAY_ENV not in str(exc):
            raise
        print(f"ÉCHEC : {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
