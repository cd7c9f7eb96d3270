"""Read and validate every signature of a signed PDF with pyHanko, offline.

Integrity is required (each signature intact, covering a whole revision, later revisions
adding only signatures or form data, no empty signature field left); trust is reported:
a certificate is checked against the roots of a local folder (no network at run time),
and an intact signature by a certificate outside them is « certificat non reconnu »,
refused only in strict mode.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..typography import decimal
from . import MAX_BYTES, TRUSTED, UNTRUSTED, SignedCopyError

PARIS = ZoneInfo("Europe/Paris")
CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class SignatureFound:
    field: str  # the PDF field name
    signer: str  # the certificate's common name (or whole subject)
    when: datetime  # timestamp token time, else the signer's claimed time (Paris time)
    trust: str  # TRUSTED | UNTRUSTED
    revision: int  # the revision it signs (0 = the first)


@dataclass(frozen=True)
class Verification:
    signatures: tuple[SignatureFound, ...]
    revisions: int  # revisions in the file
    first_signed: int  # revision signed by the earliest signature

    @property
    def last_time(self) -> datetime:
        return max(s.when for s in self.signatures)

    @property
    def untrusted(self) -> list[SignatureFound]:
        return [s for s in self.signatures if s.trust == UNTRUSTED]


def check_size_and_kind(data: bytes, name: str, limit: int = MAX_BYTES) -> None:
    if len(data) > limit:
        raise SignedCopyError(f"{name} : fichier trop lourd ({decimal(len(data) / 1e6)} Mo ; "
                              f"au plus {limit / 1e6:.0f} Mo) : demandez à la plateforme un "
                              "PDF sans pièces jointes ni images en haute définition")
    if PDF_MAGIC not in data[:1024]:
        raise SignedCopyError(f"{name} : ce fichier n’est pas un PDF (en-tête « %PDF- » absent)")


def trust_roots(folder: Path | None) -> list:
    """The certificates of `folder` (PEM or DER); none when it is unset or absent."""
    from pyhanko.keys import load_certs_from_pemder_data

    if folder is None or not folder.is_dir():
        return []
    roots = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in CERT_SUFFIXES and path.is_file():
            try:
                roots += list(load_certs_from_pemder_data(path.read_bytes()))
            except Exception as exc:
                raise SignedCopyError(f"{path} : certificat racine illisible ({exc}) : "
                                      "déposez des fichiers PEM ou DER") from None
    return roots


def _signer(sig) -> str:
    subject = sig.signer_cert.subject
    names = subject.native.get("common_name")
    return str(names[0] if isinstance(names, list) else names or subject.human_friendly)


def _when(status) -> datetime:
    ts = status.timestamp_validity
    when = ts.timestamp if ts is not None else status.signer_reported_dt
    if when is None:
        raise SignedCopyError("une signature ne porte ni horodatage ni heure de signature : "
                              "sa date ne peut être établie")
    return when.astimezone(PARIS)


def _open(data: bytes, name: str):
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data))
        reader.root  # noqa: B018 - forces the reading of the catalog
        return reader, list(reader.embedded_regular_signatures)
    except (PdfError, KeyError, ValueError, IndexError, TypeError) as exc:
        raise SignedCopyError(f"{name} : PDF illisible, tronqué ou abîmé ({exc}) : "
                              "redemandez le fichier à la plateforme de signature") from None


def _check_one(sig, status, name: str, strict: bool) -> SignatureFound:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    who = _signer(sig)
    label = f"signature « {sig.field_name} » ({who})"
    if not status.intact or not status.valid:
        raise SignedCopyError(f"{name} : {label} rompue : le contenu ne correspond plus à ce "
                              "qui a été signé")
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        raise SignedCopyError(f"{name} : {label} ne couvre qu’une partie du fichier : elle ne "
                              "prouve rien sur le reste")
    level = status.modification_level
    if level is not None and level > ModificationLevel.FORM_FILLING:
        raise SignedCopyError(f"{name} : le fichier a été modifié après la {label} (pas "
                              "seulement des signatures ou des champs de formulaire)")
    trust = TRUSTED if status.trusted else UNTRUSTED
    if strict and trust == UNTRUSTED:
        raise SignedCopyError(f"{name} : {label} : certificat non reconnu (il ne remonte à "
                              "aucune racine de confiance du dossier configuré) et le mode "
                              "strict est actif")
    return SignatureFound(str(sig.field_name), who, _when(status), trust,
                          int(sig.signed_revision))


def verify_pdf(data: bytes, name: str, roots: list, strict: bool = False) -> Verification:
    """Every signature of `data` checked, or a SignedCopyError in French."""
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    check_size_and_kind(data, name)
    reader, sigs = _open(data, name)
    if not sigs:
        raise SignedCopyError(f"{name} : aucune signature électronique dans ce PDF ; pour une "
                              "copie papier numérisée, ajoutez --scan (make signee … SCAN=1)")
    empty = [str(field) for field, _, _ in enumerate_sig_fields(reader, filled_status=False)]
    if empty:
        raise SignedCopyError(f"{name} : signature partielle : champ{'s' if len(empty) > 1 else ''}"
                              f" {', '.join(f'« {e} »' for e in empty)} non signé"
                              f"{'s' if len(empty) > 1 else ''} ; attendez que toutes les "
                              "parties aient signé")
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # its tracebacks: ours say why
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    found = []
    for sig in sigs:
        try:
            status = validate_pdf_signature(sig, context)
        except Exception as exc:  # pyHanko raises many kinds on a malformed signature
            raise SignedCopyError(f"{name} : signature « {sig.field_name} » illisible ({exc})")\
                from None
        found.append(_check_one(sig, status, name, strict))
    return Verification(tuple(found), int(reader.xrefs.total_revisions),
                        min(s.revision for s in found))
