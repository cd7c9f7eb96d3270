"""The « Rechercher » page in headless Chromium, over the Pagefind index of the sample
site: accent-insensitive French search, what a query downloads, nothing sent elsewhere,
untrusted text shown as text, and the page without JavaScript."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from coop.site import search
from coop.site.serving import serving

from .sitebuild import _edit, make_project, sample_text, served

LYON = "FCIL Maintenance des hélicoptères – lycée Jean-Mermoz"
LYON_URL = "conventions/lyon-fcil-maintenance-aeronautique/"
# Read once per visit, whatever the query: the library, its worker and WebAssembly, the
# index's entry and metadata. Everything else under pagefind/ is fetched for a query.
SETUP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", ".pagefind", ".pf_meta",
         "lots.json")
SETUP_BUDGET = 250_000  # bytes, once per visit: a fixed cost, whatever the catalogue's size
QUERY_BUDGET = 100_000  # bytes for one query on the sample site (the N = 10 000 target: 300 KB)
HOSTILE = "`<img src=x onerror=window.coopXss=1>` zorglub"


def hostile_lyon() -> str:
    """The Lyon sample with markup, as text, in its préambule."""
    return _edit(sample_text(), ("Les ateliers de maintenance d’hélicoptères de l’Est lyonnais",
                                 f"{HOSTILE} Les ateliers de maintenance d’hélicoptères de "
                                 "l’Est lyonnais"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("recherche") / "projet",
                        {"conventions/lyon/fcil-maintenance-aeronautique.md": hostile_lyon()})


@pytest.fixture(scope="module")
def site_url(project: Path) -> Iterator[str]:
    with served(project) as url:
        yield url


LOT = 4  # pages per bundle: the sample site's index in 3 bundles or more


@pytest.fixture(scope="module")
def bundled_site(site_url: str, project: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A copy of the built sample site, its index remade in bundles of LOT pages (as
    COOP_RECHERCHE_LOT=4 would), served: (base URL, site folder)."""
    site = tmp_path_factory.mktemp("lots") / "site"
    shutil.copytree(project / "site", site)
    assert len(search.index(site, per_bundle=LOT).bundles) >= 3
    with serving(site) as url:
        yield url, site


class Visit:
    """A page in a fresh context, every response's size recorded by path."""

    def __init__(self, browser: object, javascript: bool = True) -> None:
        self.context = browser.new_context(java_script_enabled=javascript, locale="fr-FR",
                                           viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.hosts: set[str] = set()
        self.sizes: dict[str, int] = {}
        self.page.on("request", lambda r: self.hosts.add(urlsplit(r.url).netloc))
        self.page.on("requestfinished", self._finished)

    def _finished(self, request: object) -> None:
        response = request.response()
        if response is not None:
            self.sizes[urlsplit(request.url).path] = len(response.body())

    def search_bytes(self) -> tuple[int, int]:
        """(bytes of the set-up files, bytes of the query's index chunks and fragments)."""
        found = {p: n for p, n in self.sizes.items() if "/pagefind/" in p}
        setup = sum(n for p, n in found.items() if p.endswith(SETUP))
        return setup, sum(found.values()) - setup

    def results(self) -> list[tuple[str, str, list[str]]]:
        """(title, href, highlighted words) of each result shown. The count is announced
        before the results' excerpts arrive: wait for the first one unless there is none."""
        if not self.status().startswith("Aucun"):
            self.page.locator(".coop-recherche__resultat").first.wait_for(timeout=15_000)
        return self.page.eval_on_selector_all(
            ".coop-recherche__resultat", """items => items.map(li => {
                const a = li.querySelector(".coop-recherche__titre a");
                return [a.textContent, a.getAttribute("href"),
                        [...li.querySelectorAll(".coop-recherche__extrait mark")]
                            .map(m => m.textContent)];
            })""")

    def status(self) -> str:
        status = self.page.locator(".coop-recherche__etat")
        status.filter(has_text="pour « ").wait_for(timeout=15_000)
        return status.inner_text().replace("\u00a0", " ")


@pytest.fixture
def visit(browser: object) -> Iterator[Visit]:
    v = Visit(browser)
    try:
        yield v
    finally:
        v.context.close()


def fold(word: str) -> str:
    """« Préavis. » -> « preavis » (Pagefind's marks keep the punctuation after a word)."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower())
                   if not unicodedata.combining(c)).strip(".,;:!?»«() ")


def test_an_unaccented_word_finds_the_helicopter_fcil_first(visit: Visit, site_url: str) -> None:
    visit.page.goto(site_url + "recherche/?q=helicoptere")  # as a form of another page sends it
    assert visit.status().endswith("résultats pour « helicoptere ».")
    results = visit.results()
    title, href, marks = results[0]
    assert title == LYON  # the convention itself, above its avenant and consolidated text
    assert visit.page.evaluate(f"new URL({href!r}, location.href).href") == site_url + LYON_URL
    assert {fold(m) for m in marks} <= {"helicoptere", "helicopteres"} and marks
    assert visit.page.get_by_label("Mots à rechercher").input_value() == "helicoptere"
    setup, query = visit.search_bytes()
    assert 0 < query < QUERY_BUDGET, (query, visit.sizes)
    assert 0 < setup < SETUP_BUDGET, (setup, visit.sizes)
    assert visit.hosts == {urlsplit(site_url).netloc}  # nothing sent to anyone else


def test_typing_preavis_finds_the_pages_that_say_preavis(visit: Visit, site_url: str) -> None:
    visit.page.goto(site_url + "recherche/")
    field = visit.page.get_by_label("Mots à rechercher")
    field.fill("preavis")
    field.press("Enter")
    count = visit.status()
    assert count.endswith(" résultats pour « preavis »."), count
    results = visit.results()
    assert len(results) == min(10, int(count.split()[0]))
    for title, _, marks in results:
        folded = [fold(m) for m in marks]  # the model's page: also « dispositions.preavis_mois »
        assert "preavis" in folded and all("preavis" in m for m in folded), (title, marks)
    titles = {title for title, _, _ in results}
    assert LYON in titles and "Bac pro MSPC coloré « maintenance navale » – Saint-Nazaire" in titles
    assert visit.page.evaluate("location.search") == "?q=preavis"
    _, query = visit.search_bytes()
    assert 0 < query < QUERY_BUDGET, query


def test_more_results_by_keyboard(visit: Visit, site_url: str) -> None:
    visit.page.goto(site_url + "recherche/?q=convention")
    total = int(visit.status().split()[0])
    assert total > 10  # « conventions », « convention » and « conventionnel » alike
    more = visit.page.get_by_role("button", name="Afficher plus de résultats")
    more.wait_for(state="visible")  # shown once the first ten results are in
    more.focus()
    visit.page.keyboard.press("Enter")
    visit.page.wait_for_function(
        "document.querySelectorAll('.coop-recherche__resultat').length > 10")
    assert len(visit.results()) == min(total, 20)
    focused = visit.page.evaluate("document.activeElement.closest('li').matches("
                                  "'.coop-recherche__resultat:nth-child(11)')")
    assert focused  # the first new result takes the focus


def test_untrusted_text_stays_text_in_extracts(visit: Visit, site_url: str) -> None:
    visit.page.goto(site_url + "recherche/?q=zorglub")
    visit.status()
    extracts = visit.page.locator(".coop-recherche__resultat .coop-recherche__extrait")
    assert "<img src=x onerror=window.coopXss=1> zorglub" in " ".join(extracts.all_inner_texts())
    assert visit.page.locator(".coop-recherche img").count() == 0
    assert visit.page.evaluate("window.coopXss") is None


def test_search_page_passes_axe(visit: Visit, site_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    visit.page.goto(site_url + "recherche/?q=helicoptere")
    visit.status()
    violations = Axe().run(visit.page).response["violations"]
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3])
               for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def test_without_javascript_the_page_points_to_the_lists(browser: object, site_url: str) -> None:
    v = Visit(browser, javascript=False)
    try:
        v.page.goto(site_url + "recherche/")
        assert v.page.title().startswith("Rechercher")
        notice = v.page.locator(".coop-recherche__sans-js")
        assert notice.is_visible() and "La recherche demande JavaScript." in notice.inner_text()
        assert not v.page.get_by_label("Mots à rechercher").is_visible()
        v.page.get_by_role("link", name="Parcourir le catalogue").click()
        v.page.wait_for_url("**/parcourir/")
        assert v.page.title().startswith("Parcourir le catalogue")
    finally:
        v.context.close()


def test_an_unaccented_word_finds_pages_of_every_bundle(
        browser: object, site_url: str, bundled_site: tuple[str, Path]) -> None:
    """The index in bundles finds what the index in one finds, a Lyon FCIL page first;
    its results come from several bundles, every bundle is asked, and a query costs at
    most the one-bundle budget per bundle. (With bundles of 3 or 4 pages each bundle's
    word statistics differ, so the order among the Lyon pages may too; bundles of a real
    catalogue hold over 1000 pages each, dealt alike.)"""
    url, site = bundled_site
    bundles = search.bundle_dirs(site)
    where = {page: k for k in range(1, len(bundles) + 1)
             for page in search.indexed_pages(site, k)}
    found = {}
    for base in (site_url, url):
        v = Visit(browser)
        try:
            v.page.goto(base + "recherche/?q=helicoptere")
            status = v.status()
            paths = [urlsplit(v.page.evaluate(f"new URL({href!r}, location.href).href")).path
                     for _, href, _ in v.results()]
            found[base] = (status, paths, v.search_bytes(), set(v.sizes))
        finally:
            v.context.close()
    (status, paths, _, _), (split_status, split_paths, (setup, query), fetched) = (
        found[site_url], found[url])
    assert split_status == status and status.endswith("résultats pour « helicoptere ».")
    assert sorted(split_paths) == sorted(paths) and len(paths) >= 2
    assert split_paths[0].startswith("/" + LYON_URL), split_paths
    assert len({where[p] for p in split_paths}) >= 2, (split_paths, where)
    for k in range(2, len(bundles) + 1):  # every bundle was asked for the word
        assert any(p.startswith(f"/pagefind/lot-{k}/index/") for p in fetched), fetched
    assert 0 < query < QUERY_BUDGET * len(bundles), query
    assert 0 < setup < SETUP_BUDGET, setup
