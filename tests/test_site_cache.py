"""The cache of generated pages and the unchanged-site stamp (`coop.site.pagecache`,
`coop.site.engine.Stamp`): a rebuild gives what a fresh build gives, faster."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from browser.sitebuild import build, ended_fcil, make_project, sample_text

from coop.site import engine, generate, pagecache, publisher
from coop.site.pagecache import PageCache
from coop.site.renderer import Renderer
from coop.site.state import load

LYON = "conventions/lyon/fcil-maintenance-aeronautique.md"


def _outputs(root: Path, today: date, cache: PageCache | None) -> dict[str, object]:
    editeur, _ = publisher.read(engine.read_config(root), strict=False)
    st = load(root, today, drafts=True)
    return {o.path: o.text if o.text is not None else o.data if o.data is not None
            else o.source
            for o in generate.outputs(st, Renderer(), root / "docs", publisher=editeur,
                                      cache=cache)}


def test_a_warm_cache_gives_what_a_fresh_generation_gives(tmp_path: Path) -> None:
    """Whatever changed between two builds (the day, a convention, an exported copy), the
    pages served from the cache are the pages generated without it."""
    root = make_project(tmp_path / "p")
    cache = PageCache(root, "sel")
    first = _outputs(root, date(2026, 11, 2), cache)
    assert cache.misses and not cache.hits
    assert _outputs(root, date(2026, 11, 2), cache) == first
    misses = cache.misses  # (conventions now read from the load cache may pickle apart)
    assert _outputs(root, date(2026, 11, 2), cache) == first
    assert cache.misses == misses  # then every page is a hit

    lyon = root / LYON
    lyon.write_text(lyon.read_text("utf-8").replace("hélicoptères", "aéronefs", 1), "utf-8")
    (root / "conventions/lyon/fcil-terminee.md").write_text(ended_fcil(), "utf-8")
    exports = root / "build" / "exports"
    exports.mkdir(parents=True)
    conv_id = next(line.split(":", 1)[1].strip() for line in sample_text().splitlines()
                   if line.startswith("id:"))
    (exports / f"{conv_id}.pdf").write_bytes(b"%PDF-1.7 " + b"x" * 5000)
    for day in (date(2026, 11, 2), date(2031, 1, 15)):  # statuses and deadlines move on
        hits = cache.hits
        warm = _outputs(root, day, cache)
        assert cache.hits > hits
        assert warm == _outputs(root, day, None), day
    lyon_page = str(warm[f"conventions/{conv_id}.md"])
    assert "aéronefs" in lyon_page and "PDF, 5\u00a0Ko" in lyon_page


def test_entries_corrupt_unpicklable_pruned_and_switched_off(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = PageCache(tmp_path, "sel")
    assert cache.text("k", ("a", 1), lambda: "un") == "un"
    assert cache.text("k", ("a", 1), lambda: "autre") == "un"  # a hit
    assert cache.text("k", ("a", 2), lambda: "deux") == "deux"  # another input: a miss
    assert PageCache(tmp_path, "autre sel").text("k", ("a", 1), lambda: "neuf") == "neuf"
    entries = [p for p in (tmp_path / pagecache.CACHE_DIR).rglob("*") if p.is_file()]
    assert len(entries) == 3
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:5])  # truncated: a miss, then rewritten
    (entries[0].parent / ".x.tmp").write_bytes(b"interrupted write")
    fresh = PageCache(tmp_path, "sel")
    assert fresh.text("k", ("a", 1), lambda: "refait") == "refait"
    assert fresh.text("k", ("a", 1), lambda: "jamais") == "refait"
    assert fresh.text("k", (lambda: 0,), lambda: "sans clé") == "sans clé"  # not a value
    fresh.prune()  # only the entry this run used is left
    left = [p for p in (tmp_path / pagecache.CACHE_DIR).rglob("*") if p.is_file()]
    assert len(left) == 1
    monkeypatch.setenv("COOP_CACHE", "0")
    assert PageCache(tmp_path, "sel").text("k", ("a", 1), lambda: "sans cache") == "sans cache"


def _index(site: Path) -> tuple[int, int]:
    st = (site / "index.html").stat()
    return st.st_ino, st.st_mtime_ns


def test_an_unchanged_site_is_kept_and_any_change_rebuilds_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    site = tmp_path / "site"
    done = build(root, site)
    assert done.returncode == 0, done.stderr
    first = _index(site)

    done = build(root, site)
    assert done.returncode == 0 and "site inchangé" in done.stdout, done.stdout
    assert _index(site) == first  # not even rewritten

    changes = [
        lambda: (root / LYON).write_text(
            (root / LYON).read_text("utf-8").replace("hélicoptères", "aéronefs", 1), "utf-8"),
        lambda: (root / "mkdocs.yml").write_text(
            (root / "mkdocs.yml").read_text("utf-8").replace("site_name: ", "site_name: Le ", 1),
            "utf-8"),
        lambda: (root / "docs" / "index.md").write_text(
            (root / "docs" / "index.md").read_text("utf-8") + "\nUne ligne de plus.\n", "utf-8"),
        lambda: (site / "index.html").unlink(),
    ]
    for change in changes:
        change()
        done = build(root, site)
        assert done.returncode == 0 and "site construit" in done.stdout, done.stdout
        assert (site / "index.html").is_file()
    assert "Une ligne de plus" in (site / "index.html").read_text("utf-8")
    assert "aéronefs" in "".join(p.read_text("utf-8")
                                 for p in (site / "conventions").rglob("index.html"))

    done = build(root, site, today="2027-02-01")  # the footer's date, the statuses
    assert "site construit" in done.stdout
    done = build(root, site, today="2027-02-01")
    assert "site inchangé" in done.stdout


def test_sources_are_copied_without_touching_them(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A signed copy sits in the sources: it is copied, not linked (a hard link changes
    its ctime, which the export's stamp reads); an exported copy is linked."""
    signed, exported = tmp_path / "signee.pdf", tmp_path / "export.pdf"
    signed.write_bytes(b"%PDF signed")
    exported.write_bytes(b"%PDF export")
    monkeypatch.setattr(generate.dl, "signed_files", lambda root, doc: [("s.pdf", signed)])
    before = signed.stat().st_ctime_ns
    written = generate.write(iter([*generate._signed_outputs(tmp_path, object()),
                                   generate.Output("e.pdf", source=exported)]),
                             tmp_path / "out")
    assert written.count == 2
    assert (tmp_path / "out" / "s.pdf").read_bytes() == b"%PDF signed"
    assert signed.stat().st_ctime_ns == before and signed.stat().st_nlink == 1
    assert (tmp_path / "out" / "e.pdf").stat().st_ino == exported.stat().st_ino
