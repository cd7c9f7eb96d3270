#!/usr/bin/env python3
"""Banc d’essai du catalogue : `make bench` (BENCH_N=… pour changer la taille).

Génère N conventions synthétiques valides dans un dossier temporaire et mesure, dans la
même exécution, des temps de processus entiers (médiane de BENCH_RUNS exécutions) :

1. le site : `python -m coop site` (qui valide tout, génère les pages puis lance MkDocs,
   comme `make site`) contre un
   build mkdocs-material simple des mêmes conventions déjà développées en pages Markdown
   (hors menu, même thème, recherche active) ;
2. la croissance : notre site à 2N divisé par notre site à N ;
3. l’export PDF + DOCX de BENCH_EXPORT_N conventions (python -m coop export --format all,
   dossier neuf) contre une référence naïve : pandoc une fois par format et par document,
   à la suite (md→docx ; md→typst puis compilation typst dans un processus python) ;
4. le second export sans changement (cache) ;
5. taille du site et de l’index de recherche par convention, mémoire de pointe.

Variables : BENCH_N (site, défaut 1000), BENCH_EXPORT_N (défaut 300, ou BENCH_N s’il est
plus petit), BENCH_RUNS (défaut 3), BENCH_NAIVE_N (documents de la référence naïve,
défaut 60 : une référence séquentielle est linéaire, son temps est extrapolé à
BENCH_EXPORT_N et le tableau le dit),
BENCH_GARDER=1 (garde le dossier temporaire), BENCH_CROISSANCE=0 (saute la mesure à 2N).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchgen import REFERENCE_DAY, generate  # scripts/benchgen.py, next to this file
from coop.catalog import load_catalog
from coop.expand import expand
from coop.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parent.parent

PY = sys.executable
TODAY = REFERENCE_DAY.isoformat()  # COOP_AUJOURDHUI: reproducible computed dates
SITE_COPY = ("mkdocs.yml", "docs")  # copied

# Targets of issue 8.
TARGET_SITE_RATIO = 1.2
TARGET_GROWTH = 2.2
TARGET_EXPORT_SPEEDUP = 3.0
TARGET_EXPORT_RATE = 15.0  # conventions per second
TARGET_REEXPORT_S = 2.0
TARGET_INDEX_KB = 8.0
TARGET_SITE_MB = 600.0

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

NAIVE_TYPST = ("import sys, typst; "
               "typst.compile(sys.argv[1], output=sys.argv[2], format='pdf')")


# --- measuring whole processes ------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float  # peak of the summed RSS of the process tree (sampled)
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
        quiet: bool = True) -> Run:
    """Run one command to completion: wall time, sampled tree peak RSS, max RSS (wait4)."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL if quiet else None,
                            stderr=subprocess.PIPE, text=True)
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
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"échec ({proc.returncode}) de : {' '.join(cmd)}\n{stderr[-3000:]}")
    return Run(elapsed, max(peak, usage.ru_maxrss) / 1024, usage.ru_maxrss / 1024,
               usage.ru_utime + usage.ru_stime)


def run_all(steps: Sequence[Callable[[], Run]]) -> Run:
    """Several processes in a row, as one measure: times added, memories maxed."""
    runs = [step() for step in steps]
    return Run(sum(r.seconds for r in runs), max(r.peak_mb for r in runs),
               max(r.max_rss_mb for r in runs), sum(r.cpu for r in runs))


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    def shown(self) -> str:
        times = " / ".join(fr(r.seconds, 1) for r in self.runs)
        return f"{fr(self.median, 1)} s" + (f" (essais : {times})" if len(self.runs) > 1 else "")


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


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
    """The same conventions, expanded by the core, as plain mkdocs-material pages."""
    docs = base / "docs" / "conventions"
    docs.mkdir(parents=True)
    (base / "mkdocs.yml").write_text(PLAIN_MKDOCS, encoding="utf-8")
    (base / "docs" / "index.md").write_text("# Catalogue\n\nPage d’accueil.\n", encoding="utf-8")
    catalog = load_catalog(ours)
    if catalog.errors:
        raise RuntimeError(f"{len(catalog.errors)} convention(s) générée(s) invalide(s)")
    for conv in catalog.conventions:
        (docs / f"{conv.id}.md").write_text(render_markdown(expand(conv)), encoding="utf-8")
    return base


def our_site(project: Path) -> Run:
    env = {"COOP_AUJOURDHUI": TODAY}
    site = project / "build" / "site"
    shutil.rmtree(site, ignore_errors=True)
    return run_all([
        lambda: run([PY, "-m", "coop", "site", "--racine", str(project), "--sortie", str(site)],
                    env=env),
    ])


def plain_site(project: Path) -> Run:
    site = project / "build" / "site"
    shutil.rmtree(site, ignore_errors=True)
    return run([PY, "-m", "mkdocs", "build", "--strict", "--quiet", "-f",
                str(project / "mkdocs.yml"), "--site-dir", str(site)])


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


# --- sizes and the report -----------------------------------------------------------------


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def fr(value: float, digits: int = 2) -> str:
    text = f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return text


def verdict(ok: bool) -> str:
    return "OK" if ok else "MANQUÉ"


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} doit être un nombre entier, pas « {raw} »") from None
    if value < 1:
        raise SystemExit(f"{name} doit être au moins 1")
    return value


@dataclass
class Row:
    label: str
    value: str
    target: str = ""
    ok: bool | None = None


def print_table(rows: list[Row]) -> None:
    headers = ("Mesure", "Valeur", "Cible", "Verdict")
    cells = [(r.label, r.value, r.target, "" if r.ok is None else verdict(r.ok)) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    print(line(headers))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for c in cells:
        print(line(c))


def main() -> int:
    n = env_int("BENCH_N", 1000)
    n_export = env_int("BENCH_EXPORT_N", min(300, n))
    runs = env_int("BENCH_RUNS", 3)
    n_naive = min(env_int("BENCH_NAIVE_N", 60), n_export)
    growth = os.environ.get("BENCH_CROISSANCE", "1") != "0"
    tmp = Path(tempfile.mkdtemp(prefix="coop-bench-"))
    started = time.perf_counter()
    try:
        progress(f"génération de {n} conventions (et {2 * n} pour la croissance) dans {tmp}")
        ours = our_project(tmp / "ours", n)
        plain = plain_project(tmp / "plain", ours)
        ours2 = our_project(tmp / "ours-2n", 2 * n) if growth else None
        site, ref, site2 = Series(), Series(), Series()
        for i in range(runs):  # interleaved, so that a slow moment hits both sides
            progress(f"site, essai {i + 1}/{runs} : le nôtre ({n})")
            site.runs.append(our_site(ours))
            progress(f"site, essai {i + 1}/{runs} : mkdocs-material simple ({n})")
            ref.runs.append(plain_site(plain))
            if ours2 is not None:
                progress(f"site, essai {i + 1}/{runs} : le nôtre ({2 * n})")
                site2.runs.append(our_site(ours2))
        built = ours / "build" / "site"
        site_kb = tree_bytes(built) / 1024 / n
        index_kb = (built / "search" / "search_index.json").stat().st_size / 1024 / n
        plain_index_kb = ((plain / "build" / "site" / "search" / "search_index.json")
                          .stat().st_size / 1024 / n)

        exp = our_project(tmp / "export", n_export) if n_export != n else ours
        exported, again = Series(), Series()
        for i in range(runs):
            progress(f"export, essai {i + 1}/{runs} : le nôtre ({n_export}, dossier neuf)")
            out = tmp / f"exports-{i}"
            exported.runs.append(our_export(exp, out))
        for i in range(runs):
            progress(f"export, essai {i + 1}/{runs} : sans changement (cache)")
            again.runs.append(our_export(exp, out))
        exports = sorted(out.glob("*.pdf")) + sorted(out.glob("*.docx"))
        if len(exports) != 2 * n_export:
            raise RuntimeError(f"{len(exports)} fichiers exportés, {2 * n_export} attendus")

        progress(f"export : référence naïve ({n_naive} documents, à la suite)")
        md_dir = tmp / "naive-md"
        md_dir.mkdir()
        sources = []
        for conv in load_catalog(exp).conventions[:n_naive]:
            path = md_dir / f"{conv.id}.md"
            path.write_text(render_markdown(expand(conv)), encoding="utf-8")
            sources.append(path)
        naive = naive_export(sources, tmp / "naive-out")
        naive_s = naive.seconds * n_export / n_naive
    finally:
        if os.environ.get("BENCH_GARDER") == "1":
            progress(f"dossier gardé : {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    site_ratio = site.median / ref.median
    export_ratio = naive_s / exported.median
    rate = n_export / exported.median
    reexport = again.median
    rows = [
        Row(f"Site, le nôtre (mkdocs + validation, N = {n})", site.shown()),
        Row(f"Site, mkdocs-material simple (N = {n})", ref.shown()),
        Row("Site : rapport nôtre / simple", f"{fr(site_ratio)}×", f"≤ {fr(TARGET_SITE_RATIO, 1)}×",
            site_ratio <= TARGET_SITE_RATIO),
        Row("Site : rapport en temps CPU (indicatif)", f"{fr(site.cpu / ref.cpu)}× "
            f"({fr(site.cpu, 1)} s / {fr(ref.cpu, 1)} s)"),
    ]
    if growth:
        g = site2.median / site.median
        rows += [Row(f"Site, le nôtre (N = {2 * n})", site2.shown()),
                 Row(f"Croissance : site à {2 * n} / site à {n}", fr(g),
                     f"≤ {fr(TARGET_GROWTH, 1)}", g <= TARGET_GROWTH)]
    naive_label = (f"Export naïf (pandoc par document, N = {n_export})" if n_naive == n_export
                   else f"Export naïf (extrapolé de {n_naive} à {n_export} documents)")
    rows += [
        Row(f"Export PDF + DOCX, le nôtre (N = {n_export})", exported.shown()),
        Row(naive_label, f"{fr(naive_s, 1)} s"),
        Row("Export : temps CPU, le nôtre / naïf", f"{fr(exported.cpu, 1)} s / "
            f"{fr(naive.cpu * n_export / n_naive, 1)} s"),
        Row("Export : accélération nôtre / naïf", f"{fr(export_ratio, 1)}×",
            f"≥ {fr(TARGET_EXPORT_SPEEDUP, 0)}×", export_ratio >= TARGET_EXPORT_SPEEDUP),
        Row("Export : débit", f"{fr(rate, 1)} conventions/s", f"≥ {fr(TARGET_EXPORT_RATE, 0)}/s",
            rate >= TARGET_EXPORT_RATE),
        Row(f"Réexport sans changement (N = {n_export})", again.shown(),
            f"≤ {fr(TARGET_REEXPORT_S, 0)} s à N = 1000" if n_export != 1000
            else f"≤ {fr(TARGET_REEXPORT_S, 0)} s",
            reexport * (1000 / n_export) <= TARGET_REEXPORT_S),
        Row("Site construit, par convention", f"{fr(site_kb, 1)} Ko"),
        Row("Index de recherche, par convention", f"{fr(index_kb, 2)} Ko "
            f"(simple : {fr(plain_index_kb, 2)} Ko)", f"≤ {fr(TARGET_INDEX_KB, 0)} Ko",
            index_kb <= TARGET_INDEX_KB),
        Row(f"Mémoire de pointe, site (N = {n})", f"{fr(site.peak_mb, 0)} Mo",
            f"≤ {fr(TARGET_SITE_MB, 0)} Mo", site.peak_mb <= TARGET_SITE_MB),
        Row(f"Mémoire de pointe, site simple (N = {n})", f"{fr(ref.peak_mb, 0)} Mo"),
        Row(f"Mémoire de pointe, export (N = {n_export})", f"{fr(exported.peak_mb, 0)} Mo"),
    ]
    load = " / ".join(fr(x) for x in os.getloadavg())
    print(f"Banc d’essai : {n} conventions pour le site, {n_export} pour l’export, "
          f"médiane de {runs} essai(s), {os.cpu_count()} cœur(s), charge {load}.")
    print_table(rows)
    if n_export != 1000:
        print(f"(Réexport : cible jugée sur le temps ramené à 1000 conventions, "
              f"{fr(reexport * 1000 / n_export, 1)} s, en supposant un coût linéaire.)")
    missed = [r for r in rows if r.ok is False]
    summary = (f"Résumé : site {fr(site_ratio)}× le simple"
               + (f", croissance {fr(site2.median / site.median)}" if growth else "")
               + f", export {fr(export_ratio, 1)}× le naïf à {fr(rate, 1)} conv./s, "
               f"réexport {fr(reexport, 1)} s, index {fr(index_kb, 1)} Ko/conv., "
               f"mémoire site {fr(site.peak_mb, 0)} Mo — "
               + ("toutes les cibles sont atteintes" if not missed
                  else f"{len(missed)} cible(s) manquée(s)")
               + f" (banc en {fr(time.perf_counter() - started, 0)} s).")
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
