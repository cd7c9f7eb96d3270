"""What one export renders: the expanded text and the metadata of one convention."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coop.avenants import parties_data
from coop.render.markdown import render_markdown

if TYPE_CHECKING:
    from coop.convention import Convention
    from coop.document import Document

LOGO_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".svg", ".gif"})


class ExportError(Exception):
    """A convention that cannot be exported; the message is French and user-facing."""


@dataclass(frozen=True)
class Logo:
    path: Path  # absolute, inside the repository
    typst_path: str  # "/conventions/logos/x.png": typst resolves it against the root


@dataclass
class ExportJob:
    id: str
    relpath: str
    markdown: str
    title: str
    subject: str
    keywords: list[str]
    version: str
    statut: str
    labels: dict[str, str]  # the model's words around the text (nature, footer, draft)
    unbreakable: tuple[str, ...]  # words the layout never hyphenates nor splits
    epoch: int  # date of the copy, seconds since 1970 (see dates.py)
    signatories: list[str]  # party designations, in table order
    logos: list[Logo] = field(default_factory=list)
    signable: bool = True  # False: an information copy (consolidated text), no field

    @property
    def draft(self) -> bool:
        return self.statut == "brouillon"

    def digest(self) -> str:
        """Hash of every per-convention input (logo bytes included)."""
        h = hashlib.sha256()
        for part in (self.id, self.markdown, self.title, self.subject, "\x1f".join(self.keywords),
                     self.version, self.statut, repr(sorted(self.labels.items())),
                     "\x1f".join(self.unbreakable), str(self.epoch),
                     "\x1f".join(self.signatories)):
            h.update(part.encode())
            h.update(b"\x00")
        for logo in self.logos:
            h.update(logo.typst_path.encode())
            h.update(hashlib.sha256(logo.path.read_bytes()).digest())
        return h.hexdigest()


def check_logo(path: Path, root: Path, relpath: str) -> Logo:
    """A logo must be an image file inside the repository (the core checks it too)."""
    resolved = path.resolve()
    root = root.resolve()
    if not resolved.is_relative_to(root):
        raise ExportError(f"{relpath} : logo « {path} » refusé : le fichier doit se trouver "
                          "dans le dépôt (par exemple conventions/logos/)")
    if resolved.suffix.lower() not in LOGO_SUFFIXES:
        raise ExportError(f"{relpath} : logo « {path.name} » refusé : formats acceptés "
                          + ", ".join(sorted(LOGO_SUFFIXES)))
    if not resolved.is_file():
        raise ExportError(f"{relpath} : logo « {path.name} » introuvable")
    return Logo(resolved, "/" + resolved.relative_to(root).as_posix())


def _party_names(conv: Convention) -> list[str]:
    data = parties_data(conv)
    return [str(p["nom"]) for p in [*data.get("etablissements", []),
                                    *data.get("partenaires", [])]]


def version_stamp(source_hash: str, markdown: str) -> str:
    """The version printed on a copy: it changes with anything that shapes the text — the
    source file, the model version (in `source_hash`) and the renderers (in the text)."""
    return hashlib.sha256(f"{source_hash}\0{markdown}".encode()).hexdigest()[:10]


def build_job(conv: Convention, doc: Document, root: Path, epoch: int) -> ExportJob:
    """`epoch`: the date of the copy, from `dates.SourceDates` (never invented)."""
    logos = [check_logo(p, root, conv.relpath) for p in doc.logos]
    markdown = render_markdown(doc)
    return ExportJob(
        id=conv.id,
        relpath=conv.relpath,
        markdown=markdown,
        title=doc.title,
        subject=f"{'Avenant' if conv.type == 'avenant' else 'Convention'} {conv.id}",
        keywords=_party_names(conv),
        version=version_stamp(conv.source_hash, markdown),
        statut=conv.statut,
        labels=doc.labels,
        unbreakable=doc.unbreakable,
        epoch=epoch,
        signatories=[s.party for s in doc.signatories],
        logos=logos,
        signable=conv.type != "consolide",
    )
