"""What the catalogue publishes for reuse, on a site whose address is known
(`COOP_SITE_URL`): downloads that say format and size, open data with absolute URLs and
its Table Schema, calendar feeds (national, per académie) with links and reminders, the
Atom feed of the conventions added or changed."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import icalendar
import jsonschema
import pytest
from browser.sitebuild import TODAY, build, make_project

from conftest import ROOT
from coop.catalog import load_catalog
from coop.site import atom, opendata
from coop.site.records import COLUMNS

SITE = "https://conventions.exemple.fr/catalogue/"
LYON = "lyon-fcil-maintenance-aeronautique"
AVENANT = f"{LYON}-avenant-1"
NANTES = "nantes-coloration-mspc-navale"  # en signature
FAKE = "%PDF-1.7 factice\n" + "x" * 2500  # 3 Ko
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("publication")
    exports = {f"build/exports/{name}": FAKE for name in (
        f"{LYON}.pdf", f"{LYON}.docx", f"{AVENANT}.pdf", f"{AVENANT}.docx",
        f"{LYON}-consolide.pdf", f"{LYON}-consolide.docx", f"{NANTES}.pdf",
        "modele-adaptation-offre-formation-v2-fcil.docx")}
    project = make_project(tmp / "projet", exports)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(os.environ, "COOP_SITE_URL", SITE)
        result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


class Links(HTMLParser):
    """Every <a> of a page: its attributes and its text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[dict[str, str | None], str]] = []
        self._open: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append((dict(attrs), ""))
            self._open = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            attrs, _ = self.links[-1]
            self.links[-1] = (attrs, re.sub(r"[ \t\r\n]+", " ", "".join(self._open)).strip())
            self._open = None

    def to(self, fragment: str) -> list[tuple[dict[str, str | None], str]]:
        return [(a, t) for a, t in self.links if fragment in (a.get("href") or "")]


def page(site: Path, rel: str) -> Links:
    return Links((site / rel / "index.html").read_text("utf-8"))


# --- downloads ---------------------------------------------------------------------

def test_a_signed_convention_offers_its_copy_to_sign_said_unsigned(site: Path) -> None:
    links = page(site, f"conventions/{LYON}").to(f"exports/{LYON}.")
    assert [t for _a, t in links] == [
        "Télécharger l’exemplaire à signer (non signé) (PDF, 3\u00a0Ko)",
        "Télécharger l’exemplaire à signer (non signé) (DOCX, 3\u00a0Ko)"]
    assert all("download" in a for a, _t in links)


def test_a_convention_in_signature_offers_its_copy_to_sign(site: Path) -> None:
    links = page(site, f"conventions/{NANTES}").to(f"exports/{NANTES}.pdf")
    assert [t for _a, t in links] == ["Télécharger l’exemplaire à signer (PDF, 3\u00a0Ko)"]


def test_avenant_rows_say_format_and_size(site: Path) -> None:
    links = page(site, f"conventions/{LYON}").to(f"exports/{AVENANT}.")
    assert [t for _a, t in links] == ["PDF, 3\u00a0Ko", "DOCX, 3\u00a0Ko"]
    assert [a["aria-label"] for a, _t in links] == ["Avenant n° 1, PDF, 3\u00a0Ko",
                                                    "Avenant n° 1, DOCX, 3\u00a0Ko"]


def test_consolidated_page_offers_the_consolidated_copies(site: Path) -> None:
    links = page(site, f"conventions/{LYON}/consolide").to("-consolide.")
    assert [(a["href"], t) for a, t in links] == [
        (f"../../../exports/{LYON}-consolide.pdf",
         "Télécharger le texte consolidé (PDF, 3\u00a0Ko)"),
        (f"../../../exports/{LYON}-consolide.docx",
         "Télécharger le texte consolidé (DOCX, 3\u00a0Ko)")]
    assert (site / "exports" / f"{LYON}-consolide.pdf").is_file()


def test_model_page_offers_the_blank_model(site: Path) -> None:
    links = page(site, "modele/adaptation-offre-formation/v2/fcil").to("exports/")
    assert [t for _a, t in links] == ["Télécharger le modèle vierge (DOCX, 3\u00a0Ko)"]
    assert (site / "exports" / "modele-adaptation-offre-formation-v2-fcil.docx").is_file()
    assert page(site, "modele/adaptation-offre-formation/v2/coloration").to("exports/") == []


# --- open data ---------------------------------------------------------------------

TABLE_SCHEMA = {  # the rules of https://specs.frictionlessdata.io/table-schema/ we rely on
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["name", "type"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "title": {"type": "string"},
                "description": {"type": "string"},
                "type": {"enum": ["string", "number", "integer", "boolean", "object",
                                  "array", "date", "time", "datetime", "year",
                                  "yearmonth", "duration", "geopoint", "geojson", "any"]},
                "format": {"type": "string"},
                "trueValues": {"type": "array", "items": {"type": "string"}},
                "falseValues": {"type": "array", "items": {"type": "string"}},
                "constraints": {"type": "object", "properties": {
                    "required": {"type": "boolean"}, "unique": {"type": "boolean"},
                    "enum": {"type": "array", "minItems": 1},
                    "minimum": {"type": "integer"}}, "additionalProperties": False},
            }}},
        "primaryKey": {"type": ["string", "array"]},
        "missingValues": {"type": "array", "items": {"type": "string"}},
    },
}


def _cell_errors(field: dict, value: str, missing: list[str]) -> list[str]:
    """What is wrong with one CSV cell, by the field's type, format and constraints."""
    rules = field.get("constraints", {})
    if value in missing:
        return ["valeur manquante"] if rules.get("required") else []
    kind, errors = field["type"], []
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", value):
            return [f"entier attendu : {value!r}"]
        if int(value) < rules.get("minimum", int(value)):
            errors.append(f"inférieur au minimum : {value}")
    elif kind == "boolean":
        if value not in field.get("trueValues", ["true"]) + field.get("falseValues", ["false"]):
            errors.append(f"booléen attendu : {value!r}")
    elif kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            errors.append(f"date AAAA-MM-JJ attendue : {value!r}")
    if field.get("format") == "uri":
        url = urlparse(value)
        if url.scheme not in ("http", "https") or not url.netloc:
            errors.append(f"adresse absolue attendue : {value!r}")
    if "enum" in rules and value not in rules["enum"]:
        errors.append(f"valeur hors liste : {value!r}")
    return errors


def validate_csv(schema: dict, text: str) -> list[str]:
    jsonschema.validate(schema, TABLE_SCHEMA)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    fields = schema["fields"]
    errors = []
    if rows[0] != [f["name"] for f in fields]:
        errors.append(f"en-têtes : {rows[0]}")
    missing = schema.get("missingValues", [""])
    seen: set[str] = set()
    for n, row in enumerate(rows[1:], start=2):
        for field, value in zip(fields, row, strict=True):
            errors += [f"ligne {n}, {field['name']} : {e}"
                       for e in _cell_errors(field, value, missing)]
        key = row[[f["name"] for f in fields].index(schema["primaryKey"])]
        if key in seen:
            errors.append(f"ligne {n} : identifiant en double {key}")
        seen.add(key)
    return errors


def test_the_csv_follows_its_table_schema(site: Path) -> None:
    schema = json.loads((site / "donnees" / "schema.json").read_text("utf-8"))
    text = (site / "donnees" / "conventions.csv").read_text("utf-8-sig")
    assert validate_csv(schema, text) == []
    assert [f["name"] for f in schema["fields"]] == [c.name for c in COLUMNS]
    assert all(f["title"] and f["description"] for f in schema["fields"])
    by_name = {f["name"]: f for f in schema["fields"]}
    assert by_name["url"]["format"] == "uri" and by_name["date_publication"]["type"] == "date"
    assert "absolues, sous https://conventions.exemple.fr/catalogue/" in schema["description"]


def test_the_validator_catches_bad_cells(site: Path) -> None:
    schema = json.loads((site / "donnees" / "schema.json").read_text("utf-8"))
    text = (site / "donnees" / "conventions.csv").read_text("utf-8-sig")
    broken = text.replace(f"{SITE}conventions/{LYON}/", f"conventions/{LYON}/", 1)
    broken = broken.replace(";oui;", ";peut-être;", 1)
    errors = validate_csv(schema, broken)
    assert any("url : adresse absolue attendue" in e for e in errors)
    assert any("booléen attendu" in e for e in errors)


def test_open_data_has_absolute_urls_copies_and_publication_date(site: Path) -> None:
    rows = {r["id"]: r for r in json.loads((site / "donnees" / "conventions.json")
                                           .read_text("utf-8"))}
    lyon = rows[LYON]
    assert lyon["url"] == f"{SITE}conventions/{LYON}/"
    assert lyon["url_pdf"] == f"{SITE}exports/{LYON}.pdf"
    assert lyon["url_docx"] == f"{SITE}exports/{LYON}.docx"
    assert rows[NANTES]["url_pdf"] == f"{SITE}exports/{NANTES}.pdf"
    assert rows[NANTES]["url_docx"] is None
    assert {r["date_publication"] for r in rows.values()} == {TODAY}
    csv_rows = list(csv.DictReader(io.StringIO(
        (site / "donnees" / "conventions.csv").read_text("utf-8-sig")), delimiter=";"))
    assert {r["id"]: r["url_pdf"] for r in csv_rows}[LYON] == f"{SITE}exports/{LYON}.pdf"


def test_without_a_site_address_the_schema_says_urls_are_relative() -> None:
    schema = opendata.table_schema("")
    assert "relatives à la racine du site" in schema["description"]
    assert {f["format"] for f in schema["fields"]} == {"default"}
    rows = opendata.published([{"id": "x", "url": "conventions/x/"}],
                              copies=lambda i: [f"exports/{i}.pdf"])
    assert rows == [{"id": "x", "url": "conventions/x/", "url_pdf": "exports/x.pdf"}]


def rows(site: Path) -> list[dict]:
    """The published conventions (the open data JSON)."""
    return json.loads((site / "donnees" / "conventions.json").read_text("utf-8"))


# --- calendars ---------------------------------------------------------------------

def vevents(path: Path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_events_link_back_and_remind_before_notices_and_comites(site: Path) -> None:
    events = vevents(site / "echeances.ics")
    assert events
    for ev in events:
        conv_id = str(ev["UID"]).split(".")[0]
        assert str(ev["URL"]) == f"{SITE}conventions/{conv_id}/"
        alarms = list(ev.walk("VALARM"))
        if str(ev["UID"]).split(".")[1] in ("preavis", "comite_suivi"):
            assert len(alarms) == 1, ev["UID"]
            alarm = alarms[0]
            assert str(alarm["ACTION"]) == "DISPLAY"
            assert alarm.decoded("TRIGGER").days == -14
            assert str(alarm["DESCRIPTION"]).startswith("Dans 14\u00a0jours\u00a0: ")
        else:
            assert alarms == []
    assert any(ev.walk("VALARM") for ev in events)


def test_one_feed_per_academie_with_its_events_only(site: Path) -> None:
    national = {str(e["UID"]) for e in vevents(site / "echeances.ics")}
    academies = {r["academie"] for r in rows(site)}
    found: set[str] = set()
    for academie in academies:
        slug = re.sub(r"[^a-z0-9]+", "-", academie.lower())
        path = site / f"echeances-{slug}.ics"
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        assert str(cal["X-WR-CALNAME"]).endswith(f"académie {academie}")
        for ev in cal.walk("VEVENT"):
            assert f"Académie\u00a0: {academie}" in str(ev["DESCRIPTION"])
            found.add(str(ev["UID"]))
    assert found == national


def test_echeances_page_offers_subscriptions_to_copy(site: Path) -> None:
    links = page(site, "echeances")
    webcal = [(a, t) for a, t in links.links if (a.get("href") or "").startswith("webcal:")]
    assert ("webcal://conventions.exemple.fr/catalogue/echeances.ics"
            in [a["href"] for a, _t in webcal])
    assert "webcal://conventions.exemple.fr/catalogue/echeances-lyon.ics" in [
        a["href"] for a, _t in webcal]
    assert not any("download" in a for a, _t in webcal)  # a subscription is not a file
    html = (site / "echeances" / "index.html").read_text("utf-8")
    assert f"<code>{SITE}echeances.ics</code>" in html
    files = [(a, t) for a, t in links.to("echeances.ics") if "download" in a]
    assert files and files[0][1] == "télécharger le fichier (.ics)"


# --- Atom --------------------------------------------------------------------------

def test_atom_feed_is_valid_and_linked_from_the_home_page(site: Path) -> None:
    root = ET.parse(site / atom.FEED_URI).getroot()
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{tag}") or "").strip(), tag
    assert root.findtext(f"{ATOM}author/{ATOM}name")
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == f"{SITE}nouveautes.xml"
    entries = root.findall(f"{ATOM}entry")
    published = {r["id"] for r in rows(site)}
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert sorted(ids) == sorted(f"{atom.TAG}{i}" for i in published)
    stamps = []
    for e in entries:
        assert e.findtext(f"{ATOM}title")
        stamps.append(datetime.strptime(e.findtext(f"{ATOM}updated") or "",
                                        "%Y-%m-%dT%H:%M:%SZ"))
        href = e.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
        assert href.startswith(f"{SITE}conventions/")
    assert stamps == sorted(stamps, reverse=True)
    lyon = next(e for e in entries if e.findtext(f"{ATOM}id") == f"{atom.TAG}{LYON}")
    # no git in the test project: the latest signature date (the avenant's)
    assert lyon.findtext(f"{ATOM}updated") == "2026-11-12T00:00:00Z"
    home = page(site, "")
    feed_links = home.to("nouveautes.xml")
    assert feed_links and feed_links[0][0].get("type") == "application/atom+xml"
    assert feed_links[0][0].get("rel") == "alternate"


def test_atom_dates_come_from_git_when_committed() -> None:
    catalog = load_catalog(ROOT)
    conv = next(c for c in catalog.conventions if c.id == LYON)
    files = [str(conv.path), *(str(a.path) for a in catalog.by_parent[LYON])]
    status = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", *files],
                            capture_output=True, text=True, check=False)
    if status.returncode != 0 or status.stdout.strip():
        pytest.skip("no git history here, or a sample convention being edited")
    last = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct", "--", *files],
                          capture_output=True, text=True, check=True).stdout.strip()
    changed = atom.change_dates([conv], catalog.by_parent, ROOT, date(2026, 11, 2))
    assert int(changed[LYON].timestamp()) == int(last)
