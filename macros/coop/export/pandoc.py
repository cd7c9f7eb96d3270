"""One `pandoc lua` process converts a batch of documents (see convert.lua)."""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pypandoc

from .docx_finish import finish

HERE = Path(__file__).parent
CONVERTER = HERE / "convert.lua"
FILTERS = HERE / "filters.lua"
# Untrusted Markdown: no raw HTML/TeX/typst, no math, no citations (`@x` would become a
# typst reference that fails), no metadata blocks, no images turned into figures.
# `header_attributes` stays on: the expanded text marks its headings with {#id .class}.
READER = "markdown" + "".join(f"-{ext}" for ext in (
    "raw_html", "raw_tex", "raw_attribute", "tex_math_dollars", "tex_math_single_backslash",
    "tex_math_double_backslash", "latex_macros", "citations", "yaml_metadata_block",
    "pandoc_title_block", "implicit_figures", "smart")) + "+header_attributes"


# Resource limits of the pandoc process: its Haskell heap, and a wall-clock time that
# grows with the number of documents it converts (a few tenths of a second each).
MEMORY_LIMIT = "512m"
TIMEOUT_BASE = 60.0  # seconds
TIMEOUT_PER_JOB = 5.0


@dataclass
class PandocJob:
    id: str
    markdown: str  # path of the expanded text
    epoch: int
    typst: str | None = None  # path to write the typst body to
    docx: str | None = None  # path to write the DOCX to
    reference_doc: str | None = None
    logos: tuple[dict[str, str], ...] = ()  # DOCX only: {path, alt} (docx_logos.py)
    meta: dict | None = None  # title, subject, lang, keywords, custom (DOCX properties)


def pandoc_version() -> str:
    return pypandoc.get_pandoc_version()


def _plain(job: PandocJob) -> dict:
    """JSON for Lua: no null values (pandoc.json.null is truthy in Lua)."""
    return {k: v for k, v in vars(job).items() if v is not None}


def run_pandoc(jobs: list[PandocJob], workdir: Path, workers: int | None = None,
               ) -> dict[str, str]:
    """Convert every job, in one pandoc process per core (each converts a share of the
    documents); returns {id: error message} for failed ones."""
    if not jobs:
        return {}
    n = max(1, min(workers or os.cpu_count() or 1, len(jobs) // 4 or 1))
    chunks = [jobs[i::n] for i in range(n)]
    with ThreadPoolExecutor(max_workers=n) as pool:
        results = pool.map(lambda ic: convert_batch(ic[1], workdir, f"manifest-{ic[0]}"),
                           enumerate(chunks))
        return {k: v for result in results for k, v in result.items()}


class _WholeChunkFailed(Exception):
    """The pandoc process failed as a whole (time, memory, crash): no culprit named."""


def convert_batch(jobs: list[PandocJob], workdir: Path, name: str) -> dict[str, str]:
    """Convert `jobs` in one process; when that process fails as a whole, convert each
    document again in a process of its own, so that one bad document fails alone."""
    try:
        return _run_chunk(jobs, workdir / f"{name}.json")
    except _WholeChunkFailed as exc:
        if len(jobs) == 1:
            return {jobs[0].id: str(exc)}
    failures: dict[str, str] = {}
    for i, job in enumerate(jobs):
        try:
            failures.update(_run_chunk([job], workdir / f"{name}-{i}.json"))
        except _WholeChunkFailed as exc:
            failures[job.id] = str(exc)
    return failures


def _run_chunk(jobs: list[PandocJob], manifest: Path) -> dict[str, str]:
    """One `pandoc lua` process for `jobs`: {id: error} for the documents it names as
    failed; _WholeChunkFailed when it fails without naming one."""
    manifest.write_text(json.dumps({"reader": READER, "jobs": [_plain(j) for j in jobs]},
                                   ensure_ascii=False), encoding="utf-8")
    timeout = TIMEOUT_BASE + TIMEOUT_PER_JOB * len(jobs)
    command = [pypandoc.get_pandoc_path(), "+RTS", f"-M{MEMORY_LIMIT}", "-RTS",
               "lua", str(CONVERTER), str(manifest)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=timeout)
    except subprocess.TimeoutExpired:  # the child is killed by subprocess.run
        raise _WholeChunkFailed(f"pandoc : délai dépassé ({timeout:.0f} s) ; document trop "
                                "long ou trop complexe") from None
    if "Heap exhausted" in proc.stderr:
        raise _WholeChunkFailed(f"pandoc : mémoire épuisée (limite "
                                f"{MEMORY_LIMIT.removesuffix('m')} Mo) ; document trop long "
                                "ou trop complexe")
    ids = {j.id for j in jobs}
    failures: dict[str, str] = {}
    for line in proc.stderr.splitlines():
        conv_id, _, message = line.partition("\t")
        if message and conv_id in ids:
            failures[conv_id] = f"pandoc : {message}"
    if proc.returncode != 0 and not failures:
        raise _WholeChunkFailed(f"pandoc : {proc.stderr.strip()[-2000:]}")
    for job in jobs:
        if job.docx and job.id not in failures and Path(job.docx).is_file():
            _finish_docx(job)
    return failures


def _finish_docx(job: PandocJob) -> None:
    """What pandoc leaves unset (docx_finish): settings, footer field values."""
    meta = job.meta or {}
    fields = {"SUBJECT": meta.get("subject", ""),
              "DOCPROPERTY version": meta.get("custom", {}).get("version", "")}
    path = Path(job.docx or "")
    path.write_bytes(finish(path.read_bytes(), fields))
