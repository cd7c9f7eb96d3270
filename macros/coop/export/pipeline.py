"""Export conventions to PDF and DOCX: expand, one pandoc run, typst on every core."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from coop.avenant_text import document_of
from coop.convention import Convention

from . import reference_docx
from .cache import ExportCache, code_digest, output_key, source_key
from .dates import SourceDates
from .docx_logos import alt_text, docx_logos, logo_owners
from .jobs import ExportError, ExportJob, build_job
from .pandoc import PandocJob, run_pandoc

if TYPE_CHECKING:  # the PDF stack (typst, pyHanko: ~1 s to import) only when a PDF is made
    from .pdf import PdfTask

FORMATS = ("pdf", "docx")
DEFAULT_OUT = Path("build") / "exports"
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass
class ExportReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # French, user-facing


def _reference_doc(out: Path, labels: dict[str, str], draft: bool) -> Path:
    """The generated reference document (per model wording), cached next to the outputs."""
    folder = out / ".cache"
    folder.mkdir(exist_ok=True)
    words = hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:8]
    path = folder / f"reference-{code_digest()[:12]}-{words}{'-projet' if draft else ''}.docx"
    if not path.is_file():
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        tmp.write_bytes(reference_docx.build(labels, draft))
        os.replace(tmp, path)
    return path


def _typst_meta(job: ExportJob, logos: list[dict[str, str]], anchors: bool = False) -> dict:
    meta = {"id": job.id, "version": job.version, "title": job.title, "subject": job.subject,
            "keywords": job.keywords, "draft": job.draft, "kind": job.labels["nature"],
            "labels": job.labels, "unbreakable": list(job.unbreakable), "logos": logos}
    if not job.signable:  # a consolidated text is read, never signed: no signature field
        meta["signable"] = False
    elif anchors:  # invisible {{s1|signature|w|h}} text where each signatory signs
        meta["anchors"] = True
    return meta


def _copy_logos(job: ExportJob, workdir: Path, owners: dict[Path, str]) -> list[dict[str, str]]:
    """Copy logos into the typst root (the work folder): typst reads nothing else. Each
    logo travels with its alt text (PDF/UA), the same as in the DOCX."""
    names = []
    (workdir / "logos").mkdir(exist_ok=True)
    for logo in job.logos:
        data = logo.path.read_bytes()
        name = f"logos/{hashlib.sha256(data).hexdigest()[:16]}{logo.path.suffix.lower()}"
        (workdir / name).write_bytes(data)
        names.append({"path": "/" + name,
                      "alt": alt_text(job.labels, owners.get(logo.path, ""))})
    return names


def _prepare(conventions: list[Convention], root: Path, report: ExportReport,
             epochs: dict[str, int]) -> list[ExportJob]:
    jobs = []
    for conv in conventions:
        try:
            if not _SAFE_ID.fullmatch(conv.id):
                raise ExportError(f"{conv.relpath} : identifiant « {conv.id} » inutilisable "
                                  "comme nom de fichier")
            own = getattr(conv, "document", None)  # a target of targets.py makes its own
            doc = own() if own is not None else document_of(conv)
            if doc is not None:
                jobs.append(build_job(conv, doc, root, epochs[conv.id]))
        except ExportError as exc:
            report.errors.append(str(exc))
    return jobs


def _dated(key: str | None, epoch: int, variant: str = "") -> str | None:
    return None if key is None else f"{key}@{epoch}{variant}"


def export_conventions(conventions: list[Convention], root: Path, out: Path,
                       formats: tuple[str, ...] = FORMATS, workers: int | None = None,
                       anchors: bool = False,
                       ) -> ExportReport:
    """Write <out>/<id>.pdf and/or .docx for every convention whose inputs changed (or
    every target of `targets.py`: consolidated texts, blank models)."""
    report = ExportReport()
    out.mkdir(parents=True, exist_ok=True)
    cache = ExportCache(out)
    todo: list[tuple[ExportJob, str, Path, str]] = []
    try:  # the date of each copy (dates.py): part of what a copy is made from
        dates = SourceDates.of(list(conventions), root)
        epochs = {c.id: dates.epoch(c) for c in conventions}
    except ExportError as exc:
        report.errors.append(str(exc))
        return report
    variant = "+ancres" if anchors else ""  # a copy with anchors is another copy
    sources = cache.sources = {c.id: _dated(source_key(c, root), epochs[c.id], variant)
                               for c in conventions}
    changed = []
    wanted = {c.id: [f for f in formats if f in getattr(c, "formats", FORMATS)]
              for c in conventions}  # a blank model is a DOCX only
    for conv in conventions:  # unchanged sources: not even expanded
        targets = [out / f"{conv.id}.{fmt}" for fmt in wanted[conv.id]]
        if all(cache.same_source(t, sources[conv.id]) for t in targets):
            report.skipped += targets
        else:
            changed.append(conv)
    for job in _prepare(changed, root, report, epochs):
        digest = job.digest()
        for fmt in wanted[job.id]:
            target, key = out / f"{job.id}.{fmt}", output_key(digest + variant, fmt)
            if cache.fresh(target, key):
                report.skipped.append(target)
                cache.record(target, key)
            else:
                todo.append((job, fmt, target, key))
    if not todo:
        cache.save()
        return report

    workdir = Path(tempfile.mkdtemp(prefix=".work-", dir=out))
    try:
        owners = {c.id: logo_owners(c, root) for c in changed}
        _render(todo, workdir, out, cache, report, workers, owners, anchors)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        cache.save()
    return report


def _render(todo: list[tuple[ExportJob, str, Path, str]], workdir: Path, out: Path,
            cache: ExportCache, report: ExportReport, workers: int | None,
            owners: dict[str, dict[Path, str]], anchors: bool = False) -> None:
    """`owners`: per document, logo path -> party name (the logos' alt text); `anchors`:
    invisible text anchors in the signature boxes (platforms place their fields on them)."""
    from .pdf import PdfTask

    pandoc_jobs: dict[str, PandocJob] = {}
    pdf_tasks: list[tuple[PdfTask, Path, str]] = []
    docx_moves: list[tuple[str, Path, Path, str]] = []
    for job, fmt, target, key in todo:
        pj = pandoc_jobs.get(job.id)
        if pj is None:
            md = workdir / f"{job.id}.md"
            md.write_text(job.markdown, encoding="utf-8")
            pj = pandoc_jobs[job.id] = PandocJob(id=job.id, markdown=str(md), epoch=job.epoch)
        if fmt == "pdf":
            pj.typst = str(workdir / f"{job.id}.typ")
            task = PdfTask(id=job.id, typst_path=pj.typst, root=str(workdir),
                           meta=_typst_meta(job, _copy_logos(job, workdir,
                                                             owners.get(job.id, {})), anchors),
                           signatories=tuple(job.signatories), epoch=job.epoch, out=str(target))
            pdf_tasks.append((task, target, key))
        else:
            tmp = out / f".{job.id}.docx.tmp-{os.getpid()}"
            pj.docx, pj.reference_doc = str(tmp), str(_reference_doc(out, job.labels, job.draft))
            pj.logos = tuple(docx_logos([logo.path for logo in job.logos],
                                        owners.get(job.id, {}), job.labels, workdir))
            pj.meta = {"title": job.title, "subject": job.subject, "lang": "fr-FR",
                       "keywords": job.keywords,
                       "custom": {"version": job.version, "statut": job.statut}}
            docx_moves.append((job.id, tmp, target, key))

    failures = run_pandoc(list(pandoc_jobs.values()), workdir, workers)
    report.errors += [f"{conv_id} : {msg}" for conv_id, msg in sorted(failures.items())]
    for conv_id, tmp, target, key in docx_moves:
        if conv_id not in failures and tmp.is_file():
            os.replace(tmp, target)
            cache.record(target, key)
            report.written.append(target)
        else:
            tmp.unlink(missing_ok=True)

    tasks = [t for t in pdf_tasks if t[0].id not in failures]
    n = min(len(tasks), workers or os.cpu_count() or 1)
    results = _render_pdfs([t for t, _, _ in tasks], n)
    for (task, target, key), error in zip(tasks, results, strict=True):
        if error:
            report.errors.append(f"{task.id} : {error}")
        else:
            cache.record(target, key)
            report.written.append(target)


def _render_pdfs(tasks: list[PdfTask], n: int) -> list[str | None]:
    """Every PDF on `n` processes: None for each written, else a French message. When a
    worker dies (killed, out of memory), the PDFs it took down are made again one by one,
    each in a process of its own: only the culprit fails."""
    if n <= 1:
        return [_safe_render(t) for t in tasks]
    results: list[str | None] = []
    lost: list[int] = []
    # "spawn": forking a parent whose typst (Rust) thread pool already runs deadlocks.
    with ProcessPoolExecutor(max_workers=n, mp_context=get_context("spawn")) as pool:
        for i, future in enumerate([pool.submit(_safe_render, t) for t in tasks]):
            try:
                results.append(future.result())
            except BrokenProcessPool:
                results.append(None)
                lost.append(i)
    for i in lost:
        results[i] = _render_alone(tasks[i])
    return results


def _render_alone(task: PdfTask) -> str | None:
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            return pool.submit(_safe_render, task).result()
    except BrokenProcessPool:
        return ("la compilation PDF a échoué : le processus de rendu s’est arrêté "
                "(document trop long ou trop complexe)")


def _safe_render(task: PdfTask) -> str | None:
    """Worker entry point: None when the PDF was written, else a French message."""
    from .pdf import render_pdf

    try:
        render_pdf(task)
    except Exception as exc:  # typst/pyHanko errors are reported, not raised
        message = getattr(exc, "message", None) or str(exc)
        return f"la compilation PDF a échoué : {message}"
    return None
