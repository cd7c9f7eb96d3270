"""The catalogue page's first page of results and its on-demand data (coop.site.catalogue):
every convention in exactly one shard, counts that match the records, untrusted text
escaped, the same bytes for the same records."""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser
from typing import Any

import pytest

from coop.site import catalogue
from coop.site.renderer import Renderer

ACADEMIES = ["Lyon", "Nantes", "Aix-Marseille", "Créteil", "Paris"]
HOSTILE = 'Lycée <script>alert("x")</script> & "fils" <img src=x onerror=alert(1)>'


def rec(i: int, **over: Any) -> dict[str, Any]:
    r: dict[str, Any] = {
        "id": f"c{i:05d}", "titre": f"Convention {i:05d}", "url": f"conventions/c{i:05d}/",
        "type": "fcil" if i % 3 == 0 else "coloration",
        "statut": ["brouillon", "en_signature", "signee"][i % 3],
        "statut_effectif": ["brouillon", "en_signature", "expiree"][i % 3],
        "region_academique": f"Région {i % 4}", "academie": ACADEMIES[i % 5],
        "territoire": "Bassin", "etablissements": [f"Lycée {i % 7}"], "uai": ["0690001A"],
        "partenaires": [f"Partenaire {i % 11}", "Commune"], "siret": [],
        "formation": f"Bac pro {i % 13}", "niveaux": [3 + i % 3], "secteur": f"Secteur {i % 6}",
        "annee_scolaire": f"20{20 + i % 5}-20{21 + i % 5}",
        "date_signature": "2026-06-02" if i % 2 else None, "date_fin": "2027-08-31",
        "reconduction_tacite": i % 4 == 0, "avenants": 0, "modele": "x/v1",
    }
    r.update(over)
    return r


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    # titles out of order, one accented, so the default order is really computed
    rows = [rec(i) for i in range(1234, 0, -1)]
    rows[5]["titre"] = "Économie sociale"
    return rows


def shards(files: dict[str, bytes]) -> tuple[dict[str, Any], list[list[Any]]]:
    manifest = json.loads(files[catalogue.MANIFEST])
    lines: list[list[Any]] = []
    for lot in manifest["lots"]:
        part = json.loads(files[f"{catalogue.DATA_DIR}/{lot['fichier']}"])
        assert len(part) == lot["lignes"] and lot["debut"] == len(lines)
        lines.extend(part)
    return manifest, lines


def test_shards_hold_every_convention_once_in_the_default_order(records: list) -> None:
    files = catalogue.data_files(records)
    manifest, lines = shards(files)
    assert set(files) == {catalogue.MANIFEST} | {
        f"{catalogue.DATA_DIR}/{lot['fichier']}" for lot in manifest["lots"]}
    assert len(manifest["lots"]) == 3  # 1234 rows, 500 a shard
    rows = [dict(zip(manifest["colonnes"], line, strict=True)) for line in lines]
    ids = [r["id"] for r in rows]
    assert sorted(ids) == sorted(r["id"] for r in records) and len(set(ids)) == len(ids)
    titles = [r["titre"] for r in rows]
    assert titles[0] == "Convention 00001" and titles[-1] == "Économie sociale"
    assert titles[:-1] == sorted(titles[:-1])
    by_id = {r["id"]: r for r in records}
    assert all(by_id[r["id"]][k] == v for r in rows for k, v in r.items())
    assert manifest["total"] == 1234 and manifest["taille_page"] == 50


def test_manifest_counts_are_those_of_the_records(records: list) -> None:
    manifest = json.loads(catalogue.data_files(records)[catalogue.MANIFEST])
    counts = {k: dict(v) for k, v in manifest["facettes"].items()}
    assert counts["academie"] == dict(Counter(r["academie"] for r in records))
    assert counts["statut"] == dict(Counter(r["statut_effectif"] for r in records))
    assert counts["niveau"] == {str(n): c for n, c in
                                Counter(r["niveaux"][0] for r in records).items()}
    assert list(counts["statut"]) == ["brouillon", "en_signature", "expiree"]
    assert list(counts["annee"]) == sorted(counts["annee"], reverse=True)
    assert list(counts["academie"])[:2] == ["Aix-Marseille", "Créteil"]


def test_output_is_deterministic_and_versioned(records: list) -> None:
    first = catalogue.data_files(records)
    assert catalogue.data_files(list(reversed(records))) == first
    changed = catalogue.data_files([rec(1, titre="Autre"), *records[:-1]])
    version = json.loads(first[catalogue.MANIFEST])["version"]
    assert json.loads(changed[catalogue.MANIFEST])["version"] != version
    html = catalogue.table_html(records, Renderer(), page_url="catalogue/")
    assert html == catalogue.table_html(records, Renderer(), page_url="catalogue/")
    assert f"manifeste.json?v={version}" in html


class Table(HTMLParser):
    """The rows of the first page as a reader sees them: (cells text, link href)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[list[str], str]] = []
        self.options: dict[str, list[str]] = {}
        self.scripts = 0
        self.attrs: dict[str, str] = {}
        self._in_body = False
        self._cell: list[str] | None = None
        self._facet = ""  # the id of the facet <fieldset> being read
        self._choice: list[str] | None = None  # the text of a checkbox's <label>
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id") == "coop-catalogue":
            self.attrs = a
        self.scripts += tag == "script" or any(k.startswith("on") for k in a)
        if tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append(([], ""))
        elif tag in ("td", "th") and self._in_body:
            self._cell = []
        elif tag == "a" and self._in_body:
            self.rows[-1] = (self.rows[-1][0], a["href"])
        elif tag == "fieldset":
            self._facet = a["id"]
            self.options[self._facet] = []
        elif tag == "label" and self._facet:
            self._choice = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1][0].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "fieldset":
            self._facet = ""
        elif tag == "label" and self._choice is not None:
            self.options[self._facet].append(" ".join("".join(self._choice).split()))
            self._choice = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._choice is not None:
            self._choice.append(data)


def test_first_page_is_a_real_table_of_the_first_fifty(records: list) -> None:
    table = Table(catalogue.table_html(records, Renderer(), page_url="catalogue/"))
    assert len(table.rows) == 50
    cells, href = table.rows[0]
    assert cells[0] == "Convention 00001" and href == "../conventions/c00001/"
    assert cells[1] == "Coloration" and cells[2] == "Nantes"
    assert cells[6] == "En signature"
    assert cells[7] == "2 juin 2026" and cells[8] == "31 août 2027"
    cells = table.rows[1][0]
    assert cells[6] == "Expirée (déclarée signée)"  # effective status, declared beside it
    assert cells[7] == "—"
    # each facet a group of checkboxes with counts; établissement and partenaire are
    # listed by the script as the visitor types (thousands of values at national scale)
    assert table.options["coop-f-type"] == ["Coloration (823)", "FCIL (411)"]
    assert table.options["coop-f-academie"][:2] == ["Aix-Marseille (247)", "Créteil (247)"]
    assert table.options["coop-f-etablissement"] == table.options["coop-f-partenaire"] == []
    assert table.attrs["data-total"] == "1234" and table.attrs["data-racine"] == "../"
    assert table.attrs["data-manifeste"].startswith("../donnees/catalogue/manifeste.json?v=")


def test_hostile_text_stays_text(records: list) -> None:
    bad = rec(0, titre=HOSTILE, academie='Lyon" onmouseover="x', partenaires=[HOSTILE],
              secteur="<b>gras</b>")
    html = catalogue.table_html([bad, *records[:3]], Renderer(), page_url="catalogue/")
    table = Table(html)
    assert table.scripts == 0 and "<script>" not in html and "<b>" not in html
    row = next(cells for cells, _ in table.rows if cells[0] == " ".join(HOSTILE.split()))
    assert row[2] == 'Lyon" onmouseover="x' and row[4].startswith(" ".join(HOSTILE.split()))
    assert 'Lyon" onmouseover="x (1)' in table.options["coop-f-academie"]
    data = catalogue.data_files([bad])
    assert json.loads(data[f"{catalogue.DATA_DIR}/lot-0000.json"])[0][1] == HOSTILE


def test_empty_catalogue() -> None:
    table = Table(catalogue.table_html([], Renderer(), page_url="catalogue/"))
    assert table.rows == [(["Aucune convention au catalogue."], "")]
    manifest = json.loads(catalogue.data_files([])[catalogue.MANIFEST])
    assert manifest["total"] == 0 and manifest["lots"] == []


def test_html_has_no_blank_line(records: list) -> None:
    """Python-Markdown ends a raw HTML block at a blank line."""
    html = catalogue.table_html(records, Renderer(), page_url="catalogue/")
    assert "\n\n" not in html and html.startswith("<div") and html.endswith("</div>")


def test_selection_download_names_its_columns(records: list) -> None:
    """« Télécharger la sélection » writes the open-data columns the shards carry, in the
    order of donnees/conventions.csv, and the page says which."""
    html = catalogue.table_html(records, Renderer(), page_url="catalogue/")
    assert catalogue.CSV_COLUMNS[:3] == ("id", "titre", "type")
    assert set(catalogue.CSV_COLUMNS) == set(catalogue.FIELDS)
    assert "Télécharger la sélection (CSV)" in html
    assert "séparateur « ; »" in html and ", ".join(catalogue.CSV_COLUMNS) in html
