"""What `coop serve` watches: a cheap fingerprint of the sources of the site (conventions
and their logos, hand-written pages, settings, template overrides), compared every few
seconds; a change rebuilds the site (which is swapped in whole, so the server never
serves half of one)."""

from __future__ import annotations

import os
from pathlib import Path

WATCHED = ("conventions", "docs", "overrides", "mkdocs.yml")

Fingerprint = frozenset[tuple[str, int, int]]


def fingerprint(root: Path, extra: tuple[Path, ...] = ()) -> Fingerprint:
    """(path, size, mtime) of every file watched under `root` (hidden entries skipped)."""
    found: set[tuple[str, int, int]] = set()
    for top in (*(root / name for name in WATCHED), *extra):
        if top.is_file():
            st = top.stat()
            found.add((str(top), st.st_size, st.st_mtime_ns))
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                found.add((path, st.st_size, st.st_mtime_ns))
    return frozenset(found)
