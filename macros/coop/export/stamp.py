"""A re-export with nothing changed, decided before the catalogue is read.

After an export without error, `<out>/.export-stamp.json` records what the run was made
from and what it left: a hash of the inputs' file stats, the logos the conventions name,
and the size and modification time of every output. The next `coop export` with the same
options compares them before loading anything: when they all match, every copy is
already there, made from these very inputs, and nothing is loaded, expanded nor hashed
(a few thousand `stat` calls instead of reading the catalogue).

The inputs (size, modification and change times in nanoseconds of each file):

- every file under `conventions/`, and the files the catalogue inspects elsewhere for
  stray conventions (root files, folders outside `catalog.ELSEWHERE_SKIPPED`);
- the logos named anywhere in the front-matters (they may lie outside `conventions/`);
- the whole `coop` package (models, templates, the site's blank model included), the
  Python version, the typst, pyHanko, python-docx, lxml and pypandoc packages and the
  pandoc binaries;
- the git state the copy dates come from (dates.py): HEAD and the index;
- `SOURCE_DATE_EPOCH`, the formats, `--id`, `--ancres`, the root and output folders.

Any difference, a symbolic link to a folder below the root (the walk would have to follow
it), a missing or unreadable stamp: the ordinary export runs, with its per-copy cache.
The stamp is written again only by an export without error. `COOP_CACHE=0` turns it off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import coop
from coop.catalog import CONVENTIONS_DIR, ELSEWHERE_SKIPPED
from coop.loadcache import logo_values

STAMP_FILE = ".export-stamp.json"
VERSION = "1"
CACHE_ENV = "COOP_CACHE"
_TOOLS = ("typst", "pyhanko", "docx", "lxml", "pypandoc")


class _Unstampable(Exception):
    """The inputs cannot be summed up by a walk (a symbolic link to a folder)."""


def _stat(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "absent"
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _walk(folder: str, skip: frozenset[str], hidden: bool = True) -> Iterable[str]:
    """Every file below `folder` (paths), in a stable order; `skip`: folders left out.
    `hidden` False: names starting with « . » or « _ » are left out (as the catalogue
    leaves them out outside conventions/)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if not hidden and entry.name.startswith((".", "_")):
            continue
        if entry.path in skip:
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, skip, hidden)
        elif entry.is_symlink() and entry.is_dir():
            raise _Unstampable(entry.path)
        else:
            yield entry.path


def _sources(root: Path, out: Path) -> Iterable[str]:
    """The files the catalogue reads or inspects (catalog.convention_files and
    skipped_files), the output folder excepted."""
    skip = frozenset({str(out)})
    yield from _walk(str(root / CONVENTIONS_DIR), skip)
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.is_file():
            yield entry.path
        elif (entry.is_dir(follow_symlinks=False) and entry.name not in ELSEWHERE_SKIPPED
              and not entry.name.startswith((".", "_")) and entry.path not in skip):
            yield from _walk(entry.path, skip, hidden=False)


def _tools() -> list[str]:
    found = [sys.version, os.environ.get("PYPANDOC_PANDOC", "")]
    for name in _TOOLS:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None and spec.origin else ""
        found.append(f"{name}={origin}={_stat(origin) if origin else ''}")
        if name == "pypandoc" and origin:  # the pandoc it ships, used when present
            bundled = str(Path(origin).parent / "files" / "pandoc")
            found.append(f"{bundled}={_stat(bundled)}")
    which = shutil.which("pandoc") or ""
    found.append(f"pandoc={which}={_stat(which) if which else ''}")
    return found


def _git(root: Path) -> str:
    """HEAD and the index: with the files' own stats, what `git log` and `git status`
    answer (dates.py)."""
    try:
        proc = subprocess.run(["git", "-C", str(root), "rev-parse", "--absolute-git-dir",
                               "HEAD"], capture_output=True, text=True, check=False,
                              timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "no git"
    lines = proc.stdout.split()
    if proc.returncode != 0 or len(lines) != 2:
        return f"no git {proc.returncode}"
    return f"{lines[1]} {_stat(os.path.join(lines[0], 'index'))}"


def inputs_key(root: Path, out: Path, options: dict[str, Any]) -> str | None:
    """Hash of every input but the logos (their list comes from the catalogue); None when
    the stamp is off or the inputs cannot be walked."""
    if os.environ.get(CACHE_ENV, "1") == "0":
        return None
    h = hashlib.sha256(f"coop-export-stamp {VERSION}\0".encode())
    h.update(json.dumps({**options, "root": str(root), "out": str(out),
                         "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "")},
                        sort_keys=True).encode())
    package = Path(coop.__file__).parent
    try:
        for path in _walk(str(package), frozenset(), hidden=True):
            if "__pycache__" not in path:
                h.update(f"\0{path}={_stat(path)}".encode())
        for path in _sources(root, out):
            h.update(f"\0{path}={_stat(path)}".encode())
    except (_Unstampable, OSError):
        return None
    for line in [*_tools(), _git(root)]:
        h.update(f"\0{line}".encode())
    return h.hexdigest()


def logos_of(documents: Iterable[object]) -> list[str]:
    """The logo values named by these documents (conventions, avenants, targets)."""
    found: set[str] = set()
    for doc in documents:
        found.update(logo_values(getattr(doc, "data", None)))
        found.update(logo_values(getattr(doc, "source_data", None)))
    return sorted(found)


def logos_key(root: Path, logos: list[str]) -> str:
    """The logos' stats, taken once the catalogue names them and before the export reads
    them: a logo changed during the export makes the next run look again."""
    h = hashlib.sha256()
    for value in logos:
        h.update(f"{value}={_stat(str(root / value))}\0".encode())
    return h.hexdigest()


def _outputs(paths: Iterable[Path]) -> dict[str, str]:
    return {p.name: _stat(str(p)) for p in paths}


def unchanged(root: Path, out: Path, key: str | None) -> int | None:
    """The number of copies when the stamp of `out` matches `key` (and the logos and the
    outputs are those it recorded), else None."""
    if key is None:
        return None
    try:
        stamp = json.loads((out / STAMP_FILE).read_text(encoding="utf-8"))
        if stamp.get("inputs") != key:
            return None
        if stamp.get("logos_key") != logos_key(root, list(stamp["logos"])):
            return None
        outputs: dict[str, str] = stamp["outputs"]
        if not outputs or _outputs(out / name for name in outputs) != outputs:
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return len(outputs)


def write(out: Path, key: str | None, logos: list[str], logos_digest: str,
          outputs: list[Path]) -> None:
    """Record a run without error; `key` None (stamp off): any older stamp goes."""
    path = out / STAMP_FILE
    if key is None or not outputs:
        path.unlink(missing_ok=True)
        return
    stamp = {"version": VERSION, "inputs": key, "logos": logos, "logos_key": logos_digest,
             "outputs": _outputs(outputs)}
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(json.dumps(stamp, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only output folder: the stamp is only an optimisation
        tmp.unlink(missing_ok=True)
