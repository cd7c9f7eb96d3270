"""The published catalogue in headless Chromium: filters, sort, shared URL, navigation to a
convention, no request to another host, no serious axe-core violation; the rows fetched
only when a view needs them (a catalogue of 1234 conventions put in place of the page's).

Runs against Debian's chromium (no browser download). Never skipped in CI (CI=true).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from coop.site import catalogue
from coop.site.renderer import Renderer

from .sitebuild import REPO, make_project, renewed_coloration, served

SHOTS = os.environ.get("COOP_SCREENSHOTS")  # a folder: save screenshots there


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("navigateur") / "projet", {
        "conventions/tests/reconduite.md": renewed_coloration()})
    with served(project) as url:
        yield url


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    pg = context.new_page()
    pg.requested = []
    pg.on("request", lambda r: pg.requested.append(r.url))
    yield pg
    foreign = [u for u in pg.requested
               if urlsplit(u).scheme not in ("data", "blob", "about")
               and urlsplit(u).hostname != "127.0.0.1"]
    context.close()
    assert not foreign, f"requêtes vers un autre hôte : {foreign}"


def settle(page: object) -> None:
    """Wait until the table shows the whole answer (rows fetched on demand)."""
    page.wait_for_selector("#coop-catalogue[data-pret='true']")


def open_catalogue(page: object, base_url: str, query: str = "") -> None:
    page.goto(base_url + "catalogue/" + query)
    settle(page)


def check(page: object, facet: str, value: str) -> None:
    """Tick a value of a facet, « Plus de filtres » unfolded first (by script: a click
    there would already start fetching the rows, as a visitor reaching for the filters
    does)."""
    page.evaluate("document.querySelector('details.coop-facettes-bloc').open = true")
    page.check(f"#coop-f-{facet} input[value='{value}']")


def titles(page: object) -> list[str]:
    return page.locator("#coop-table tbody th.coop-titre a").all_inner_texts()


def column(page: object, index: int) -> list[str]:
    return page.locator(f"#coop-table tbody tr > :nth-child({index})").all_inner_texts()


def shot(page: object, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_facet_and_text_filters_sort_and_shared_url(page: object, base_url: str) -> None:
    open_catalogue(page, base_url)
    total = len(titles(page))
    assert total >= 4
    assert page.inner_text("#coop-compte") == f"{total} conventions au catalogue."

    assert not data_requests(page)  # the first page is in the HTML
    check(page, "type", "fcil")
    settle(page)
    fcil = titles(page)
    assert 1 <= len(fcil) < total
    assert set(column(page, 2)) == {"FCIL"}
    assert page.inner_text("#coop-compte").startswith(f"{len(fcil)} ")
    assert "type=fcil" in page.url

    page.fill("#coop-q", "hélicoptère")
    page.wait_for_function("location.search.includes('texte=')")
    settle(page)
    assert titles(page) == ["FCIL Maintenance des hélicoptères – lycée Jean-Mermoz"]
    assert page.inner_text("#coop-compte") == (
        f"1 convention sur {total} correspond aux critères.")
    shot(page, "catalogue-filtre")

    shared = page.url  # the filtered view, opened again from its address
    page.goto("about:blank")
    page.goto(shared)
    settle(page)
    assert page.is_checked("#coop-f-type input[value='fcil']")
    assert page.input_value("#coop-q") == "hélicoptère"
    assert len(titles(page)) == 1

    page.click("button.coop-reinitialiser")
    settle(page)
    assert len(titles(page)) == total and "type=" not in page.url

    page.click("button.coop-tri[data-col='academie']")
    academies = column(page, 3)
    assert academies == sorted(academies, key=str.casefold)
    assert page.get_attribute("#coop-table th:has(button[data-col='academie'])",
                              "aria-sort") == "ascending"
    page.click("button.coop-tri[data-col='academie']")
    assert column(page, 3) == list(reversed(academies)) or column(page, 3) == sorted(
        academies, key=str.casefold, reverse=True)
    assert "tri=academie" in page.url and "ordre=desc" in page.url


def test_row_leads_to_the_convention_page(page: object, base_url: str) -> None:
    open_catalogue(page, base_url, "?texte=h%C3%A9licopt%C3%A8re")
    page.click("#coop-table tbody th.coop-titre a")
    page.wait_for_url("**/conventions/lyon-fcil-maintenance-aeronautique/")
    assert page.inner_text("h1").startswith("FCIL Maintenance des hélicoptères")
    assert page.locator(".coop-fiche .coop-badge--signee").inner_text().lower() == "signée"
    assert page.locator("#art-objet").count() == 1
    shot(page, "convention")


def test_echeances_academie_filter(page: object, base_url: str) -> None:
    page.goto(base_url + "echeances/")
    rows = page.locator(".coop-echeances tr[data-academie]")
    everyone = rows.evaluate_all("rs => rs.map(r => r.dataset.academie)")
    assert {"Lyon", "Nantes", "Aix-Marseille"} <= set(everyone)
    shot(page, "echeances")

    def visible() -> list[str]:
        return page.locator(".coop-echeances tr[data-academie]:visible").evaluate_all(
            "rs => rs.map(r => r.dataset.academie)")

    assert visible() == everyone
    page.select_option("#coop-echeances-academie", "Nantes")
    shown = visible()
    assert shown and set(shown) == {"Nantes"}
    assert len(shown) == everyone.count("Nantes")
    # months without a Nantes deadline are hidden, those with one stay
    for section in page.locator(".coop-echeances section[data-mois]").all():
        has_nantes = section.locator("tr[data-academie='Nantes']").count() > 0
        assert section.is_visible() == has_nantes
    assert page.locator(".coop-echeances-aucune").is_hidden()
    shot(page, "echeances-nantes")
    page.select_option("#coop-echeances-academie", "")
    assert visible() == everyone
    page.click(".coop-echeances tr[data-academie='Nantes'] a >> nth=0")
    page.wait_for_url("**/conventions/nantes-coloration-reconduite/")
    assert page.locator(".coop-fiche .coop-badge--retard").count() == 1
    ics = page.get_attribute(".coop-agenda a[download]", "href")
    assert ics == "echeances.ics"
    shot(page, "convention-reconduite")


def test_parent_page_leads_to_its_avenant(page: object, base_url: str) -> None:
    page.goto(base_url + "conventions/lyon-fcil-maintenance-aeronautique/")
    block = page.locator(".coop-avenants")
    assert block.locator(".coop-badge--signee").inner_text().lower() == "signé"
    shot_element(page, ".coop-avenants", "convention-avenants")
    page.click(".coop-avenants a:has-text('Avenant n° 1')")
    page.wait_for_url("**/conventions/lyon-fcil-maintenance-aeronautique/avenant-1/")
    assert page.inner_text("h1").startswith("Avenant n°")
    assert page.locator("#art-avenant-4").count() == 1
    page.click(".coop-fiche a:has-text('texte consolidé')")
    page.wait_for_url("**/conventions/lyon-fcil-maintenance-aeronautique/consolide/")
    assert page.locator(".coop-modifie").count() == 2
    assert page.locator(".coop-modifie").first.is_visible()
    shot(page, "convention-consolide")


def shot_element(page: object, selector: str, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.locator(selector).screenshot(path=str(Path(SHOTS) / f"{name}.png"))


@pytest.mark.parametrize("path", ["", "catalogue/", "echeances/",
                                  "conventions/lyon-fcil-maintenance-aeronautique/",
                                  "conventions/lyon-fcil-maintenance-aeronautique/avenant-1/",
                                  "conventions/nantes-coloration-reconduite/",
                                  "modele/adaptation-offre-formation/v1/coloration/",
                                  "reference/"])
def test_no_serious_accessibility_violation(page: object, base_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base_url + path)
    if path == "catalogue/":
        settle(page)
    else:
        page.wait_for_load_state("load")
    shot(page, path.strip("/").replace("/", "_") or "accueil")
    violations = Axe().run(page).response["violations"]
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def test_catalogue_logic_scales_to_thousands_of_rows(page: object, base_url: str) -> None:
    page.goto(base_url + "catalogue/")  # catalogue-core.js is loaded on every page
    result = page.evaluate("""() => {
      const C = window.CoopCatalogue;
      const acs = ["Lyon", "Nantes", "Paris", "Aix-Marseille", "Créteil"];
      const raw = [];
      for (let i = 0; i < 5000; i++) raw.push({
        id: "c" + i, titre: "Convention " + i, type: i % 3 ? "coloration" : "fcil",
        statut: ["brouillon", "signee", "expiree"][i % 3], academie: acs[i % 5],
        region_academique: "R" + (i % 5), etablissements: ["Lycée " + (i % 97)],
        partenaires: ["Partenaire " + (i % 89)], formation: "Formation " + (i % 50),
        niveaux: [3 + (i % 3)], secteur: "Secteur " + (i % 7),
        annee_scolaire: "202" + (i % 4) + "-202" + (1 + i % 4),
        date_signature: i % 2 ? "2026-06-" + String(1 + i % 28).padStart(2, "0") : null,
        date_fin: null, url: "conventions/c" + i + "/" });
      const t0 = performance.now();
      const rows = C.prepare(raw);
      const st = C.parseState(
        "?type=fcil&academie=Lyon&texte=lycee%2012&tri=date_signature&ordre=desc&page=1");
      const filtered = C.sortRows(C.filterRows(rows, st), st.sort, st.dir);
      const options = C.facetOptions(rows, st);
      const slice = C.pageSlice(C.sortRows(rows, "titre", "asc"), 3);
      const ms = performance.now() - t0;
      return { ms, n: filtered.length,
        ok: filtered.every(r => r.type === "fcil" && r.academie === "Lyon"),
        emptyLast: filtered.length === 0 || filtered[filtered.length - 1].date_signature === null ||
          filtered.every(r => r.date_signature !== null),
        back: C.serializeState(st), page: slice.page, pages: slice.pages, shown: slice.rows.length,
        typeCounts: options.type.map(o => o.value + ":" + o.count).join(","),
        accents: C.normalize("Créteil  Élève"), none: C.countLabel(0, 10) };
    }""")
    assert result["ok"] and result["n"] > 0 and result["emptyLast"]
    assert result["back"] == "?texte=lycee+12&type=fcil&academie=Lyon&tri=date_signature&ordre=desc"
    assert (result["page"], result["pages"], result["shown"]) == (3, 100, 50)
    assert result["accents"] == "creteil eleve"
    assert result["none"].startswith("Aucune convention ne correspond")
    assert result["ms"] < 1500, result["ms"]


def test_site_assets_are_local() -> None:
    js = (REPO / "docs/assets/catalogue.js").read_text("utf-8")
    assert "http://" not in js and "https://" not in js


def data_requests(page: object) -> list[str]:
    return [urlsplit(u).path.rsplit("/", 1)[-1] for u in page.requested
            if "/donnees/catalogue/" in u]


LARGE = 1234


def large_record(i: int) -> dict[str, object]:
    academies = ["Lyon", "Nantes", "Créteil", "Aix-Marseille"]
    return {
        "id": f"c{i:04d}", "titre": f"Convention n° {i:04d}", "url": f"conventions/c{i:04d}/",
        "type": "fcil" if i % 3 == 0 else "coloration", "statut": "signee",
        "statut_effectif": "signee", "region_academique": "R", "academie": academies[i % 4],
        "territoire": "", "etablissements": [f"Lycée {i % 7}"], "uai": [], "partenaires": [],
        "siret": [], "formation": "Bac pro", "niveaux": [4], "secteur": "Logistique",
        "annee_scolaire": "2026-2027", "date_signature": None, "date_fin": None,
        "reconduction_tacite": False}


@pytest.fixture
def large(page: object, base_url: str) -> list[dict[str, object]]:
    """The catalogue page with 1234 conventions (3 shards) in place of the samples."""
    records = [large_record(i) for i in range(LARGE)]
    block = catalogue.table_html(records, Renderer(), page_url="catalogue/")
    files = {f"/{path}": data for path, data in catalogue.data_files(records).items()}

    def page_html(route: object) -> None:
        response = route.fetch()
        html = response.text()
        start = html.index('<div id="coop-catalogue"')
        end = html.index("</nav>", html.index('class="coop-pagination"', start))
        end = html.index("</div>", end) + len("</div>")
        route.fulfill(response=response, body=html[:start] + block + html[end:])

    def data(route: object) -> None:
        route.fulfill(body=files[urlsplit(route.request.url).path],
                      content_type="application/json")

    page.route(lambda url: urlsplit(url).path == "/catalogue/", page_html)
    page.route(lambda url: urlsplit(url).path in files, data)
    return catalogue.ordered(records)


def test_pages_sorts_and_filters_fetch_only_the_rows_they_need(
        page: object, base_url: str, large: list[dict[str, object]]) -> None:
    ordered = [str(r["titre"]) for r in large]
    open_catalogue(page, base_url)
    assert page.evaluate("CoopCatalogue.PAGE_SIZE") == catalogue.PAGE_SIZE
    assert titles(page) == ordered[:50] and not data_requests(page)
    assert page.inner_text("#coop-compte") == f"{LARGE} conventions au catalogue."
    assert page.inner_text(".coop-page-info") == "Page 1 sur 25"

    page.click("button.coop-page:has-text('Suivante')")
    settle(page)
    assert page.inner_text("#coop-compte") == f"{LARGE} conventions au catalogue."
    assert titles(page) == ordered[50:100] and "page=2" in page.url
    assert data_requests(page) == ["manifeste.json", "lot-0000.json"]

    page.click("button.coop-tri[data-col='titre']")  # descending: the last shard only
    settle(page)
    assert titles(page) == ordered[::-1][:50]
    assert data_requests(page)[2:] == ["lot-0002.json"]

    open_catalogue(page, base_url, "?page=11")  # ranks 500 to 549: the second shard
    assert titles(page) == ordered[500:550]
    assert data_requests(page)[-2:] == ["manifeste.json", "lot-0001.json"]

    page.evaluate("""() => { window.said = []; new MutationObserver(() =>
      window.said.push(document.getElementById("coop-compte").textContent))
      .observe(document.getElementById("coop-compte"), { childList: true }); }""")
    check(page, "academie", "Créteil")  # a filter needs every shard
    settle(page)
    said = page.evaluate("window.said")
    assert said[0].startswith("Chargement du catalogue complet… ")  # in the live region
    assert "parmi les 500 conventions déjà chargées sur 1234" in said[0]
    creteil = [str(r["titre"]) for r in large if r["academie"] == "Créteil"]
    assert page.inner_text("#coop-compte") == (
        f"{len(creteil)} conventions sur {LARGE} correspondent aux critères.")
    assert titles(page) == creteil[:50]
    assert set(data_requests(page)) == {"manifeste.json", "lot-0000.json", "lot-0001.json",
                                        "lot-0002.json"}


def test_facet_in_the_address_ignores_case_and_accents(
        page: object, base_url: str, large: list[dict[str, object]]) -> None:
    open_catalogue(page, base_url, "?academie=creteil&tri=date_fin")
    assert page.is_checked("#coop-f-academie input[value='Créteil']")
    assert "academie=Cr%C3%A9teil" in page.url
    assert len(titles(page)) == 50
    assert page.inner_text("#coop-compte").startswith(
        f"{sum(r['academie'] == 'Créteil' for r in large)} conventions sur {LARGE}")
