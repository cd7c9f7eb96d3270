"""The agreement as one typed tree: what every renderer (Markdown for pandoc, HTML for the
site, the text diff) reads. Built by `coop.expand` (a convention), `coop.avenant_text` (an
avenant) and `coop.consolidate` (a convention as amended). Text fields are typeset plain
text; `blocks` are typeset Markdown fragments (model templates filled, or the
convention's own sections)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .markdown import Md

# Origins of an article.
MODELE = "modele"  # the model's text as it is
COMPLETE = "complete"  # the model's text with the convention's « précisions »
AJOUTE = "ajoute"  # added by the convention
REMPLACE = "remplace"  # the model's text replaced by the convention
AVENANT = "avenant"  # changed by a signed avenant (see `changed_by`)
ORIGINS = (MODELE, COMPLETE, AJOUTE, REMPLACE, AVENANT)


@dataclass(frozen=True)
class Amendment:
    """A signed avenant that changed an article of the consolidated text."""

    id: str
    numero: int
    date_effet: date


@dataclass(frozen=True)
class Article:
    key: str  # model key (« duree ») or added article key (« ajout-tutorat »)
    slug: str  # anchor, unique in the document
    number: int
    title: str
    heading: str  # « Article 9 – Durée »
    part: str  # key of its part
    origin: str
    blocks: tuple[Md, ...]
    changed_by: tuple[Amendment, ...] = ()
    mention: Md | None = None  # consolidated text: which avenant changed it (model words)
    note: Md | None = None  # a departure from the model, told to the signer (model words)

    @property
    def text(self) -> str:
        """The article's Markdown without its heading (what a change compares)."""
        return "\n\n".join(self.blocks)


@dataclass(frozen=True)
class Part:
    key: str
    slug: str
    numeral: str
    title: str
    heading: str  # « I. Objet de la convention »
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Section:
    """A titled run of blocks that is not an article (préambule, signatures)."""

    slug: str
    heading: str
    blocks: tuple[Md, ...]


@dataclass(frozen=True)
class Signatory:
    party: str  # designation of the party
    fonction: str
    nom: str


@dataclass(frozen=True)
class Departure:
    kind: str  # ajout | remplacement | suppression
    article_key: str
    title: str
    detail: Md  # the new text, or the reason for a removal


@dataclass(frozen=True)
class Document:
    kind: str  # convention | avenant
    model: str  # « adaptation-offre-formation/v1 »
    title: str
    parties: tuple[Md, ...]
    preamble: Section
    parts: tuple[Part, ...]
    closing: Md
    signatures: Section
    signatories: tuple[Signatory, ...]
    departures: tuple[Departure, ...] = ()
    logos: tuple[Path, ...] = ()
    mentions: tuple[Md, ...] = field(default=())  # notes before the préambule
    labels: dict[str, str] = field(default_factory=dict)  # words around the text on a copy
    annex: Section | None = None  # the departures from the model, before the closing
    unbreakable: tuple[str, ...] = ()  # proper names and identifiers: never hyphenated

    @property
    def articles(self) -> list[Article]:
        return [a for p in self.parts for a in p.articles]

    def article(self, key: str) -> Article | None:
        return next((a for a in self.articles if a.key == key), None)

    def walk(self) -> Iterator[tuple[Part, Article]]:
        for p in self.parts:
            for a in p.articles:
                yield p, a

    def map_articles(self, change: dict[str, Article]) -> Document:
        """The same document with some articles (by key) swapped for new ones."""
        parts = tuple(replace(p, articles=tuple(change.get(a.key, a) for a in p.articles))
                      for p in self.parts)
        return replace(self, parts=parts)
