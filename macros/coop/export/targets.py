"""What `coop export` renders besides conventions and avenants: the consolidated text of a
convention amended by signed avenants, and the blank model of a version and kind.

Each target looks like a convention to the pipeline (an `id`, its source files, a source
hash) and makes its own Document (`document()`); the pipeline renders it through the same
pandoc / typst path, cached by content like every other copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from coop import model as model_module
from coop.avenants import Avenant, signed_avenants
from coop.consolidate import consolidate, copy_of
from coop.convention import Convention
from coop.document import Document
from coop.expand import copy_labels

CONSOLIDATED_SUFFIX = "-consolide"


def consolidated_id(conv_id: str) -> str:
    """`<id>-consolide`: the file name of the consolidated copy, without extension."""
    return f"{conv_id}{CONSOLIDATED_SUFFIX}"


def model_id(name: str, kind: str) -> str:
    """`modele-adaptation-offre-formation-v2-fcil`: the blank model's file name."""
    return f"modele-{name.replace('/', '-')}-{kind}"


@dataclass(frozen=True)
class ConsolidatedText:
    """A signed convention as amended by its signed avenants (an information copy)."""

    convention: Convention  # as signed
    avenants: tuple[Avenant, ...]  # its signed avenants
    type: str = "consolide"
    formats: tuple[str, ...] = ("pdf", "docx")

    @property
    def id(self) -> str:
        return consolidated_id(self.convention.id)

    @property
    def relpath(self) -> str:
        return self.convention.relpath

    @property
    def path(self) -> Path:
        return self.convention.path

    @property
    def sources(self) -> list[Path]:
        """The files its text is made from (their dates date the copy)."""
        return [self.convention.path, *(a.path for a in self.avenants)]

    @property
    def statut(self) -> str:
        return self.convention.statut

    @property
    def data(self) -> dict[str, Any]:
        return self.convention.data

    @property
    def source_hash(self) -> str:
        h = hashlib.sha256(self.convention.source_hash.encode())
        for av in self.avenants:
            h.update(av.source_hash.encode())
        return h.hexdigest()

    def document(self) -> Document | None:
        return copy_of(consolidate(self.convention, list(self.avenants)))


@dataclass(frozen=True)
class BlankModel:
    """A model version for one kind, its blanks shown (DOCX only: to draft from)."""

    name: str  # « adaptation-offre-formation/v2 »
    kind: str  # coloration | fcil
    make: Callable[[str, str], Document] = field(compare=False)  # the site's model_document
    type: str = "modele"
    statut: str = "modele"
    formats: tuple[str, ...] = ("docx",)

    @property
    def id(self) -> str:
        return model_id(self.name, self.kind)

    @property
    def relpath(self) -> str:
        return f"modèle {self.name} ({self.kind})"

    @property
    def path(self) -> Path:
        return model_module.MODELS_DIR / self.name / "modele.yml"

    @property
    def sources(self) -> list[Path]:
        folder = model_module.MODELS_DIR / self.name
        return sorted(p for p in folder.rglob("*") if p.is_file())

    @property
    def data(self) -> dict[str, Any]:
        return {}

    @property
    def source_hash(self) -> str:
        h = hashlib.sha256(f"{self.name}\0{self.kind}".encode())
        for p in self.sources:
            h.update(p.relative_to(model_module.MODELS_DIR).as_posix().encode() + b"\0")
            h.update(p.read_bytes())
        return h.hexdigest()

    def document(self) -> Document:
        doc = self.make(self.name, self.kind)
        if doc.labels:
            return doc
        return replace(doc, labels=copy_labels(model_module.load_model(self.name), self.kind))


def consolidated_targets(conventions: list[Convention],
                         avenants: list[Avenant]) -> list[ConsolidatedText]:
    """One consolidated text per convention with signed avenants whose model has the words
    of a consolidated copy (model v1 has none)."""
    by_parent: dict[str, list[Avenant]] = {}
    for av in avenants:
        by_parent.setdefault(av.parent_id, []).append(av)
    out = []
    for conv in conventions:
        signed = signed_avenants(by_parent.get(conv.id, []))
        if signed and "consolide" in model_module.load_model(conv.modele).labels:
            out.append(ConsolidatedText(conv, tuple(signed)))
    return out
