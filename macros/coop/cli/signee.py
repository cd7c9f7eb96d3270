"""`coop signee`: record the signed copy of a convention or of an avenant — verified with
pyHanko, proved to be the catalogue's text, stored next to the file, recorded in its
front-matter (thin layer over `coop.signed.record`)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..authoring import AuthoringError
from ..authoring.lifecycle import parse_signature_date
from ..catalog import load_catalog
from ..signed import IDENTICAL, SAME_TEXT, SCANNED, UNTRUSTED, SignedCopyError
from .options import Subcommands, add_command, fail, root, today

ROOTS_ENV = "COOP_RACINES_CONFIANCE"  # folder of trusted root certificates
STRICT_ENV = "COOP_SIGNATURE_STRICTE"  # "1": refuse a certificate outside those roots
SAID = {IDENTICAL: "conforme au texte du catalogue (identique octet pour octet)",
        SAME_TEXT: "conforme au texte du catalogue (fichier réécrit par la plateforme, même "
                   "texte)",
        SCANNED: "copie numérisée, non vérifiée"}


def _roots_folder(args: argparse.Namespace) -> Path | None:
    value = args.racines or os.environ.get(ROOTS_ENV, "").strip()
    return Path(value) if value else None


def run(args: argparse.Namespace) -> int:
    from ..signed.record import take_in, write
    from ..signed.verify import trust_roots

    started = time.perf_counter()
    base = root(args)
    strict = args.strict or os.environ.get(STRICT_ENV, "") == "1"
    try:
        folder = _roots_folder(args)
        if folder is not None and not folder.is_dir():
            raise SignedCopyError(f"dossier de racines de confiance introuvable : {folder}")
        day = parse_signature_date(args.signature, today(args)) if args.signature else None
        if args.signature and not args.scan:
            raise SignedCopyError("--date ne sert qu’à une copie numérisée (--scan) : la date "
                                  "d’un PDF signé est celle de sa dernière signature")
        intake = take_in(load_catalog(base), args.id.strip(), args.fichier, scan=args.scan,
                         day=day, roots=trust_roots(folder), strict=strict)
    except (SignedCopyError, AuthoringError) as exc:
        report = getattr(exc, "report", "")
        if report:
            print(report, file=sys.stderr)
        return fail(f"{exc} (aucun fichier modifié).")
    write(intake)
    for warning in intake.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    stored = intake.dest.relative_to(base).as_posix()
    print(f"{intake.relpath} : statut « {intake.change.old} » → « signee », exemplaire signé "
          f"rangé dans {stored}.")
    print(f"Vérification : {SAID[intake.verification]}.")
    for s in intake.signatures:
        trust = " — certificat non reconnu" if s.trust == UNTRUSTED else ""
        print(f"  signé par {s.signer} le {s.when:%d/%m/%Y à %H:%M}{trust}")
    print(f"Terminé en {time.perf_counter() - started:.1f} s : vérifiez puis committez "
          f"{intake.relpath} et {stored}.")
    return 0


def register(sub: Subcommands) -> None:
    p = add_command(sub, "signee", "enregistre l’exemplaire signé d’une convention", run,
                    description="Enregistre l’exemplaire signé (PDF) d’une convention ou d’un "
                    "avenant : vérifie chaque signature (intégrité, signataire, date, "
                    "révisions ajoutées ensuite), prouve que le texte signé est celui du "
                    "catalogue, range le fichier dans signees/ à côté de la convention et "
                    "inscrit dans l’en-tête le statut « signee », la date, l’empreinte SHA-256 "
                    "et les signataires. Rien n’est modifié en cas de refus.")
    p.add_argument("--id", required=True, help="identifiant de la convention ou de l’avenant")
    p.add_argument("--fichier", required=True, type=Path, metavar="PDF",
                   help="le PDF signé revenu du parapheur ou de la plateforme")
    p.add_argument("--scan", action="store_true",
                   help="copie papier numérisée : enregistrée sans vérification possible "
                   "(« copie numérisée, non vérifiée ») ; --date obligatoire")
    p.add_argument("--date", dest="signature", metavar="AAAA-MM-JJ",
                   help="date de signature d’une copie numérisée")
    p.add_argument("--racines", metavar="DOSSIER",
                   help=f"dossier des certificats racines de confiance, PEM ou DER (défaut : "
                   f"variable {ROOTS_ENV}, sinon aucun : tout certificat est « non reconnu »)")
    p.add_argument("--strict", action="store_true",
                   help=f"refuse une signature dont le certificat n’est pas reconnu (ou "
                   f"{STRICT_ENV}=1)")
