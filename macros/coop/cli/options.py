"""What the commands share: declaring a command, the repository root, the reference day,
loading a valid catalogue, choosing one convention by its identifier, failing in French."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .. import deadlines
from ..catalog import Catalog, load_catalog
from ..errors import format_problems

Subcommands = argparse._SubParsersAction  # what `ArgumentParser.add_subparsers` returns
Run = Callable[[argparse.Namespace], int]

TODAY_HELP = ("date du jour pour les échéances et les avertissements de « check » (défaut : "
              f"variable d’environnement {deadlines.TODAY_ENV}, sinon aujourd’hui)")


class Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=Identified)


def add_command(sub: Subcommands, name: str, summary: str, run: Run,
                description: str | None = None) -> argparse.ArgumentParser:
    """Declare `coop <name>`: `summary` in `coop --help`, the description in its own help."""
    p: argparse.ArgumentParser = sub.add_parser(
        name, help=summary, description=description or f"{summary[0].upper()}{summary[1:]}.")
    add_root(p, argparse.SUPPRESS)  # after the command too; absent, the global one holds
    p.set_defaults(func=run)
    return p


def add_root(p: argparse.ArgumentParser, default: Any) -> None:
    p.add_argument("--racine", type=Path, default=default, metavar="DOSSIER",
                   help="racine du dépôt (défaut : dossier courant)")


def add_today(p: argparse.ArgumentParser, default: Any) -> None:
    p.add_argument("--date", type=_day, default=default, metavar="AAAA-MM-JJ", help=TODAY_HELP)


def _day(text: str) -> str:
    try:
        deadlines.parse_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--date : ")) from None
    return text


def root(args: argparse.Namespace) -> Path:
    return args.racine.resolve()


def today(args: argparse.Namespace) -> date:
    """`--date`, else $COOP_AUJOURDHUI, else the real today (ValueError in French)."""
    return deadlines.resolve_today(args.date)


def plural(n: int) -> str:
    return "s" if n > 1 else ""


def fail(message: str) -> int:
    """Say why in French on stderr; the exit code of a refused command."""
    print(f"ÉCHEC : {message}", file=sys.stderr)
    return 1


def valid_catalog(args: argparse.Namespace, before: str,
                  files: list[Path] | None = None) -> Catalog | None:
    """The catalogue, or None once its errors are printed (`before` says what waits)."""
    catalog = load_catalog(root(args), files)
    if not catalog.errors:
        return catalog
    print(format_problems(catalog.errors), file=sys.stderr)
    fail(f"corrigez les erreurs avant {before}.")
    return None


def only(items: list[T], wanted: str | None) -> list[T] | None:
    """All `items`, or those of identifier `wanted`; None (said) when there is none."""
    if not wanted:
        return items
    found = [item for item in items if item.id == wanted]
    if not found:
        fail(f"aucune convention d’identifiant « {wanted} ».")
    return found or None
