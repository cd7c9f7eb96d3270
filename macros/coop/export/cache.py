"""Skip exports whose inputs did not change.

The key of one output hashes every input: the convention's expanded text and metadata
(source hash, which covers the model version), its logo bytes, the code of the core and of
the exporter (Lua filters, typst template, reference document generator included) and the
versions of pandoc, typst, pyHanko and python-docx.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from importlib.metadata import version
from pathlib import Path

from coop.loadcache import package_digest

from .pandoc import pandoc_version

CACHE_FILE = ".export-cache.json"
_NOT_RENDERING = frozenset({"site", "cli"})  # the site and the command line: no copy's bytes


@cache
def code_digest() -> str:
    """Hash of the exporter and of the core package (templates and models included), the
    site and the command line left out: editing them does not make every copy again."""
    h = package_digest(hashlib.sha256(), _NOT_RENDERING)
    for dist in ("typst", "pyHanko", "python-docx"):
        h.update(f"{dist}={version(dist)}\0".encode())
    h.update(f"pandoc={pandoc_version()}".encode())
    return h.hexdigest()


def output_key(job_digest: str, fmt: str) -> str:
    return hashlib.sha256(f"{job_digest}\0{fmt}\0{code_digest()}".encode()).hexdigest()


class ExportCache:
    def __init__(self, out: Path) -> None:
        self.path = out / CACHE_FILE
        try:
            self.entries: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.sources: dict[str, str | None] = {}  # document id -> source_key

    def fresh(self, output: Path, key: str) -> bool:
        return self.entries.get(output.name) == key and output.is_file()

    def same_source(self, output: Path, source: str | None) -> bool:
        """The output was made from these very sources (no need to expand them again)."""
        return (source is not None and self.entries.get(f"{output.name}#source") == source
                and output.name in self.entries and output.is_file())

    def record(self, output: Path, key: str, source: str | None = None) -> None:
        self.entries[output.name] = key
        source = source or self.sources.get(output.stem)
        if source is not None:
            self.entries[f"{output.name}#source"] = source
        else:
            self.entries.pop(f"{output.name}#source", None)

    def save(self) -> None:
        tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(self.entries, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)


def source_key(doc: object, root: Path) -> str | None:
    """Hash of what an export of `doc` is made from, before expansion: the file (with its
    model), its logos and the code. None for an avenant (its text depends on its parent
    and earlier avenants: it is always expanded)."""
    data = getattr(doc, "data", {})
    if getattr(doc, "type", "") == "avenant" or not isinstance(data, dict):
        return None
    h = hashlib.sha256(f"{doc.source_hash}\0{code_digest()}".encode())  # type: ignore[attr-defined]
    for party in [*data.get("etablissements", []), *data.get("partenaires", [])]:
        if logo := party.get("logo"):
            path = root / logo
            h.update(logo.encode() + b"\0")
            h.update(path.read_bytes() if path.is_file() else b"absent")
    return h.hexdigest()
