"""The benchmark: synthetic conventions are valid and varied; the verdict logic (noise,
too few runs, targets set at another size); `make bench` runs end to end on 5 conventions
and reports real figures. No timed assertion: targets live in the bench only."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import bench
from bench import NOISY, Run, Series

from benchgen import REFERENCE_DAY, generate
from coop.catalog import load_catalog
from coop.cli.check import deadline_problems
from coop.expand import expand

ROOT = Path(__file__).resolve().parent.parent


def test_generated_conventions_are_valid_and_varied(tmp_path: Path) -> None:
    paths = generate(tmp_path, 60)
    assert len(paths) == 60
    catalog = load_catalog(tmp_path)
    assert [p.format() for p in catalog.problems] == []
    assert len(catalog.conventions) == 60
    # statuses fit the dates on the reference day: no deadline warning either
    assert deadline_problems(catalog, REFERENCE_DAY) == []
    convs = catalog.conventions
    assert {c.data["type"] for c in convs} == {"coloration", "fcil"}
    assert {c.data["statut"] for c in convs} == {
        "brouillon", "en_signature", "signee", "resiliee", "expiree"}
    assert {len(c.data["partenaires"]) for c in convs} == {1, 2, 3, 4}
    assert len({c.data["territoire"]["academie"] for c in convs}) >= 15
    kinds = Counter(s.kind for c in convs for s in c.sections)
    assert kinds["ajout"] and kinds["remplacement"] and kinds["precisions"]
    lengths = sorted(len(c.body) for c in convs)
    assert lengths[-1] > 3 * lengths[0]
    origins = {a.origin for c in convs[:20] for a in expand(c).articles}
    assert {"modele", "ajoute", "remplace"} <= origins


def test_generation_is_deterministic(tmp_path: Path) -> None:
    a = [p.read_bytes() for p in generate(tmp_path / "a", 8)]
    b = [p.read_bytes() for p in generate(tmp_path / "b", 8)]
    assert a == b
    # the first N of 2N are the N conventions: growth compares like with like
    c = [p.read_bytes() for p in generate(tmp_path / "c", 16)][:8]
    assert sorted(a) == sorted(c)


def series(label: str, walls: list[float], cpus: list[float] | None = None) -> Series:
    cpus = cpus or walls
    return Series(label, [Run(w, 100.0, 100.0, c) for w, c in zip(walls, cpus, strict=True)])


def test_spread_is_range_over_median() -> None:
    assert bench.spread([9.0, 10.0, 11.0]) == 0.2
    assert bench.spread([7.0]) == 0.0


def test_timing_verdict_needs_three_quiet_runs() -> None:
    assert bench.timing_verdict(True, [0.05, 0.19], 3) == "atteint"
    assert bench.timing_verdict(False, [0.05], 5) == "manqué"
    assert bench.timing_verdict(True, [0.05, 0.21], 3) == NOISY
    assert bench.timing_verdict(False, [0.5], 3) == NOISY
    assert bench.timing_verdict(True, [0.0], 1).startswith("pas de verdict")


def test_ratio_rows_on_quiet_and_noisy_runs() -> None:
    ours = series("nôtre", [20.0, 21.0, 22.0], [30.0, 31.0, 32.0])
    ref = series("simple", [10.0, 10.0, 11.0], [40.0, 40.0, 41.0])
    wall, cpu = bench.ratio_rows("Site", ours, ref, 1.0)
    # run-by-run ratios 2.0, 2.1, 2.0: median 2.0, range shown
    assert wall.label == "Site (mur)" and wall.value == "2,00× (2,00–2,10)"
    assert wall.verdict == "manqué"
    assert cpu.value.startswith("0,78×") and cpu.verdict == "atteint"
    noisy = series("nôtre", [20.0, 30.0, 21.0], [30.0, 31.0, 32.0])  # 48 % spread
    wall, cpu = bench.ratio_rows("Site", noisy, ref, 1.0)
    assert wall.verdict == NOISY
    assert cpu.verdict == "atteint"  # the CPU times were steady
    # both sides steady but drifting apart from run to run: the ratios' spread counts
    drift = series("nôtre", [10.0, 11.0, 12.0])
    back = series("simple", [12.0, 11.0, 10.0])
    assert bench.ratio_rows("Site", drift, back, 2.0)[0].verdict == NOISY
    # an interrupted run: complete pairs only, no row before the first pair
    cut = bench.ratio_rows("Site", ours, series("simple", [10.0]), 1.0)
    assert cut[0].value == "2,00×" and cut[0].verdict.startswith("pas de verdict")
    assert bench.ratio_rows("Site", ours, Series("simple"), 1.0) == []
    info = bench.ratio_rows("Info", ours, ref, None)
    assert [r.verdict for r in info] == ["", ""] and [r.target for r in info] == ["", ""]


def test_size_targets_are_judged_at_their_size() -> None:
    assert bench.size_verdict(True, 10_000) == "atteint"
    assert bench.size_verdict(False, 20_000) == "manqué"
    assert bench.size_verdict(True, 1000) == "pas de verdict (cible à N = 10\u202f000)"


def test_transferred_bytes_gzip_what_a_server_would() -> None:
    text = b"<p>conventions</p>" * 200
    page = bench.loaded("/catalogue/", text)
    assert page.raw == len(text) and page.sent == len(gzip.compress(text, 6)) < page.raw
    chunk = gzip.compress(b"index chunk")  # Pagefind's files are gzip already
    assert bench.loaded("/pagefind/index/fr_1.pf_index", chunk).sent == len(chunk)


NUMBER = r"\d[\d\u202f]*(,\d+)?"
VERDICTS = ("", "atteint", "manqué", NOISY)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")[1:-1]]


def _table(lines: list[str], second: str) -> dict[str, list[str]]:
    """The rows, by label, of the table whose second column is `second`."""
    start = next(i for i, line in enumerate(lines)
                 if line.startswith("|") and _cells(line)[:2] == ["Mesure", second])
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows[_cells(line)[0]] = _cells(line)
    return rows


def test_bench_smoke_run_reports_every_figure() -> None:
    browser = shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()
    # BENCH_SOURCE=arbre: this working tree's bench, not a copy of the last commit
    env = {**os.environ, "BENCH_SOURCE": "arbre", "BENCH_N": "5", "BENCH_RUNS": "1",
           "BENCH_NAIVE_N": "1",
           "BENCH_CROISSANCE": "0",
           "BENCH_NAVIGATEUR": "1" if browser else "0", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py")], env=env,
                          capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Banc d’essai : 5 conventions pour le site, 5 pour l’export, "
                               "dossier de travail, 1 essai(s) par mesure")

    times = _table(lines, "Mur")
    for label in ("Site, le nôtre, MkDocs (N = 5)", "Site, mkdocs-material simple (N = 5)",
                  "Site, le nôtre, Zensical (N = 5)", "Site, Zensical simple (N = 5)",
                  "Export PDF + DOCX, le nôtre (N = 5, dossier neuf)",
                  "Réexport sans changement (N = 5)",
                  "Site, le nôtre, MkDocs, sans changement (N = 5)",
                  "Site, le nôtre, MkDocs, une convention modifiée (N = 5)"):
        _, wall, wall_spread, cpu, cpu_spread, _, peak = times[label]
        assert re.fullmatch(f"{NUMBER} s", wall) and re.fullmatch(f"{NUMBER} s", cpu)
        assert float(cpu[:-2].replace(",", ".")) > 0  # the children's CPU was counted
        assert wall_spread == cpu_spread == "0 %"  # one run
        assert re.fullmatch(f"{NUMBER} Mo", peak) and int(peak.split()[0]) > 20

    targets = _table(lines, "Valeur")
    assert all(r[3] in VERDICTS or r[3].startswith("pas de verdict") for r in targets.values())
    wall = targets["Site MkDocs : nôtre / mkdocs-material simple (mur)"]
    assert re.fullmatch(f"{NUMBER}×", wall[1]) and wall[2] == "≤ 1,0× (à N = 1000)"
    assert wall[3] == "pas de verdict (1 essai sur 3)"  # never a verdict on one run
    for label in ("Site MkDocs : nôtre / mkdocs-material simple (CPU)",
                  "Site Zensical : nôtre / Zensical simple (mur)",
                  "Site Zensical : nôtre / Zensical simple (CPU)"):
        assert re.fullmatch(f"{NUMBER}×", targets[label][1])
    assert "Croissance" not in " ".join(targets)  # BENCH_CROISSANCE=0
    shapes = next(r for label, r in targets.items() if label.startswith("Formes hostiles"))
    assert re.match(f"{NUMBER} s CPU \\([a-z0-9-]+\\) ; médiane des formes {NUMBER} s",
                    shapes[1]) and shapes[2] == "≤ 1 s", shapes
    for label in ("Site sans changement / à froid (CPU)",
                  "Site, une convention modifiée / mkdocs-material simple (CPU)"):
        assert re.fullmatch(f"{NUMBER}×", targets[label][1]), targets.keys()
    memory = targets["Mémoire de pointe, notre site MkDocs (N = 5)"]
    assert memory[3] == "pas de verdict (cible à N = 10\u202f000)"
    assert re.match(f"{NUMBER} Mo / {NUMBER} Mo", targets[
        "Taille du site, le nôtre / simple (MkDocs)"][1])
    assert re.match(f"{NUMBER}(,\\d) Mo", targets["Index de recherche Pagefind (notre site)"][1])
    assert re.fullmatch(f"{NUMBER} conventions/s",
                        targets["Export : débit PDF + DOCX (N = 5, 2 cœurs)".replace(
                            "2 cœurs", f"{os.cpu_count()} cœurs")][1])
    if browser:
        first = targets["Catalogue, premier chargement hors thème (N = 5)"][1]
        sent, raw = (float(x.replace(",", ".")) for x in re.findall(r"(\d+,\d) Ko", first)[:2])
        assert 0 < sent < raw
        detail = next(line for line in lines if line.startswith("Premier chargement"))
        assert "/catalogue/ " in detail and "/assets/catalogue.js " in detail
        assert "stylesheets" not in detail  # the theme's cached files are left out
        query = targets["Recherche « helicopteres » : octets par requête (N = 5)"][1]
        found = int(re.search(r"; (\d+) résultats", query).group(1))
        assert found > 0  # the unaccented word finds « Hélicoptères »
    assert re.fullmatch(r"Résumé : \d+ cible\(s\) atteinte\(s\), \d+ manquée\(s\), "
                        r"\d+ sans verdict \(banc en \d+ s\)\.", lines[-1])
