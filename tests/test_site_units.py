"""Unit tests of the site glue: sanitising, records, open data, reference, labels."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from coop.convention import Convention
from coop.deadlines import schedule
from coop.site import (
    avenant_page,
    figures,
    labels,
    opendata,
    page,
    records,
    reference,
    sanitize,
)

TODAY = date(2026, 11, 2)


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
    r = records.record(fake(), TODAY)
    assert list(r) == [c.name for c in records.COLUMNS]
    assert r["partenaires"] == ["Entreprise B", "Branche C"]
    assert r["siret"] == ["73282932000074"]
    assert r["niveaux"] == [3, 4]
    assert r["annee_scolaire"] == "2026-2027"
    assert (r["date_fin"], r["date_signature"]) == ("2027-06-30", "2026-06-15")
    assert (r["date_effet"], r["statut_effectif"], r["reconduction_tacite"]) == (
        "2026-06-15", "signee", False)
    assert r["prochain_comite"] == "2027-06-15"  # a year after the signature
    assert r["date_limite_preavis"] is None and r["comite_en_retard"] is False
    coloration = fake(type="coloration", formation={
        "diplome": {"intitule": "Bac pro", "specialite": "MSPC", "niveau": 4},
        "theme": "maintenance navale",
        "duree": {"debut": date(2024, 9, 2), "annees_cycle": 3, "annees_colorees": [2, 3]}},
        dispositions={"preavis_mois": 6, "tacite_reconduction": True},
        signature={"lieu": "Nantes", "date": date(2024, 6, 20)})
    r2 = records.record(coloration, TODAY)
    assert (r2["formation"], r2["secteur"]) == ("Bac pro MSPC", "maintenance navale")
    # the end of the current cycle, its notice deadline, a comité overdue since June 2025
    assert (r2["date_fin"], r2["reconduction_tacite"], r2["date_limite_preavis"]) == (
        "2027-08-31", True, "2027-02-28")
    assert (r2["prochain_comite"], r2["comite_en_retard"]) == ("2025-06-20", True)


def test_effective_status_of_an_ended_convention() -> None:
    ended = fake(formation={"intitule": "M", "secteur": "S", "diplomes_socles": [],
                            "duree": {"debut": date(2025, 9, 1), "fin": date(2026, 6, 30)}},
                 signature={"lieu": "Bron", "date": date(2025, 6, 1)})
    r = records.record(ended, TODAY)
    assert (r["statut"], r["statut_effectif"], r["date_fin"]) == (
        "signee", "expiree", "2026-06-30")
    html = page.badges(ended, schedule(ended.data, TODAY).status)
    assert 'coop-badge--expiree">Expirée<' in html and "(déclarée signée)" in html
    assert "déclarée" not in page.badges(fake(), "signee")
    # the home page counts effective statuses (the catalogue's statut facet does too)
    assert ">Expirée</a></td><td class=\"coop-nombre\">1<" in figures.by_status(
        [r], "catalogue/")


def test_card_shows_the_computed_dates() -> None:
    conv = fake(type="coloration", formation={
        "diplome": {"intitule": "Bac pro", "specialite": "MSPC", "niveau": 4},
        "theme": "maintenance navale",
        "duree": {"debut": date(2024, 9, 2), "annees_cycle": 3, "annees_colorees": [2, 3]}},
        dispositions={"preavis_mois": 6, "tacite_reconduction": True},
        signature={"lieu": "Nantes", "date": date(2024, 6, 20)},
        comite_suivi={"etablissement": ["le proviseur"]})
    html = page.card(conv, schedule(conv.data, TODAY), [], "modele/", "echeances.ics",
                     "../../echeances/")
    text = html.replace("\u00a0", " ")
    assert "<dt>Prise d’effet</dt><dd>20 juin 2024</dd>" in text
    assert ("<dt>Fin du cycle en cours</dt><dd>31 août 2027 — reconduite tacitement pour "
            "un nouveau cycle de 3 ans, sauf résiliation</dd>") in text
    assert "lettre recommandée au plus tard le <strong>28 février 2027</strong>" in text
    assert "Prochaine réunion au plus tard le 20 juin 2025" in text
    assert 'coop-badge--retard">en retard<' in text
    assert '<a href="echeances.ics" download>' in text and 'href="../../echeances/"' in text
    unsigned = fake(statut="brouillon", signature={"lieu": "Bron"})
    html = page.card(unsigned, schedule(unsigned.data, TODAY), [], "modele/")
    assert "À la signature par toutes les parties (non signée)" in html
    assert "echeances.ics" not in html and "Prochaine réunion" not in html


def test_open_data_round_trip() -> None:
    rows = [records.record(fake(), TODAY)]
    parsed = list(csv.DictReader(io.StringIO(opendata.to_csv(rows).decode("utf-8-sig")),
                                 delimiter=";"))
    assert parsed[0]["partenaires"] == "Entreprise B | Branche C"
    assert parsed[0]["date_fin"] == "2027-06-30"
    assert (parsed[0]["reconduction_tacite"], parsed[0]["date_limite_preavis"]) == ("non", "")
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


def test_record_counts_avenants_given_by_the_caller() -> None:
    assert records.record(fake(), TODAY)["avenants"] == 0
    assert records.record(fake(), TODAY, avenants=2)["avenants"] == 2
    assert [c.name for c in records.COLUMNS if c.get is None] == ["avenants"]


def test_avenant_helpers() -> None:
    assert avenant_page.parent_block([], str, lambda a: [], "") == ""
    assert avenant_page.consolidated_uri("x") == "conventions/x/consolide.md"

    class Av:
        def __init__(self, n: int) -> None:
            self.numero = n

    assert avenant_page.numbers([Av(1)]) == "n°\u00a01"
    assert avenant_page.numbers([Av(1), Av(2), Av(3)]) == "n°\u00a01, 2 et 3"
