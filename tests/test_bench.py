"""The benchmark: synthetic conventions are valid and varied; `make bench` runs end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

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


def test_bench_runs_end_to_end() -> None:
    env = {**os.environ, "BENCH_N": "6", "BENCH_RUNS": "1", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py")], env=env,
                          capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Banc d’essai : 6 conventions")
    table = [line for line in lines if line.startswith("|")]
    assert table[0].split("|")[1].strip() == "Mesure"
    labels = " ".join(table)
    for what in ("rapport nôtre / simple", "Croissance", "accélération nôtre / naïf", "débit",
                 "Réexport", "Index de recherche", "Mémoire de pointe, site",
                 "Mémoire de pointe, export"):
        assert what in labels
    verdicts = [row.split("|")[4].strip() for row in table[2:]]
    assert verdicts.count("OK") + verdicts.count("MANQUÉ") == 7
    assert lines[-1].startswith("Résumé : site ")
    assert "cible" in lines[-1]
