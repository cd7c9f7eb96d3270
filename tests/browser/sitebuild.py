"""Build the catalogue site into a temporary directory (shared by the site tests).

The site skeleton (mkdocs.yml, docs/, macros/site_macros.py) is copied next to a
`conventions/` folder, so a test can add or change conventions without touching the repo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOOK = "macros/coop/site/hooks.py"


def make_project(dest: Path, extra: dict[str, str] | None = None,
                 with_samples: bool = True) -> Path:
    """A copy of the site skeleton with the sample conventions and `extra` files
    (path relative to the project -> text)."""
    dest.mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = config.replace(f"  - {HOOK}", f"  - {REPO / HOOK}")
    (dest / "mkdocs.yml").write_text(config, "utf-8")
    shutil.copytree(REPO / "docs", dest / "docs")
    (dest / "macros").mkdir()
    shutil.copy(REPO / "macros" / "site_macros.py", dest / "macros" / "site_macros.py")
    if with_samples:
        shutil.copytree(REPO / "conventions", dest / "conventions")
    for rel, text in (extra or {}).items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return dest


def build(project: Path, site: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` in a subprocess (as `make site` does)."""
    site = site or project / "site"
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project, env=env, capture_output=True, text=True, timeout=300)


def sample_text(name: str = "lyon/fcil-maintenance-aeronautique.md") -> str:
    return (REPO / "conventions" / name).read_text("utf-8")
