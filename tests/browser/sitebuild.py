"""Build the catalogue site into a temporary directory (shared by the site tests).

The site skeleton (mkdocs.yml, docs/) is copied next to a `conventions/` folder, so a
test can add or change conventions without touching the repo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coop.site.serving import serving

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-11-02"  # the reference day of the test builds (COOP_AUJOURDHUI)


DRAFTS_SETTING = "publier_brouillons: false"


def make_project(dest: Path, extra: dict[str, str] | None = None,
                 with_samples: bool = True, drafts: bool = True) -> Path:
    """A copy of the site skeleton with the sample conventions and `extra` files
    (path relative to the project -> text). `drafts`: the draft samples are published
    (the repository's mkdocs.yml leaves them out)."""
    dest.mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    assert DRAFTS_SETTING in config
    if drafts:
        config = config.replace(DRAFTS_SETTING, "publier_brouillons: true")
    (dest / "mkdocs.yml").write_text(config, "utf-8")
    shutil.copytree(REPO / "docs", dest / "docs")
    if with_samples:
        shutil.copytree(REPO / "conventions", dest / "conventions")
    for rel, text in (extra or {}).items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return dest


def build(project: Path, site: Path | None = None, today: str = TODAY,
          engine: str = "mkdocs") -> subprocess.CompletedProcess[str]:
    """`python -m coop site` in a subprocess (as `make site` does), the computed dates as
    of `today`."""
    site = site or project / "site"
    env = {**os.environ, "NO_COLOR": "1", "COOP_AUJOURDHUI": today}
    return subprocess.run(
        [sys.executable, "-m", "coop", "site", "--racine", str(project), "--sortie", str(site),
         "--moteur", engine],
        cwd=project, env=env, capture_output=True, text=True, timeout=600)


def sample_text(name: str = "lyon/fcil-maintenance-aeronautique.md") -> str:
    return (REPO / "conventions" / name).read_text("utf-8")


def _edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def ended_fcil() -> str:
    """A signed FCIL whose term ended on 30 June 2026 (expired on TODAY, status not
    updated)."""
    return _edit(
        sample_text(),
        ("id: lyon-fcil-maintenance-aeronautique", "id: lyon-fcil-terminee"),
        ("titre: FCIL Maintenance des hélicoptères – lycée Jean-Mermoz",
         "titre: FCIL Maintenance des hélicoptères – promotion 2025-2026"),
        ("    debut: 2026-09-01\n    fin: 2027-06-30",
         "    debut: 2025-09-01\n    fin: 2026-06-30"),
        ("  derniere_reunion: 2026-10-15\n", "  derniere_reunion: 2025-10-15\n"),
        ("  date: 2026-06-15", "  date: 2025-06-16"))


def renewed_coloration() -> str:
    """A signed coloration renewed tacitly (cycle ending 31 August 2027, notice deadline
    28 February 2027), its comité de suivi overdue since 20 June 2025."""
    return _edit(
        sample_text("nantes/coloration-mspc-maintenance-navale.md"),
        ("id: nantes-coloration-mspc-navale", "id: nantes-coloration-reconduite"),
        ("titre: Bac pro MSPC coloré « maintenance navale » – Saint-Nazaire",
         "titre: Bac pro MSPC coloré « réparation navale » – Saint-Nazaire"),
        ("statut: en_signature", "statut: signee"),
        ("    debut: 2027-09-01", "    debut: 2024-09-02"),
        ("  date:\n", "  date: 2024-06-20\n"))


def flat(text: str) -> str:
    """Text as a reader sees it: no-break spaces as spaces, whitespace collapsed."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@dataclass
class Heading:
    """A heading of a page's content, with the text and links under it (up to the next
    heading)."""

    tag: str
    id: str = ""
    excluded: bool = False  # data-pagefind-ignore: the search skips its section
    title: str = ""
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)


INLINE = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong", "sub", "sup", "time"}


class Reader(HTMLParser):
    """A page as a reader meets it: the ids it has, its table of contents (href, title),
    and its content (inside <article>, or the whole fragment) cut at each heading; the
    headings' permalinks (¶) left out."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.toc: list[tuple[str, str]] = []
        self.headings: list[Heading] = [Heading("")]  # [0]: what comes before any heading
        self._content = "<article" not in page
        self._open: Heading | None = None
        self._link: list[str] | None = None  # [href, text, class]
        self._skip = 0
        self.feed(page)
        self.close()
        self.toc = list(dict.fromkeys((h, flat(t)) for h, t in self.toc))
        for h in self.headings:
            h.title, h.text = flat(h.title), flat(h.text)
            h.links = [(href, flat(t)) for href, t in h.links]

    def heading(self, anchor: str) -> Heading:
        return next(h for h in self.headings if h.id == anchor)

    @property
    def text(self) -> str:
        return " ".join(f"{h.title} {h.text}" for h in self.headings)

    @property
    def links(self) -> list[tuple[str, str]]:
        return [link for h in self.headings for link in h.links]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag not in INLINE:
            self.handle_data(" ")  # a block ends a word
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "article":
            self._content = True
        elif tag == "a":
            self._link = [a.get("href") or "", "", a.get("class") or ""]
        elif self._content and tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open = Heading(tag, a.get("id") or "", "data-pagefind-ignore" in a)
            self.headings.append(self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self.handle_data(" ")
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "article":
            self._content = False
        elif tag == "a" and self._link is not None:
            href, text, cls = self._link
            self._link = None
            if "md-nav__link" in cls and href.startswith("#"):
                self.toc.append((href, text))
            elif self._content and "headerlink" not in cls:
                self.headings[-1].links.append((href, text))
        elif self._open is not None and tag == self._open.tag:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._link is not None:
            if "headerlink" in self._link[2]:
                return
            self._link[1] += data
        if not self._content:
            return
        if self._open is not None:
            self._open.title += data
        else:
            self.headings[-1].text += data


# --- a built site served on localhost, and headless Chromium --------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@contextmanager
def served(project: Path, today: str = TODAY) -> Iterator[str]:
    """Build `project`, serve its site on a free localhost port, yield the base URL."""
    result = build(project, today=today)
    assert result.returncode == 0, result.stdout + result.stderr
    with serving(project / "site") as url:
        yield url


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's headless Chromium through Playwright (skipped when absent, outside CI)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium est introuvable : lancez « make browser »")
        pytest.skip("Chromium absent (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()
