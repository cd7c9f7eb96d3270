"""The table of contents of a generated page, from the data that made its headings (the
document tree, the « Échéances » agenda), never read back from its HTML."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import escape
from mkdocs.structure.toc import AnchorLink, TableOfContents

from coop.document import Document

from .renderer import Anchor


def _link(title: str, anchor: str, level: int) -> AnchorLink:
    return AnchorLink(str(escape(title)), anchor, level)  # the theme prints it as HTML


def document_links(doc: Document) -> list[AnchorLink]:
    """Préambule, each part with its articles, signatures."""
    links = [_link(doc.preamble.heading, doc.preamble.slug, 2)]
    for part in doc.parts:
        link = _link(part.heading, part.slug, 2)
        link.children = [_link(a.heading, a.slug, 3) for a in part.articles]
        links.append(link)
    if doc.annex:
        links.append(_link(doc.annex.heading, doc.annex.slug, 2))
    links.append(_link(doc.signatures.heading, doc.signatures.slug, 2))
    return links


def toc(doc: Document | None = None, before: Sequence[Anchor] = (),
        after: Sequence[Anchor] = ()) -> TableOfContents:
    """The headings `before` the text of `doc`, those of the text, those `after` it."""
    links = [_link(a.title, a.id, 2) for a in before]
    links += document_links(doc) if doc is not None else []
    links += [_link(a.title, a.id, 2) for a in after]
    if links:
        links[0].active = True  # type: ignore[attr-defined]  # as mkdocs' get_toc does
    return TableOfContents(links)


def put_first(page_toc: TableOfContents, anchors: Iterable[Anchor]) -> None:
    """Put `anchors` first in `page_toc`, under its H1 when there is one."""
    links = [_link(a.title, a.id, 2) for a in anchors]
    items = page_toc.items
    if items and items[0].level == 1:
        items[0].children[:0] = links
    else:
        items[:0] = links
