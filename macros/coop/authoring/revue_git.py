"""The two states a review compares, read from git and from the disk (side effects).

The base is the merge base with the default branch unless a revision is given. Its
`conventions/` folder (conventions, avenants and their logos) is extracted with
`git archive` under `build/.cache/revue-base/<commit>/` and loaded like the working tree, so
that cross-file rules (avenants, duplicate identifiers) hold on both sides; the folder
is kept for the next run on the same base (the load cache lives inside it).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ..catalog import CONVENTIONS_DIR, convention_files, load_catalog
from . import AuthoringError
from .revisions import WORKTREE, git, resolve_rev
from .revue import State

BASE_DIR = Path("build") / ".cache" / "revue-base"  # outside build/revue/ (the artifact)
DEFAULT_BRANCHES = ("origin/main", "main")


@dataclass(frozen=True)
class Base:
    commit: str
    how: str  # in French: how it was chosen

    @property
    def short(self) -> str:
        return self.commit[:8]


def default_base(root: Path) -> Base:
    """The merge base of HEAD with origin/main, else with main, else HEAD~1, else HEAD."""
    for branch in DEFAULT_BRANCHES:
        done = git(root, "merge-base", "HEAD", branch)
        if done.returncode == 0 and done.stdout.strip():
            commit = done.stdout.decode().strip()
            return Base(commit, f"base de fusion de HEAD avec {branch}")
    for rev, how in (("HEAD~1", "HEAD~1 (aucune branche main trouvée)"),
                     ("HEAD", "HEAD (premier commit du dépôt)")):
        try:
            return Base(resolve_rev(root, rev), how)
        except AuthoringError:
            continue
    raise AuthoringError(f"{root} n’a aucun commit : rien à comparer")


def chosen_base(root: Path, rev: str | None) -> Base:
    if rev:
        return Base(resolve_rev(root, rev), f"révision demandée « {rev} »")
    return default_base(root)


def subject(root: Path, commit: str) -> str:
    done = git(root, "log", "-1", "--format=%s", commit)
    return done.stdout.decode("utf-8", "replace").strip()


def extract(root: Path, commit: str) -> Path:
    """`conventions/` at `commit`, under BASE_DIR/<commit>/ (other bases removed)."""
    parent = root / BASE_DIR
    dest = parent / commit
    if (dest / ".complet").is_file():
        return dest
    if parent.is_dir():
        for old in parent.iterdir():
            shutil.rmtree(old, ignore_errors=True)
    dest.mkdir(parents=True)
    done = git(root, "archive", "--format=tar", commit, "--", CONVENTIONS_DIR)
    if done.returncode == 0:  # no conventions/ at that commit: an empty catalogue
        with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
            tar.extractall(dest, filter="data")
    (dest / CONVENTIONS_DIR).mkdir(exist_ok=True)
    (dest / ".complet").write_text(commit + "\n", "utf-8")
    return dest


def _digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in convention_files(root)}


def snapshot(root: Path, name: str) -> State:
    """The catalogue under `root` as it is on disk."""
    return State(name, load_catalog(root), _digests(root))


def states(root: Path, base: Base) -> tuple[State, State]:
    """(base, working tree)."""
    old = snapshot(extract(root, base.commit), f"{base.short}")
    return old, snapshot(root, WORKTREE)
