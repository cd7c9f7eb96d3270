"""`coop serve`: serves the built site on 127.0.0.1 and rebuilds it when a source
changes (the site is swapped in whole)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from browser.sitebuild import TODAY, make_project, sample_text

from coop.site.watch import fingerprint

LYON = "conventions/lyon/fcil-maintenance-aeronautique.md"
TITLE = "FCIL Maintenance des hélicoptères – lycée Jean-Mermoz"


def test_fingerprint_sees_edits_additions_and_removals(tmp_path: Path) -> None:
    project = make_project(tmp_path / "projet")
    before = fingerprint(project)
    assert fingerprint(project) == before
    path = project / LYON
    path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    edited = fingerprint(project)
    assert edited != before
    (project / "docs" / "nouvelle.md").write_text("# Nouvelle\n", "utf-8")
    added = fingerprint(project)
    assert added != edited
    (project / "docs" / "nouvelle.md").unlink()
    assert fingerprint(project) == edited
    (project / "build").mkdir(exist_ok=True)  # outputs are not sources
    (project / "build" / "x.html").write_text("x", "utf-8")
    assert fingerprint(project) == edited


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read().decode("utf-8")


def _wait_for(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_rebuilds_after_a_change(tmp_path: Path) -> None:
    project = make_project(tmp_path / "projet")
    port = _free_port()
    env = {**os.environ, "COOP_AUJOURDHUI": TODAY, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "coop", "serve", "--racine", str(project), "--port", str(port)],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    page = f"http://127.0.0.1:{port}/conventions/lyon-fcil-maintenance-aeronautique/"
    try:
        assert _wait_for(lambda: TITLE in _get(page), 180), "le site n’est pas servi"
        (project / LYON).write_text(sample_text().replace(
            f"titre: {TITLE}", "titre: FCIL Hélicoptères – titre modifié", 1), "utf-8")
        assert _wait_for(lambda: "titre modifié" in _get(page), 180), "pas reconstruit"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    # the new page was served, so the rebuild was published; its closing line may still be
    # on its way when the server is stopped, so only the first build's is certain
    assert "site construit avec MkDocs + Material" in out
    assert "modification détectée : reconstruction…" in out
