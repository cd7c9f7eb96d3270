"""Bounded cost for any input: every hostile shape of tests/hostile_shapes.py, each under
the size limit, is accepted or refused by `coop check` quickly (a generous bound, so the
test is not flaky; `python tests/hostile_shapes.py DOSSIER` prints the real figures), and
a refusal says which limit, in French, with the line."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from hostile_shapes import ROOT, SHAPES

from coop.cli import main

BOUND = 5.0  # seconds of CPU for one file (about 0.1 s measured, the interpreter aside)

# the shapes refused for a bound on the size or nesting: the message names the limit
LIMITS = {
    "yaml-flow-listes-100k": "plus de 10000 caractères",
    "yaml-flow-listes-lignes": "trop imbriqué : plus de 20 niveaux",
    "yaml-flow-dicts-ligne": "trop imbriqué : plus de 20 niveaux",
    "yaml-tirets-ligne": "trop imbriqué : plus de 20 niveaux",
    "yaml-indentation-1": "trop imbriqué : plus de 20 niveaux",
    "yaml-50000-cles": "en-tête YAML trop long (491 Ko) : la limite est 200 Ko",
    "yaml-2500-cles": "plus de 2000 champs ou éléments de liste",
    "yaml-flow-4000-elements": "plus de 2000 champs ou éléments de liste",
    "md-20000-sections": "plus de 20000 lignes",
    "md-600-sections": "plus de 500 titres « ## »",
    "md-listes-indentees": "plus de 20 listes ou citations imbriquées",
    "md-citations-collees": "mot de plus de 300 caractères sans espace",
    "md-citations-250": "plus de 20 listes ou citations imbriquées",
    "md-emphases-alternees": "plus de 20000 caractères « * » ou « _ » dans le texte",
    "md-emphases-paragraphe": "plus de 1000 caractères « * » ou « _ »",
    "md-crochets-paragraphes": "plus de 5000 crochets « [ » dans le texte",
    "md-tableau-large": "plus de 5000 cellules de tableau « | » dans le texte",
    "md-tableau-19000-lignes": "plus de 5000 cellules de tableau « | » dans le texte",
    "md-listes-2-espaces": "plus de 20 listes ou citations imbriquées",
    "md-mot-200000": "mot de plus de 300 caractères sans espace",
    "md-entites": "mot de plus de 300 caractères sans espace",
    "md-accents-graves": "plus de 20 caractères « ` » à la suite",
    "md-accents-graves-croissants": "plus de 20 caractères « ` » à la suite",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("formes")
    (root / "conventions").mkdir()
    shutil.copytree(ROOT / "conventions" / "logos", root / "conventions" / "logos")
    return root


@pytest.mark.parametrize("name", list(SHAPES))
def test_check_is_quick_whatever_the_shape(project: Path, name: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    data = SHAPES[name]()
    assert len(data) <= 1_000_000
    path = project / "conventions" / f"{name}.md"
    path.write_bytes(data)
    started = time.process_time()
    code = main(["check", str(path), "--racine", str(project), "--date", "2026-07-01"])
    elapsed = time.process_time() - started
    path.unlink()
    out = capsys.readouterr()
    assert elapsed < BOUND, f"{name} : {elapsed:.1f} s"
    assert code in (0, 1)
    if code:
        lines = out.err.splitlines()
        assert len(lines) <= 60, len(lines)  # a bounded report, too
        assert all(re.match(rf"conventions/{name}\.md:\d+:\d+: ", line)
                   for line in lines[:-1]), lines[:3]
    if name in LIMITS:
        assert code == 1
        assert LIMITS[name] in out.err, out.err[:500]
