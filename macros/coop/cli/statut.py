"""`coop statut`: move a convention along its life cycle. Only the changed lines of the
front-matter move (round-trip edit); the result is validated before it is written,
atomically (thin layer over `coop.authoring.lifecycle`)."""

from __future__ import annotations

import argparse
import sys

from ..authoring import AuthoringError
from ..authoring.files import write_atomic
from ..authoring.lifecycle import CYCLE, change_status
from ..authoring.locate import find_convention
from .options import Subcommands, add_command, fail, root


def run(args: argparse.Namespace) -> int:
    base = root(args)
    try:
        path = find_convention(base, args.id)
        relpath = path.resolve().relative_to(base).as_posix()
        change = change_status(path.read_text("utf-8"), relpath, base, args.statut.strip(),
                               args.signature or None)
    except AuthoringError as exc:
        return fail(str(exc))
    except UnicodeDecodeError:
        return fail("le fichier n’est pas encodé en UTF-8")
    write_atomic(path, change.text.encode("utf-8"))
    for warning in change.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    print(f"{relpath} : statut « {change.old} » → « {change.new} »"
          + (f", signée le {args.signature}" if change.new == "signee" else "") + ".")
    return 0


def register(sub: Subcommands) -> None:
    p = add_command(sub, "statut", "change le statut d’une convention", run,
                    description=f"Change le statut d’une convention. Cycle de vie : {CYCLE}. "
                    "La signature (signee) demande sa date.")
    p.add_argument("--id", required=True, help="identifiant de la convention")
    p.add_argument("--statut", required=True, help="nouveau statut")
    p.add_argument("--date", dest="signature", metavar="AAAA-MM-JJ",
                   help="date de signature (pour signee)")
