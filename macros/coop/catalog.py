"""Load every convention of a repository: valid conventions and all problems found."""

from __future__ import annotations

from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from .avenants import (
    Avenant,
    check_avenants,
    is_avenant_file,
    load_avenant,
    signed_avenants,
    states,
)
from .convention import Convention
from .errors import ERROR, Problem, errors_only, warnings_only
from .loadcache import LoadCache, logo_values
from .loader import Source, parse_source, read_raw
from .model import load_model
from .validate import default_id, typed_data, validate_source

CONVENTIONS_DIR = "conventions"


@dataclass
class Catalog:
    root: Path
    conventions: list[Convention] = field(default_factory=list)
    avenants: list[Avenant] = field(default_factory=list)
    by_parent: dict[str, list[Avenant]] = field(default_factory=dict)  # sorted by number
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return warnings_only(self.problems)

    def get(self, conv_id: str) -> Convention | None:
        return next((c for c in self.conventions if c.id == conv_id), None)

    def amended(self, conv: Convention) -> Convention:
        """The convention as amended by its signed avenants (itself when it has none)."""
        applied = signed_avenants(self.avenants_of(conv.id))
        return states(conv, applied)[-1] if applied else conv

    def avenants_of(self, conv_id: str) -> list[Avenant]:
        return self.by_parent.get(conv_id, [])


MAX_PROBLEMS = 50  # reported per file: a contributor fixes the first ones first


def bounded(problems: list[Problem]) -> list[Problem]:
    """The first MAX_PROBLEMS problems of one file, then one line saying how many more."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    ordered = sorted(problems)
    first, more = ordered[:MAX_PROBLEMS], ordered[MAX_PROBLEMS]
    return [*first, Problem(more.path, more.line, more.col, "", (
        f"… et {len(ordered) - MAX_PROBLEMS} autres problèmes dans ce fichier : "
        "corrigez d’abord les précédents"), more.level)]


def load_convention(path: Path, root: Path, cache: LoadCache | None = None
                    ) -> tuple[Convention | None, list[Problem]]:
    """One file -> (convention or None when it has errors, every problem found, up to
    MAX_PROBLEMS); from `cache` when the file, its logos and the code are unchanged."""
    relpath, raw = read_raw(path, root)
    key = cache.key(relpath, raw) if cache is not None and cache.enabled else ""
    if key and (hit := cache.get(key)) is not None:  # type: ignore[union-attr]
        return hit
    src = parse_source(path, relpath, raw)
    conv, problems = convention_from_source(src, root)
    result = conv, bounded(problems)
    if key:
        cache.put(key, result, logo_values(src.data))  # type: ignore[union-attr]
    return result


def convention_from_source(src: Source, root: Path) -> tuple[Convention | None, list[Problem]]:
    """A parsed file (on disk or from a git revision) -> (convention or None, problems)."""
    path = src.path
    if src.problems:
        return None, src.problems
    sections, problems = validate_source(src, root)
    if any(p.level == ERROR for p in problems):
        return None, problems
    data = typed_data(src.data)
    conv_id = data.get("id") or default_id(path)
    data["id"] = conv_id
    digest = sha256(src.raw + load_model(data["modele"]).digest.encode()).hexdigest()
    conv = Convention(id=conv_id, path=path.resolve(), relpath=src.relpath, data=data,
                      body=src.body, sections=sections, source_hash=digest,
                      source_data=src.data,
                      id_line=src.where(("id",))[0] if "id" in src.data else 1)
    return conv, problems


def convention_files(root: Path) -> list[Path]:
    base = root / CONVENTIONS_DIR
    return sorted(p for p in base.rglob("*.md")
                  if p.is_file() and p.name.lower() != "readme.md"
                  and not any(part.startswith((".", "_")) for part in p.relative_to(base).parts))


# Files that look like a convention but that the catalogue does not load: reported as
# errors (not warnings), because `check` is what a contributor and the CI trust; a
# warning scrolls by, and the contributor would believe the convention published.
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn"})
TEXT_SUFFIXES = MARKDOWN_SUFFIXES | {".txt"}  # outside conventions/: with a `modele:` field
ELSEWHERE_SKIPPED = frozenset({"build", "conventions", "docs", "macros", "scripts", "site",
                               "tests", "venv", "node_modules"})


def _front_matter_start(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(4096)
    except OSError:
        return b""


def _looks_like_convention(path: Path, need_model: bool) -> bool:
    """A regular file with a Markdown extension, or a front-matter (`---` first line);
    `need_model`: also a `modele:` field in its first 4 KB (files outside conventions/)."""
    if path.is_symlink() or not path.is_file():
        return False
    head = _front_matter_start(path)
    front = head.lstrip(b"\xef\xbb\xbf").startswith(b"---")
    if need_model:
        return front and b"\nmodele:" in head
    return path.suffix.lower() in MARKDOWN_SUFFIXES or front


def _why_skipped(path: Path, base: Path) -> str:
    parts = path.resolve().relative_to(base.resolve()).parts
    hidden = next((p for p in parts[:-1] if p.startswith((".", "_"))), None)
    if hidden is not None:
        return f"le dossier « {hidden} » est ignoré (nom commençant par « . » ou « _ »)"
    if path.name.startswith((".", "_")):
        return "les noms commençant par « . » ou « _ » sont ignorés"
    return f"l’extension « {path.suffix or '(aucune)'} » est ignorée (seul « .md » est lu)"


def _skipped_under(root: Path, base: Path, loaded: set[Path],
                   paths: list[Path]) -> list[Problem]:
    found = []
    for path in paths:
        if path.resolve() in loaded or path.stem.lower() == "readme" \
                or not _looks_like_convention(path, need_model=False):
            continue
        stem = path.name.lstrip("._")
        if path.suffix and stem.endswith(path.suffix):
            stem = stem[: -len(path.suffix)]
        relpath = path.resolve().relative_to(root.resolve()).as_posix()
        found.append(Problem(relpath, 1, 1, "", (
            f"fichier ignoré par le catalogue : {_why_skipped(path, base)} ; cette "
            "convention n’est ni validée ni publiée ; pour la publier, nommez-la "
            f"« {stem or 'convention'}.md » dans un dossier de conventions/ dont aucun nom "
            "ne commence par « . » ou « _ », sinon retirez-la de conventions/")))
    return found


def skipped_files(root: Path, loaded: list[Path],
                  only: list[Path] | None = None) -> list[Problem]:
    """Files that look like conventions and that the catalogue does not load: under
    conventions/ (hidden name or folder, extension other than `.md`), or elsewhere in the
    repository with a convention's front-matter (README.md is documentation). `only`:
    just these files (named on the command line)."""
    base = root / CONVENTIONS_DIR
    seen = {p.resolve() for p in loaded}
    if only is not None:
        return _skipped_under(root, base, seen, only)
    found = _skipped_under(root, base, seen, sorted(base.rglob("*")) if base.is_dir() else [])
    candidates = [p for p in root.iterdir() if p.is_file()]
    for folder in root.iterdir():
        if folder.is_dir() and not folder.is_symlink() and folder.name not in \
                ELSEWHERE_SKIPPED and not folder.name.startswith((".", "_")):
            candidates += [p for p in folder.rglob("*")
                           if not any(q.startswith((".", "_")) for q in
                                      p.relative_to(folder).parts)]
    for path in sorted(candidates):
        if path.suffix.lower() in TEXT_SUFFIXES and path.stem.lower() != "readme" \
                and _looks_like_convention(path, True):
            found.append(Problem(path.relative_to(root).as_posix(), 1, 1, "", (
                "convention hors du dossier conventions/ : le catalogue ne la lit pas, elle "
                "n’est ni validée ni publiée ; déplacez-la dans conventions/<académie>/")))
    return found


def load_catalog(root: Path, files: list[Path] | None = None) -> Catalog:
    """Every convention under `root/conventions` (or `files`), with every problem."""
    catalog = Catalog(root=root)
    cache = LoadCache(root)
    seen: dict[str, Convention] = {}
    base = root / CONVENTIONS_DIR
    paths = files if files is not None else convention_files(root)
    base_r = base.resolve()
    avenant_paths = [p for p in paths if (r := p.resolve()).is_relative_to(base_r)
                     and is_avenant_file(r, base_r)]
    for path in [p for p in paths if p not in avenant_paths]:
        conv, problems = load_convention(path, root, cache)
        catalog.problems.extend(problems)
        if conv is None:
            continue
        if conv.id in seen:
            catalog.problems.append(Problem(conv.relpath, conv.id_line, 1, "id", (
                f"identifiant « {conv.id} » déjà utilisé par {seen[conv.id].relpath} : "
                "chaque convention a un identifiant unique (champ « id »)")))
            continue
        seen[conv.id] = conv
        catalog.conventions.append(conv)
    for path in avenant_paths:
        avenant, problems = load_avenant(path, root)
        catalog.problems.extend(problems)
        if avenant is not None:
            catalog.avenants.append(avenant)
    if catalog.avenants:
        all_ids = seen if files is None else {c.id: c for c in load_catalog(root).conventions}
        catalog.problems.extend(check_avenants(catalog.avenants, all_ids))
    catalog.conventions.sort(key=lambda c: c.id)
    catalog.avenants.sort(key=lambda a: (a.parent_id, a.numero))
    for avenant in catalog.avenants:
        catalog.by_parent.setdefault(avenant.parent_id, []).append(avenant)
    if files is None:
        catalog.problems.extend(skipped_files(root, paths))
    catalog.problems.sort()
    return catalog
