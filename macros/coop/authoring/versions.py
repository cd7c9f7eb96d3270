"""Which commit a copy was made from: the version stamp a DOCX carries, looked up in the
git history of the convention's file (the latest commits only)."""

from __future__ import annotations

from pathlib import Path

from ..expand import expand
from .reprise import current_version
from .revisions import convention_from_bytes, file_at, git

LOOKED_UP = 30  # commits of the file searched, latest first


def version_commit(root: Path, relpath: str, version: str) -> str | None:
    """« commit 1a2b3c4 du 2026-11-02 » when a recent commit of `relpath` gives `version`."""
    done = git(root, "log", f"-{LOOKED_UP}", "--format=%H %cs", "--", relpath)
    if done.returncode != 0:
        return None
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        commit, _, day = line.partition(" ")
        raw = file_at(root, commit, relpath)
        if raw is None:
            continue
        conv, _ = convention_from_bytes(raw, root, relpath)
        if conv is not None and current_version(conv, expand(conv)) == version:
            return f"commit {commit[:7]} du {day}"
    return None
