"""Writing convention files: atomically, and never over an existing file by surprise."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import AuthoringError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` through a temporary file of the same folder and `os.replace`: a reader
    sees the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`, atomically; refuse to overwrite an existing file."""
    if path.exists():
        raise AuthoringError(f"le fichier {path} existe déjà : rien n’a été écrit "
                             "(choisissez un autre identifiant avec --id)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        try:
            os.link(tmp, path)  # fails if `path` appeared meanwhile: never overwrites
        except FileExistsError:
            raise
        except OSError:  # file systems without hard links
            with path.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
    except FileExistsError:
        raise AuthoringError(f"le fichier {path} existe déjà : rien n’a été écrit") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
