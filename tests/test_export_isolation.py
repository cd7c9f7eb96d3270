"""One bad file never takes others down: when the pandoc process of a batch fails as a
whole (time limit, memory, crash), every other document of the batch is exported anyway
and the error names only the culprit."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from coop.catalog import load_catalog
from coop.export import pandoc, pipeline, render
from coop.export.pdf import PdfTask
from coop.export.pipeline import export_conventions

ROOT = Path(__file__).resolve().parent.parent


def failing_for(culprit: str, how: str) -> Any:
    """subprocess.run, except that a pandoc process given `culprit` fails as a whole."""
    real = subprocess.run

    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        if command[0] == pandoc.pypandoc.get_pandoc_path() and "lua" in command:
            jobs = json.loads(Path(command[-1]).read_text("utf-8"))["jobs"]
            if any(j["id"] == culprit for j in jobs):
                if how == "délai":
                    raise subprocess.TimeoutExpired(command, kwargs.get("timeout") or 0)
                stderr = "pandoc: Heap exhausted;" if how == "mémoire" else "segfault"
                return subprocess.CompletedProcess(command, 251, "", stderr)
        return real(command, **kwargs)

    return run


@pytest.mark.parametrize("how", ["délai", "mémoire", "plantage"])
def test_one_document_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  how: str) -> None:
    conventions = load_catalog(ROOT).conventions[:3]
    culprit = conventions[1].id
    monkeypatch.setattr(pandoc.subprocess, "run", failing_for(culprit, how))
    report = export_conventions(conventions, ROOT, tmp_path, ("docx",), workers=1)
    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith(f"{culprit} : pandoc : "), report.errors
    if how == "délai":
        assert "délai dépassé" in report.errors[0]
    assert sorted(p.name for p in report.written) == sorted(
        f"{c.id}.docx" for c in conventions if c.id != culprit)
    assert not (tmp_path / f"{culprit}.docx").exists()


def test_batch_isolation_names_each_culprit(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit level: the whole batch fails, then each document alone; two culprits."""
    calls: list[list[str]] = []

    def fake(jobs: list[pandoc.PandocJob], manifest: Path) -> dict[str, str]:
        calls.append([j.id for j in jobs])
        if len(jobs) > 1 or jobs[0].id == "b":
            raise pandoc._WholeChunkFailed("pandoc : délai dépassé (65 s)")
        if jobs[0].id == "c":
            return {"c": "pandoc : erreur de c"}
        return {}

    monkeypatch.setattr(pandoc, "_run_chunk", fake)
    jobs = [pandoc.PandocJob(id=i, markdown="", epoch=0) for i in "abcd"]
    failures = pandoc.run_pandoc(jobs, tmp_path, workers=1)
    assert failures == {"b": "pandoc : délai dépassé (65 s)", "c": "pandoc : erreur de c"}
    assert calls == [["a", "b", "c", "d"], ["a"], ["b"], ["c"], ["d"]]


def _dies_for_b(task: PdfTask) -> str | None:
    """A PDF worker (spawned: imported by reference) that dies on document « b »."""
    if task.id == "b":
        os._exit(3)
    return None


def test_a_dying_pdf_worker_takes_only_its_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_safe_render", _dies_for_b)
    tasks = [PdfTask(id=i, typst_path="", root="", meta={}, signatories=(), epoch=0, out="")
             for i in "abcd"]
    results = pipeline._render_pdfs(tasks, 2)
    assert results[0] is None and results[2] is None and results[3] is None
    assert results[1] is not None and "processus de rendu s’est arrêté" in results[1]


def _dies_for_culprit(task: PdfTask) -> str | None:
    """A PDF worker that dies on the document named by $COOP_TEST_CULPRIT, and renders
    every other one."""
    if task.id == os.environ.get("COOP_TEST_CULPRIT"):
        os._exit(3)
    return render.safe_render(task)


def test_batches_render_as_they_come_and_a_dying_worker_takes_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One document per batch: each batch's PDFs go to the workers while the next batch is
    expanded and converted; a worker dying on one document fails that document only, and
    the report lists the copies in the documents' order (DOCX, then PDF)."""
    conventions = load_catalog(ROOT).conventions[:3]
    culprit = conventions[1].id
    monkeypatch.setattr(pipeline, "MIN_BATCH", 1)
    monkeypatch.setattr(pipeline, "MAX_BATCH", 1)
    monkeypatch.setattr(pipeline, "_safe_render", _dies_for_culprit)
    monkeypatch.setenv("COOP_TEST_CULPRIT", culprit)
    manifests: list[int] = []
    real = pandoc.convert_batch

    def counted(jobs: list[pandoc.PandocJob], workdir: Path, name: str) -> dict[str, str]:
        manifests.append(len(jobs))
        return real(jobs, workdir, name)

    monkeypatch.setattr(pipeline, "convert_batch", counted)
    report = export_conventions(conventions, ROOT, tmp_path, workers=2)
    assert manifests == [1, 1, 1]
    assert len(report.errors) == 1 and report.errors[0].startswith(f"{culprit} : ")
    assert "processus de rendu s’est arrêté" in report.errors[0]
    assert [p.name for p in report.written] == [
        *(f"{c.id}.docx" for c in conventions),
        *(f"{c.id}.pdf" for c in conventions if c.id != culprit)]
    for path in report.written:
        assert path.is_file() and path.read_bytes()[:4] in (b"%PDF", b"PK\x03\x04")
    assert not (tmp_path / f"{culprit}.pdf").exists()
    assert not list(tmp_path.glob(".work-*"))  # the work folder goes
