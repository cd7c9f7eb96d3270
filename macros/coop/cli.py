"""Command line: `python -m coop check | expand | echeances` (messages in French)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from . import deadlines
from .avenants import consolidate
from .catalog import Catalog, load_catalog
from .datemath import add_months
from .echeances_page import month_title
from .errors import WARNING, Problem, format_problems
from .expand import expand
from .frdates import format_date
from .loader import field_name, read_source


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _files(args: argparse.Namespace) -> list[Path] | None:
    return [Path(f) for f in args.fichiers] if getattr(args, "fichiers", None) else None


def _today(args: argparse.Namespace) -> date:
    """`--date`, else $COOP_AUJOURDHUI, else the real today (ValueError in French)."""
    return deadlines.resolve_today(getattr(args, "date", None))


def _plain(text: str) -> str:
    """Terminal text: ordinary spaces instead of no-break ones (columns stay aligned)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


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


def cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.racine).resolve()
    today = _today(args)
    catalog = load_catalog(root, _files(args))
    catalog.problems = sorted(catalog.problems + deadline_problems(catalog, today))
    if catalog.problems:
        print(format_problems(catalog.problems), file=sys.stderr)
    n, e, w = len(catalog.conventions), len(catalog.errors), len(catalog.warnings)
    if e:
        print(f"ÉCHEC : {e} erreur{'s' if e > 1 else ''}, {w} avertissement"
              f"{'s' if w > 1 else ''}.", file=sys.stderr)
        return 1
    print(f"OK : {n} convention{'s' if n > 1 else ''} valide{'s' if n > 1 else ''}"
          + (f", {w} avertissement{'s' if w > 1 else ''}." if w else "."))
    return 0


def cmd_expand(args: argparse.Namespace) -> int:
    root = Path(args.racine).resolve()
    catalog = load_catalog(root, _files(args))
    if catalog.errors:
        print(format_problems(catalog.errors), file=sys.stderr)
        print("ÉCHEC : corrigez les erreurs avant de produire les textes.", file=sys.stderr)
        return 1
    conventions = catalog.conventions
    if args.id:
        conventions = [c for c in conventions if c.id == args.id]
        if not conventions:
            print(f"ÉCHEC : aucune convention d’identifiant « {args.id} ».", file=sys.stderr)
            return 1
    out = Path(args.out)
    for conv in conventions:
        text = (consolidate(conv, catalog.avenants).expansion.markdown if args.consolide
                else expand(conv).markdown)
        if args.out == "-":
            sys.stdout.write(text)
        else:
            write_atomic(out / f"{conv.id}.md", text.encode("utf-8"))
    if args.out != "-":
        print(f"{len(conventions)} texte(s) écrit(s) dans {out}/")
    return 0


def cmd_echeances(args: argparse.Namespace) -> int:
    root = Path(args.racine).resolve()
    today = _today(args)
    catalog = load_catalog(root)
    if catalog.errors:
        print(format_problems(catalog.errors), file=sys.stderr)
        print("ÉCHEC : corrigez les erreurs avant de calculer les échéances.", file=sys.stderr)
        return 1
    conventions = [catalog.amended(c) for c in catalog.conventions]
    if args.academie:
        conventions = [c for c in conventions if c.academie == args.academie]
    events = deadlines.upcoming(conventions, today, args.mois)
    last = add_months(today, args.mois) - timedelta(days=1)
    period = f"du {format_date(today)} au {format_date(last)}"
    where = f" (académie : {args.academie})" if args.academie else ""
    if not events:
        print(_plain(f"Aucune échéance {period}{where}."))
        return 0
    n = len(events)
    print(_plain(f"Échéances {period}{where} : {n} événement{'s' if n > 1 else ''}."))
    month = None
    for e in events:
        if (e.date.year, e.date.month) != month:
            month = (e.date.year, e.date.month)
            print(f"\n{month_title(e.date.year, e.date.month)}")
        print(_plain(f"  {format_date(e.date):<18} {e.label:<35} {e.title}"))
        print(f"  {'':<18} {'':<35} {e.convention_id} – {e.academie}")
    return 0


def _day(text: str) -> str:
    try:
        deadlines.parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--date : ")) from None
    return text


def _months(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 120:
        raise argparse.ArgumentTypeError(f"nombre de mois invalide « {text} » (1 à 120)")
    return int(text)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="coop", description="Catalogue des conventions de coopération (coloration, FCIL).")
    p.add_argument("--racine", default=".", help="racine du dépôt (défaut : dossier courant)")
    p.add_argument("--date", type=_day, metavar="AAAA-MM-JJ", help=(
        "date du jour pour les échéances et les avertissements de « check » "
        f"(défaut : variable d’environnement {deadlines.TODAY_ENV}, sinon aujourd’hui)"))
    sub = p.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    check = sub.add_parser("check", help="valide les conventions (code 1 en cas d’erreur)")
    check.add_argument("fichiers", nargs="*", help="fichiers à valider (défaut : conventions/)")
    check.set_defaults(func=cmd_check)
    exp = sub.add_parser("expand", help="écrit le texte intégral de chaque convention")
    exp.add_argument("fichiers", nargs="*", help="fichiers (défaut : conventions/)")
    exp.add_argument("--out", default="build/texte", help="dossier de sortie, ou - pour stdout")
    exp.add_argument("--id", help="une seule convention, par son identifiant")
    exp.add_argument("--consolide", action="store_true",
                     help="texte consolidé : la convention modifiée par ses avenants signés")
    exp.set_defaults(func=cmd_expand)
    ech = sub.add_parser("echeances", help="liste les échéances à venir (fins, préavis, comités)")
    ech.add_argument("--mois", type=_months, default=12,
                     help="nombre de mois à couvrir à partir d’aujourd’hui (défaut : 12)")
    ech.add_argument("--academie", help="une seule académie (ex. « Lyon »)")
    ech.set_defaults(func=cmd_echeances)
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


if __name__ == "__main__":
    sys.exit(main())
