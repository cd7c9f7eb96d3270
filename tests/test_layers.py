"""The shape of the package: expansion does not depend on validation, the core does not
depend on the site, no code edits sys.path."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def _loaded(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(m for m in sys.modules if m.startswith('coop')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)
    return set(done.stdout.split())


def test_expansion_does_not_import_validation() -> None:
    for module in ("coop.expand", "coop.render.markdown", "coop.document"):
        loaded = _loaded(module)
        assert "coop.validate" not in loaded and "coop.loader" not in loaded, module


def test_core_does_not_import_the_site() -> None:
    for module in ("coop.catalog", "coop.consolidate", "coop.avenant_text",
                   "coop.export.pipeline"):
        assert not any(m.startswith("coop.site") for m in _loaded(module)), module


def test_no_sys_path_manipulation_and_no_bench_code_in_the_library() -> None:
    sources = [p for d in ("macros", "scripts", "tests") for p in (ROOT / d).rglob("*.py")]
    assert [str(p) for p in sources if "sys.path" in p.read_text("utf-8")
            and p.name != "test_layers.py"] == []
    assert not (ROOT / "macros" / "coop" / "benchgen.py").exists()
