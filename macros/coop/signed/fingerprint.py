"""The fingerprint of what was agreed: a pure digest of a convention's (or an avenant's)
legal content, taken when it becomes `signee`.

The legal content is the front-matter as written, without the fields that record the
signature and its follow-up (status, signature date, signed copy, fingerprint, last
meeting of the comité), and the body cut at its headings, whitespace collapsed (a
re-wrapped paragraph is the same text; a changed word is not).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from typing import Any, Protocol

from ..body import Section
from . import COPY_FIELD, FINGERPRINT_FIELD

RECORDING: tuple[tuple[str, ...], ...] = (
    ("statut",), ("signature", "date"), (COPY_FIELD,), (FINGERPRINT_FIELD,),
    ("comite_suivi", "derniere_reunion"),
)
BODY = "corps"  # key of the body in the legal content

Path_ = tuple[str | int, ...]


class Signable(Protocol):
    source_data: dict[str, Any]
    sections: list[Section]


def legal_content(doc: Signable) -> dict[str, Any]:
    """Front-matter without the recording fields, and the body's sections."""
    data = copy.deepcopy(doc.source_data)
    for path in RECORDING:
        node: Any = data
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(path[-1], None)
    body = {" ".join(s.heading.split()): " ".join(s.content.split()) for s in doc.sections}
    return {**data, BODY: body}


def digest(content: Any) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_digest(doc: Signable) -> str:
    return digest(legal_content(doc))


def text_digest(markdown: str) -> str:
    """Digest of the regenerated text (the tool's output), to tell a tool change apart."""
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


def changes(old: Any, new: Any, path: Path_ = ()) -> Iterator[Path_]:
    """The paths where two legal contents differ, as deep as both sides have the shape."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in old or key not in new:
                yield (*path, key)
            else:
                yield from changes(old[key], new[key], (*path, key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from changes(a, b, (*path, i))
    elif old != new:
        yield path


def regenerated_text(doc: Signable) -> str:
    """The agreement text the tool makes today from `doc` (a Convention or an Avenant)."""
    from ..avenant_text import document_of
    from ..render.markdown import render_markdown

    return render_markdown(document_of(doc))  # type: ignore[arg-type]


def fingerprint_fields(doc: Signable) -> dict[str, str]:
    """What `empreinte_signee` records: the legal content's digest (`source`) and the
    regenerated text's (`texte`)."""
    return {"source": source_digest(doc), "texte": text_digest(regenerated_text(doc))}
