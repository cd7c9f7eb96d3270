"""Markdown -> safe HTML for untrusted convention text.

The expanded text contains the convention body written by people outside the team: raw
HTML in it must never reach the page. Everything is converted by Python-Markdown, then
cleaned by nh3 (ammonia) with a short allow-list.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import Any

import markdown
import nh3

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em", "strong",
    "code", "pre", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "sup",
    "sub", "abbr",
}
ATTRIBUTES = {
    **{f"h{i}": {"id"} for i in range(1, 7)},
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
CLASSES = {"a": {"headerlink"}, "h2": {"signatures"}, "table": {"signatures"}}
URL_SCHEMES = {"http", "https", "mailto"}
_TAG_RE = re.compile(r"<[^>]*>")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")  # no "__…" ids of the theme


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "id" and not _ID_RE.match(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags={"script", "style"},
    attributes=ATTRIBUTES,
    attribute_filter=_attribute_filter,
    url_schemes=URL_SCHEMES,
    allowed_classes=CLASSES,
    filter_style_properties={"text-align"},
    link_rel="noopener noreferrer",
)


def clean(html: str) -> str:
    return _CLEANER.clean(html)


@dataclass
class Rendered:
    html: str
    toc_tokens: list[dict[str, Any]]


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["attr_list", "tables", "toc"],
        extension_configs={"toc": {
            "permalink": "¶",
            "permalink_title": "Lien vers cette section",
            "toc_depth": "2-3",
        }},
        output_format="html",
    )


def render_markdown(text: str) -> Rendered:
    """Untrusted Markdown -> sanitised HTML and the heading tree for the page's TOC."""
    md = _markdown()
    html = md.convert(text)
    return Rendered(clean(html), _safe_tokens(getattr(md, "toc_tokens", [])))


def _safe_tokens(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """TOC entries are written unescaped by the theme: keep plain escaped text and valid
    ids only (an entry with a rejected id is dropped, its children are kept)."""
    out: list[dict[str, Any]] = []
    for t in tokens:
        children = _safe_tokens(t.get("children", []))
        if not _ID_RE.match(str(t.get("id", ""))):
            out.extend(children)
            continue
        name = html_lib.escape(html_lib.unescape(_TAG_RE.sub("", str(t.get("name", "")))))
        out.append({"level": int(t["level"]), "id": t["id"], "name": name, "children": children})
    return out


def exclude_from_search(html: str, heading_ids: set[str]) -> str:
    """Mark the given h2/h3 headings `data-search-exclude`: the search plugin then skips
    their whole section (mkdocs-material's search parser)."""
    if not heading_ids:
        return html

    def mark(m: re.Match[str]) -> str:
        if m.group(2) in heading_ids:
            return f'<{m.group(1)} id="{m.group(2)}"{m.group(3)} data-search-exclude>'
        return m.group(0)

    return re.sub(r'<(h[23]) id="([^"]+)"([^>]*)>', mark, html)
