"""What `coop check` says about signed conventions and avenants:

- a stored signed file must still have the SHA-256 recorded with it (error otherwise);
- a signed text is frozen: its legal content must still have the fingerprint recorded
  when it became `signee` (error naming the field, the body section and the articles
  whose text changed, found by comparing with the signed version in git);
- the same source regenerating another text means a new version of the tool or of the
  model: a warning (the signed copy stays the reference).

The regenerated text's digest costs an expansion (20 ms): it is cached under
build/.cache/texte-signe/, keyed by the file, its model and the core's code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..body import Section, split_sections
from ..catalog import Catalog, convention_from_source
from ..errors import WARNING, Problem
from ..loadcache import ENV as CACHE_ENV
from ..loadcache import code_salt
from ..loader import Source, field_name, parse_text, read_source
from . import COPY_FIELD, FINGERPRINT_FIELD
from .fingerprint import BODY, changes, legal_content, regenerated_text, text_digest

TEXT_CACHE = "build/.cache/texte-signe"


@dataclass
class _Parsed:
    source_data: dict[str, Any]
    sections: list[Section]


def _parsed(raw: bytes, relpath: str, root: Path) -> tuple[Source, _Parsed]:
    src = Source(path=(root / relpath).resolve(), relpath=relpath, raw=raw)
    parse_text(src, raw)
    data = src.data if isinstance(src.data, dict) else {}
    return src, _Parsed(data, split_sections(src.body, src.body_line))


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _show(root: Path, commit: str, relpath: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), "show", f"{commit}:./{relpath}"],
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def signed_version(root: Path, relpath: str, recorded: str) -> bytes | None:
    """The file as it was signed: a committed version whose legal content has the
    recorded fingerprint (HEAD, the commit that recorded it, else the file's last 50)."""
    from .fingerprint import digest

    recording = (_git(root, "log", "--format=%H", f"-S{recorded}", "--", relpath) or "").split()
    recent = (_git(root, "log", "--format=%H", "-n", "50", "--", relpath) or "").split()
    commits = ["HEAD", *recording, *recent]  # before recording: same legal content
    for commit in commits:
        raw = _show(root, commit, relpath)
        if raw is not None and digest(legal_content(_parsed(raw, relpath, root)[1])) \
                == recorded:
            return raw
    return None


def _articles(old: bytes, new: bytes, relpath: str, root: Path) -> list[str]:
    """Titles of the articles whose text differs between two versions of a convention
    (articles only: the signature block differs anyway by the recorded date)."""
    from ..authoring.textdiff import blocks, diff_blocks
    from ..expand import expand

    docs = []
    for raw in (old, new):
        conv, _ = convention_from_source(_parsed(raw, relpath, root)[0], root)
        if conv is None:
            return []
        docs.append([b for b in blocks(expand(conv)) if b.number is not None])
    return diff_blocks(docs[0], docs[1], "signé", "actuel")[1]


def _where(src: Source, parsed: _Parsed, path: tuple[Any, ...]) -> tuple[int, int, str]:
    if path and path[0] == BODY:
        heading = path[1] if len(path) > 1 else ""
        line = next((s.line for s in parsed.sections if " ".join(s.heading.split()) == heading),
                    src.body_line)
        return line, 1, f"corps « {heading} »" if heading else "corps"
    line, col = src.where(path)
    return line, col, field_name(path)


def frozen_problems(doc: Any, root: Path) -> list[Problem]:
    """Errors when the legal content of a signed `doc` no longer has its fingerprint."""
    recorded = doc.source_data.get(FINGERPRINT_FIELD) or {}
    from .fingerprint import digest

    if digest(legal_content(doc)) == recorded.get("source"):
        return []
    src = read_source(doc.path, root)
    why = ("une convention signée ne change que par un avenant (make new, dossier avenants/) "
           "ou par une résiliation : rétablissez le texte signé")
    old = signed_version(root, doc.relpath, str(recorded.get("source")))
    if old is None:
        line, col = src.where((FINGERPRINT_FIELD,))
        return [Problem(doc.relpath, line, col, FINGERPRINT_FIELD, (
            "texte signé modifié : le contenu juridique ne correspond plus à l’empreinte "
            f"enregistrée à la signature (version signée introuvable dans git) ; {why}"))]
    _, before = _parsed(old, doc.relpath, root)
    now = _Parsed(src.data if isinstance(src.data, dict) else {},
                  split_sections(src.body, src.body_line))
    articles = [] if "convention" in doc.source_data else _articles(old, src.raw, doc.relpath,
                                                                    root)
    touched = f" ; texte modifié : {', '.join(f'« {a} »' for a in articles)}" if articles else ""
    problems = []
    for path in changes(legal_content(before), legal_content(now)):
        line, col, name = _where(src, now, path)
        problems.append(Problem(doc.relpath, line, col, name, (
            f"texte signé modifié : « {name} » a changé depuis la signature{touched} ; "
            f"{why}")))
    return problems


def _text_key(doc: Any) -> str:
    h = hashlib.sha256(code_salt().encode() + doc.source_hash.encode())
    before = getattr(doc, "before", None)
    if before is not None:
        h.update(before.source_hash.encode())
    return h.hexdigest()


def cached_text_digest(doc: Any, root: Path) -> str:
    """sha256 of the regenerated text, from build/.cache/texte-signe/ when possible."""
    enabled = os.environ.get(CACHE_ENV, "1") != "0"
    path = root / TEXT_CACHE / _text_key(doc)
    if enabled:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            value = path.read_text("ascii")
            if len(value) == 64:
                return value
    value = text_digest(regenerated_text(doc))
    if enabled:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w") as fh:
                fh.write(value)
            os.replace(tmp, path)
    return value


def tool_problems(doc: Any, root: Path) -> list[Problem]:
    """A warning when the same source now regenerates another text than the one signed."""
    recorded = doc.source_data.get(FINGERPRINT_FIELD) or {}
    if cached_text_digest(doc, root) == recorded.get("texte"):
        return []
    line, col = read_source(doc.path, root).where((FINGERPRINT_FIELD, "texte"))
    reference = ("l’exemplaire signé enregistré reste la référence publiée"
                 if COPY_FIELD in doc.source_data else "le texte signé sur papier fait foi")
    return [Problem(doc.relpath, line, col, f"{FINGERPRINT_FIELD}.texte", (
        "le texte régénéré diffère du texte signé alors que la source n’a pas changé "
        f"(nouvelle version de l’outil ou du modèle) : {reference} ; make diff montre l’écart "
        "si besoin"), WARNING)]


def copy_problems(doc: Any, root: Path) -> list[Problem]:
    """An error when the stored signed file is missing or no longer has its SHA-256."""
    copy = doc.source_data.get(COPY_FIELD) or {}
    stored = Path(doc.path).parent / str(copy.get("fichier", ""))
    try:
        actual = hashlib.sha256(stored.read_bytes()).hexdigest()
    except OSError:
        actual = None
    if actual == copy.get("sha256"):
        return []
    line, col = read_source(doc.path, root).where((COPY_FIELD, "sha256" if actual else "fichier"))
    shown = copy.get("fichier")
    message = (f"exemplaire signé introuvable : {shown} n’existe pas à côté du fichier ; "
               "remettez-le (git restore) ou retirez le champ" if actual is None else
               f"l’exemplaire signé {shown} a été modifié après son enregistrement (SHA-256 "
               f"{actual[:12]}… au lieu de {str(copy.get('sha256'))[:12]}…) : remettez le "
               "fichier signé d’origine (git restore)")
    return [Problem(doc.relpath, line, col, f"{COPY_FIELD}.{'sha256' if actual else 'fichier'}",
                    message)]


def signed_problems(catalog: Catalog) -> list[Problem]:
    """Every problem of the signed conventions and avenants of `catalog`."""
    problems: list[Problem] = []
    for doc in [*catalog.conventions, *catalog.avenants]:
        if COPY_FIELD in doc.source_data:
            problems += copy_problems(doc, catalog.root)
        if FINGERPRINT_FIELD in doc.source_data:
            found = frozen_problems(doc, catalog.root)
            if not found and getattr(doc, "before", True) is not None:  # avenant: its parent
                found = tool_problems(doc, catalog.root)
            problems += found
    return problems
