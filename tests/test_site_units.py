"""Unit tests of the site glue: sanitising, records, open data, reference, labels."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from coop.convention import Convention
from coop.site import labels, opendata, records, reference, sanitize


def fake(**over: object) -> Convention:
    data = {
        "id": "essai", "titre": "FCIL essai", "modele": "adaptation-offre-formation/v1",
        "type": "fcil", "statut": "signee",
        "territoire": {"region_academique": "Auvergne-Rhône-Alpes", "academie": "Lyon",
                       "libelle": "bassin lyonnais"},
        "etablissements": [{"nom": "Lycée A", "uai": "0690026D"}],
        "partenaires": [{"nom": "Entreprise B", "siret": "732 829 320 00074"},
                        {"nom": "Branche C"}],
        "formation": {"intitule": "Maintenance", "secteur": "Aéronautique",
                      "diplomes_socles": [{"intitule": "Bac pro", "specialite": "X",
                                           "niveau": 4},
                                          {"intitule": "CAP", "specialite": "Y", "niveau": 3}],
                      "duree": {"debut": date(2026, 9, 1), "fin": date(2027, 6, 30)}},
        "dispositions": {"preavis_mois": 3},
        "signature": {"lieu": "Bron", "date": date(2026, 6, 15)},
    }
    data.update(over)
    return Convention(id="essai", path=Path("/x/essai.md"), relpath="conventions/essai.md",
                      data=data, body="", source_hash="0" * 64)


def test_sanitize_removes_scripts_handlers_and_bad_links() -> None:
    r = sanitize.render_markdown(
        "# Titre\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[a](javascript:alert(1)) [b](https://ex.fr/) [c](../rel/) [d](mailto:a@b.fr)\n\n"
        "### <em>Art</em> <b onclick=x>1</b> {#__config}\n")
    assert "<script" not in r.html and "alert(1)</script>" not in r.html
    assert "onerror" not in r.html and "onclick" not in r.html and "<img" not in r.html
    assert "javascript:" not in r.html
    assert 'href="https://ex.fr/"' in r.html and 'href="../rel/"' in r.html
    assert 'href="mailto:a@b.fr"' in r.html
    assert 'id="__config"' not in r.html
    assert all(not t["id"].startswith("_") for t in r.toc_tokens)


def test_sanitize_keeps_tables_ids_and_escapes_toc() -> None:
    r = sanitize.render_markdown(
        "## Partie {#partie-objet}\n\n### Article 1 – A &lt;b&gt; {#art-objet}\n\n"
        "| Pour | Nom |\n|---|---|\n| le lycée | Mme X |\n\n"
        "## Fonction et signature des parties {#signatures .signatures}\n")
    assert '<h2 id="partie-objet">' in r.html and "<table>" in r.html
    assert 'class="signatures"' in r.html
    names = [t["name"] for t in r.toc_tokens[0]["children"]]
    assert names == ["Article 1 – A &lt;b&gt;"]
    marked = sanitize.exclude_from_search(r.html, {"art-objet"})
    assert '<h3 id="art-objet" data-search-exclude>' in marked
    assert '<h2 id="partie-objet">' in marked


def test_record_columns() -> None:
    r = records.record(fake())
    assert list(r) == [c.name for c in records.COLUMNS]
    assert r["partenaires"] == ["Entreprise B", "Branche C"]
    assert r["siret"] == ["73282932000074"]
    assert r["niveaux"] == [3, 4]
    assert r["annee_scolaire"] == "2026-2027"
    assert (r["date_fin"], r["date_signature"]) == ("2027-06-30", "2026-06-15")
    coloration = fake(type="coloration", formation={
        "diplome": {"intitule": "Bac pro", "specialite": "MSPC", "niveau": 4},
        "theme": "maintenance navale", "duree": {"debut": date(2026, 9, 1)}})
    r2 = records.record(coloration)
    assert (r2["formation"], r2["secteur"], r2["date_fin"]) == (
        "Bac pro MSPC", "maintenance navale", None)


def test_open_data_round_trip() -> None:
    rows = [records.record(fake())]
    parsed = list(csv.DictReader(io.StringIO(opendata.to_csv(rows).decode("utf-8-sig")),
                                 delimiter=";"))
    assert parsed[0]["partenaires"] == "Entreprise B | Branche C"
    assert parsed[0]["date_fin"] == "2027-06-30"
    assert json.loads(opendata.to_json(rows)) == rows
    assert opendata.to_json(rows) == opendata.to_json(rows)


def test_reference_fields() -> None:
    fields = {f.path: f for f in reference.fields()}
    assert fields["titre"].required and fields["titre"].kind == "texte"
    assert fields["partenaires[].siret"].description
    assert "fcil" in fields["type"].values
    assert fields["formation.publics"].values == (
        "scolaire", "etudiant", "apprenti", "formation_continue")
    assert all(f.description for f in fields.values() if "[]" not in f.path
               and f.path.count(".") == 0)


def test_french_dates() -> None:
    assert labels.format_date(date(2026, 9, 1)) == "1er\u00a0septembre\u00a02026"
    assert labels.format_date(date(2026, 9, 2)) == "2\u00a0septembre\u00a02026"
    assert labels.school_year(date(2027, 6, 30)) == "2026-2027"
