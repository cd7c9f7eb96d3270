"""`coop echeances`: the coming deadlines (ends of term, notices, comités de suivi)."""

from __future__ import annotations

import argparse
from datetime import timedelta

from .. import deadlines
from ..datemath import add_months
from ..frdates import format_date, month_title
from ..typography import ordinary_spaces
from .options import Subcommands, add_command, add_today, plural, today, valid_catalog


def run(args: argparse.Namespace) -> int:
    day = today(args)  # an invalid $COOP_AUJOURDHUI stops before any loading
    catalog = valid_catalog(args, "de calculer les échéances")
    if catalog is None:
        return 1
    conventions = [catalog.amended(c) for c in catalog.conventions]
    if args.academie:
        conventions = [c for c in conventions if c.academie == args.academie]
    events = deadlines.upcoming(conventions, day, args.mois)
    last = add_months(day, args.mois) - timedelta(days=1)
    period = f"du {format_date(day)} au {format_date(last)}"
    where = f" (académie : {args.academie})" if args.academie else ""
    if not events:
        print(ordinary_spaces(f"Aucune échéance {period}{where}."))
        return 0
    n = len(events)
    print(ordinary_spaces(f"Échéances {period}{where} : {n} événement{plural(n)}."))
    month = None
    for e in events:
        if (e.date.year, e.date.month) != month:
            month = (e.date.year, e.date.month)
            print(f"\n{month_title(e.date.year, e.date.month)}")
        print(ordinary_spaces(f"  {format_date(e.date):<18} {e.label:<35} {e.title}"))
        print(f"  {'':<18} {'':<35} {e.convention_id} – {e.academie}")
    return 0


def _months(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 120:
        raise argparse.ArgumentTypeError(f"nombre de mois invalide « {text} » (1 à 120)")
    return int(text)


def register(sub: Subcommands) -> None:
    p = add_command(sub, "echeances",
                    "liste les échéances à venir (fins, préavis, comités)", run)
    p.add_argument("--mois", type=_months, default=12,
                   help="nombre de mois à couvrir à partir d’aujourd’hui (défaut : 12)")
    p.add_argument("--academie", help="une seule académie (ex. « Lyon »)")
    add_today(p, argparse.SUPPRESS)
