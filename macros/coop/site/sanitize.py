"""Markdown -> safe HTML for untrusted convention text.

The blocks of a document contain the convention body written by people outside the team:
raw HTML in them must never reach the page. Each block is converted by Python-Markdown,
then cleaned by nh3 (ammonia) with a short allow-list. A block carries no `id`: the
page's anchors come from the document tree only (`coop.site.renderer`), so a block can
neither collide with them nor with the theme's own ids.
"""

from __future__ import annotations

import markdown
import nh3

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em", "strong",
    "code", "pre", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "sup",
    "sub", "abbr",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags={"script", "style"},
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    filter_style_properties={"text-align"},
    link_rel="noopener noreferrer",
)
# attr_list: `{#id .class}` is read (as pandoc does) and its attributes dropped by nh3.
_MARKDOWN = markdown.Markdown(extensions=["attr_list", "tables"], output_format="html")


def clean(html: str) -> str:
    return _CLEANER.clean(html)


def to_html(text: str) -> str:
    """Untrusted Markdown fragment -> sanitised HTML."""
    return clean(_MARKDOWN.reset().convert(text))
