"""The legal pages every public-sector site carries, generated from the publisher's
settings (`coop.site.publisher`): « Mentions légales », « Accessibilité » (the RGAA
declaration) and « Données personnelles ». Their words live in the templates
`legal_*.html`; the footer of every page links them (`FOOTER_LINKS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .publisher import Publisher
from .renderer import Renderer

LICENCE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class LegalPage:
    uri: str  # source path in the generated folder, served at <name>/
    title: str
    template: str

    @property
    def url(self) -> str:
        return self.uri.removesuffix(".md") + "/"


MENTIONS = LegalPage("mentions-legales.md", "Mentions légales", "legal_mentions.html")
ACCESSIBILITE = LegalPage("accessibilite.md", "Accessibilité", "legal_accessibilite.html")
DONNEES = LegalPage("donnees-personnelles.md", "Données personnelles", "legal_donnees.html")
PAGES = (MENTIONS, ACCESSIBILITE, DONNEES)


def footer(publisher: Publisher, today: date) -> dict[str, object]:
    """What the footer of every page shows (the theme partial `partials/copyright.html`
    reads it from `config.extra.coop_pied`): the links (site paths, made relative to
    each page by the engine's `url` filter), the accessibility status, the build date."""
    return {**publisher.footer(today),
            "liens": [{"titre": p.title, "url": p.url} for p in PAGES]}


def pages(renderer: Renderer, publisher: Publisher, *, site_name: str, site_url: str,
          today: date, href: Callable[[str], str]) -> list[tuple[LegalPage, str]]:
    """(page, HTML body) of each legal page; `href`: site path -> link from the page."""
    return [(p, renderer.render(p.template, editeur=publisher, page=p, site_name=site_name,
                                site_url=site_url, today=today, licence=LICENCE,
                                licence_url=LICENCE_URL, href=href))
            for p in PAGES]
