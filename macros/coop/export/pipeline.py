"""Export conventions to PDF and DOCX: expansion, pandoc and typst, batch after batch, on
every core."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from coop.avenant_text import document_of
from coop.convention import Convention

from . import reference_docx
from .cache import ExportCache, code_digest, output_key, source_key
from .dates import SourceDates
from .docx_logos import alt_text, docx_logos, logo_owners
from .jobs import ExportError, ExportJob, build_job
from .pandoc import PandocJob, convert_batch
from .render import PdfTask, warm, worker_pool
from .render import safe_render as _safe_render  # in the workers: the PDF stack only there

FORMATS = ("pdf", "docx")
DEFAULT_OUT = Path("build") / "exports"
MIN_BATCH, MAX_BATCH = 4, 24  # documents per batch (see _batch_size)
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


def _batch_size(documents: int, workers: int) -> int:
    """Documents per batch (one expansion batch, one pandoc process): small enough that
    typst starts early and every core stays busy until the end, large enough that the
    start of each pandoc process (its first document reads the reference document and
    the filters: about 0.1 s) stays a small share."""
    return max(MIN_BATCH, min(MAX_BATCH, -(-documents // (4 * workers))))


def export_conventions(conventions: list[Convention], root: Path, out: Path,
                       formats: tuple[str, ...] = FORMATS, workers: int | None = None,
                       anchors: bool = False,
                       ) -> ExportReport:
    """Write <out>/<id>.pdf and/or .docx for every convention whose inputs changed (or
    every target of `targets.py`: consolidated texts, blank models)."""
    report = ExportReport()
    out.mkdir(parents=True, exist_ok=True)
    cache = ExportCache(out)
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
    n = max(1, workers or os.cpu_count() or 1)
    size = _batch_size(len(changed), n)
    pdfs = sum("pdf" in wanted[c.id] for c in changed)
    renderer: _Renderer | None = None
    try:
        for start in range(0, len(changed), size):  # expanded while earlier batches render
            batch = changed[start:start + size]
            todo: list[tuple[ExportJob, str, Path, str]] = []
            for job in _prepare(batch, root, report, epochs):
                digest = job.digest()
                for fmt in wanted[job.id]:
                    target, key = out / f"{job.id}.{fmt}", output_key(digest + variant, fmt)
                    if cache.fresh(target, key):
                        report.skipped.append(target)
                        cache.record(target, key)
                    else:
                        todo.append((job, fmt, target, key))
            if todo:
                renderer = renderer or _Renderer(out, n, min(n, pdfs), anchors)
                renderer.submit(todo, {c.id: logo_owners(c, root) for c in batch})
        if renderer is not None:
            renderer.collect(cache, report)
    finally:
        if renderer is not None:
            renderer.close()
        cache.save()
    return report


class _Renderer:
    """Renders batches as they come: each batch's pandoc process runs on a thread and,
    as soon as it has written the batch's typst sources, their PDFs go to the worker
    processes. The expansion of the next batches, pandoc and typst share the cores, so
    none waits for a whole stage to end. `pdf_workers` ≤ 1: PDFs made here, at the end."""

    def __init__(self, out: Path, workers: int, pdf_workers: int, anchors: bool) -> None:
        self.out, self.anchors = out, anchors
        self.workdir = Path(tempfile.mkdtemp(prefix=".work-", dir=out))
        self.pandoc = ThreadPoolExecutor(max_workers=workers)
        self.pdf = _PdfWorkers(pdf_workers) if pdf_workers > 1 else None
        self.batches: list[Future[dict[str, str]]] = []
        self.docx: list[tuple[str, Path, Path, str]] = []
        self.pdfs: list[tuple[PdfTask, Path, str]] = []

    def submit(self, todo: list[tuple[ExportJob, str, Path, str]],
               owners: dict[str, dict[Path, str]]) -> None:
        """`owners`: per document, logo path -> party name (the logos' alt text)."""
        workdir = self.workdir
        pandoc_jobs: dict[str, PandocJob] = {}
        tasks: list[tuple[int, PdfTask]] = []
        for job, fmt, target, key in todo:
            pj = pandoc_jobs.get(job.id)
            if pj is None:
                md = workdir / f"{job.id}.md"
                md.write_text(job.markdown, encoding="utf-8")
                pj = pandoc_jobs[job.id] = PandocJob(id=job.id, markdown=str(md),
                                                     epoch=job.epoch)
            if fmt == "pdf":
                pj.typst = str(workdir / f"{job.id}.typ")
                task = PdfTask(id=job.id, typst_path=pj.typst, root=str(workdir),
                               meta=_typst_meta(job, _copy_logos(job, workdir,
                                                                 owners.get(job.id, {})),
                                                self.anchors),
                               signatories=tuple(job.signatories), epoch=job.epoch,
                               out=str(target))
                tasks.append((len(self.pdfs), task))
                self.pdfs.append((task, target, key))
            else:
                tmp = self.out / f".{job.id}.docx.tmp-{os.getpid()}"
                pj.docx = str(tmp)
                pj.reference_doc = str(_reference_doc(self.out, job.labels, job.draft))
                pj.logos = tuple(docx_logos([logo.path for logo in job.logos],
                                            owners.get(job.id, {}), job.labels, workdir))
                pj.meta = {"title": job.title, "subject": job.subject, "lang": "fr-FR",
                           "keywords": job.keywords,
                           "custom": {"version": job.version, "statut": job.statut}}
                self.docx.append((job.id, tmp, target, key))
        name = f"manifest-{len(self.batches)}"
        self.batches.append(self.pandoc.submit(self._convert, list(pandoc_jobs.values()),
                                               name, tasks))

    def _convert(self, jobs: list[PandocJob], name: str,
                 tasks: list[tuple[int, PdfTask]]) -> dict[str, str]:
        """One batch through pandoc (on a thread); its PDFs then go to the workers."""
        failures = convert_batch(jobs, self.workdir, name)
        if self.pdf is not None:
            for i, task in tasks:
                if task.id not in failures:
                    self.pdf.submit(i, task)
        return failures

    def collect(self, cache: ExportCache, report: ExportReport) -> None:
        """Wait for every batch; record what was written, report what failed (DOCX then
        PDF, each in the order of the documents)."""
        failures: dict[str, str] = {}
        for batch in self.batches:
            failures.update(batch.result())
        report.errors += [f"{conv_id} : {msg}" for conv_id, msg in sorted(failures.items())]
        for conv_id, tmp, target, key in self.docx:
            if conv_id not in failures and tmp.is_file():
                os.replace(tmp, target)
                cache.record(target, key)
                report.written.append(target)
            else:
                tmp.unlink(missing_ok=True)
        done = [(i, t) for i, t in enumerate(self.pdfs) if t[0].id not in failures]
        if self.pdf is None:
            results = _render_pdfs([task for _, (task, _, _) in done], 1)
        else:
            results = [self.pdf.result(i, task) for i, (task, _, _) in done]
        for (_, (task, target, key)), error in zip(done, results, strict=True):
            if error:
                report.errors.append(f"{task.id} : {error}")
            else:
                cache.record(target, key)
                report.written.append(target)

    def close(self) -> None:
        self.pandoc.shutdown(wait=True, cancel_futures=True)
        if self.pdf is not None:
            self.pdf.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class _PdfWorkers:
    """PDFs on `n` spawned processes, which import the PDF stack as soon as they start.
    When a worker dies (killed, out of memory), the PDFs it took down are made again one
    by one, each in a process of its own: only the culprit fails."""

    def __init__(self, n: int) -> None:
        self.pool = worker_pool(n)
        self.futures: dict[int, Future[str | None] | None] = {}
        self.lock = threading.Lock()
        for _ in range(n):
            self.pool.submit(warm)

    def submit(self, key: int, task: PdfTask) -> None:
        try:
            future: Future[str | None] | None = self.pool.submit(_safe_render, task)
        except (BrokenProcessPool, RuntimeError):  # a worker died: the pool takes no more
            future = None
        with self.lock:
            self.futures[key] = future

    def result(self, key: int, task: PdfTask) -> str | None:
        with self.lock:
            future = self.futures.get(key)
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:
                pass
        return _render_alone(task)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _render_pdfs(tasks: list[PdfTask], n: int) -> list[str | None]:
    """Every PDF on `n` processes (here when `n` ≤ 1): None for each written, else a
    French message."""
    if n <= 1:
        return [_safe_render(t) for t in tasks]
    workers = _PdfWorkers(n)
    try:
        for i, task in enumerate(tasks):
            workers.submit(i, task)
        return [workers.result(i, task) for i, task in enumerate(tasks)]
    finally:
        workers.close()


def _render_alone(task: PdfTask) -> str | None:
    try:
        with worker_pool(1) as pool:
            return pool.submit(_safe_render, task).result()
    except BrokenProcessPool:
        return ("la compilation PDF a échoué : le processus de rendu s’est arrêté "
                "(document trop long ou trop complexe)")
