"""The Atom feed of the conventions added or changed (`nouveautes.xml`, RFC 4287).

One entry per convention, dated by its last change: the committer date of the last commit
that touched its file or one of its avenants' (`coop.export.dates.SourceDates`, one
`git log` for the whole catalogue), when they are all committed and unchanged; otherwise
— no git, a file not committed yet — the latest signature date in their front-matter,
else the day of the build. Never a file's modification time: the same sources give the
same feed. The `MAX_ENTRIES` latest only, so the feed does not grow with the catalogue.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from coop.avenants import Avenant
from coop.convention import Convention
from coop.export.dates import SourceDates

from .records import Value, page_url

FEED_URI = "nouveautes.xml"
FEED_TITLE = "Conventions de coopération ajoutées ou modifiées"
AUTHOR = "Catalogue des conventions de coopération"
MAX_ENTRIES = 50
TAG = "tag:conventions-cooperation,2026:"  # stable ids, whatever the site's address
NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: datetime
    href: str
    summary: str


def _signed_on(doc: Convention | Avenant) -> date | None:
    d = (doc.data.get("signature") or {}).get("date")
    return d if isinstance(d, date) else None


def change_dates(conventions: Sequence[Convention], avenants: dict[str, list[Avenant]],
                 root: Path, today: date) -> dict[str, datetime]:
    """Convention id -> date of its last change (see the module's rule)."""
    docs: list[Convention | Avenant] = [*conventions,
                                        *(a for c in conventions for a in avenants.get(c.id, []))]
    folders = sorted({Path(d.path).resolve().parent for d in docs})
    dates = SourceDates(root, folders)
    out = {}
    for conv in conventions:
        own = [conv, *avenants.get(conv.id, [])]
        paths = [Path(d.path).resolve() for d in own]
        if all(p in dates.committed and p not in dates.dirty for p in paths):
            out[conv.id] = datetime.fromtimestamp(max(dates.committed[p] for p in paths), UTC)
            continue
        signed = [d for d in map(_signed_on, own) if d is not None]
        out[conv.id] = datetime.combine(max(signed, default=today), time(0, 0), tzinfo=UTC)
    return out


def _summary(r: dict[str, Value]) -> str:
    def names(key: str) -> str:
        value = r.get(key) or []
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return (f"{r['type_libelle']} — académie de {r['academie']} — {r['statut_libelle']}. "
            f"{names('etablissements')} ; {names('partenaires')}.")


def entries(records: Iterable[dict[str, Value]], changed: dict[str, datetime],
            site_url: str = "") -> list[Entry]:
    """The `MAX_ENTRIES` most recently changed conventions, latest first."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    out = [Entry(f"{TAG}{r['id']}", str(r["titre"]), changed[str(r["id"])],
                 base + page_url(str(r["id"])), _summary(r))
           for r in records if str(r["id"]) in changed]
    out.sort(key=lambda e: (e.updated, e.id), reverse=True)
    return out[:MAX_ENTRIES]


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def feed(items: Sequence[Entry], today: date, *, site_url: str = "",
         title: str = FEED_TITLE, author: str = AUTHOR) -> bytes:
    """The feed's XML. Its `updated` is its latest entry's (the build day when empty)."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}feed", {"xml:lang": "fr"})
    _sub(root, "id", f"{TAG}{FEED_URI}")
    _sub(root, "title", title)
    latest = max((e.updated for e in items),
                 default=datetime.combine(today, time(0, 0), tzinfo=UTC))
    _sub(root, "updated", _stamp(latest))
    _sub(_sub(root, "author"), "name", author)
    base = site_url.rstrip("/") + "/" if site_url else ""
    _sub(root, "link", rel="alternate", type="text/html", href=base or "./")
    if base:  # « self » must be the feed's own absolute address
        _sub(root, "link", rel="self", type="application/atom+xml", href=base + FEED_URI)
    for e in items:
        entry = _sub(root, "entry")
        _sub(entry, "id", e.id)
        _sub(entry, "title", e.title)
        _sub(entry, "updated", _stamp(e.updated))
        _sub(entry, "link", rel="alternate", type="text/html", href=e.href)
        _sub(entry, "summary", e.summary)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
