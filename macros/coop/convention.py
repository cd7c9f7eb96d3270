"""A validated convention: what the expansion, the site and the exports consume."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .body import Section


@dataclass
class Convention:
    id: str
    path: Path
    relpath: str
    data: dict[str, Any]  # validated front-matter, dates as datetime.date
    body: str
    sections: list[Section] = field(default_factory=list)
    source_hash: str = ""  # sha256 of the file bytes and of the model version
    source_data: dict[str, Any] = field(default_factory=dict)  # front-matter as written
    id_line: int = 1  # file line of the `id` field (1 when the id comes from the file name)

    @property
    def titre(self) -> str:
        return str(self.data["titre"])

    @property
    def type(self) -> str:
        return str(self.data["type"])

    @property
    def statut(self) -> str:
        return str(self.data["statut"])

    @property
    def academie(self) -> str:
        return str(self.data["territoire"]["academie"])

    @property
    def region_academique(self) -> str:
        return str(self.data["territoire"]["region_academique"])

    @property
    def modele(self) -> str:
        return str(self.data["modele"])

    @property
    def root(self) -> Path:
        """The repository root (the folder `relpath` is relative to)."""
        root = self.path
        for _ in Path(self.relpath).parts:
            root = root.parent
        return root

    @property
    def short_hash(self) -> str:
        return self.source_hash[:10]
