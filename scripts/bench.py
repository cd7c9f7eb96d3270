#!/usr/bin/env python3
"""Banc d’essai du catalogue : `make bench` (variables BENCH_… ci-dessous).

Génère N conventions synthétiques valides dans un dossier temporaire et mesure, dans la
même exécution, des processus entiers : pour chacun, le temps écoulé (« mur ») et le
temps CPU (utilisateur + système du processus et de ses descendants, os.wait4), chaque
mesure répétée BENCH_RUNS fois (3 au moins pour un verdict) ; le tableau donne la
médiane et l’écart relatif (max − min) / médiane. Au-delà de 20 % d’écart, la machine
est trop bruyante : la ligne le dit au lieu de donner un verdict. Les essais des deux
côtés d’un rapport sont entrelacés (le nôtre, puis la référence, puis le suivant…) et le
rapport est la médiane des rapports essai par essai.

1. le site : `python -m coop site` (qui valide tout, génère les pages, lance MkDocs puis
   les finitions, comme `make site`) contre un build mkdocs-material simple des mêmes
   conventions déjà développées en pages Markdown (hors menu, même thème, recherche du
   thème) ; puis les deux mêmes avec Zensical (`--moteur zensical` contre
   `python -m zensical build` des pages simples) ;
2. le site reconstruit sans changement, puis après l’ajout d’un paragraphe à une
   convention (à froid : sans site ni caches ; sinon le cache des pages générées et
   l’empreinte du site publié servent), et la croissance : notre site à 2N / à N ;
3. tailles (site, index de recherche), mémoire de pointe (somme des RSS de l’arbre de
   processus, échantillonnée, ou le plus gros processus si plus grand) ;
4. dans Chromium (Playwright) sur le site servi en local : les octets du premier
   chargement du catalogue (la page et tout ce qui n’est pas du thème : nos CSS/JS,
   les données JSON demandées au chargement), et les octets d’une recherche d’un mot
   (fichiers Pagefind : bibliothèque, WebAssembly, métadonnées, morceaux d’index du mot,
   extraits des 5 premiers résultats) ; « transféré » = compressé en gzip (niveau 6)
   comme un serveur l’enverrait, les fichiers déjà compressés comptés tels quels ;
5. l’export PDF + DOCX de BENCH_EXPORT_N conventions contre une référence naïve (pandoc
   une fois par format et par document), et le réexport sans changement (cache) ;
6. `coop check` sur chaque forme hostile de tests/hostile_shapes.py (imbrication, lignes
   longues, milliers de clés, de sections, de listes ou d’emphases) : le pire cas.

Le banc mesure le dernier commit : il s’en fait une copie (git archive HEAD) et se relance
depuis elle, de sorte qu’une modification du dossier de travail pendant la mesure ne la
touche pas ; BENCH_SOURCE=arbre mesure le dossier de travail tel quel.

Ordre : les builds MkDocs (le nôtre, le simple, le nôtre reconstruit sans changement),
puis les tailles et les octets dans Chromium, la croissance (le nôtre à 2N et à N), les
builds Zensical, l’export ; chaque groupe entrelacé sur ses BENCH_RUNS essais. Ctrl+C ou
SIGTERM arrête la mesure en cours et imprime le rapport de ce qui est déjà mesuré.

Variables : BENCH_N (site, défaut 1000), BENCH_RUNS (défaut 3), BENCH_MKDOCS=0 (saute
le groupe MkDocs, les tailles et Chromium), BENCH_CROISSANCE=0 (saute le site à 2N),
BENCH_ZENSICAL=0 (saute Zensical), BENCH_SANS_CHANGEMENT=0 (saute la reconstruction sans
changement et celle après une convention modifiée), BENCH_NAVIGATEUR=0 (saute les
mesures dans Chromium), BENCH_EXPORT=0 (saute l’export), BENCH_FORMES=0 (saute les
formes hostiles), BENCH_EXPORT_N (défaut 300,
ou BENCH_N s’il est plus petit), BENCH_NAIVE_N (documents de la référence naïve, défaut
60 : son temps est extrapolé à BENCH_EXPORT_N et le tableau le dit), BENCH_GARDER=1
(garde le dossier temporaire). Ko = 1000 octets, Mo (mémoire) = 1024 × 1024 octets.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.util
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from benchgen import REFERENCE_DAY, generate  # scripts/benchgen.py, next to this file
from coop.catalog import load_catalog
from coop.expand import expand
from coop.render.markdown import render_markdown
from coop.site.serving import serving
from coop.site.state import published

ROOT = Path(__file__).resolve().parent.parent

PY = sys.executable
TODAY = REFERENCE_DAY.isoformat()  # COOP_AUJOURDHUI: reproducible computed dates
SITE_COPY = ("mkdocs.yml", "docs")  # copied
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Verdicts.
MIN_RUNS = 3
NOISE_LIMIT = 0.20  # spread (max - min) / median above which no timing verdict is given
MET, MISSED = "atteint", "manqué"
NOISY = "machine trop bruyante : pas de verdict"

# Targets of issues 15 (« national scale, any engine ») and 20 (« speed at national
# scale »); the sizes are judged at the N the issue names.
TARGET_SITE_RATIO = 1.0  # ours / plain mkdocs-material, at N = 1000 (issue 20)
TARGET_GROWTH = 2.1  # site at 2N / at N (issues 15, 20)
TARGET_PEAK_MB = 2048.0  # whole build at N = 10 000 (issue 15: 2 GB)
TARGET_FIRST_LOAD_KB = 300.0  # catalogue first load, transferred, N = 10 000 (issue 15)
TARGET_QUERY_KB = 300.0  # search, per query, transferred, N = 10 000 (issue 15)
TARGET_NOOP_RATIO = 0.5  # « clearly faster » than a cold build (issue 20), read as ≤ 0.5×
TARGET_EXPORT_RATE = 30.0  # conventions per second, PDF + DOCX, 2 cores (issue 20)
TARGET_REEXPORT_S = 1.0  # at N = 1000 (issue 20)
TARGET_SHAPE_CPU_S = 1.0  # `coop check` of one hostile file, interpreter included (issue 20)
SIZE_TARGET_N = 10_000

SEARCH_WORDS = ("aéronautique", "helicopteres")  # a frequent word, an unaccented one
SEARCH_RESULTS = 5  # fragments of the first results loaded by a query
THEME_DIRS = ("assets/stylesheets/", "assets/javascripts/", "assets/images/",
              "assets/fonts/")  # Material's cached files, left out of the first load

PLAIN_MKDOCS = """\
site_name: Catalogue (référence mkdocs-material)
docs_dir: docs
use_directory_urls: true
strict: true
theme:
  name: material
  language: fr
  font: false
  features: [navigation.tabs, navigation.top, navigation.footer, search.highlight,
             toc.follow, content.tooltips]
nav:
  - Accueil: index.md
not_in_nav: |
  /conventions/
plugins:
  - search:
      lang: fr
markdown_extensions:
  - attr_list
  - md_in_html
  - tables
  - admonition
  - toc:
      permalink: "¶"
"""
# Zensical wants its docs and site folders inside the configuration's folder, relative.
PLAIN_ZENSICAL = PLAIN_MKDOCS.replace(
    "use_directory_urls: true\n", "use_directory_urls: true\nsite_dir: build/site-zensical\n"
).replace("  language: fr\n", "  language: fr\n  variant: classic\n")

NAIVE_TYPST = ("import sys, typst; "
               "typst.compile(sys.argv[1], output=sys.argv[2], format='pdf')")


# --- measuring whole processes ------------------------------------------------------------


@dataclass
class Run:
    seconds: float  # wall time
    peak_mb: float  # peak of the summed RSS of the process tree (sampled), or max_rss_mb
    max_rss_mb: float  # largest single process (wait4)
    cpu: float = 0.0  # user + system seconds of the process and its children (wait4)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for entry in os.scandir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{entry.name}/children") as fh:
                    found += [int(p) for p in fh.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return found


def _tree_rss_kb(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        todo += _children(p)
    return total


def run(cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        quiet: bool = True, codes: tuple[int, ...] = (0,)) -> Run:
    """Run one command to completion: wall time, CPU time of its whole tree (wait4 counts
    the descendants it waited for), sampled tree peak RSS."""
    started = time.perf_counter()
    # its own process group: an interrupted bench stops the whole tree it measures
    proc = subprocess.Popen(list(cmd), cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL if quiet else None,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    try:
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        stop.set()
        raise
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in codes:
        raise RuntimeError(f"échec ({proc.returncode}) de : {' '.join(cmd)}\n{stderr[-3000:]}")
    return Run(elapsed, max(peak, usage.ru_maxrss) / 1024, usage.ru_maxrss / 1024,
               usage.ru_utime + usage.ru_stime)


# --- series, spreads and verdicts ---------------------------------------------------------


def spread(values: Sequence[float]) -> float:
    """(max - min) / median: 0 for a single value."""
    mid = statistics.median(values)
    return (max(values) - min(values)) / mid if mid else 0.0


@dataclass
class Series:
    label: str
    runs: list[Run] = field(default_factory=list)

    def values(self, metric: str) -> list[float]:
        return [r.seconds if metric == "mur" else r.cpu for r in self.runs]

    def median(self, metric: str = "mur") -> float:
        return statistics.median(self.values(metric))

    def spread(self, metric: str = "mur") -> float:
        return spread(self.values(metric))

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)


def pair_ratios(ours: Series, ref: Series, metric: str) -> list[float]:
    """Run-by-run ratios of interleaved runs (a slow moment hits both sides)."""
    pairs = zip(ours.values(metric), ref.values(metric), strict=False)  # complete pairs
    return [a / b for a, b in pairs if b]


def timing_verdict(ok: bool, spreads: Sequence[float], runs: int) -> str:
    """« atteint » / « manqué » only on at least MIN_RUNS runs all within NOISE_LIMIT."""
    if runs < MIN_RUNS:
        return f"pas de verdict ({runs} essai{'s' if runs > 1 else ''} sur {MIN_RUNS})"
    if max(spreads, default=0.0) > NOISE_LIMIT:
        return NOISY
    return MET if ok else MISSED


def size_verdict(ok: bool, n: int, target_n: int = SIZE_TARGET_N) -> str:
    """A target set at N = target_n is judged only at that size or above."""
    if n < target_n:
        return f"pas de verdict (cible à N = {fr(target_n, 0)})"
    return MET if ok else MISSED


def plain_verdict(ok: bool) -> str:
    return MET if ok else MISSED


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def interleaved(runs: int, sides: list[tuple[Series, Callable[[], Run]]]) -> None:
    """`runs` rounds, each measuring every side once, in order."""
    for i in range(runs):
        for series, step in sides:
            measured(series, step, f"{series.label}, essai {i + 1}/{runs}")


def measured(series: Series, step: Callable[[], Run], what: str) -> None:
    progress(f"{what}…")
    r = step()
    series.runs.append(r)
    progress(f"{what} : {fr(r.seconds, 1)} s mur, {fr(r.cpu, 1)} s CPU, "
             f"{fr(r.peak_mb, 0)} Mo")


# --- projects -----------------------------------------------------------------------------


def our_project(base: Path, n: int) -> Path:
    """A copy of the site's configuration with n synthetic conventions."""
    base.mkdir(parents=True)
    for name in SITE_COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, base / name)
        else:
            shutil.copy2(src, base / name)
    generate(base, n)
    return base


def plain_project(base: Path, ours: Path) -> Path:
    """The conventions our site publishes (drafts are not), expanded by the core, as plain
    pages for mkdocs-material (`mkdocs.yml`) and Zensical (`mkdocs-zensical.yml`)."""
    docs = base / "docs" / "conventions"
    docs.mkdir(parents=True)
    (base / "mkdocs.yml").write_text(PLAIN_MKDOCS, encoding="utf-8")
    (base / "mkdocs-zensical.yml").write_text(PLAIN_ZENSICAL, encoding="utf-8")
    (base / "docs" / "index.md").write_text("# Catalogue\n\nPage d’accueil.\n", encoding="utf-8")
    catalog = load_catalog(ours)
    if catalog.errors:
        raise RuntimeError(f"{len(catalog.errors)} convention(s) générée(s) invalide(s)")
    for conv in published(catalog).conventions:  # what our site publishes: no drafts
        (docs / f"{conv.id}.md").write_text(render_markdown(expand(conv)), encoding="utf-8")
    return base


def our_site(project: Path, engine: str = "mkdocs", cold: bool = True) -> Run:
    """`coop site`; `cold`: the previous site and every cache (loaded conventions,
    generated pages) removed first; else rebuilt in place with nothing changed."""
    site = project / "build" / ("site" if engine == "mkdocs" else f"site-{engine}")
    if cold:
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(project / "build" / ".cache", ignore_errors=True)
    return run([PY, "-m", "coop", "site", "--racine", str(project), "--sortie", str(site),
                "--moteur", engine], env={"COOP_AUJOURDHUI": TODAY})


def our_site_one_change(project: Path) -> Run:
    """`coop site` after one convention's text changed (a pull request's usual size):
    a paragraph is added to the first convention, another one at each run."""
    first = min((project / "conventions").rglob("*.md"))
    text = first.read_text("utf-8")
    first.write_text(f"{text.rstrip()}\n\nParagraphe ajouté n° {text.count('ajouté n°') + 1}.\n",
                     "utf-8")
    return our_site(project, cold=False)


def plain_site(project: Path) -> Run:
    site = project / "build" / "site"
    shutil.rmtree(site, ignore_errors=True)
    return run([PY, "-m", "mkdocs", "build", "--strict", "--quiet", "-f",
                str(project / "mkdocs.yml"), "--site-dir", str(site)],
               env={"NO_MKDOCS_2_WARNING": "1"})


def plain_zensical(project: Path) -> Run:
    shutil.rmtree(project / "build" / "site-zensical", ignore_errors=True)
    return run([PY, "-m", "zensical", "build", "--clean", "-f",
                str(project / "mkdocs-zensical.yml")], cwd=project)


def our_export(project: Path, out: Path) -> Run:
    return run([PY, "-m", "coop", "export", "--format", "all",
                "--racine", str(project), "--out", str(out)],
               env={"COOP_AUJOURDHUI": TODAY})


def naive_export(sources: list[Path], out: Path) -> Run:
    """pandoc once per format per document, one after the other, then typst."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    peak = maxrss = cpu = 0.0
    for md in sources:
        stem = out / md.stem
        for cmd in ([pandoc, "-f", "markdown", "-t", "docx", "-o", f"{stem}.docx", str(md)],
                    [pandoc, "-s", "-f", "markdown", "-t", "typst", "-o", f"{stem}.typ",
                     str(md)],
                    [PY, "-c", NAIVE_TYPST, f"{stem}.typ", f"{stem}.pdf"]):
            r = run(cmd)
            peak, maxrss, cpu = max(peak, r.peak_mb), max(maxrss, r.max_rss_mb), cpu + r.cpu
    return Run(time.perf_counter() - started, peak, maxrss, cpu)


# --- bytes a browser loads ----------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    path: str  # URL path on the served site
    raw: int  # bytes of the file
    sent: int  # bytes transferred: gzip level 6, or as is when already gzip-compressed


def loaded(path: str, body: bytes) -> Loaded:
    already = body[:2] == b"\x1f\x8b"  # Pagefind's index and fragments are gzip files
    return Loaded(path, len(body), len(body) if already else len(gzip.compress(body, 6)))


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        exe = CHROMIUM if Path(CHROMIUM).exists() else None
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def _recorder(into: list[object]) -> Callable[[object], None]:
    def record(response: object) -> None:  # Playwright wants a Python function here
        into.append(response)
    return record


def _bodies(responses: list[object]) -> list[Loaded]:
    out = []
    for resp in responses:
        path = urlsplit(resp.url).path  # type: ignore[attr-defined]
        if not resp.url.startswith("http") or resp.status >= 300:  # type: ignore[attr-defined]
            continue
        try:
            out.append(loaded(path, resp.body()))  # type: ignore[attr-defined]
        except Exception:  # a response without a body: nothing transferred
            continue
    return out


def catalogue_first_load(browser: object, base: str) -> list[Loaded]:
    """Every file of the catalogue's first load that is not the theme's: the page, our
    CSS/JS, the data fetched on load (up to the network falling idle after `load`)."""
    page = browser.new_page()  # type: ignore[attr-defined]
    got: list[object] = []
    page.on("response", _recorder(got))
    page.goto(base + "catalogue/", wait_until="load")
    page.wait_for_load_state("networkidle")
    files = _bodies(got)
    page.close()
    return [f for f in files if not f.path.lstrip("/").startswith(THEME_DIRS)]


# What the search page does (docs/assets/recherche.js): the first bundle's library, the
# other bundles of pagefind/lots.json merged in, then the query and its first results.
SEARCH_JS = """async ([word, first]) => {
  const base = new URL("pagefind/", document.baseURI);
  if (!window.coopPf) {
    const pf = await import(new URL("pagefind.js", base).href);
    const settings = {baseUrl: new URL("../", base).pathname, excerptLength: 30};
    await pf.options(settings);
    await pf.init();
    const answer = await fetch(new URL("lots.json", base).href);
    const lots = answer.ok ? ((await answer.json()).lots || []) : [];
    for (const name of lots.filter(Boolean)) {
      await pf.mergeIndex(new URL(name, base).pathname, settings);
    }
    window.coopPf = pf;
  }
  const found = await window.coopPf.search(word);
  await Promise.all(found.results.slice(0, first).map(r => r.data()));
  return found.results.length;
}"""


def query_load(browser: object, base: str, word: str,
               after: str | None = None) -> tuple[list[Loaded], int]:
    """The files a query for `word` loads and its result count, through Pagefind's API
    as the search page drives it (every bundle merged): in a fresh visit (library,
    WebAssembly, each bundle's metadata, the word's index chunks in each bundle, the
    first results' fragments), or, with `after`, once a query for `after` was made in
    the same visit (what one more query costs)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(base, wait_until="load")
    if after is not None:
        page.evaluate(SEARCH_JS, [after, SEARCH_RESULTS])
        page.wait_for_load_state("networkidle")
    got: list[object] = []
    page.on("response", _recorder(got))
    results = page.evaluate(SEARCH_JS, [word, SEARCH_RESULTS])
    page.wait_for_load_state("networkidle")
    files = [f for f in _bodies(got) if "/pagefind/" in f.path]
    context.close()
    return files, int(results)


@dataclass
class BrowserFigures:
    catalogue: list[Loaded]
    queries: dict[str, tuple[list[Loaded], int]]


def browser_figures(site: Path) -> BrowserFigures:
    with serving(site) as base, chromium() as browser:
        catalogue = catalogue_first_load(browser, base)
        queries = {}
        if (site / "pagefind" / "pagefind.js").is_file():
            queries = {f"« {w} »": query_load(browser, base, w) for w in SEARCH_WORDS}
            first, then = SEARCH_WORDS
            queries[f"« {then} » après « {first} »"] = query_load(browser, base, then, first)
    return BrowserFigures(catalogue, queries)


@dataclass
class SiteFigures:
    site_bytes: int
    plain_bytes: int
    pagefind_bytes: int
    material_index: Loaded  # Material's search index on the plain site
    index_note: str
    browser: BrowserFigures | None


def site_figures(ours: Path, plain: Path) -> SiteFigures:
    """Sizes of the built sites (logged as soon as known)."""
    built, plain_built = ours / "build" / "site", plain / "build" / "site"
    note = ""
    if not (built / "pagefind" / "pagefind.js").is_file():  # not (yet) a build step
        from coop.site import search

        stats = search.index(built)
        note = (f" (index construit par le banc en {fr(stats.seconds, 1)} s : "
                "« coop site » ne l’a pas fait)")
    material_json = plain_built / "search" / "search_index.json"
    figures = SiteFigures(tree_bytes(built), tree_bytes(plain_built),
                          tree_bytes(built / "pagefind"),
                          loaded(material_json.name, material_json.read_bytes()), note, None)
    progress(f"tailles : site {fr(figures.site_bytes / 1e6, 1)} Mo, simple "
             f"{fr(figures.plain_bytes / 1e6, 1)} Mo, Pagefind "
             f"{fr(figures.pagefind_bytes / 1e6, 1)} Mo{note}, index de Material "
             f"{ko(figures.material_index.sent)} ({ko(figures.material_index.raw)} bruts)")
    return figures


def browser_step(site: Path) -> BrowserFigures:
    """The bytes a browser loads (logged as soon as known)."""
    progress("Chromium : premier chargement du catalogue et requêtes de recherche")
    figures = browser_figures(site)
    cat = figures.catalogue
    progress(f"catalogue : {ko(sum(f.sent for f in cat))} transférés "
             f"({ko(sum(f.raw for f in cat))} bruts) : "
             + ", ".join(f"{f.path} {ko(f.sent)}" for f in cat))
    for word, (files, found) in figures.queries.items():
        progress(f"recherche {word} : {ko(sum(f.sent for f in files))} transférés, "
                 f"{found} résultats : " + ", ".join(f"{f.path} {ko(f.sent)}" for f in files))
    return figures


# --- sizes and the report -----------------------------------------------------------------


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def fr(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")


def ko(n: float) -> str:
    return f"{fr(n / 1000, 1)} Ko"


def pct(x: float) -> str:
    return f"{fr(100 * x, 0)} %"


def env_int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} doit être un nombre entier, pas « {raw} »") from None
    if value < minimum:
        raise SystemExit(f"{name} doit être au moins {minimum}")
    return value


def env_on(name: str) -> bool:
    return os.environ.get(name, "1").strip() != "0"


@dataclass
class Row:
    label: str
    value: str
    target: str = ""
    verdict: str = ""


def print_table(headers: Sequence[str], cells: list[Sequence[str]]) -> None:
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    print(line(headers))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for c in cells:
        print(line(c))


def timing_cells(series: Series) -> list[str]:
    runs = " / ".join(fr(v, 1) for v in series.values("mur"))
    return [series.label, f"{fr(series.median('mur'), 1)} s", pct(series.spread("mur")),
            f"{fr(series.median('cpu'), 1)} s", pct(series.spread("cpu")), runs,
            f"{fr(series.peak_mb, 0)} Mo"]


def ratio_rows(label: str, ours: Series, ref: Series, target: float | None,
               target_note: str = "") -> list[Row]:
    """One row per metric (wall, CPU): median of the run-by-run ratios, their range, and
    the verdict unless either side or the ratios spread more than NOISE_LIMIT."""
    rows: list[Row] = []
    for metric in ("mur", "cpu"):
        ratios = pair_ratios(ours, ref, metric)
        if not ratios:  # an interrupted run: no complete pair yet
            return rows
        mid = statistics.median(ratios)
        value = f"{fr(mid)}×" + (f" ({fr(min(ratios))}–{fr(max(ratios))})"
                                 if len(ratios) > 1 else "")
        spreads = (ours.spread(metric), ref.spread(metric), spread(ratios))
        if target is None:
            rows.append(Row(f"{label} ({'mur' if metric == 'mur' else 'CPU'})", value))
            continue
        rows.append(Row(f"{label} ({'mur' if metric == 'mur' else 'CPU'})", value,
                        f"≤ {fr(target, 1)}×{target_note}",
                        timing_verdict(mid <= target, spreads, len(ratios))))
    return rows


def shapes_rows(tmp: Path, runs: int) -> list[Row]:
    """`coop check` (a whole process, as `make check`) on every hostile shape of
    tests/hostile_shapes.py, each BENCH_RUNS times: the worst median CPU time."""
    spec = importlib.util.spec_from_file_location("hostile_shapes",
                                                  ROOT / "tests" / "hostile_shapes.py")
    assert spec is not None and spec.loader is not None
    hostile_shapes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hostile_shapes)

    folder = tmp / "formes"
    medians: list[tuple[float, float, str]] = []  # (median CPU, spread, shape)
    progress(f"formes hostiles : {len(hostile_shapes.SHAPES)} fichiers, {runs} essai(s) chacun")
    for name in hostile_shapes.SHAPES:
        path = hostile_shapes.write(folder, name)
        cpus = [run([PY, "-m", "coop", "check", str(path), "--racine", str(folder)],
                    codes=(0, 1)).cpu for _ in range(runs)]
        medians.append((statistics.median(cpus), spread(cpus), name))
        path.unlink()
    worst, worst_spread, name = max(medians)
    progress("formes hostiles : " + ", ".join(f"{n} {fr(c)} s" for c, _, n in
                                               sorted(medians, reverse=True)[:5]))
    return [Row(f"Formes hostiles : « coop check » d’un fichier, pire cas sur "
                f"{len(medians)} formes (processus entier)",
                f"{fr(worst)} s CPU ({name}) ; médiane des formes "
                f"{fr(statistics.median(c for c, _, _ in medians))} s",
                f"≤ {fr(TARGET_SHAPE_CPU_S, 0)} s",
                timing_verdict(worst <= TARGET_SHAPE_CPU_S, [worst_spread], runs))]


def export_bench(tmp: Path, ours: Path, n: int, n_export: int, n_naive: int, runs: int,
                 times: list[Series], notes: list[str]) -> list[Row]:
    """Export PDF + DOCX (fresh folder), the re-export with nothing changed, the naive
    reference: their timing series go to `times`, their target rows are returned."""
    exp = our_project(tmp / "export", n_export) if n_export != n else ours
    exported = Series(f"Export PDF + DOCX, le nôtre (N = {n_export}, dossier neuf)")
    again = Series(f"Réexport sans changement (N = {n_export})")
    naive = Series(f"Export naïf, pandoc par document (N = {n_naive}, une fois)")
    times += [exported, again, naive]  # shown even if the run is interrupted
    out = tmp / "exports"
    for i in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        measured(exported, lambda: our_export(exp, out), f"{exported.label}, essai {i + 1}")
        measured(again, lambda: our_export(exp, out), f"{again.label}, essai {i + 1}")
    exports = sorted(out.glob("bench-*.pdf")) + sorted(out.glob("bench-*.docx"))
    if len(exports) != 2 * n_export:
        raise RuntimeError(f"{len(exports)} fichiers exportés, {2 * n_export} attendus")
    md_dir = tmp / "naive-md"
    md_dir.mkdir()
    sources = []
    for conv in load_catalog(exp).conventions[:n_naive]:
        path = md_dir / f"{conv.id}.md"
        path.write_text(render_markdown(expand(conv)), encoding="utf-8")
        sources.append(path)
    measured(naive, lambda: naive_export(sources, tmp / "naive-out"), naive.label)
    scale = n_export / n_naive
    naive_s, naive_cpu = naive.median("mur") * scale, naive.median("cpu") * scale
    rate = [n_export / s for s in exported.values("mur")]
    spreads = [exported.spread("mur")]
    if n_naive != n_export:
        notes.append(f"Export naïf : mesuré sur {n_naive} documents, une fois, et extrapolé "
                     f"à {n_export} (une référence séquentielle est linéaire).")
    return [
        Row("Export : accélération nôtre / naïf (mur ; CPU)",
            f"{fr(naive_s / exported.median('mur'), 1)}× ; "
            f"{fr(naive_cpu / exported.median('cpu'), 1)}×"),
        Row(f"Export : débit PDF + DOCX (N = {n_export}, {os.cpu_count()} cœurs)",
            f"{fr(statistics.median(rate), 1)} conventions/s",
            f"≥ {fr(TARGET_EXPORT_RATE, 0)}/s (2 cœurs, N = 300)",
            timing_verdict(statistics.median(rate) >= TARGET_EXPORT_RATE, spreads, runs)),
        Row(f"Réexport sans changement (N = {n_export})", f"{fr(again.median('mur'), 2)} s",
            f"≤ {fr(TARGET_REEXPORT_S, 0)} s à N = 1000",
            size_verdict(True, n_export, 1000) if n_export < 1000 else
            timing_verdict(again.median("mur") <= TARGET_REEXPORT_S, [again.spread("mur")],
                           runs)),
        Row(f"Mémoire de pointe, export (N = {n_export})", f"{fr(exported.peak_mb, 0)} Mo"),
    ]


def snapshot() -> None:
    """Re-run this bench from a copy of the last commit (code, pages, configuration):
    others may edit the working tree while a long measure runs."""
    if os.environ.get("BENCH_CODE") or os.environ.get("BENCH_SOURCE") == "arbre":
        return
    git = ["git", "-C", str(ROOT)]
    try:
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        # the hostile shapes are built from a sample convention and its logos
        tar = subprocess.run([*git, "archive", "--format=tar", "HEAD", "macros", "scripts",
                              "tests/hostile_shapes.py", "conventions", *SITE_COPY],
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        progress("pas de dépôt git lisible : le dossier de travail est mesuré tel quel")
        return
    code = Path(tempfile.mkdtemp(prefix="coop-bench-code-"))
    subprocess.run(["tar", "-x", "-C", str(code)], input=tar, check=True)
    path = os.pathsep.join(filter(None, (str(code / "macros"), os.environ.get("PYTHONPATH"))))
    progress(f"mesure du commit {commit} (copie dans {code})")
    os.execve(PY, [PY, str(code / "scripts" / "bench.py")],
              {**os.environ, "BENCH_CODE": str(code), "BENCH_COMMIT": commit,
               "PYTHONPATH": path})


def main() -> int:
    snapshot()
    n = env_int("BENCH_N", 1000)
    runs = env_int("BENCH_RUNS", 3)
    growth = env_on("BENCH_CROISSANCE")
    zensical = env_on("BENCH_ZENSICAL")
    mkdocs = env_on("BENCH_MKDOCS")
    noop = mkdocs and env_on("BENCH_SANS_CHANGEMENT")
    in_browser = env_on("BENCH_NAVIGATEUR")
    export = env_on("BENCH_EXPORT")
    shapes = env_on("BENCH_FORMES")
    n_export = env_int("BENCH_EXPORT_N", min(300, n))
    n_naive = min(env_int("BENCH_NAIVE_N", 60), n_export)
    tmp = Path(tempfile.mkdtemp(prefix="coop-bench-"))
    started = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    site = Series(f"Site, le nôtre, MkDocs (N = {n})")
    ref = Series(f"Site, mkdocs-material simple (N = {n})")
    zsite = Series(f"Site, le nôtre, Zensical (N = {n})")
    zref = Series(f"Site, Zensical simple (N = {n})")
    again = Series(f"Site, le nôtre, MkDocs, sans changement (N = {n})")
    changed = Series(f"Site, le nôtre, MkDocs, une convention modifiée (N = {n})")
    site2 = Series(f"Site, le nôtre, MkDocs (N = {2 * n})")
    site1 = Series(f"Site, le nôtre, MkDocs (N = {n}), essais de la croissance")
    times = [site, ref] + ([again, changed] if noop else []) + (
        [site1, site2] if growth else []) + ([zsite, zref] if zensical else [])
    figures: SiteFigures | None = None
    export_rows: list[Row] = []
    shape_rows: list[Row] = []
    interrupted = False
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        progress(f"génération de {n} conventions" + (f" (et {2 * n} pour la croissance)"
                                                    if growth else "") + f" dans {tmp}")
        ours = our_project(tmp / "ours", n)
        plain = plain_project(tmp / "plain", ours)
        ours2 = our_project(tmp / "ours-2n", 2 * n) if growth else None
        # each group interleaved (a slow moment hits both sides), the targets first
        if mkdocs:
            interleaved(runs, [(site, lambda: our_site(ours)),
                               (ref, lambda: plain_site(plain))]
                        + ([(again, lambda: our_site(ours, cold=False)),
                            (changed, lambda: our_site_one_change(ours))] if noop else []))
            figures = site_figures(ours, plain)
            if in_browser:
                figures.browser = browser_step(ours / "build" / "site")
        if ours2 is not None:
            interleaved(runs, [(site1, lambda: our_site(ours)),
                               (site2, lambda: our_site(ours2))])
        if zensical:
            interleaved(runs, [(zsite, lambda: our_site(ours, "zensical")),
                               (zref, lambda: plain_zensical(plain))])
        if export:
            export_rows = export_bench(tmp, ours, n, n_export, n_naive, runs, times, notes)
        if shapes:
            shape_rows = shapes_rows(tmp, runs)
    except KeyboardInterrupt:  # Ctrl+C or SIGTERM: report what was measured
        interrupted = True
        progress("interrompu : rapport partiel de ce qui est mesuré")
    finally:
        if os.environ.get("BENCH_GARDER") == "1":
            progress(f"dossier gardé : {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)  # the sizes were read before
            if os.environ.get("BENCH_CODE"):
                shutil.rmtree(os.environ["BENCH_CODE"], ignore_errors=True)
    # -- the report (sizes were read above, before the folder went)
    rows += ratio_rows("Site MkDocs : nôtre / mkdocs-material simple", site, ref,
                       TARGET_SITE_RATIO, " (à N = 1000)")
    if noop:
        rows += ratio_rows("Site sans changement / à froid", again, site, TARGET_NOOP_RATIO,
                           " (« nettement plus rapide »)")
        rows += ratio_rows("Site, une convention modifiée / mkdocs-material simple", changed,
                           ref, None)
    if growth:
        rows += [Row(r.label.replace("Croissance", f"Croissance : site à {2 * n} / à {n}"),
                     r.value, r.target, r.verdict)
                 for r in ratio_rows("Croissance", site2, site1, TARGET_GROWTH)]
    if zensical:
        rows += ratio_rows("Site Zensical : nôtre / Zensical simple", zsite, zref, None)
    for built, engine in ((site, "MkDocs"), (zsite, "Zensical")):
        if built.runs:
            rows.append(Row(f"Mémoire de pointe, notre site {engine} (N = {n})",
                            f"{fr(built.peak_mb, 0)} Mo",
                            f"≤ {fr(TARGET_PEAK_MB, 0)} Mo à N = 10 000",
                            size_verdict(built.peak_mb <= TARGET_PEAK_MB, n)))
    plain_peaks = [(engine, f"{fr(s.peak_mb, 0)} Mo")
                   for s, engine in ((ref, "MkDocs"), (zref, "Zensical")) if s.runs]
    if plain_peaks:
        engines = " / ".join(e for e, _ in plain_peaks)
        rows.append(Row(f"Mémoire de pointe, pages simples ({engines})",
                        " / ".join(v for _, v in plain_peaks)))
    if figures is not None:
        rows += figure_rows(figures, n, notes)
    rows += export_rows + shape_rows
    report(n, runs, [s for s in times if s.runs], rows, notes,
           f"{n_export} pour l’export" if export else "", interrupted, started)
    return 130 if interrupted else 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def figure_rows(figures: SiteFigures, n: int, notes: list[str]) -> list[Row]:
    rows = []
    rows.append(Row("Taille du site, le nôtre / simple (MkDocs)",
                    f"{fr(figures.site_bytes / 1e6, 1)} Mo / "
                    f"{fr(figures.plain_bytes / 1e6, 1)} Mo ({ko(figures.site_bytes / n)} / "
                    f"{ko(figures.plain_bytes / n)} par convention)"))
    rows.append(Row("Index de recherche Pagefind (notre site)",
                    f"{fr(figures.pagefind_bytes / 1e6, 1)} Mo "
                    f"({ko(figures.pagefind_bytes / n)} par convention){figures.index_note}"))
    rows.append(Row("Index de recherche de Material (simple), chargé par chaque page",
                    f"{ko(figures.material_index.sent)} transférés "
                    f"({ko(figures.material_index.raw)} bruts)"))
    if figures.browser is not None:
        cat = figures.browser.catalogue
        sent, raw = sum(f.sent for f in cat), sum(f.raw for f in cat)
        rows.append(Row(f"Catalogue, premier chargement hors thème (N = {n})",
                        f"{ko(sent)} transférés ({ko(raw)} bruts, {len(cat)} fichiers)",
                        f"≤ {fr(TARGET_FIRST_LOAD_KB, 0)} Ko à N = 10 000",
                        size_verdict(sent <= TARGET_FIRST_LOAD_KB * 1000, n)))
        notes.append("Premier chargement du catalogue : " + ", ".join(
            f"{f.path} {ko(f.sent)} ({ko(f.raw)})" for f in cat) + ".")
        for word, (files, found) in figures.browser.queries.items():
            q_sent, q_raw = sum(f.sent for f in files), sum(f.raw for f in files)
            setup = sum(f.sent for f in files if not f.path.endswith((".pf_index",
                                                                      ".pf_fragment")))
            rows.append(Row(f"Recherche {word} : octets par requête (N = {n})",
                            f"{ko(q_sent)} transférés ({ko(q_raw)} bruts ; mise en place "
                            f"{ko(setup)}, index et extraits {ko(q_sent - setup)} ; "
                            f"{found} résultats)",
                            f"≤ {fr(TARGET_QUERY_KB, 0)} Ko à N = 10 000",
                            size_verdict(q_sent <= TARGET_QUERY_KB * 1000, n)))
        if not figures.browser.queries:
            rows.append(Row("Recherche : octets par requête", "pas d’index Pagefind",
                            f"≤ {fr(TARGET_QUERY_KB, 0)} Ko", "pas de verdict"))
    return rows


def report(n: int, runs: int, times: list[Series], rows: list[Row], notes: list[str],
           export: str, interrupted: bool, started: float) -> None:
    load = " / ".join(fr(x) for x in os.getloadavg())
    commit = os.environ.get("BENCH_COMMIT")
    print(f"Banc d’essai : {n} conventions pour le site" + (f", {export}" if export else "")
          + (f", commit {commit}" if commit else ", dossier de travail")
          + f", {runs} essai(s) par mesure, {os.cpu_count()} cœur(s), charge {load}"
          + (" — interrompu : rapport partiel." if interrupted else "."))
    print()
    print("Temps : médiane des essais ; écart = (max − min) / médiane ; CPU = utilisateur + "
          "système de tout l’arbre de processus.")
    if times:
        print_table(("Mesure", "Mur", "Écart mur", "CPU", "Écart CPU", "Essais (mur, s)",
                     "Mémoire de pointe"), [timing_cells(s) for s in times])
    print()
    print(f"Cibles (rapports : médiane des rapports essai par essai, entrelacés ; verdict "
          f"sur {MIN_RUNS} essais au moins et {pct(NOISE_LIMIT)} d’écart au plus) :")
    if rows:
        print_table(("Mesure", "Valeur", "Cible", "Verdict"),
                    [(r.label, r.value, r.target, r.verdict) for r in rows])
    for note in notes:
        print(note)
    judged = [r for r in rows if r.verdict]
    counts = {v: sum(1 for r in judged if r.verdict == v) for v in (MET, MISSED)}
    open_ = len(judged) - counts[MET] - counts[MISSED]
    print(f"Résumé : {counts[MET]} cible(s) atteinte(s), {counts[MISSED]} manquée(s), "
          f"{open_} sans verdict (banc en {fr(time.perf_counter() - started, 0)} s).")


if __name__ == "__main__":
    sys.exit(main())
