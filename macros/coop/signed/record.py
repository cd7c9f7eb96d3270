"""`coop signee` without its side effects: verify the signed file, prove it is the
catalogue's text, and compute what would be written (the stored PDF and the new
front-matter). `write` then stores both, atomically, the PDF first."""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..authoring.files import write_atomic
from ..authoring.frontmatter import FrontMatter
from ..authoring.lifecycle import StatusChange, record_signature
from ..avenant_text import document_of
from ..catalog import Catalog
from ..convention import Convention
from ..typography import decimal
from . import COPY_FIELD, HEAVY_BYTES, SCANNED, SIGNED_DIR, SignedCopyError
from .proof import prove
from .verify import SignatureFound, check_size_and_kind, verify_pdf


@dataclass
class Intake:
    path: Path  # the convention (or avenant) file
    relpath: str
    dest: Path  # where the signed PDF goes
    pdf: bytes
    change: StatusChange
    verification: str
    signatures: tuple[SignatureFound, ...]
    warnings: list[str] = field(default_factory=list)


def stored_name(doc_id: str) -> str:
    """`signees/<id>.pdf`, relative to the folder of the convention's file."""
    return f"{SIGNED_DIR}/{doc_id}.pdf"


def copy_fields(name: str, pdf: bytes, verification: str,
                signatures: tuple[SignatureFound, ...]) -> dict[str, Any]:
    fields: dict[str, Any] = {"fichier": name, "sha256": hashlib.sha256(pdf).hexdigest(),
                              "verification": verification}
    if signatures:
        fields["signatures"] = [{"signataire": s.signer,
                                 "date": s.when.isoformat(timespec="seconds"),
                                 "certificat": s.trust} for s in signatures]
    return fields


def exported_copy(target: Any, root: Path, anchors: bool = False) -> bytes:
    """The PDF the catalogue exports for `target` now (`make pdf [ANCRES=1]`), made in a
    temporary folder."""
    from ..export.pipeline import export_conventions

    with tempfile.TemporaryDirectory(prefix="coop-signee-") as tmp:
        report = export_conventions([target], root, Path(tmp), ("pdf",), workers=1,
                                    anchors=anchors)
        if report.errors:
            raise SignedCopyError("l’exemplaire du catalogue n’a pu être refait pour la "
                                  f"comparaison : {'; '.join(report.errors)}")
        return (Path(tmp) / f"{target.id}.pdf").read_bytes()


def find_target(catalog: Catalog, doc_id: str) -> Any:
    """The valid convention or avenant `doc_id` of the catalogue, or a SignedCopyError."""
    found = catalog.get(doc_id) or next((a for a in catalog.avenants if a.id == doc_id), None)
    if found is None or (not isinstance(found, Convention) and found.before is None):
        raise SignedCopyError(f"« {doc_id} » n’est pas valide : lancez make check et corrigez "
                              "ses erreurs avant d’enregistrer la signature")
    return found


def take_in(catalog: Catalog, doc_id: str, pdf_path: Path, *, scan: bool = False,
            day: date | None = None, roots: list | None = None,
            strict: bool = False) -> Intake:
    """Everything `coop signee` checks, nothing written; SignedCopyError or AuthoringError."""
    target = find_target(catalog, doc_id)
    if COPY_FIELD in target.source_data:
        raise SignedCopyError(f"un exemplaire signé est déjà enregistré pour « {doc_id} » "
                              f"({target.source_data[COPY_FIELD].get('fichier')}) : pour le "
                              f"remplacer, retirez d’abord le champ « {COPY_FIELD} » et ce "
                              "fichier")
    name = pdf_path.name
    try:
        if pdf_path.stat().st_size > 0:
            check_size_and_kind(pdf_path.open("rb").read(1024), name)  # cheap refusals first
        data = pdf_path.read_bytes()
    except OSError as exc:
        raise SignedCopyError(f"{pdf_path} : fichier illisible ({exc.strerror})") from None
    check_size_and_kind(data, name)
    signers = len(target.data["signature"]["signataires"])
    if scan:
        verification, signatures = SCANNED, ()
    else:
        checked = verify_pdf(data, name, roots or [], strict)
        copies = [lambda: exported_copy(target, catalog.root),
                  lambda: exported_copy(target, catalog.root, anchors=True)]
        verification = prove(data, copies, checked, document_of(target), doc_id, name)
        if len(checked.signatures) < signers:  # after `prove`: another convention's copy
            raise SignedCopyError(f"{name} : signature partielle : {len(checked.signatures)} "
                                  f"signature(s) pour {signers} signataires")
        signatures = checked.signatures
        day = day or checked.last_time.date()
    text = target.path.read_text("utf-8")

    def edit(fm: FrontMatter) -> None:
        fm.data[COPY_FIELD] = copy_fields(stored_name(doc_id), data, verification, signatures)

    change = record_signature(text, target.relpath, catalog.root, day, edit)
    warnings = list(change.warnings)
    if len(data) > HEAVY_BYTES:
        warnings.append(f"fichier de {decimal(len(data) / 1e6)} Mo : il restera dans l’historique "
                        "git ; demandez si possible à la plateforme un PDF plus léger")
    dest = target.path.parent / stored_name(doc_id)
    return Intake(target.path, target.relpath, dest, data, change, verification, signatures,
                  warnings)


def write(intake: Intake) -> None:
    """The PDF, then the front-matter, each atomically; the PDF goes again if the
    front-matter cannot be written (nothing half-recorded)."""
    intake.dest.parent.mkdir(exist_ok=True)
    existed = intake.dest.exists()
    backup = intake.dest.read_bytes() if existed else None
    write_atomic(intake.dest, intake.pdf)
    try:
        write_atomic(intake.path, intake.change.text.encode("utf-8"))
    except BaseException:
        if backup is None:
            intake.dest.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # not empty: others stay
                intake.dest.parent.rmdir()
        else:
            write_atomic(intake.dest, backup)
        raise
