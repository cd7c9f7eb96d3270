"""Document tree -> the Markdown that pandoc turns into DOCX and PDF (and that `make expand`
shows). Layout only: every word comes from the tree, so from the model version."""

from __future__ import annotations

from coop.document import Document
from coop.markdown import md_inline


def _heading(level: int, text: str, slug: str, classes: str = "") -> str:
    attrs = f"#{slug}" + (f" .{classes}" if classes else "")
    return f"{'#' * level} {md_inline(text)} {{{attrs}}}"


def _emphasis(text: str) -> str:
    return f"*{text}*"


def render_markdown(doc: Document) -> str:
    out = [f"# {md_inline(doc.title)}", *doc.parties, *map(_emphasis, doc.mentions),
           _heading(2, doc.preamble.heading, doc.preamble.slug), *doc.preamble.blocks]
    for part in doc.parts:
        out.append(_heading(2, part.heading, part.slug))
        for art in part.articles:
            out.append(_heading(3, art.heading, art.slug))
            out += [_emphasis(note) for note in (art.note, art.mention) if note]
            out.extend(art.blocks)
    if doc.annex:
        out += [_heading(2, doc.annex.heading, doc.annex.slug), *doc.annex.blocks]
    sig = doc.signatures
    out += [doc.closing, _heading(2, sig.heading, sig.slug, "signatures"), *sig.blocks]
    return "\n\n".join(out) + "\n"
