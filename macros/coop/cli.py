"""Command line: `python -m coop check | expand` (messages in French)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .catalog import load_catalog
from .errors import format_problems
from .expand import expand


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


def cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.racine).resolve()
    catalog = load_catalog(root, _files(args))
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
        text = expand(conv).markdown
        if args.out == "-":
            sys.stdout.write(text)
        else:
            write_atomic(out / f"{conv.id}.md", text.encode("utf-8"))
    if args.out != "-":
        print(f"{len(conventions)} texte(s) écrit(s) dans {out}/")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="coop", description="Catalogue des conventions de coopération (coloration, FCIL).")
    p.add_argument("--racine", default=".", help="racine du dépôt (défaut : dossier courant)")
    sub = p.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    check = sub.add_parser("check", help="valide les conventions (code 1 en cas d’erreur)")
    check.add_argument("fichiers", nargs="*", help="fichiers à valider (défaut : conventions/)")
    check.set_defaults(func=cmd_check)
    exp = sub.add_parser("expand", help="écrit le texte intégral de chaque convention")
    exp.add_argument("fichiers", nargs="*", help="fichiers (défaut : conventions/)")
    exp.add_argument("--out", default="build/texte", help="dossier de sortie, ou - pour stdout")
    exp.add_argument("--id", help="une seule convention, par son identifiant")
    exp.set_defaults(func=cmd_expand)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
