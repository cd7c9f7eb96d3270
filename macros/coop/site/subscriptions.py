"""What a reader subscribes to: the calendar feeds of each académie (the national one and
each convention's are written by `generate`), the addresses offered on the « Échéances »
page, and the Atom feed of the conventions added or changed (`nouveautes.xml`)."""

from __future__ import annotations

from collections.abc import Iterator

from . import atom
from .echeances import Feed
from .feeds import academy_calendars, academy_feed_uri
from .opendata import site_address
from .state import SiteState
from .urls import relative

NATIONAL_FEED = "echeances.ics"


def _feed(academie: str, path: str, here: str, site_url: str) -> Feed:
    return Feed(academie, relative(path, here),
                site_address(site_url, path) if site_url else "")


def feeds(st: SiteState, here: str, site_url: str = "") -> list[Feed]:
    """The feeds the « Échéances » page (served at `here`) offers: national, then one
    per académie of the catalogue."""
    academies = sorted({c.academie for c in st.catalog.conventions})
    return [_feed("", NATIONAL_FEED, here, site_url),
            *(_feed(a, academy_feed_uri(a), here, site_url) for a in academies)]


def files(st: SiteState, site_url: str = "", site_name: str = "") -> Iterator[tuple[str, bytes]]:
    """(site path, bytes): one calendar per académie, and the Atom feed."""
    yield from academy_calendars(st.conventions_in_force(), st.today,
                                 site_url=site_url).items()
    changed = atom.change_dates(st.catalog.conventions, st.avenants, st.root, st.today)
    yield atom.FEED_URI, atom.feed(atom.entries(st.records, changed, site_url), st.today,
                                   site_url=site_url, author=site_name or atom.AUTHOR)
