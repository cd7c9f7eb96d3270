"""The one slug: every anchor of a document (articles, parts, sections) comes from here."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})
FALLBACK = "article"  # a title with no ASCII letter or digit (« « » », Arabic script…)


def slug(text: str) -> str:
    """ASCII `[a-z0-9-]` anchor text: accents dropped, ligatures spelt out, anything else
    (apostrophes, dashes, punctuation, other scripts) a single dash."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    letters = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _NON_ALNUM.sub("-", letters).strip("-")


class Slugger:
    """Unique anchors within one document: a repeated slug gets `-2`, `-3`…"""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = set(taken or ())

    def __call__(self, text: str, prefix: str = "") -> str:
        base = prefix + (slug(text) or FALLBACK)
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def added_article_key(title: str) -> str:
    """Key of an article added by a convention or an avenant (before de-duplication)."""
    return "ajout-" + (slug(title) or FALLBACK)


def added_keys(titles: list[str]) -> list[str]:
    """Keys of the articles added with these titles, in order, unique in the document."""
    slugger = Slugger()
    return [slugger(added_article_key(t)) for t in titles]
