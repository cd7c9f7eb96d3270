"""The site's search index, built by Pagefind over the finished HTML (any site engine).

Why Pagefind and not the theme's search: Material's index is one JSON file fetched by
every page (4 MB at 500 conventions, about 90 MB at 10 000) and it is accent-sensitive.
Pagefind (PyPI `pagefind[bin]`, its binary shipped in the wheel, nothing fetched at run
time) writes a chunked index under `pagefind/`: a query downloads only the chunks of
its words and the fragments of the results it shows. `--force-language fr`: one French
stemmer for every page (« préavis » / « preavis », « conventions » / « convention »);
Pagefind folds accents and case at index and query time.

What is indexed, and how it ranks (the marks are in `templates/`):
- Only the generated pages carry `data-pagefind-body`: conventions and avenants (weight
  1), consolidated texts and model versions (`data-pagefind-weight="0.5"`: a
  consolidated text mostly repeats its convention, a model page holds the words every
  convention shares). Once one page carries that mark Pagefind indexes no other page,
  so the hand-written pages (Accueil, Catalogue, Contribuer, Référence des champs) and
  the lists of `parcourir/` stay out of the results: they are for contributors or are
  lists of links, and the menu reaches them. Leaving them out rather than weighting
  them low keeps developer words (« pytest », « YAML ») from ever answering a query.
- On a convention page, the text of the model's unchanged articles and the part
  headings carry `data-pagefind-ignore`: they repeat, word for word, on every page and
  tell no convention from another, and they are most of each page (they are what made
  Pagefind need 1.84 GB for 3000 pages). What differs is indexed: the card (parties,
  territory, diploma, sector, dates), the parties, the préambule, the articles the
  convention completes, adds or replaces, its avenants and departures.
- The result's title is the card's title (`data-pagefind-meta="title"`), its kind in
  the `genre` meta (Convention, Avenant, Texte consolidé, Modèle de convention).
- The headings' permalinks (¶) are left out, so excerpts read like the page.

Bundles (« lots »), so that memory does not grow with the catalogue: Pagefind holds the
whole index of a run in memory (about 0.32 MB per indexed page: 528 MB for the 1631
pages of 2000 synthetic conventions in one run, 185 MB per run in bundles of 544 pages;
some 2.6 GB for the ≈ 8250 pages of 10 000 conventions in one run). The indexable
pages (those with the body mark, or every page when none has it) are therefore indexed
in bundles of at most `PAGES_PER_BUNDLE` pages, one Pagefind run after the other, so the
peak is that of one bundle (914 MB for bundles of 2751 pages at N = 10 000). Each bundle
costs a query its own metadata and index chunk (≈ 17 + 30 KB gzipped at N = 10 000):
bundles of 2500 pages (4 at N = 10 000) made a first query 307–313 KB, bundles of 3000
(3) make it 271–280 KB, under the 300 KB target. The environment
variable `COOP_RECHERCHE_LOT` (a whole number of pages) overrides that size, for tests
and for deployers with less or more memory. The pages, sorted by path, are dealt in
turn to the bundles (page i to bundle i mod k): the bundles get the same mix of
conventions, avenants, consolidated texts and models, so their word statistics agree
and their scores compare. Each run reads a staging folder of hard links that mirrors the
site's paths (Pagefind computes a page's URL from its path under `--site`). The first
bundle is written to `pagefind/`, as with a single run; bundle k ≥ 2 to
`pagefind/lot-k/`; `pagefind/lots.json` lists them (`{"lots": ["", "lot-2/", …]}`,
relative to `pagefind/`). The search page loads the first bundle's library and merges
the others (`mergeIndex`), so one query searches every bundle: it downloads the chunks
of its words from each bundle (more bundles, a few more bytes per query) and the
WebAssembly once. A small site is one bundle, indexed in place as before.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUNDLE = "pagefind"  # the index folder, inside the site (the first bundle's)
MANIFEST = "lots.json"  # inside BUNDLE: the bundles, relative to BUNDLE
PAGES_PER_BUNDLE = 3000  # about 1 GB of Pagefind memory per run at most
BUNDLE_SIZE_ENV = "COOP_RECHERCHE_LOT"
BODY_MARK = re.compile(rb"<[^<>]*\sdata-pagefind-body[\s=/>]")  # the attribute, in a tag
LANGUAGE = "fr"
TIMEOUT = 900.0  # seconds; a 10 000-convention site indexes in well under a minute
EXCLUDED = (".headerlink",)  # the theme's ¶ after each heading


class SearchIndexError(Exception):
    """The search index could not be built (message in French)."""


@dataclass(frozen=True)
class IndexStats:
    """What indexing produced: the whole index, and each bundle's run in `bundles` (for
    the whole: pages and bytes summed, seconds in all, the highest peak of the runs)."""

    pages: int  # pages in the index
    bytes: int  # size of the index folder (index, fragments, scripts)
    seconds: float
    peak_rss: int | None  # peak memory of the Pagefind process, in bytes (None: unknown)
    bundles: tuple[IndexStats, ...] = ()  # one per Pagefind run, in order


def executable() -> Path:
    """The Pagefind binary of the installed `pagefind_bin` wheel."""
    try:
        import pagefind_bin
    except ImportError:
        raise SearchIndexError(
            "index de recherche : Pagefind n'est pas installé "
            "(pip install -r requirements.txt)") from None
    try:
        return pagefind_bin.get_executable()
    except FileNotFoundError:
        raise SearchIndexError(
            "index de recherche : le paquet pagefind_bin ne contient pas de binaire "
            "Pagefind pour cette machine") from None


def command(site_dir: Path, language: str = LANGUAGE, output: Path | None = None) -> list[str]:
    """Pagefind over `site_dir`, its bundle in `output` (default: `site_dir/pagefind/`)."""
    excluded = [arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)]
    where = (["--output-path", str(Path(output).absolute())] if output is not None
             else ["--output-subdir", BUNDLE])
    return [str(executable()), "--site", str(site_dir), *where,
            "--force-language", language, *excluded, "--quiet"]


def pages_per_bundle() -> int:
    """The bundle size: `COOP_RECHERCHE_LOT` when set, else PAGES_PER_BUNDLE."""
    raw = os.environ.get(BUNDLE_SIZE_ENV, "").strip()
    if not raw:
        return PAGES_PER_BUNDLE
    if not raw.isdigit() or int(raw) < 1:
        raise SearchIndexError(
            f"index de recherche : {BUNDLE_SIZE_ENV} doit être un nombre entier de pages "
            f"(au moins 1), pas « {raw} »")
    return int(raw)


def indexable(site_dir: Path) -> list[str]:
    """The HTML pages Pagefind indexes, as sorted paths relative to `site_dir`: those
    carrying `data-pagefind-body` when one page does (Pagefind then skips the others),
    else every page."""
    site_dir = Path(site_dir)
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")
                   if p.is_file() and BUNDLE not in p.relative_to(site_dir).parts[:1])
    marked = [rel for rel in pages if BODY_MARK.search((site_dir / rel).read_bytes())]
    return marked or pages


def partition(pages: list[str], size: int) -> list[list[str]]:
    """`pages` in as few bundles of at most `size` pages as can hold them, dealt in
    turn (page i to bundle i mod k): balanced, within one page, and alike."""
    count = max(1, math.ceil(len(pages) / size))
    return [pages[k::count] for k in range(count)]


def bundle_dirs(site_dir: Path) -> list[Path]:
    """The index's bundles, from its manifest (the first one alone when there is none)."""
    root = Path(site_dir) / BUNDLE
    try:
        names = json.loads((root / MANIFEST).read_text("utf-8"))["lots"]
    except (OSError, ValueError, KeyError, TypeError):
        return [root]
    return [root / name for name in names]


def index(site_dir: Path, *, timeout: float = TIMEOUT, language: str = LANGUAGE,
          per_bundle: int | None = None) -> IndexStats:
    """Index the built site `site_dir` into `site_dir/pagefind/` (replaced if present),
    in bundles of at most `per_bundle` pages (default: `pages_per_bundle()`).
    Raises SearchIndexError, in French, when the folder is not a built site, when
    Pagefind fails or when it runs, in all, longer than `timeout` seconds."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise SearchIndexError(
            f"index de recherche : le dossier du site « {site_dir} » n'existe pas "
            "(construisez le site avant de l'indexer)")
    size = per_bundle or pages_per_bundle()
    root = site_dir / BUNDLE
    shutil.rmtree(root, ignore_errors=True)  # no stale fragment of an earlier run
    pages = indexable(site_dir)
    if not pages:
        raise SearchIndexError(
            f"index de recherche : le dossier « {site_dir} » ne contient aucune page HTML")
    groups = partition(pages, size)
    names = [""] + [f"lot-{k}/" for k in range(2, len(groups) + 1)]
    start = time.monotonic()
    runs = []
    try:
        for number, (name, group) in enumerate(zip(names, groups, strict=True), 1):
            where = "" if len(groups) == 1 else f"lot {number} sur {len(groups)}, "
            left = timeout - (time.monotonic() - start)
            if len(groups) == 1:  # the whole site at once, in place
                runs.append(_index_run(site_dir, command(site_dir, language), left,
                                       timeout, where, root))
                continue
            staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.recherche-",
                                            dir=site_dir.parent))
            try:
                for rel in group:
                    _link_or_copy(site_dir / rel, staging / rel)
                runs.append(_index_run(site_dir, command(staging, language, root / name),
                                       left, timeout, where, root / name))
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)  # no half index
        raise
    (root / MANIFEST).write_text(json.dumps({"lots": names}) + "\n", "utf-8")
    peaks = [r.peak_rss for r in runs if r.peak_rss is not None]
    return IndexStats(sum(r.pages for r in runs), _size(root), time.monotonic() - start,
                      max(peaks) if peaks else None, tuple(runs))


def _index_run(site_dir: Path, cmd: list[str], left: float, timeout: float, where: str,
               out: Path) -> IndexStats:
    """One Pagefind run writing the bundle `out`; its stats (bytes: that bundle's own)."""
    start = time.monotonic()
    code, output, peak = _run(cmd, left) if left > 0 else (None, "", None)
    seconds = time.monotonic() - start
    if code is None:
        raise SearchIndexError(
            f"index de recherche : Pagefind n'a pas fini d'indexer « {site_dir} » en "
            f"{timeout:.0f} s ; il a été arrêté")
    if code != 0:
        raise SearchIndexError(
            f"index de recherche : Pagefind a échoué sur « {site_dir} » ({where}code {code})"
            + (f" :\n{_tail(output)}" if output.strip() else ""))
    own = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()
              and not p.relative_to(out).parts[0].startswith("lot-"))
    return IndexStats(_pages(out), own, seconds, peak)


def _link_or_copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError:  # another file system, or no hard links: a copy reads the same
        shutil.copyfile(src, dest)


def indexed_pages(site_dir: Path, bundle: int | None = None) -> dict[str, dict[str, Any]]:
    """What the index holds for each page, by URL (« /conventions/x/ »): its text
    (`content`), `meta` (title, genre) and `anchors` (the headings a result can point
    to), read back from Pagefind's fragments, for checks and tests; every bundle's pages,
    or those of bundle number `bundle` (1 = the first)."""
    dirs = bundle_dirs(site_dir)
    pages = {}
    for folder in dirs if bundle is None else [dirs[bundle - 1]]:
        for path in (folder / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(path.read_bytes())  # « pagefind_dcd » then the JSON record
            record = json.loads(data[data.index(b"{"):])
            pages[record["url"]] = record
    return pages


def _run(cmd: list[str], timeout: float) -> tuple[int | None, str, int | None]:
    """(exit code or None when killed at `timeout`, output, peak RSS in bytes)."""
    with tempfile.TemporaryFile() as out:  # a file, not a pipe: no deadlock on long logs
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        child = _Child(proc)
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        try:
            code, peak = child.wait()
        finally:
            timer.cancel()
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return (None if child.killed else code), text, peak


class _Child:
    """A child process killed at most once, and only while its pid is still its own."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.killed = False
        self._ended = False
        self._lock = threading.Lock()

    def kill(self) -> None:
        with self._lock:
            if not self._ended:
                self.killed = True
                self.proc.kill()

    def wait(self) -> tuple[int, int | None]:
        """(exit code, peak RSS in bytes or None). os.wait4 gives the peak memory of
        this child alone (Unix); Popen.wait would not."""
        if not hasattr(os, "wait4") or not hasattr(os, "waitid"):
            code = self.proc.wait()
            with self._lock:
                self._ended = True
            return code, None
        # Wait without reaping: the pid stays this child's until `kill` can no longer run.
        os.waitid(os.P_PID, self.proc.pid, os.WEXITED | os.WNOWAIT)
        with self._lock:
            self._ended = True
        _, status, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
        return self.proc.returncode, usage.ru_maxrss * scale


def _pages(bundle: Path) -> int:
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        raise SearchIndexError(
            f"index de recherche : Pagefind n'a pas écrit « {bundle / 'pagefind-entry.json'} »"
        ) from None
    return sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _tail(text: str, lines: int = 8) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
