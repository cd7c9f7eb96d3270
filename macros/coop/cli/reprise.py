"""`coop reprise`: a DOCX returned by a partner (tracked changes, comments) back into the
source of its convention. Lists the changes article by article with the edit each calls
for; with --appliquer, writes them (validated first, atomically) and shows the legal diff
(thin layer over `coop.authoring.reprise`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..authoring import AuthoringError
from ..authoring.docxread import MAX_FILE, read_docx
from ..authoring.files import write_atomic
from ..authoring.locate import find_convention
from ..authoring.reprise import apply_reprise, plan_reprise
from ..authoring.reprise_report import applied_report, listing, validated
from ..authoring.versions import version_commit
from ..catalog import load_convention
from ..errors import errors_only, format_problems
from .options import Subcommands, add_command, fail, root


def _read(path: Path) -> bytes:
    if path == Path():
        raise AuthoringError("indiquez le DOCX renvoyé par le partenaire : FICHIER=… (--fichier)")
    if not path.is_file():
        raise AuthoringError(f"fichier introuvable : {path}")
    if path.stat().st_size > MAX_FILE:
        raise AuthoringError(f"{path} : fichier trop volumineux ({path.stat().st_size // 2**20} "
                             f"Mo) : un DOCX de convention tient en moins de "
                             f"{MAX_FILE // 2**20} Mo")
    return path.read_bytes()


def run(args: argparse.Namespace) -> int:
    base = root(args)
    try:
        path = find_convention(base, args.id)
        data = _read(args.fichier)
    except AuthoringError as exc:
        return fail(str(exc))
    conv, problems = load_convention(path, base)
    if conv is None:
        print(format_problems(errors_only(problems)), file=sys.stderr)
        return fail("corrigez d’abord les erreurs de la convention (make check).")
    relpath = path.resolve().relative_to(base).as_posix()
    try:
        reprise = plan_reprise(conv, read_docx(data),
                               lambda version: version_commit(base, relpath, version))
    except AuthoringError as exc:
        return fail(f"{args.fichier} : {exc}")
    sys.stdout.write(listing(reprise, args.fichier.name))
    for warning in reprise.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    if not args.appliquer:
        return 0
    text = path.read_text("utf-8")
    try:
        new_text = apply_reprise(text, reprise, args.motif)
        validated(new_text, path, base)
    except AuthoringError as exc:
        return fail(str(exc))
    if new_text == text:
        print("Rien à écrire : aucun changement ne se reporte dans la source.")
        return 0
    write_atomic(path, new_text.encode("utf-8"))
    sys.stdout.write(applied_report(text, new_text, path, base, reprise, args.motif))
    return 0


def register(sub: Subcommands) -> None:
    p = add_command(
        sub, "reprise", "reporte dans la source le DOCX annoté d’un partenaire", run,
        description="Lit le DOCX d’une convention renvoyé par un partenaire (modifications "
        "suivies, commentaires), liste ses changements article par article et propose la "
        "modification de la source pour chacun : valeur de l’en-tête, texte de la convention, "
        "ou article remplacé (écart au modèle). Sans --appliquer, rien n’est modifié.")
    p.add_argument("--id", required=True, help="identifiant de la convention")
    p.add_argument("--fichier", required=True, type=Path, metavar="DOCX",
                   help="le DOCX renvoyé par le partenaire")
    p.add_argument("--appliquer", action="store_true",
                   help="écrit les modifications dans la source, la valide et montre le texte "
                   "modifié article par article")
    p.add_argument("--motif", metavar="TEXTE",
                   help="motif de l’écart au modèle quand un article est remplacé (à reprendre "
                   "dans la demande de fusion)")
