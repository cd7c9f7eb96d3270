"""The plain-prose shortcut of `sanitize.to_html` gives Python-Markdown's HTML, always."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coop.catalog import load_catalog
from coop.document import Document
from coop.expand import expand
from coop.site import sanitize

ROOT = Path(__file__).resolve().parent.parent

# Prose, punctuation, French spaces, newlines and every character Markdown reads.
ALPHABET = "ab é\n\n\u00a0\u202f.,;:?'\"«»()/%€’-+*_`#>[]!|{}=~&<\\1 \t\r\u2028"


def _slow(text: str) -> str:
    return sanitize.clean(sanitize._MARKDOWN.reset().convert(text))


def _check(text: str) -> bool:
    """True when the shortcut applied (and gave the slow path's HTML)."""
    fast = sanitize._plain_paragraphs(text)
    if fast is None:
        return False
    assert sanitize.clean(fast) == _slow(text), repr(text)
    return True


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_shortcut_equals_python_markdown(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet="abc éà’,.;:?()\u00a0\u202f«»", min_size=1, max_size=30),
                min_size=1, max_size=4))
def test_shortcut_applies_to_paragraphs_of_prose(paragraphs: list[str]) -> None:
    text = "\n\n".join(p.strip() for p in paragraphs)
    if all(p.strip() and p.strip()[0] not in "0123456789+-" for p in paragraphs):
        assert _check(text)


def test_shortcut_on_every_block_of_the_samples() -> None:
    blocks = [b for conv in load_catalog(ROOT).conventions for b in _blocks(expand(conv))]
    used = sum(_check(text) for text in blocks)
    assert blocks and 0 < used < len(blocks)  # some are prose, some carry markup


def test_markup_takes_the_full_path() -> None:
    for text in ("**gras**", "- liste", "1. un", "a\n===", "a  \nb", "<b>x</b>", "a & b",
                 "    code", "> citation", "| a | b |", "[lien](x)", "titre {#id}"):
        assert sanitize._plain_paragraphs(text) is None, text
    assert sanitize.to_html("Un\u00a0: deux.\n\nTrois") == "<p>Un&nbsp;: deux.</p>\n<p>Trois</p>"


def _blocks(doc: Document) -> list[str]:
    return [*doc.parties, *doc.preamble.blocks, *doc.signatures.blocks, doc.closing,
            *(b for a in doc.articles for b in a.blocks)]
