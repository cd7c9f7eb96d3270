"""Cache of loaded conventions, shared by `check`, `export` and `site`.

Loading a convention (parsing, shape limits, schema, business rules, typing) costs about
10 ms; a catalogue of thousands is re-read by every command. The result of
`catalog.load_convention` for one file — the convention or None, and its problems — is
kept under `build/.cache/chargement/`, keyed by the SHA-256 of:

- the file's bytes and its path relative to the root (messages name it), and the root;
- the core's code, the JSON schema and every model version (`code_salt`): any change of
  a rule or of a model makes every entry stale;

and checked on use against the one input outside the file, the logos it names (path,
size, modification time). Cross-file facts (duplicate ids, avenants, skipped files) are
never cached: `load_catalog` computes them on every run from the cached conventions.

Entries are written atomically (temporary file, then rename); an unreadable or corrupt
entry is a miss and is replaced. Entries are pickles: whoever can write `build/` can
already run code in this repository, so they are trusted like the code itself.
`COOP_CACHE=0` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import coop

from .convention import Convention
from .errors import Problem

CACHE_DIR = "build/.cache/chargement"
ENV = "COOP_CACHE"
CODE_SUFFIXES = frozenset({".py", ".json", ".yml", ".yaml", ".j2", ".md", ".lua", ".typ"})
VERSION = b"1"  # of the entry format

Result = tuple[Convention | None, list[Problem]]
LogoStamp = tuple[str, str, int, int]  # (value, resolved path, size, mtime_ns)


# Subpackages that loading a convention never imports (tests/test_loadcache.py checks it):
# editing them leaves the loaded conventions as they were.
NOT_LOADING = frozenset({"site", "export", "cli", "signed", "authoring"})


def package_digest(h: Any, left_out: frozenset[str] = frozenset(),
                   suffixes: frozenset[str] | None = CODE_SUFFIXES) -> Any:
    """Feed the hash `h` with the path and bytes of every file of the `coop` package whose
    suffix is in `suffixes` (None: every file but bytecode) outside the top folders
    `left_out`; returns `h`. The caches' code salts (here, the export's, the site's)."""
    package = Path(coop.__file__).parent
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package)
        if (path.is_file() and rel.parts[0] not in left_out and "__pycache__" not in rel.parts
                and (suffixes is None or path.suffix in suffixes)):
            h.update(rel.as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h


@cache
def code_salt() -> str:
    """Hash of the core package's code, schema and model versions (`NOT_LOADING` left
    out)."""
    return package_digest(hashlib.sha256(VERSION), NOT_LOADING).hexdigest()


def logo_values(data: Any) -> list[str]:
    """Every string under a `logo` key, at any depth of a front-matter (whatever its
    shape: an avenant's changes may name one too), sorted, each once."""
    found: set[str] = set()
    todo = [data]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "logo" and isinstance(value, str):
                    found.add(value)
                else:
                    todo.append(value)
        elif isinstance(node, list):
            todo.extend(node)
    return sorted(found)


def logo_stamps(values: list[str], root: Path) -> list[LogoStamp]:
    stamps = []
    for value in values:
        try:
            real = (root / value).resolve(strict=True)
            st = real.stat()
            stamps.append((value, str(real), st.st_size, st.st_mtime_ns))
        except (OSError, RuntimeError, ValueError):
            stamps.append((value, "", -1, -1))
    return stamps


class LoadCache:
    """The cache of one root. `enabled` is False when COOP_CACHE=0."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / CACHE_DIR
        self.enabled = os.environ.get(ENV, "1") != "0"
        self.hits = self.misses = 0
        self._pruned = False

    def _prune(self) -> None:
        """Once per run, before the first write: entries of another code version can
        never be hit again, so they go (the folder names the version it holds)."""
        self._pruned = True
        marker = self.dir / "version"
        try:
            if marker.read_text("ascii") == code_salt():
                return
        except OSError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        marker.write_text(code_salt(), "ascii")

    def key(self, relpath: str, raw: bytes) -> str:
        h = hashlib.sha256(code_salt().encode())
        h.update(str(self.root.resolve()).encode() + b"\0" + relpath.encode() + b"\0")
        h.update(raw)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Result | None:
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            with path.open("rb") as fh:
                stamps, result = pickle.load(fh)
            if stamps != logo_stamps([s[0] for s in stamps], self.root):
                raise LookupError("a logo changed")
            conv, problems = result
            if not isinstance(problems, list) or not (conv is None
                                                      or isinstance(conv, Convention)):
                raise LookupError("not an entry")
        except (FileNotFoundError, NotADirectoryError):
            self.misses += 1
            return None
        except Exception:  # corrupt, truncated, of another version, stale logo: a miss
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        return conv, problems

    def put(self, key: str, result: Result, logos: list[str]) -> None:
        if not self.enabled:
            return
        path = self._path(key)
        try:
            if not self._pruned:
                self._prune()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        except OSError:  # a read-only checkout: the cache is only an optimisation
            self.enabled = False
            return
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((logo_stamps(logos, self.root), result), fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            Path(tmp).unlink(missing_ok=True)
