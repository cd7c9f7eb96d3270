"""Markdown -> safe HTML for untrusted convention text.

The blocks of a document contain the convention body written by people outside the team:
raw HTML in them must never reach the page. Each block is converted by Python-Markdown,
then cleaned by nh3 (ammonia) with a short allow-list. A block carries no `id`: the
page's anchors come from the document tree only (`coop.site.renderer`), so a block can
neither collide with them nor with the theme's own ids.
"""

from __future__ import annotations

import re

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


# Plain prose: no character Markdown gives a meaning to, no line that could open a block
# (list, quote, heading underline, indented code, hard break). Python-Markdown turns such a
# text into its paragraphs as they are; `to_html` skips it for them (a third of the
# blocks of a catalogue, several seconds per thousand conventions).
_MARKUP = re.compile(r"[\\`*_\[\]<>&#|!{}=~\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029]"
                     r"|^[^\S\n]|[^\S\n]$|^[\d+-]|\n\n\n", re.MULTILINE)


def _plain_paragraphs(text: str) -> str | None:
    """Python-Markdown's HTML for plain prose, or None when `text` has any markup."""
    body = text.strip("\n")
    if not body or _MARKUP.search(body):
        return None
    return "\n".join(f"<p>{p}</p>" for p in body.split("\n\n"))


def to_html(text: str) -> str:
    """Untrusted Markdown fragment -> sanitised HTML."""
    plain = _plain_paragraphs(text)
    return clean(plain if plain is not None else _MARKDOWN.reset().convert(text))
