"""What the catalogue page costs a visitor, measured in headless Chromium on generated
catalogues of N and 2 N conventions (scripts/benchgen.py; N = 100, or $COOP_CATALOGUE_N).

First load: the bytes transferred (headers and bodies) for the page and every request
that completes before the `load` event, Material's own cached CSS/JS
(`assets/stylesheets`, `assets/javascripts`) left out. The target of issue 15 is 300 KB
at N = 10 000; the first load may grow only through the facet values, so its growth from
N to 2 N, extrapolated linearly to 10 000, must stay under it. No row is fetched before
the visitor asks for one, not even in the second after `load`.

`COOP_CATALOGUE_N=1000 .venv/bin/python -m pytest tests/browser/test_catalogue_weight.py -s`
prints the figures at 1000 and 2000.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from benchgen import generate

from .sitebuild import make_project, served

N = int(os.environ.get("COOP_CATALOGUE_N", "100"))
TARGET_N = 10_000
TARGET_BYTES = 300_000
THEME = ("/assets/stylesheets/", "/assets/javascripts/")
# Lighthouse's mobile profile: slow 4G (150 ms, 1.6 Mbit/s down) and a 4x slower CPU.
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
           "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4


@dataclass
class FirstLoad:
    requests: dict[str, int] = field(default_factory=dict)  # path -> bytes, before load
    later: list[str] = field(default_factory=list)  # paths fetched in the second after

    @property
    def theme(self) -> int:
        return sum(b for p, b in self.requests.items() if p.startswith(THEME))

    @property
    def page(self) -> int:
        """The catalogue's own first load: everything but the theme's CSS/JS."""
        return sum(b for p, b in self.requests.items() if not p.startswith(THEME))


def first_load(browser: object, url: str) -> FirstLoad:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    finished: list[tuple[object, bool]] = []
    loaded = [False]
    page.on("load", lambda: loaded.__setitem__(0, True))
    page.on("requestfinished", lambda r: finished.append((r, loaded[0])))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_selector("#coop-catalogue[data-pret='true']")
        page.wait_for_timeout(1000)
        out = FirstLoad()
        for request, after in finished:
            path = urlsplit(request.url).path
            if after:
                out.later.append(path)
                continue
            sizes = request.sizes()
            out.requests[path] = (out.requests.get(path, 0) + sizes["responseHeadersSize"]
                                  + sizes["responseBodySize"])
        return out
    finally:
        context.close()


def throttled_paint_ms(browser: object, base_url: str) -> float:
    """First contentful paint of the catalogue on the phone profile, arriving from the
    home page (the theme's CSS/JS already in the cache)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(base_url, wait_until="load")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(base_url + "catalogue/", wait_until="load")
        return float(page.evaluate(
            "performance.getEntriesByName('first-contentful-paint')[0].startTime"))
    finally:
        context.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, str]]:
    servers = {}
    for n in (N, 2 * N):
        project = make_project(tmp_path_factory.mktemp(f"poids-{n}") / "projet",
                               with_samples=False)
        generate(project, n)
        servers[n] = served(project)
    with ExitStack() as stack, ThreadPoolExecutor(2) as pool:  # two builds at once
        urls = dict(zip(servers, pool.map(lambda cm: cm.__enter__(), servers.values()),
                        strict=True))
        for cm in servers.values():
            stack.push(cm.__exit__)
        yield urls


def test_first_load_does_not_grow_with_the_catalogue(browser: object,
                                                     sites: dict[int, str]) -> None:
    loads = {n: first_load(browser, url + "catalogue/") for n, url in sites.items()}
    small, large = loads[N].page, loads[2 * N].page
    per_convention = max(0, large - small) / N
    at_target = large + per_convention * (TARGET_N - 2 * N)
    for n, load in loads.items():
        print(f"\nN = {n} : premier chargement du catalogue {load.page} octets "
              f"(thème en plus : {load.theme} octets) ; ensuite : {sorted(set(load.later))}")
        for path, size in sorted(load.requests.items()):
            print(f"  {size:>9}  {path}")
    print(f"extrapolé à N = {TARGET_N} : {at_target:.0f} octets")
    for load in loads.values():
        assert "/catalogue/" in load.requests  # the page itself is counted
        assert not [p for p in [*load.requests, *load.later] if p.startswith("/donnees/")]
        assert load.page <= TARGET_BYTES, load.requests
    assert large <= small * 1.05, (small, large)
    assert at_target <= TARGET_BYTES, at_target


def test_first_results_are_painted_quickly_on_a_slow_phone(browser: object,
                                                            sites: dict[int, str]) -> None:
    ms = throttled_paint_ms(browser, sites[2 * N])
    print(f"\nN = {2 * N} : premier affichage en {ms:.0f} ms (4G lente, processeur ÷ 4)")
    assert ms < 2000, ms
