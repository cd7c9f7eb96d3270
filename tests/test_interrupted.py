"""Interrupted runs: an export and a site build killed midway (SIGKILL, SIGTERM) leave no
partial file a user could take for a good one, and the next run completes. Also the
resource limits of pandoc (time and memory), reported in French."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from browser.sitebuild import REPO, make_project

from coop.catalog import load_catalog
from coop.export import pandoc
from coop.export.pandoc import PandocJob, run_pandoc

ENV = {**os.environ, "COOP_AUJOURDHUI": "2026-07-01", "NO_COLOR": "1",
       "PYTHONPATH": str(REPO / "macros")}


def start(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], cwd=project, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool], sig: int) -> bool:
    """Send `sig` as soon as `ready()`; False when the process ended first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and not ready():
        time.sleep(0.005)
    alive = proc.poll() is None
    if alive:
        proc.send_signal(sig)
    proc.communicate(timeout=60)
    return alive


def finish(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=project, env=ENV, text=True,
                          capture_output=True, timeout=300, check=False)


# --- export ---------------------------------------------------------------------------


def export_args(project: Path) -> tuple[str, ...]:
    return ("-m", "coop", "export", "--racine", str(project),
            "--out", str(project / "build" / "exports"), "--jobs", "2")


def outputs(out: Path) -> list[Path]:
    """Files a user would open: <id>.pdf and <id>.docx."""
    if not out.is_dir():
        return []
    return sorted(p for p in out.iterdir() if p.suffix in (".pdf", ".docx")
                  and not p.name.startswith("."))


def assert_complete(path: Path) -> None:
    if path.suffix == ".pdf":
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:], path.name
        assert len(pypdf.PdfReader(path).pages) >= 1
    else:
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None and "word/document.xml" in z.namelist(), path.name


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_export_leaves_no_truncated_file(tmp_path: Path, sig: int) -> None:
    project = make_project(tmp_path / "projet")
    out = project / "build" / "exports"
    proc = start(project, *export_args(project))

    def midway() -> bool:  # pandoc or typst at work
        return out.is_dir() and any(p.name.startswith(".work-") for p in out.iterdir())

    if not kill_when(proc, midway, sig):
        pytest.skip("l’export s’est terminé avant d’être interrompu")
    assert proc.returncode != 0
    for path in outputs(out):
        assert_complete(path)

    result = finish(project, *export_args(project))
    assert result.returncode == 0, result.stdout + result.stderr
    expected = {f"{c.id}.{ext}" for c in load_catalog(project).conventions
                for ext in ("pdf", "docx")}
    found = outputs(out)
    assert expected <= {p.name for p in found}
    for path in found:
        assert_complete(path)


# --- site -----------------------------------------------------------------------------


SITE_ARGS = ("-m", "coop", "site", "--sortie", "site")


def site_is_complete(site: Path, project: Path) -> bool:
    ids = [c.id for c in load_catalog(project).conventions]
    return ((site / "index.html").is_file() and (site / "sitemap.xml").is_file()
            and all((site / "conventions" / i / "index.html").is_file() for i in ids))


@pytest.fixture(scope="module")
def killed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("site-interrompu") / "projet")
    proc = start(project, *SITE_ARGS)
    engine_out = project / "build" / ".site-mkdocs.en-cours"

    def midway() -> bool:  # the engine has written its first pages
        return engine_out.is_dir() and any(engine_out.rglob("*.html"))

    if not kill_when(proc, midway, signal.SIGKILL):
        pytest.skip("la construction s’est terminée avant d’être interrompue")
    return project


def test_killed_site_build_leaves_no_half_site(killed_site: Path) -> None:
    site = killed_site / "site"
    assert not site.exists() or site_is_complete(site, killed_site)


def test_site_build_after_a_kill_completes(killed_site: Path) -> None:
    result = finish(killed_site, *SITE_ARGS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert site_is_complete(killed_site / "site", killed_site)


# --- pandoc limits --------------------------------------------------------------------


def pandoc_job(tmp_path: Path, markdown: str) -> PandocJob:
    md = tmp_path / "essai.md"
    md.write_text(markdown, encoding="utf-8")
    return PandocJob(id="essai", markdown=str(md), epoch=0, typst=str(tmp_path / "essai.typ"))


def test_pandoc_timeout_is_a_french_error(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc, "TIMEOUT_BASE", 0.05)
    monkeypatch.setattr(pandoc, "TIMEOUT_PER_JOB", 0.0)
    job = pandoc_job(tmp_path, "# Titre\n\n" + "Un paragraphe assez long. " * 200_000)
    failures = run_pandoc([job], tmp_path)
    assert failures == {"essai": "pandoc : délai dépassé (0 s) ; document trop long ou trop "
                                 "complexe"}


def test_pandoc_memory_cap_bounds_a_pathological_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `pandoc lua`, the heap overflow is caught by the Lua runtime: pandoc stays
    under its cap until the time limit ends it. Either way, a French error."""
    monkeypatch.setattr(pandoc, "MEMORY_LIMIT", "64m")
    monkeypatch.setattr(pandoc, "TIMEOUT_BASE", 3.0)
    monkeypatch.setattr(pandoc, "TIMEOUT_PER_JOB", 0.0)
    job = pandoc_job(tmp_path, "[" * 100_000 + "x" + "]" * 100_000 + "\n")
    failures = run_pandoc([job], tmp_path)
    assert failures["essai"] in (
        "pandoc : mémoire épuisée (limite 64 Mo) ; document trop long ou trop complexe",
        "pandoc : délai dépassé (3 s) ; document trop long ou trop complexe")


def test_pandoc_runs_with_a_memory_cap_and_a_timeout() -> None:
    assert pandoc.MEMORY_LIMIT == "512m"
    assert pandoc.TIMEOUT_BASE > 0 and pandoc.TIMEOUT_PER_JOB > 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def _is_worker(pid: int) -> bool:
    try:
        return b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def test_a_killed_export_leaves_no_pdf_worker_behind(tmp_path: Path) -> None:
    """The PDF workers end with the export: killed, it leaves none running (an idle one
    would wait forever, holding the export's output pipes open)."""
    project = make_project(tmp_path / "projet")
    proc = start(project, *export_args(project))
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
        workers = [p for p in _children(proc.pid) if _is_worker(p)]
        time.sleep(0.01)
    if proc.poll() is not None:
        pytest.skip("l’export s’est terminé avant que ses processus PDF ne démarrent")
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    assert workers and not [p for p in workers if _alive(p)]
    proc.communicate(timeout=30)  # nobody holds its pipes any more
