"""The export cache: unchanged sources are neither expanded nor rendered again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import LYON
from coop.catalog import load_catalog
from coop.export import pipeline


def test_unchanged_sources_are_not_expanded(repo: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(LYON, repo / "conventions" / "lyon.md")
    out = tmp_path / "exports"
    first = pipeline.export_conventions(load_catalog(repo).conventions, repo, out, ("docx",))
    assert [p.name for p in first.written] == ["lyon-fcil-maintenance-aeronautique.docx"]

    def no_expansion(doc: object) -> None:
        raise AssertionError("expanded although unchanged")

    monkeypatch.setattr(pipeline, "document_of", no_expansion)
    second = pipeline.export_conventions(load_catalog(repo).conventions, repo, out, ("docx",))
    assert second.written == [] and len(second.skipped) == 1
    monkeypatch.undo()

    logo = repo / "conventions" / "logos" / "rhm.png"  # a logo changes: exported again
    logo.write_bytes(logo.read_bytes() + b"\0")
    third = pipeline.export_conventions(load_catalog(repo).conventions, repo, out, ("docx",))
    assert [p.name for p in third.written] == ["lyon-fcil-maintenance-aeronautique.docx"]
