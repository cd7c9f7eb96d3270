"""The date written in a signature copy: PDF creation date (Info and XMP), DOCX core
properties (created, modified).

One rule, never an invented date, and the same sources always give the same date (hence
the same bytes):

1. `SOURCE_DATE_EPOCH` (the reproducible-builds variable) when it is set;
2. otherwise, when every source file of the document is committed and unchanged: the
   committer date of the last commit that touched one of them;
3. otherwise (no git, a file outside the repository — the models of an installed package —,
   not yet committed, or changed since its last commit): the latest modification time of
   those files on disk — the date of the text being exported.

The sources of a convention are its file; an avenant adds the file of the convention it
amends (its copy quotes and replaces that text). Logos, the model and the code are not
sources here: they change the bytes (the version stamp says so), not the convention's date.

Cost: one `git log` pass over the folders holding the documents and one `git status`,
whatever their number (one `git log` per file takes seconds at a thousand conventions).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .jobs import ExportError

ENV = "SOURCE_DATE_EPOCH"
_MARK = "\x01"  # starts the commit-time token in the `git log -z` output


def env_epoch() -> int | None:
    """`SOURCE_DATE_EPOCH` as an integer, None when unset or empty."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ExportError(f"{ENV} invalide : « {value} » (nombre de secondes depuis le "
                          "1er janvier 1970 attendu)")
    return int(value)


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.decode("utf-8", "surrogateescape") if proc.returncode == 0 else None


def sources_of(doc: object) -> list[Path]:
    """The files a document's text is made from: its own, and for an avenant its parent's
    (a target of targets.py lists its own: a convention and its avenants, a model)."""
    listed = getattr(doc, "sources", None)
    if listed is not None:
        return [Path(p).resolve() for p in listed]
    paths = [Path(doc.path)]  # type: ignore[attr-defined]
    before = getattr(doc, "before", None)
    if before is not None and getattr(before, "path", None) is not None:
        paths.append(Path(before.path))
    return [p.resolve() for p in paths]


class SourceDates:
    """Dates of the source files below some folders of one repository, read once."""

    def __init__(self, root: Path, folders: list[Path]) -> None:
        self.committed: dict[Path, int] = {}  # file -> time of its last commit
        self.dirty: set[Path] = set()  # tracked files changed since their last commit
        top = _git(root, "rev-parse", "--show-toplevel")
        if top is None or not folders:
            return
        base = Path(top.strip()).resolve()
        # A folder outside the repository (the models of an installed package) would make
        # git refuse the whole pass: its files are dated by their modification time.
        inside = sorted({str(r) for f in folders if (r := f.resolve()).is_relative_to(base)})
        if not inside:
            return
        specs = ["--", *inside]
        log = _git(root, "-c", "core.quotePath=false", "log", f"--format={_MARK}%ct",
                   "--name-only", "--no-renames", "-z", *specs)
        status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=no",
                      "--no-renames", *specs)
        if log is None or status is None:
            return
        when = 0
        for token in log.split("\0"):
            token = token.lstrip("\n")
            if token.startswith(_MARK):
                when = int(token[1:])
            elif token:
                path = base / token
                if when > self.committed.get(path, -1):
                    self.committed[path] = when
        for entry in status.split("\0"):
            if len(entry) > 3:  # "XY path"
                self.dirty.add(base / entry[3:])

    @classmethod
    def of(cls, docs: list[object], root: Path) -> SourceDates:
        folders = {p.parent for d in docs for p in sources_of(d)}
        return cls(root, sorted(folders))

    def epoch(self, doc: object) -> int:
        """The date of `doc`'s copy, as seconds since 1970 (see the module's rule)."""
        forced = env_epoch()
        if forced is not None:
            return forced
        paths = sources_of(doc)
        if all(p in self.committed and p not in self.dirty for p in paths):
            return max(self.committed[p] for p in paths)
        return max(int(p.stat().st_mtime) for p in paths)
