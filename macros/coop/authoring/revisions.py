"""A convention as it was at a git revision, and the text diff against the working tree."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..catalog import convention_from_source
from ..convention import Convention
from ..document import Document
from ..errors import Problem, errors_only, format_problems
from ..expand import expand
from ..loader import Source, parse_text
from . import AuthoringError
from .locate import find_convention
from .textdiff import diff_documents

WORKTREE = "copie de travail"


def git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              timeout=60, check=False)
    except FileNotFoundError:
        raise AuthoringError("git est introuvable : installez-le pour comparer des "
                             "révisions") from None


def resolve_rev(root: Path, rev: str) -> str:
    """The commit a revision names, or an AuthoringError in French."""
    if rev.startswith("-"):
        raise AuthoringError(f"révision invalide « {rev} »")
    done = git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if done.returncode != 0:
        if git(root, "rev-parse", "--git-dir").returncode != 0:
            raise AuthoringError(f"{root} n’est pas un dépôt git")
        raise AuthoringError(f"révision git inconnue « {rev} » (ex. HEAD, main, HEAD~1, un "
                             "numéro de commit)")
    return done.stdout.decode().strip()


def file_at(root: Path, commit: str, relpath: str) -> bytes | None:
    """The bytes of `relpath` (relative to `root`) at `commit`; None when it did not exist."""
    done = git(root, "show", f"{commit}:./{relpath}")
    return done.stdout if done.returncode == 0 else None


def find_at(root: Path, commit: str, conv_id: str) -> str | None:
    """relpath of convention `conv_id` at `commit` (for a convention deleted since)."""
    done = git(root, "grep", "-l", "-F", "-e", conv_id, commit, "--", "conventions")
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        relpath = line.split(":", 1)[1]
        raw = file_at(root, commit, relpath)
        if raw is not None:
            conv, _ = convention_from_bytes(raw, root, relpath)
            if conv is not None and conv.id == conv_id:
                return relpath
    return None


def convention_from_bytes(raw: bytes, root: Path, relpath: str
                          ) -> tuple[Convention | None, list[Problem]]:
    """Like `catalog.load_convention`, for a file that is not on disk (an old revision)."""
    src = Source(path=(root / relpath).resolve(), relpath=relpath, raw=raw)
    parse_text(src, raw)
    return convention_from_source(src, root)


def _document(raw: bytes | None, root: Path, relpath: str, name: str) -> Document | None:
    if raw is None:
        return None
    conv, problems = convention_from_bytes(raw, root, relpath)
    if conv is None:
        raise AuthoringError(f"la version « {name} » de {relpath} n’est pas valide, son texte "
                             f"ne peut être développé :\n{format_problems(errors_only(problems))}")
    return expand(conv)


def text_diff(root: Path, conv_id: str, rev: str = "HEAD") -> str:
    """The report of `make diff`: the agreement text at `rev` against the working tree."""
    commit = resolve_rev(root, rev)
    try:
        path = find_convention(root, conv_id)
    except AuthoringError:
        relpath = find_at(root, commit, conv_id)
        if relpath is None:
            raise
        new_raw = None
    else:
        relpath = path.resolve().relative_to(root.resolve()).as_posix()
        new_raw = path.read_bytes()
    old_raw = file_at(root, commit, relpath)
    old = _document(old_raw, root, relpath, rev)
    new = _document(new_raw, root, relpath, WORKTREE)
    report, changed = diff_documents(old, new, rev, WORKTREE)
    head = f"# Convention « {conv_id} » ({relpath}) : texte {rev} → {WORKTREE}"
    if old is None:
        head += f"\n\nConvention absente de {rev} : tout son texte est nouveau."
    elif new is None:
        head += "\n\nConvention supprimée de la copie de travail."
    if not changed:
        return f"{head}\n\nAucun changement dans le texte de la convention.\n"
    s = "s" if changed > 1 else ""
    return f"{head}\n\n{report}\n\n{changed} article{s} ou section{s} modifié{s}.\n"
