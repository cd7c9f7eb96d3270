#!/usr/bin/env python3
"""Banc d’essai de la recherche : `python scripts/search_bench.py N [MOT …]`.

Génère N conventions synthétiques (scripts/benchgen.py) dans un dossier temporaire,
construit le site (`python -m coop site`), puis mesure :
1. l’indexation Pagefind seule (coop.site.search.index) : durée, mémoire de pointe du
   processus Pagefind, pages indexées, taille de l’index, pour l’ensemble et pour chaque
   lot (COOP_RECHERCHE_LOT fixe le nombre de pages par lot) ;
2. dans Chromium sans tête, sur le site servi en local, les octets téléchargés pour chaque
   MOT (défaut : aéronautique, aeronautique, hélicoptères, helicopteres) : la mise en place
   (bibliothèque, WebAssembly, métadonnées de l’index, une fois par visite) à part, puis la
   requête (morceaux d’index et extraits des 10 premiers résultats), le nombre de
   résultats et les adresses des 10 premiers (pour comparer deux découpages en lots).

Les fichiers servis ne sont pas compressés par le serveur : les morceaux d’index et les
extraits de Pagefind le sont déjà (gzip), le JavaScript et le WebAssembly non (un serveur
qui compresse les enverrait plus petits). BENCH_GARDER=1 garde le dossier temporaire ;
BENCH_PROJET=DOSSIER mesure le site déjà construit d’un projet gardé (N n’est alors que
rappelé).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from benchgen import REFERENCE_DAY, generate  # scripts/benchgen.py, next to this file
from coop.site import search

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("aéronautique", "aeronautique", "hélicoptères", "helicopteres")
SETUP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", ".pagefind", ".pf_meta",
         "lots.json")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def build(project: Path) -> float:
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "coop", "site", "--racine", str(project),
                    "--sortie", str(project / "site"), "--date", REFERENCE_DAY.isoformat()],
                   cwd=project, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


def query_bytes(site: Path, words: tuple[str, ...]
                ) -> list[tuple[str, int, int, int, list[str]]]:
    """(word, set-up bytes, query bytes, results, first result paths) for each word, each
    in a fresh visit."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/recherche/?q="
    rows = []
    try:
        with sync_playwright() as p:
            exe = CHROMIUM if Path(CHROMIUM).exists() else None
            browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
            for word in words:
                context = browser.new_context()
                page = context.new_page()
                sizes: dict[str, int] = {}
                page.on("response", functools.partial(_record, sizes))
                page.goto(url + quote(word))
                status = page.locator(".coop-recherche__etat").filter(has_text="pour « ")
                status.wait_for(timeout=120_000)
                found = status.inner_text().replace("\u00a0", " ").split()[0]
                results = 0 if found == "Aucun" else int(found)
                page.wait_for_function(  # the extracts of the first results are shown
                    "n => document.querySelectorAll('.coop-recherche__resultat').length >= n",
                    arg=min(results, 10), timeout=120_000)
                setup = sum(n for path, n in sizes.items() if path.endswith(SETUP))
                first = page.eval_on_selector_all(
                    ".coop-recherche__titre a", "links => links.map(a => a.pathname)")
                rows.append((word, setup, sum(sizes.values()) - setup, results, first))
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def _record(sizes: dict[str, int], response: object) -> None:
    path = urlsplit(response.url).path
    if "/pagefind/" in path:
        sizes[path] = len(response.body())


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} Ko".replace(",", "\u202f")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not argv[1].isdigit():
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    n, words = int(argv[1]), tuple(argv[2:]) or WORDS
    tmp = Path(tempfile.mkdtemp(prefix="coop-recherche-"))
    try:
        kept = os.environ.get("BENCH_PROJET", "")
        project = Path(kept) if kept else tmp / "projet"
        if kept:  # a project of an earlier run, already built
            seconds = 0.0
        else:
            project.mkdir()
            shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
            shutil.copytree(ROOT / "docs", project / "docs")
            generate(project, n)
            seconds = build(project)
        site = project / "site"
        html = sum(1 for _ in site.rglob("*.html"))
        stats = search.index(site)
        meta = sum(p.stat().st_size for p in (site / search.BUNDLE).rglob("*.pf_meta"))
        print(f"N = {n} conventions : site construit en {seconds:.1f} s, {html} pages HTML")
        print(f"Indexation Pagefind : {stats.seconds:.1f} s, mémoire de pointe "
              f"{(stats.peak_rss or 0) / 1e6:.0f} Mo, {stats.pages} pages indexées, "
              f"index {stats.bytes / 1e6:.1f} Mo (métadonnées chargées à chaque visite : "
              f"{kb(meta)})")
        for k, lot in enumerate(stats.bundles, 1):
            print(f"  lot {k} sur {len(stats.bundles)} : {lot.pages} pages, {lot.seconds:.1f} s, "
                  f"mémoire de pointe {(lot.peak_rss or 0) / 1e6:.0f} Mo, "
                  f"{lot.bytes / 1e6:.1f} Mo")
        print("mot | mise en place (une fois par visite) | requête | résultats")
        firsts = []
        for word, setup, query, results, first in query_bytes(site, words):
            print(f"{word} | {kb(setup)} | {kb(query)} | {results}")
            firsts.append((word, first))
        for word, first in firsts:
            print(f"10 premiers pour « {word} » : " + " ".join(first))
    finally:
        if os.environ.get("BENCH_GARDER") == "1":
            print(f"dossier gardé : {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
