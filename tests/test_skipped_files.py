"""Nothing silently skipped: a file that looks like a convention but that the catalogue
does not load is an error of `check` (and so of the export and the site), with its path
and what to do; a contributor must not believe a convention published when it is not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coop.catalog import load_catalog
from coop.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "conventions" / "lyon" / "fcil-maintenance-aeronautique.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "conventions", tmp_path / "conventions")
    return tmp_path


def put(project: Path, rel: str, text: str | None = None) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SAMPLE.read_text("utf-8") if text is None else text, "utf-8")


@pytest.mark.parametrize(("rel", "why", "name"), [
    ("conventions/lyon/.brouillon.md", "les noms commençant par « . » ou « _ »", "brouillon.md"),
    ("conventions/lyon/_brouillon.md", "les noms commençant par « . » ou « _ »", "brouillon.md"),
    ("conventions/lyon/autre.MD", "l’extension « .MD » est ignorée", "autre.md"),
    ("conventions/lyon/autre.markdown", "l’extension « .markdown » est ignorée", "autre.md"),
    ("conventions/lyon/autre.txt", "l’extension « .txt » est ignorée", "autre.md"),
    ("conventions/lyon/autre", "l’extension « (aucune) » est ignorée", "autre.md"),
    ("conventions/.cache/vieille.md", "le dossier « .cache » est ignoré", "vieille.md"),
    ("conventions/_archives/2024/vieille.md", "le dossier « _archives » est ignoré",
     "vieille.md"),
])
def test_skipped_file_under_conventions_is_an_error(project: Path, rel: str, why: str,
                                                     name: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    put(project, rel)
    assert main(["check", "--racine", str(project), "--date", "2026-07-01"]) == 1
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if x.startswith(f"{rel}:1:1: "))
    assert "fichier ignoré par le catalogue" in line and why in line, line
    assert f"nommez-la « {name} »" in line and "ni validée ni publiée" in line
    assert "ÉCHEC : 1 erreur" in err
    # the file named on the command line: checked, and still said to be out of the catalogue
    assert main(["check", str(project / rel), "--racine", str(project),
                 "--date", "2026-07-01"]) == 1
    assert f"{rel}:1:1: fichier ignoré par le catalogue" in capsys.readouterr().err


@pytest.mark.parametrize("rel", ["ma-convention.md", "convention/lyon/perdue.md",
                                 "brouillons/perdue.txt"])
def test_convention_outside_conventions_is_an_error(project: Path, rel: str) -> None:
    put(project, rel)
    problems = [p for p in load_catalog(project).errors if p.path == rel]
    assert len(problems) == 1
    assert "convention hors du dossier conventions/" in problems[0].message
    assert "déplacez-la dans conventions/<académie>/" in problems[0].message


@pytest.mark.parametrize("rel", [
    "conventions/README.md", "conventions/lyon/readme.markdown", "README.md", "docs/guide.md",
    "notes/idees.md", "build/texte/lyon.md", "tests/exemple.md", ".github/modele.md",
])
def test_documentation_and_build_files_are_not_reported(project: Path, rel: str) -> None:
    text = "# Notes\n\nDu texte, sans en-tête.\n" if rel.startswith("notes/") else None
    put(project, rel, text)
    assert load_catalog(project).problems == []


def test_notes_and_images_under_conventions_are_not_reported(project: Path) -> None:
    put(project, "conventions/lyon/notes.txt", "une note, sans en-tête\n")
    (project / "conventions" / "logos" / "autre.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert load_catalog(project).problems == []
