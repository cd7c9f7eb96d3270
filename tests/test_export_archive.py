"""Archive facts of the signature copies: true, deterministic dates (dates.py)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import docx
import pypdf
import pytest

from conftest import LYON, SAMPLES
from coop.catalog import load_catalog
from coop.export.dates import SourceDates
from coop.export.pipeline import export_conventions

CM = 72 / 2.54
BOTTOM_MARGIN = 2.6 * CM  # convention.typ: the footer lives below this line
FIRST = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
LAST = datetime(2025, 6, 15, 14, 5, 7, tzinfo=UTC)


def git(repo: Path, *args: str, when: datetime | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    subprocess.run(["git", "-c", "user.name=Essai", "-c", "user.email=essai@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, env=env, check=True,
                   capture_output=True)


@pytest.fixture
def history(repo: Path) -> Path:
    """A git repository whose convention was committed twice (FIRST, then LAST)."""
    conv = repo / "conventions" / "lyon.md"
    git(repo, "init", "-q")
    text = LYON.read_text(encoding="utf-8")
    conv.write_text(text, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "premier", when=FIRST)
    conv.write_text(text + "\nUne précision de plus.\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "second", when=LAST)
    return repo


def export(repo: Path, out: Path) -> tuple[Path, Path]:
    catalog = load_catalog(repo)
    assert not catalog.errors, [p.format() for p in catalog.errors]
    report = export_conventions(catalog.conventions, repo, out)
    assert report.errors == []
    [conv] = catalog.conventions
    return out / f"{conv.id}.pdf", out / f"{conv.id}.docx"


def xmp_text(pdf: Path) -> str:
    """The XMP packet the reader sees: the one of the last revision's catalog."""
    meta = pypdf.PdfReader(pdf).trailer["/Root"]["/Metadata"].get_object()
    return meta.get_data().decode("utf-8")


def dates_of(pdf: Path, docx_path: Path) -> set[datetime]:
    reader = pypdf.PdfReader(pdf)
    xmp = reader.xmp_metadata
    assert xmp is not None
    props = docx.Document(str(docx_path)).core_properties
    found = {reader.metadata.creation_date, reader.metadata.modification_date,
             xmp.xmp_create_date, xmp.xmp_modify_date,
             props.created.replace(tzinfo=UTC), props.modified.replace(tzinfo=UTC)}
    return {d.astimezone(UTC) for d in found}


def test_copy_carries_the_date_of_the_last_commit(history: Path, tmp_path: Path) -> None:
    pdf, docx_path = export(history, tmp_path / "a")
    assert dates_of(pdf, docx_path) == {LAST}
    again_pdf, again_docx = export(history, tmp_path / "b")  # same sources, same bytes
    assert again_pdf.read_bytes() == pdf.read_bytes()
    assert again_docx.read_bytes() == docx_path.read_bytes()


def test_source_date_epoch_wins(history: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    forced = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(forced.timestamp())))
    assert dates_of(*export(history, tmp_path / "out")) == {forced}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "demain")
    catalog = load_catalog(history)
    report = export_conventions(catalog.conventions, history, tmp_path / "bad")
    assert report.written == [] and "SOURCE_DATE_EPOCH invalide" in report.errors[0]


def test_uncommitted_changes_take_the_file_date(history: Path, tmp_path: Path) -> None:
    """Changed since the last commit: the commit date would be false; the file's own
    modification time is the date of the text exported (and a new commit moves it)."""
    out = tmp_path / "out"
    conv = history / "conventions" / "lyon.md"
    conv.write_text(conv.read_text(encoding="utf-8") + "\nEncore.\n", encoding="utf-8")
    edited = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    os.utime(conv, (edited.timestamp(), edited.timestamp()))
    assert dates_of(*export(history, out)) == {edited}
    committed = datetime(2025, 9, 2, 10, 0, tzinfo=UTC)
    git(history, "commit", "-q", "-am", "troisième", when=committed)
    # same text, new date: the cache must not keep the old copy
    assert dates_of(*export(history, out)) == {committed}


def test_outside_git_the_file_date(repo: Path, tmp_path: Path) -> None:
    conv = repo / "conventions" / "lyon.md"
    shutil.copy(LYON, conv)
    when = datetime(2024, 11, 5, 7, 0, tzinfo=UTC)
    os.utime(conv, (when.timestamp(), when.timestamp()))
    assert dates_of(*export(repo, tmp_path / "out")) == {when}


def test_a_source_outside_the_repository_keeps_git_dates(
        history: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A blank model read from an installed package lies outside the project's repository:
    its file date dates it, and the conventions keep the date of their last commit (git
    refuses a pass that names a folder outside the repository)."""
    model = tmp_path_factory.mktemp("paquet") / "modele.yml"
    model.write_text("version: 1\n", encoding="utf-8")
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    os.utime(model, (when.timestamp(), when.timestamp()))
    [conv] = load_catalog(history).conventions
    blank = SimpleNamespace(sources=[model])
    dates = SourceDates.of([conv, blank], history)
    assert dates.epoch(conv) == int(LAST.timestamp())
    assert dates.epoch(blank) == int(when.timestamp())


def test_one_git_pass_for_many_files(tmp_path: Path) -> None:
    """A thousand committed files are dated by one `git log` and one `git status`."""
    folder = tmp_path / "conventions" / "grande-academie"
    folder.mkdir(parents=True)
    git(tmp_path, "init", "-q")
    for batch in range(4):
        for i in range(250):
            (folder / f"c{batch}-{i}.md").write_text(f"{batch} {i}\n", encoding="utf-8")
        git(tmp_path, "add", ".")
        git(tmp_path, "commit", "-q", "-m", f"lot {batch}",
            when=datetime(2025, 1, 1 + batch, tzinfo=UTC))
    started = time.perf_counter()
    dates = SourceDates(tmp_path, [folder])
    assert time.perf_counter() - started < 2
    assert len(dates.committed) == 1000 and not dates.dirty
    assert dates.committed[(folder / "c3-7.md").resolve()] == int(
        datetime(2025, 1, 4, tzinfo=UTC).timestamp())


# --- Footer: one line whatever the id, room for the parties' initials -----------------

AVENANT = SAMPLES / "lyon" / "avenants" / "fcil-maintenance-aeronautique-avenant-1.md"
LONG_ID = ("lyon-fcil-maintenance-aeronautique-des-helicopteres-du-lycee-professionnel-"
           "jean-mermoz")[:80]  # the longest id a convention may have; its avenant: 90


@pytest.fixture(scope="module")
def long_ids(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A convention with an 80-character id and its avenant (90 characters), as PDF."""
    repo = tmp_path_factory.mktemp("long")
    (repo / "conventions" / "lyon" / "avenants").mkdir(parents=True)
    shutil.copytree(SAMPLES / "logos", repo / "conventions" / "logos")
    old = "lyon-fcil-maintenance-aeronautique"
    (repo / "conventions" / "lyon" / "c.md").write_text(
        LYON.read_text("utf-8").replace(f"id: {old}\n", f"id: {LONG_ID}\n"), "utf-8")
    (repo / "conventions" / "lyon" / "avenants" / "a.md").write_text(
        AVENANT.read_text("utf-8").replace(f"convention: {old}\n", f"convention: {LONG_ID}\n"),
        "utf-8")
    catalog = load_catalog(repo)
    assert not catalog.errors, [p.format() for p in catalog.errors]
    [av] = catalog.avenants
    assert len(LONG_ID) == 80 and len(av.id) == 90
    report = export_conventions([*catalog.conventions, av], repo, repo / "out", ("pdf",))
    assert report.errors == []
    return repo / "out" / f"{LONG_ID}.pdf", repo / "out" / f"{av.id}.pdf", av.id


def footer_pieces(page: pypdf.PageObject) -> list[tuple[float, str]]:
    """(baseline, text) of everything drawn below the body (the bottom margin)."""
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list, tm: list, *_: object) -> None:
        y = cm[5] + tm[5] * cm[3]
        if text.strip() and 0 < y < BOTTOM_MARGIN:
            found.append((round(y, 1), text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def signing_pages(reader: pypdf.PdfReader) -> set[int]:
    return {n for n, p in enumerate(reader.pages, start=1) if p.get("/Annots")}


@pytest.mark.parametrize("which", [0, 1], ids=["convention-80", "avenant-90"])
def test_footer_on_one_line_with_initials_box(long_ids: tuple[Path, Path, str],
                                              which: int) -> None:
    pdf = long_ids[which]
    full_id = pdf.stem
    reader = pypdf.PdfReader(pdf)
    pages = len(reader.pages)
    signing = signing_pages(reader)
    assert signing and 1 not in signing and pages in signing
    for number, page in enumerate(reader.pages, start=1):
        pieces = footer_pieces(page)
        lines = {y for y, text in pieces if text != "Paraphes"}
        assert len(lines) == 1, (number, pieces)  # id, version and page: one baseline
        text = " ".join(t for _, t in pieces)
        assert f"page {number} / {pages}" in text and "version " in text
        assert "…" in text and full_id not in text
        assert full_id[:20] in text and full_id[-9:] in text  # head and tail kept
        assert ("Paraphes" in text) == (number not in signing), number
    assert full_id in reader.metadata.subject  # the full id stays in the metadata
    if shutil.which("pdftotext"):
        layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout
        footers = [line for line in layout.splitlines() if re.search(r"page \d+ / \d+", line)]
        assert len(footers) == pages
        assert all("version" in line and "…" in line for line in footers)



# --- PDF/A-2b and PDF/UA-1 together, still true after the signature fields ------------

def first_revision(pdf: Path) -> bytes:
    """The file as typst wrote it: up to the first %%EOF (pyHanko appends after it)."""
    data = pdf.read_bytes()
    end = data.index(b"%%EOF") + len(b"%%EOF")
    return data[:end] + b"\n"


def struct_elements(reader: pypdf.PdfReader) -> list[pypdf.generic.DictionaryObject]:
    found = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, pypdf.generic.DictionaryObject) and "/S" in node:
            found.append(node)
            walk(node.get("/K"))

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return found


@pytest.mark.parametrize("which", [0, 1], ids=["convention", "avenant"])
def test_pdfa_and_pdfua_identification_after_the_fields(long_ids: tuple[Path, Path, str],
                                                        which: int) -> None:
    pdf = long_ids[which]
    data = pdf.read_bytes()
    assert data.count(b"%%EOF") == 2  # typst's file, then the fields' incremental update
    xmp = xmp_text(pdf)  # the packet of the final revision's catalog
    assert re.search(r"<pdfaid:part>2</pdfaid:part>", xmp)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>", xmp)
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp)
    assert re.search(r"<dc:language>\s*<rdf:Bag>\s*<rdf:li>fr-FR</rdf:li>", xmp)
    # pdfuaid is no predefined PDF/A schema: its extension schema must stay declared
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
    # the update left typst's packet as it was (pyHanko 0.38 would rewrite it, see sigfields)
    typst_xmp = pypdf.PdfReader(io.BytesIO(first_revision(pdf))).trailer["/Root"][
        "/Metadata"].get_object().get_data().decode("utf-8")
    assert xmp == typst_xmp
    root = pypdf.PdfReader(pdf).trailer["/Root"]
    assert root["/Lang"] == "fr-FR" and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_pdf_structure_headings_logos_and_fields(long_ids: tuple[Path, Path, str]) -> None:
    reader = pypdf.PdfReader(long_ids[0])
    elements = struct_elements(reader)
    roles = [str(e["/S"]) for e in elements]
    assert roles.count("/H1") == 1 and "/H2" in roles and roles.count("/H3") >= 10
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert sorted(str(f["/Alt"]) for f in figures) == [
        "Logo\u00a0: Lycée professionnel Jean-Mermoz",
        "Logo\u00a0: Rhône Hélicoptères Maintenance SAS"]
    # every signature widget is in the structure tree (PDF/UA-1 7.18) and described
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    assert int(tree["/ParentTreeNextKey"]) == max(parents) + 1
    widgets = [a.get_object() for p in reader.pages for a in p.get("/Annots") or []]
    assert widgets
    for w in widgets:
        form = parents[int(w["/StructParent"])]
        assert form["/S"] == "/Form"
        assert form["/K"]["/Obj"].get_object()["/T"] == w["/T"]
        assert str(w["/TU"]).startswith("Date et signature – pour ")
    assert {str(w["/TU"]) for w in widgets} == {
        "Date et signature – pour le lycée", "Date et signature – pour RHM"}
