"""The catalogue without JavaScript (`coop.site.browse`, pages `parcourir/`): every
convention reachable from the catalogue page by plain links, lists paged, sitemap and
canonical links filled when `site_url` is set."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from browser.sitebuild import build, make_project, sample_text

from benchgen import generate
from coop.catalog import load_catalog
from coop.site import browse, search

SITE_URL = "https://exemple.gouv.fr/catalogue/"
SYNTHETIC = 210  # with the 7 samples: 3 alphabetical pages, 2 pages per type
BASE = "http://site.test/"  # stands for the site's root while following links


class Links(HTMLParser):
    """The href of every <a> of a page (theme included), and its canonical link."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.canonical = ""
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = str(a.get("href") or "")


def crawl(site: Path, start: str, follow: Callable[[str], bool] = lambda _p: True
          ) -> dict[str, str]:
    """Breadth-first over the links inside the site from page `start` (a site path such
    as "catalogue/"), no JavaScript, reading the links of the pages `follow` accepts:
    {site path of each page reached: the page linking to it first}."""
    seen = {start: ""}
    queue = deque([start])
    while queue:
        path = queue.popleft()
        file = site / path / "index.html" if path.endswith("/") or not path else site / path
        if not follow(path) or not file.is_file() or file.suffix != ".html":
            continue
        for href in Links(file.read_text("utf-8")).hrefs:
            url = urldefrag(urljoin(BASE + path, href)).url
            if not url.startswith(BASE):
                continue
            target = urlsplit(url).path.removeprefix("/")
            if target not in seen:
                seen[target] = path
                queue.append(target)
    return seen


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Samples + synthetic conventions, built with `site_url` set: (site, every id)."""
    project = make_project(tmp_path_factory.mktemp("parcourir") / "projet")
    generate(project, SYNTHETIC)
    ids = [c.id for c in load_catalog(project).conventions]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COOP_SITE_URL", SITE_URL)
        result = build(project, today="2026-03-01")  # benchgen's reference day
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site", ids


def test_every_convention_reachable_from_the_catalogue_by_links(
        big: tuple[Path, list[str]]) -> None:
    site, ids = big
    reached = crawl(site, "catalogue/")
    missing = [i for i in ids if f"conventions/{i}/" not in reached]
    assert not missing, f"{len(missing)} conventions sans lien : {missing[:5]}"
    # and through the lists alone (not the Échéances page, which lists signed ones)
    lists = crawl(site, "catalogue/", lambda p: p == "catalogue/" or p.startswith("parcourir/"))
    missing = [i for i in ids if f"conventions/{i}/" not in lists]
    assert not missing, f"{len(missing)} conventions hors des listes : {missing[:5]}"


def test_lists_are_paged_and_small(big: tuple[Path, list[str]]) -> None:
    site, ids = big
    n = len(ids)
    alpha = site / "parcourir" / "alphabetique"
    count = -(-n // browse.PAGE_SIZE)
    assert count == 3
    seen: list[str] = []
    for k in range(1, count + 1):
        page = alpha / ("index.html" if k == 1 else f"page-{k}/index.html")
        text = page.read_text("utf-8")
        items = re.findall(r'<li><a href="\.\./(?:\.\./)*conventions/([^/"]+)/">', text)
        assert len(items) == (browse.PAGE_SIZE if k < count else n - browse.PAGE_SIZE * (k - 1))
        seen += items
        assert f"page {k} sur {count}" in text
        assert ('rel="prev"' in text) == (k > 1) and ('rel="next"' in text) == (k < count)
        assert 'aria-current="page"' in text
        assert len(text.encode()) < 120_000  # one page of 100, whatever the catalogue
    assert sorted(seen) == sorted(ids)  # each convention once, in one of the pages
    assert not (alpha / f"page-{count + 1}").exists()
    types = sorted((site / "parcourir" / "type").iterdir())
    assert [t.name for t in types] == ["coloration", "fcil"]
    assert any((t / "page-2" / "index.html").is_file() for t in types)  # a type > 100
    hub = (site / "parcourir" / "index.html").read_text("utf-8")
    for part in ("Par académie", "Par type", "Par statut", "Par ordre alphabétique",
                 f"Les {n}&nbsp;conventions", "Brouillon", "Expirée"):
        assert part in hub
    assert "Page 3" in hub


def test_sitemap_and_canonical_links_with_site_url(big: tuple[Path, list[str]]) -> None:
    site, ids = big
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in ET.parse(site / "sitemap.xml").findall("s:url/s:loc", ns)}
    assert {f"{SITE_URL}conventions/{i}/" for i in ids} <= locs
    assert {f"{SITE_URL}catalogue/", f"{SITE_URL}parcourir/",
            f"{SITE_URL}parcourir/alphabetique/page-2/"} <= locs
    page = (site / "conventions" / ids[0] / "index.html").read_text("utf-8")
    assert Links(page).canonical == f"{SITE_URL}conventions/{ids[0]}/"
    listed = (site / "parcourir" / "alphabetique" / "page-3" / "index.html").read_text("utf-8")
    assert Links(listed).canonical == f"{SITE_URL}parcourir/alphabetique/page-3/"


def test_list_pages_are_out_of_the_nav_and_of_the_search(big: tuple[Path, list[str]]) -> None:
    site, _ids = big
    pages = search.indexed_pages(site)
    assert pages and not any("/parcourir/" in url for url in pages)
    home = (site / "index.html").read_text("utf-8")
    assert "parcourir/" not in home


# --- units ---------------------------------------------------------------------------

def _rec(i: int, titre: str, academie: str = "Lyon", type_: str = "fcil",
         statut: str = "signee") -> dict[str, object]:
    return {"id": f"c{i}", "titre": titre, "type": type_, "academie": academie,
            "statut_effectif": statut, "formation": "", "url": f"conventions/c{i}/"}


def test_window_is_bounded() -> None:
    assert browse.window(1, 1) == [1]
    assert browse.window(2, 3) == [1, 2, 3]
    assert browse.window(1, 100) == [1, 2, 3, None, 100]
    assert browse.window(50, 100) == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert browse.window(4, 100) == [1, 2, 3, 4, 5, 6, None, 100]
    assert max(len(browse.window(k, 500)) for k in range(1, 501)) <= 9


def test_lists_hold_each_convention_once_per_facet() -> None:
    n = 2 * browse.PAGE_SIZE + 1
    records = [_rec(i, f"Titre {n - i:04d}", academie=("Aix-Marseille", "Lyon")[i % 2],
                    type_=("fcil", "coloration")[i % 2], statut=("brouillon", "signee")[i % 2])
               for i in range(n)]
    facets = browse.facets(records)
    pages = browse.pages(facets)
    assert sum(len(p.rows) for p in pages.values()) == 4 * n  # linear: 4 lists each
    assert all(len(p.rows) <= browse.PAGE_SIZE for p in pages.values())
    alpha = facets[-1].listings[0]
    assert [r["titre"] for r in alpha.rows] == sorted(r["titre"] for r in records)
    assert alpha.page_count == 3 and alpha.uri(3) == "parcourir/alphabetique/page-3.md"
    assert [li.title for li in facets[0].listings] == [
        "Conventions de l’académie d’Aix-Marseille", "Conventions de l’académie de Lyon"]
    assert [li.key for li in facets[1].listings] == ["coloration", "fcil"]
    assert [li.label for li in facets[2].listings] == ["Brouillon", "Signée"]


def test_sort_ignores_accents_and_case() -> None:
    rows = [_rec(1, "Zèbre"), _rec(2, "école"), _rec(3, "Ecrit"), _rec(4, "Étable")]
    alpha = browse.facets(rows)[-1].listings[0]
    assert [r["titre"] for r in alpha.rows] == ["école", "Ecrit", "Étable", "Zèbre"]
    assert browse.academie_of("Orléans-Tours") == "d’Orléans-Tours"
    assert browse.academie_of("Martinique") == "de la Martinique"


def test_without_site_url_links_stay_relative_and_values_escaped(tmp_path: Path) -> None:
    hostile = sample_text().replace(
        "id: lyon-fcil-maintenance-aeronautique", "id: test-titre-piege", 1).replace(
        "titre: FCIL Maintenance des hélicoptères – lycée Jean-Mermoz",
        "titre: '<script>alert(1)</script> & <b>gras</b> {{ 7 * 7 }}'", 1)
    project = make_project(tmp_path / "projet", {"conventions/tests/piege.md": hostile})
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert "<url>" not in (site / "sitemap.xml").read_text("utf-8")
    for page in (site / "parcourir").rglob("index.html"):
        text = page.read_text("utf-8")
        assert 'rel="canonical"' not in text
        assert not [h for h in Links(text).hrefs if urlsplit(h).scheme], page
        assert "<script>alert(1)" not in text and "<b>gras" not in text
    alpha = (site / "parcourir" / "alphabetique" / "index.html").read_text("utf-8")
    assert ("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt; {{ 7 * 7 }}"
            in alpha)
    catalogue = (site / "catalogue" / "index.html").read_text("utf-8")
    assert "Parcourir le catalogue sans JavaScript" in catalogue
    assert 'href="../parcourir/"' in catalogue
