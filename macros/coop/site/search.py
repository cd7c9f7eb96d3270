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
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUNDLE = "pagefind"  # the index folder, inside the site
LANGUAGE = "fr"
TIMEOUT = 900.0  # seconds; a 10 000-convention site indexes in well under a minute
EXCLUDED = (".headerlink",)  # the theme's ¶ after each heading


class SearchIndexError(Exception):
    """The search index could not be built (message in French)."""


@dataclass(frozen=True)
class IndexStats:
    """What one indexing run produced."""

    pages: int  # pages in the index
    bytes: int  # size of the index folder (index, fragments, scripts)
    seconds: float
    peak_rss: int | None  # peak memory of the Pagefind process, in bytes (None: unknown)


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


def command(site_dir: Path, language: str = LANGUAGE) -> list[str]:
    excluded = [arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector)]
    return [str(executable()), "--site", str(site_dir), "--output-subdir", BUNDLE,
            "--force-language", language, *excluded, "--quiet"]


def index(site_dir: Path, *, timeout: float = TIMEOUT, language: str = LANGUAGE) -> IndexStats:
    """Index the built site `site_dir` into `site_dir/pagefind/` (replaced if present).
    Raises SearchIndexError, in French, when the folder is not a built site, when
    Pagefind fails or when it runs longer than `timeout` seconds."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise SearchIndexError(
            f"index de recherche : le dossier du site « {site_dir} » n'existe pas "
            "(construisez le site avant de l'indexer)")
    if not any(site_dir.rglob("*.html")):
        raise SearchIndexError(
            f"index de recherche : le dossier « {site_dir} » ne contient aucune page HTML")
    bundle = site_dir / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)  # no stale fragment of an earlier run
    start = time.monotonic()
    code, output, peak = _run(command(site_dir, language), timeout)
    seconds = time.monotonic() - start
    if code is None:
        raise SearchIndexError(
            f"index de recherche : Pagefind n'a pas fini d'indexer « {site_dir} » en "
            f"{timeout:.0f} s ; il a été arrêté")
    if code != 0:
        raise SearchIndexError(
            f"index de recherche : Pagefind a échoué sur « {site_dir} » (code {code})"
            + (f" :\n{_tail(output)}" if output.strip() else ""))
    return IndexStats(_pages(bundle), _size(bundle), seconds, peak)


def indexed_pages(site_dir: Path) -> dict[str, dict[str, Any]]:
    """What the index holds for each page, by URL (« /conventions/x/ »): its text
    (`content`), `meta` (title, genre) and `anchors` (the headings a result can point
    to), read back from Pagefind's fragments, for checks and tests."""
    pages = {}
    for path in (Path(site_dir) / BUNDLE / "fragment").glob("*.pf_fragment"):
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
