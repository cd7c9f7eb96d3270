"""The bad-input corpus (tests/bad_inputs/) through the three commands a user runs:
`python -m coop check`, `python -m coop export` and the site build (`python -m coop site`).

Each case `NN-name.md` has a sibling `NN-name.expected`:

    # comment
    @gonfler: 5000000        (optional) append that many bytes of text to the body
    @fichier: <path>         (optional) create a text file (not an image) at <path>
    @lien: <path>            (optional) create <path> as a symlink to a file outside the repo
    @catalogue               (optional) the error needs the whole catalogue (duplicate id)
    erreur | ok
    L:C: field: message      (erreur) expected in every command's output, after the file path
    texte: …                 (ok) shown as text on the site page and in the PDF and DOCX
    texte-export: …          (ok) shown as text in the PDF and DOCX
    absent: …                (ok) nowhere in the page's text, the PDF or the DOCX
    absent-site: …           (ok) nowhere in the HTML tags of the page's article
    id: …                    (ok) the identifier the convention gets

Error cases all go into one repository (one run of each command must report every one of
them and write nothing); accepted cases into another (one run of each must succeed and
render them as inert text). Both repositories include the sample conventions.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pypdf
import pytest
from browser.sitebuild import REPO, make_project

CORPUS = Path(__file__).parent / "bad_inputs"
CASES_DIR = "conventions/tests"
TODAY = "2026-07-01"
ENV = {**os.environ, "COOP_AUJOURDHUI": TODAY, "NO_COLOR": "1", "PYTHONPATH": str(REPO / "macros")}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


@dataclass
class Case:
    name: str  # file name in the corpus and in conventions/tests/
    ok: bool
    expected: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    export_texts: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    absent_site: list[str] = field(default_factory=list)
    conv_id: str = ""
    inflate: int = 0
    text_file: str = ""
    symlink: str = ""
    catalogue_only: bool = False

    @property
    def relpath(self) -> str:
        return f"{CASES_DIR}/{self.name}"


def load_case(path: Path) -> Case:
    lines = [line for line in path.read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    directives = [line for line in lines if line.startswith("@")]
    rest = [line for line in lines if not line.startswith("@")]
    assert rest and rest[0] in ("erreur", "ok"), path
    case = Case(path.with_suffix(".md").name, rest[0] == "ok")
    for d in directives:
        key, _, value = d[1:].partition(":")
        value = value.strip()
        if key == "gonfler":
            case.inflate = int(value)
        elif key == "fichier":
            case.text_file = value
        elif key == "lien":
            case.symlink = value
        elif key == "catalogue":
            case.catalogue_only = True
        else:
            raise AssertionError(f"{path.name}: directive inconnue {d}")
    for line in rest[1:]:
        key, _sep, value = line.partition(": ")
        if not case.ok:
            case.expected.append(line)
        elif key == "texte":
            case.texts.append(value)
        elif key == "texte-export":
            case.export_texts.append(value)
        elif key == "absent":
            case.absent.append(value)
        elif key == "absent-site":
            case.absent_site.append(value)
        elif key == "id":
            case.conv_id = value
        else:
            raise AssertionError(f"{path.name}: ligne inconnue {line}")
    if case.ok and not case.conv_id:
        m = re.search(rb"^id: (\S+)", (CORPUS / case.name).read_bytes(), flags=re.M)
        assert m, case.name
        case.conv_id = m.group(1).decode()
    return case


CASES = [load_case(p) for p in sorted(CORPUS.glob("*.expected"))]
BAD = [c for c in CASES if not c.ok]
GOOD = [c for c in CASES if c.ok]


def test_corpus_is_complete() -> None:
    sources = sorted(p.name for p in CORPUS.glob("*.md"))
    assert sources == sorted(c.name for c in CASES)
    assert len(BAD) >= 20 and len(GOOD) >= 7


def install(project: Path, cases: list[Case], outside: Path) -> None:
    """Copy the cases (bytes as they are) and the files some of them need."""
    folder = project / CASES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        data = (CORPUS / case.name).read_bytes()
        if case.inflate:
            data += b"\n## Pr\xc3\xa9cisions : objet\n\n" + b"Texte de remplissage. " * (
                case.inflate // 22 + 1)
        (folder / case.name).write_bytes(data)
        if case.text_file:
            (project / case.text_file).write_text("ceci n’est pas une image\n", "utf-8")
        if case.symlink:
            secret = outside / "secret.png"
            secret.write_bytes((REPO / "conventions/logos/rhm.png").read_bytes())
            (project / case.symlink).symlink_to(secret)


def snapshot(project: Path) -> dict[str, tuple[int, int]]:
    """Every file outside the build folders: path -> (size, mtime)."""
    out = {}
    for path in project.rglob("*"):
        rel = path.relative_to(project)
        if rel.parts[0] in ("site", "build") or not path.is_file():
            continue
        st = path.lstat()
        out[rel.as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=project, env=ENV, capture_output=True,
                          text=True, timeout=300, check=False)


@dataclass
class Runs:
    project: Path
    outside: Path
    check: subprocess.CompletedProcess[str]
    export: subprocess.CompletedProcess[str]
    site: subprocess.CompletedProcess[str]
    before: dict[str, tuple[int, int]]
    after: dict[str, tuple[int, int]]


def run_all(tmp: Path, cases: list[Case]) -> Runs:
    outside = tmp / "ailleurs"
    outside.mkdir()
    project = make_project(tmp / "projet")
    install(project, cases, outside)
    before = snapshot(project)
    check = run(project, "-m", "coop", "check")
    export = run(project, "-m", "coop", "export", "--out", str(project / "build" / "exports"),
                 "--jobs", "2")
    site = run(project, "-m", "coop", "site", "--sortie", str(project / "site"))
    return Runs(project, outside, check, export, site, before, snapshot(project))


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return run_all(tmp_path_factory.mktemp("mauvais"), BAD)


@pytest.fixture(scope="module")
def good_runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return run_all(tmp_path_factory.mktemp("bons"), GOOD)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    out = result.stdout + result.stderr
    assert "Traceback" not in out and "Error:" not in out.replace("PluginError", ""), out[-3000:]


def no_code_executed(runs: Runs) -> None:
    for folder in (runs.project, runs.outside, Path.cwd()):
        assert not list(folder.rglob("coop-pwned*")), folder


def nothing_written_outside_build(runs: Runs) -> None:
    assert runs.after == runs.before
    assert sorted(p.name for p in runs.outside.iterdir()) in ([], ["secret.png"])


# --- cases that must be refused -------------------------------------------------------


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in BAD])
def test_check_one_file_names_file_line_and_field(case: Case, tmp_path: Path) -> None:
    if case.catalogue_only:
        pytest.skip("erreur visible seulement sur tout le catalogue (voir les tests suivants)")
    project = tmp_path / "projet"
    (project / "conventions").mkdir(parents=True)
    shutil.copytree(REPO / "conventions" / "logos", project / "conventions" / "logos")
    install(project, [case], tmp_path)
    result = run(project, "-m", "coop", "check", case.relpath)
    assert result.returncode == 1, result.stdout + result.stderr
    no_traceback(result)
    assert result.stdout == ""
    for line in case.expected:
        assert f"{case.relpath}:{line}" in result.stderr, result.stderr
    assert "ÉCHEC" in result.stderr


@pytest.mark.parametrize("command", ["check", "export", "site"])
@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in BAD])
def test_every_command_stops_with_the_message(bad_runs: Runs, case: Case, command: str) -> None:
    result = getattr(bad_runs, command)
    assert result.returncode != 0
    no_traceback(result)
    for line in case.expected:
        assert f"{case.relpath}:{line}" in result.stderr, result.stderr[-3000:]


def test_refused_catalogue_writes_nothing(bad_runs: Runs) -> None:
    no_code_executed(bad_runs)
    nothing_written_outside_build(bad_runs)
    assert not (bad_runs.project / "site").exists()
    exports = bad_runs.project / "build" / "exports"
    assert not exports.exists() or not any(exports.iterdir())


# --- cases that must be accepted and rendered as inert text ---------------------------


def norm(text: str) -> str:
    """Compare across line breaks, hyphenation and French no-break spaces."""
    return re.sub(r"[\s\u00a0\u202f\u2011\u00ad-]+", "", text)


def article(runs: Runs, case: Case) -> str:
    page = (runs.project / "site" / "conventions" / case.conv_id / "index.html").read_text("utf-8")
    return page[page.index("<article"):page.index("</article>")]


def page_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", " ", fragment))


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages)


def pdf_links(path: Path) -> list[str]:
    links = []
    for page in pypdf.PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.append(str(action["/URI"]))
    return links


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def docx_links(path: Path) -> list[str]:
    rels = zipfile.ZipFile(path).read("word/_rels/document.xml.rels").decode()
    return re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels)


def test_accepted_cases_pass_every_command(good_runs: Runs) -> None:
    for command in ("check", "export", "site"):
        result = getattr(good_runs, command)
        assert result.returncode == 0, (command, result.stdout + result.stderr)
        no_traceback(result)
    assert "14 conventions valides" in good_runs.check.stdout  # 7 samples + 7 accepted
    no_code_executed(good_runs)
    nothing_written_outside_build(good_runs)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in GOOD])
def test_accepted_case_rendered_as_text(good_runs: Runs, case: Case) -> None:
    exports = good_runs.project / "build" / "exports"
    art = article(good_runs, case)
    site, pdf = norm(page_text(art)), norm(pdf_text(exports / f"{case.conv_id}.pdf"))
    word = norm(docx_text(exports / f"{case.conv_id}.docx"))
    for text in case.texts:
        assert norm(text) in site, text
    for text in case.texts + case.export_texts:
        assert norm(text) in pdf, text
        assert norm(text) in word, text
    for text in case.absent:
        for where in (site, pdf, word):
            assert norm(text) not in where, text
    tags = " ".join(re.findall(r"<[^>]*>", art)).lower()  # markup only, not escaped text
    for text in case.absent_site:
        assert text.lower() not in tags, text


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in GOOD])
def test_no_active_content_in_any_output(good_runs: Runs, case: Case) -> None:
    exports = good_runs.project / "build" / "exports"
    art = " ".join(re.findall(r"<[^>]*>", article(good_runs, case))).lower()
    for tag in ("<script", "<iframe", "<object", "<embed", "<form", "<style", "<svg", "<img"):
        assert tag not in art, tag
    assert not re.search(r"\son[a-z]+\s*=", art)
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', art)
    assert all(h.startswith(SAFE_SCHEMES) or ("://" not in h and ":" not in h.split("/")[0])
               for h in hrefs), hrefs
    for link in pdf_links(exports / f"{case.conv_id}.pdf") + docx_links(
            exports / f"{case.conv_id}.docx"):
        assert link.startswith(SAFE_SCHEMES), link


def browser_urls() -> list:
    params = [pytest.param(f"conventions/{c.conv_id}/index.html", id=c.conv_id,
                           )
              for c in GOOD]
    return [*params, pytest.param("catalogue/index.html", id="catalogue"),
            pytest.param("index.html", id="accueil")]


@pytest.fixture(scope="module")
def chromium_page():  # type: ignore[no-untyped-def]
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium est introuvable : lancez « make browser »")
        pytest.skip("Chromium absent (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium,
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.parametrize("rel", browser_urls())
def test_no_script_of_a_convention_runs_in_the_browser(good_runs: Runs, chromium_page: object,
                                                       rel: str) -> None:
    """Pages of the hostile cases and the catalogue in headless Chromium: no script of a
    convention runs (it would set window.coopPwned or open a dialog), no link runs code."""
    page = chromium_page.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto((good_runs.project / "site" / rel).as_uri(), wait_until="load")
        page.wait_for_timeout(200)
        for link in page.query_selector_all("a"):
            href = (link.get_attribute("href") or "").strip().lower()
            assert not href.startswith(("javascript:", "data:", "vbscript:")), href
        assert page.evaluate("typeof window.coopPwned") == "undefined"
        assert dialogs == []
    finally:
        page.close()
