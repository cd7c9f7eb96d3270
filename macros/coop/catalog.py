"""Load every convention of a repository: valid conventions and all problems found."""

from __future__ import annotations

from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from .avenants import Avenant, check_avenants, is_avenant_file, load_avenant, states
from .convention import Convention
from .errors import ERROR, Problem
from .loader import Source, read_source
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
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level != ERROR]

    def get(self, conv_id: str) -> Convention | None:
        return next((c for c in self.conventions if c.id == conv_id), None)

    def amended(self, conv: Convention) -> Convention:
        """The convention as amended by its signed avenants (itself when it has none)."""
        signed = [a for a in self.avenants_of(conv.id) if a.statut == "signee"]
        return states(conv, signed)[-1] if signed else conv

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


def load_convention(path: Path, root: Path) -> tuple[Convention | None, list[Problem]]:
    """One file -> (convention or None when it has errors, every problem found, up to
    MAX_PROBLEMS)."""
    conv, problems = convention_from_source(read_source(path, root), root)
    return conv, bounded(problems)


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


def load_catalog(root: Path, files: list[Path] | None = None) -> Catalog:
    """Every convention under `root/conventions` (or `files`), with every problem."""
    catalog = Catalog(root=root)
    seen: dict[str, Convention] = {}
    base = root / CONVENTIONS_DIR
    paths = files if files is not None else convention_files(root)
    avenant_paths = [p for p in paths if p.resolve().is_relative_to(base.resolve())
                     and is_avenant_file(p.resolve(), base.resolve())]
    for path in [p for p in paths if p not in avenant_paths]:
        conv, problems = load_convention(path, root)
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
    catalog.problems.sort()
    return catalog
