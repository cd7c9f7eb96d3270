"""Find a convention file by its id without validating the whole catalogue."""

from __future__ import annotations

from pathlib import Path

from ..catalog import convention_files
from ..loader import read_source
from ..schema import suggest
from ..validate import default_id
from . import AuthoringError


def file_id(path: Path, root: Path) -> str | None:
    """The id a file declares (or its default id); None when its front-matter is unreadable."""
    src = read_source(path, root)
    if src.problems or not isinstance(src.data, dict):
        return None
    if "convention" in src.data and "numero" in src.data:  # an avenant
        return f"{src.data['convention']}-avenant-{src.data['numero']}"
    declared = src.data.get("id")
    return declared if isinstance(declared, str) else default_id(path)


def find_convention(root: Path, conv_id: str) -> Path:
    """The file of convention `conv_id` under `root/conventions`, or an AuthoringError.

    Only files whose name gives that id or whose bytes contain it are parsed, so the cost
    stays one read per file even for a national catalogue."""
    if not conv_id:
        raise AuthoringError("identifiant manquant : indiquez ID=<identifiant de la convention>")
    needle = conv_id.encode("utf-8")
    files = convention_files(root)
    for path in files:
        candidate = (default_id(path) == conv_id or needle in path.read_bytes()
                     or "avenants" in path.parts)  # an avenant's id is not in its file
        if candidate and file_id(path, root) == conv_id:
            return path
    ids = [i for p in files if (i := file_id(p, root))]  # error path only: parse them all
    raise AuthoringError(f"aucune convention d’identifiant « {conv_id} »{suggest(conv_id, ids)}")


def id_in_use(root: Path, conv_id: str) -> Path | None:
    try:
        return find_convention(root, conv_id)
    except AuthoringError:
        return None
