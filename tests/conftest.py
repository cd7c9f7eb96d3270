"""Shared fixtures: the repository, its samples, and throw-away repositories."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest

from coop.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "conventions"
LYON = SAMPLES / "lyon" / "fcil-maintenance-aeronautique.md"
NANTES = SAMPLES / "nantes" / "coloration-mspc-maintenance-navale.md"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty repository with the sample logos, in a temporary folder."""
    (tmp_path / "conventions").mkdir()
    shutil.copytree(SAMPLES / "logos", tmp_path / "conventions" / "logos")
    return tmp_path


CheckText = Callable[..., list[str]]


@pytest.fixture
def check_text(repo: Path) -> CheckText:
    """Write one convention file into `repo` and return its formatted problems."""

    def run(text: str | bytes, name: str = "essai.md", errors_only: bool = False) -> list[str]:
        path = repo / "conventions" / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        catalog = load_catalog(repo)
        problems = catalog.errors if errors_only else catalog.problems
        return [p.format() for p in problems]

    return run


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def coop(*args: str, cwd: Path = ROOT, stdin: str = "",
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m coop …` as a user runs it (stdin empty unless given): code, stdout, stderr."""
    return subprocess.run([sys.executable, "-m", "coop", *args], cwd=cwd, input=stdin, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


# Guidance of the official model that must never reach an agreement (any output).
GUIDANCE = ["préciser", "XXX", "X mois", "coloration/FCIL", "coloration ou la FCIL",
            "Madame/Monsieur", "INSERER", "si plusieurs établissements", "Partenaire X",
            "le partenaire X et Y", "(A préciser)", "Fait le\n", "ETABLISSEMENT/ACADEMIE",
            "None", "{{", "{%", "Undefined", "« région »", "«\u202frégion\u202f»",
            "(nom et qualité)", "Autres :", "()"]


def page_toc(page: str) -> list[tuple[int, str, str]]:
    """(level, id, title) of the table of contents that an engine built on
    Python-Markdown (MkDocs, Zensical) reads from a generated page, in page order."""
    md = markdown.Markdown(extensions=["md_in_html", "toc", "attr_list"])
    md.convert(page.split("---\n", 2)[2])  # without the front-matter
    out: list[tuple[int, str, str]] = []
    todo = list(reversed(md.toc_tokens))  # type: ignore[attr-defined]
    while todo:
        token = todo.pop()
        out.append((token["level"], token["id"], token["name"]))
        todo.extend(reversed(token["children"]))
    return out
