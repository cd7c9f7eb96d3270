"""The export cache: unchanged sources are neither expanded nor rendered again."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import coop
from conftest import LYON
from coop import cli, loadcache
from coop.catalog import load_catalog
from coop.cli import export as cli_export
from coop.export import cache, pipeline, stamp


def test_unchanged_sources_are_not_expanded(repo: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(LYON, repo / "conventions" / "lyon.md")
    out = tmp_path / "exports"
    first = pipeline.export_conventions(load_catalog(repo).conventions, repo, out, ("docx",))
    assert [p.name for p in first.written] == ["lyon-fcil-maintenance-aeronautique.docx"]

    def no_expansion(doc: object) -> None:
        raise AssertionError("expanded although unchanged")

    monkeypatch.setattr(pipeline, "document_of", no_expansion)
    second = pipeline.export_conventions(load_catalog(repo).conventions, repo, out, ("docx",))
    assert second.written == [] and len(second.skipped) == 1
    monkeypatch.undo()

    logo = repo / "conventions" / "logos" / "rhm.png"  # a logo changes: exported again
    logo.write_bytes(logo.read_bytes() + b"\0")
    third = pipeline.export_conventions(load_catalog(repo).conventions, repo, out, ("docx",))
    assert [p.name for p in third.written] == ["lyon-fcil-maintenance-aeronautique.docx"]


def _export_cli(repo: Path, out: Path, capsys: pytest.CaptureFixture[str],
                *extra: str) -> tuple[int, str]:
    """`coop export --format docx`: exit code, then stdout and stderr."""
    code = cli.main(["--racine", str(repo), "export", "--format", "docx", "--out", str(out),
                     *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_nothing_changed_nothing_read(repo: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """After an export without error, the next one with nothing changed reads no
    convention (the stamp); any change of a source, a logo, an output or an option makes
    it look again, and the per-copy cache remakes only what changed."""
    conv = repo / "conventions" / "lyon.md"
    shutil.copy(LYON, conv)
    out = tmp_path / "exports"
    code, first = _export_cli(repo, out, capsys)
    docx = out / "lyon-fcil-maintenance-aeronautique.docx"
    assert code == 0 and f"écrit : {docx}" in first
    copies = len(list(out.glob("*.docx")))
    assert copies > 1 and (out / stamp.STAMP_FILE).is_file()  # the blank models too

    def no_catalog(*args: object, **kwargs: object) -> None:
        raise AssertionError("catalogue read although nothing changed")

    monkeypatch.setattr(cli_export, "valid_catalog", no_catalog)
    code, second = _export_cli(repo, out, capsys)
    assert code == 0 and second.startswith(f"0 fichier(s) écrit(s), {copies} inchangé(s) ")
    monkeypatch.undo()

    def changed(action: Callable[[], object], *extra: str) -> str:
        action()
        code, text = _export_cli(repo, out, capsys, *extra)
        assert code == 0, text
        return text

    # a source edited: only its copy is made again
    text = changed(lambda: conv.write_text(conv.read_text("utf-8").replace(
        "Paul Martin", "Paul Martinez", 1), "utf-8"))
    assert text.splitlines()[0] == f"écrit : {docx}"
    assert f"1 fichier(s) écrit(s), {copies - 1} inchangé(s)" in text
    logo = repo / "conventions" / "logos" / "rhm.png"
    text = changed(lambda: logo.write_bytes(logo.read_bytes() + b"\0"))
    assert text.splitlines()[0] == f"écrit : {docx}"
    text = changed(docx.unlink)  # an output removed: made again
    assert text.splitlines()[0] == f"écrit : {docx}" and docx.is_file()
    stray = repo / "autre" / "x.md"  # a stray convention outside conventions/: refused
    stray.parent.mkdir()
    stray.write_text(LYON.read_text("utf-8"), "utf-8")
    code, text = _export_cli(repo, out, capsys)
    assert code == 1 and "convention hors du dossier conventions/" in text
    assert not (out / stamp.STAMP_FILE).exists()
    stray.unlink()
    code, text = _export_cli(repo, out, capsys)  # looks again, then stamps
    assert code == 0 and text.startswith(f"0 fichier(s) écrit(s), {copies} inchangé(s) ")
    assert (out / stamp.STAMP_FILE).is_file()
    monkeypatch.setattr(cli_export, "valid_catalog", no_catalog)
    assert _export_cli(repo, out, capsys)[0] == 0
    with pytest.raises(AssertionError, match="catalogue read"):  # another option: looks
        _export_cli(repo, out, capsys, "--ancres")


def test_stamp_inputs(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the stamp's key covers, and what it leaves out (build/, the output folder)."""
    shutil.copy(LYON, repo / "conventions" / "lyon.md")
    out = repo / "exports"
    out.mkdir()
    options = {"formats": ["docx"], "id": "", "anchors": False}
    key = stamp.inputs_key(repo, out, options)
    assert key is not None and key == stamp.inputs_key(repo, out, options)
    (out / "x.docx").write_bytes(b"x")  # outputs are not inputs
    (repo / "build" / ".cache").mkdir(parents=True)
    (repo / "build" / ".cache" / "entry").write_bytes(b"x")
    (repo / "docs").mkdir()
    (repo / "docs" / "page.md").write_text("x", "utf-8")
    assert stamp.inputs_key(repo, out, options) == key
    assert stamp.inputs_key(repo, out, {**options, "id": "lyon"}) != key
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert stamp.inputs_key(repo, out, options) != key
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    (repo / "notes").mkdir()  # a folder the catalogue inspects for stray conventions
    (repo / "notes" / "a.txt").write_text("x", "utf-8")
    second = stamp.inputs_key(repo, out, options)
    assert second not in (None, key)
    (repo / "conventions" / ".brouillon.md").write_text("x", "utf-8")  # hidden: inspected
    assert stamp.inputs_key(repo, out, options) not in (None, key, second)
    (repo / "notes" / "lien").symlink_to(repo / "conventions", target_is_directory=True)
    assert stamp.inputs_key(repo, out, options) is None  # a link to follow: no stamp
    (repo / "notes" / "lien").unlink()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "conventions"], check=True)
    subprocess.run([*git, "commit", "-qm", "a"], check=True)  # HEAD: the copies' dates
    committed = stamp.inputs_key(repo, out, options)
    assert committed not in (None, key, second)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "b"], check=True)
    moved = stamp.inputs_key(repo, out, options)
    assert moved not in (None, committed)
    subprocess.run([*git, "rm", "-q", "--cached", "conventions/lyon.md"], check=True)
    assert stamp.inputs_key(repo, out, options) not in (None, moved)  # the index: status
    monkeypatch.setenv("COOP_CACHE", "0")
    assert stamp.inputs_key(repo, out, options) is None
    assert loadcache.logo_values({"partenaires": [{"logo": "a.png"}],
                                  "x": [{"y": {"logo": "b"}}], "logo": 3}) == ["a.png", "b"]


def test_code_digest_leaves_out_the_site_and_the_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing the site or the command line does not make every copy again; editing the
    core or the exporter does."""
    package = tmp_path / "coop"
    for name in ("__init__.py", "expand.py", "export/pdf.py", "export/convention.typ",
                 "cli/site.py", "site/engine.py"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text("# 1\n", "utf-8")
    monkeypatch.setattr(coop, "__file__", str(package / "__init__.py"))

    def digest() -> str:
        cache.code_digest.cache_clear()
        return cache.code_digest()

    try:
        first = digest()
        for name in ("cli/site.py", "site/engine.py"):
            (package / name).write_text("# 2\n", "utf-8")
            assert digest() == first, name
        seen = {first}
        for name in ("expand.py", "export/pdf.py", "export/convention.typ"):
            (package / name).write_text("# 2\n", "utf-8")
            assert digest() not in seen, name
            seen.add(digest())
    finally:
        cache.code_digest.cache_clear()
