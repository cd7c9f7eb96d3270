"""The cache of loaded conventions: a hit gives what a fresh load gives; any change of
an input (the file, a logo it names, its path, the code) is a miss; an interrupted or
corrupt entry is a miss, never an error."""

from __future__ import annotations

import ast
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NANTES, ROOT, SAMPLES
from coop import loadcache
from coop.catalog import load_catalog
from coop.loadcache import CACHE_DIR, LoadCache


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding the sample conventions (avenant and logos included)."""
    shutil.copytree(SAMPLES, tmp_path / "conventions")
    return tmp_path


def _nantes(repo: Path) -> Path:
    return repo / "conventions" / NANTES.relative_to(SAMPLES)


def _entries(repo: Path) -> list[Path]:
    return sorted((repo / CACHE_DIR).rglob("*.pickle"))


def _load(repo: Path) -> tuple[object, LoadCache]:
    """load_catalog, and the cache state it used (read back through a spy)."""
    used: list[LoadCache] = []
    original = LoadCache.__init__

    def spy(self: LoadCache, root: Path) -> None:
        original(self, root)
        used.append(self)

    LoadCache.__init__ = spy  # type: ignore[method-assign]
    try:
        catalog = load_catalog(repo)
    finally:
        LoadCache.__init__ = original  # type: ignore[method-assign]
    return catalog, used[0]


def _summary(catalog: object) -> tuple[object, ...]:
    convs = catalog.conventions  # type: ignore[attr-defined]
    return (tuple((c.id, c.source_hash, c.relpath, repr(c.data)) for c in convs),
            tuple(p.format() for p in catalog.problems))  # type: ignore[attr-defined]


def test_a_hit_gives_what_a_fresh_load_gives(repo: Path) -> None:
    first, cold = _load(repo)
    assert cold.hits == 0 and cold.misses >= 7 and _entries(repo)
    second, warm = _load(repo)
    assert warm.misses == 0 and warm.hits == cold.misses
    assert _summary(second) == _summary(first)


def test_each_input_change_is_a_miss(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _load(repo)
    path = _nantes(repo)
    # the file
    path.write_text(path.read_text("utf-8").replace("titre: ", "titre: Nouveau ", 1), "utf-8")
    catalog, cache = _load(repo)
    assert cache.misses == 1
    assert any(c.data["titre"].startswith("Nouveau") for c in catalog.conventions)
    # its path (messages name it)
    moved = path.with_name("renommee.md")
    path.rename(moved)
    _catalog, cache = _load(repo)
    assert cache.misses == 1
    # the code, the schema or a model version
    monkeypatch.setattr(loadcache, "code_salt", lambda: "une autre version du code")
    _catalog, cache = _load(repo)
    assert cache.hits == 0


def test_a_changed_logo_is_a_miss(repo: Path) -> None:
    text = _nantes(repo).read_text("utf-8")
    logo = repo / "conventions" / "logos" / "essai.png"
    logo.parent.mkdir(parents=True, exist_ok=True)
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    _nantes(repo).write_text(text.replace(
        "etablissements:\n  - ", "etablissements:\n  - logo: conventions/logos/essai.png\n    ",
        1), "utf-8")
    first, _cache = _load(repo)
    assert not first.errors, [p.format() for p in first.errors]
    logo.write_bytes(b"pas une image")  # same path, other content
    second, cache = _load(repo)
    assert cache.misses == 1
    assert any("logo" in p.format() for p in second.errors)
    logo.unlink()
    third, cache = _load(repo)
    assert cache.misses == 1 and any("introuvable" in p.format() for p in third.errors)


def test_corrupt_or_interrupted_entries_are_misses(repo: Path) -> None:
    first, _cache = _load(repo)
    entries = _entries(repo)
    entries[0].write_bytes(b"\x80\x05 tronque")  # a write cut short
    entries[1].write_bytes(pickle.dumps(("pas", "une entrée")))  # another shape
    (entries[2].parent / ".abc.tmp").write_bytes(b"moitie")  # a temporary file left behind
    second, cache = _load(repo)
    assert cache.misses == 2 and _summary(second) == _summary(first)
    _third, cache = _load(repo)  # the bad entries were replaced
    assert cache.misses == 0


def test_the_cache_can_be_turned_off_and_survives_a_read_only_folder(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(loadcache.ENV, "0")
    catalog, cache = _load(repo)
    assert not cache.enabled and not _entries(repo) and catalog.conventions
    monkeypatch.delenv(loadcache.ENV)
    (repo / "build").mkdir(exist_ok=True)
    (repo / "build" / ".cache").write_text("un fichier, pas un dossier", "utf-8")
    catalog, cache = _load(repo)  # cannot write: loads all the same
    assert catalog.conventions and not cache.enabled


def test_old_code_versions_are_pruned(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _load(repo)
    before = set(_entries(repo))
    loadcache.code_salt.cache_clear()
    monkeypatch.setattr(loadcache, "code_salt", lambda: "v2")
    _load(repo)
    after = set(_entries(repo))
    assert after and not (before & after)
    assert (repo / CACHE_DIR / "version").read_text("ascii") == "v2"


def test_loading_imports_none_of_the_packages_left_out_of_the_salt() -> None:
    """The salt leaves out `NOT_LOADING`: that is sound only while loading a catalogue
    imports none of them (checked in a fresh interpreter)."""
    code = ("import sys; from pathlib import Path; from coop.catalog import load_catalog; "
            f"load_catalog(Path({str(ROOT)!r})); "
            "print(sorted({m.split('.')[1] for m in sys.modules if m.count('.') >= 1 "
            "and m.startswith('coop.')}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "COOP_CACHE": "0"}).stdout
    loaded = set(ast.literal_eval(out.strip()))
    assert loaded and not loaded & loadcache.NOT_LOADING, loaded & loadcache.NOT_LOADING
