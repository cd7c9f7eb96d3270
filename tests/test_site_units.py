"""Unit tests of the site glue: sanitising, records, open data, reference, labels."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from browser.sitebuild import Reader

from conftest import page_toc
from coop.convention import Convention
from coop.deadlines import schedule
from coop.document import (
    AJOUTE,
    MODELE,
    Amendment,
    Article,
    Departure,
    Document,
    Part,
    Section,
)
from coop.markdown import Md
from coop.site import (
    avenant_page,
    figures,
    labels,
    opendata,
    page,
    records,
    reference,
    renderer,
    sanitize,
)
from coop.site.generate import generated_page

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


def test_sanitize_removes_scripts_handlers_bad_links_and_ids() -> None:
    html = sanitize.to_html(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[a](javascript:alert(1)) [b](https://ex.fr/) [c](../rel/) [d](mailto:a@b.fr)\n\n"
        "### <em>Art</em> <b onclick=x>1</b> {#__config}\n\n"
        "#### Sous-titre {#art-objet .signatures}\n\n| Pour | Nom |\n|---|---|\n| A | B |\n")
    assert "<script" not in html and "alert(1)</script>" not in html
    assert "onerror" not in html and "onclick" not in html and "<img" not in html
    assert "javascript:" not in html
    assert 'href="https://ex.fr/"' in html and 'href="../rel/"' in html
    assert 'href="mailto:a@b.fr"' in html
    assert "<table>" in html and "<h4>Sous-titre</h4>" in html
    # the page's anchors come from the document tree only: a block sets none
    assert " id=" not in html and "class=" not in html


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
    shown, declared = page.badges(ended, schedule(ended.data, TODAY).status)
    assert [(b.kind, b.label) for b in shown] == [("fcil", "FCIL"), ("expiree", "Expirée")]
    assert declared == "signée"  # shown as « (déclarée signée) »
    assert page.badges(fake(), "signee")[1] == ""
    # the home page counts effective statuses (the catalogue's statut facet does too)
    assert ">Expirée</a></td><td class=\"coop-nombre\">1<" in figures.by_status(
        [r], "catalogue/")


def card_text(card: page.Card) -> dict[str, list[str]]:
    """Term -> the values a reader sees (no-break spaces as spaces)."""
    return {r.term: ["".join(v.text for v in line).replace("\u00a0", " ") for line in r.lines]
            for r in (*card.rows, *card.dates)}


def test_card_shows_the_computed_dates() -> None:
    conv = fake(type="coloration", formation={
        "diplome": {"intitule": "Bac pro", "specialite": "MSPC", "niveau": 4},
        "theme": "maintenance navale",
        "duree": {"debut": date(2024, 9, 2), "annees_cycle": 3, "annees_colorees": [2, 3]}},
        dispositions={"preavis_mois": 6, "tacite_reconduction": True},
        signature={"lieu": "Nantes", "date": date(2024, 6, 20)},
        comite_suivi={"etablissement": ["le proviseur"]})
    card = page.card(conv, schedule(conv.data, TODAY), "modele/", ics_href="echeances.ics",
                     echeances_href="../../echeances/")
    rows = card_text(card)
    assert rows["Prise d’effet"] == ["20 juin 2024"]
    assert rows["Fin du cycle en cours"] == [
        "31 août 2027 — reconduite tacitement pour un nouveau cycle de 3 ans, sauf résiliation"]
    notice = next(r for r in card.dates if r.term == "Préavis de résiliation").lines[0]
    assert notice[-1].strong and notice[-1].text == "28\u00a0février\u00a02027"
    assert "lettre recommandée au plus tard le 28 février 2027" in rows[
        "Préavis de résiliation"][0]
    comite = next(r for r in card.dates if r.term == "Comité de suivi").lines
    assert comite[1][0].late
    assert rows["Comité de suivi"][1] == "Prochaine réunion au plus tard le 20 juin 2025"
    assert rows["Partenaires"] == ["Entreprise B", "Branche C"]
    assert rows["Diplôme coloré"] == ["Bac pro MSPC"]
    assert (card.ics_href, card.echeances_href) == ("echeances.ics", "../../echeances/")
    unsigned = fake(statut="brouillon", signature={"lieu": "Bron"})
    rows = card_text(page.card(unsigned, schedule(unsigned.data, TODAY), "modele/"))
    assert rows["Prise d’effet"] == ["À la signature par toutes les parties (non signée)"]
    assert rows["Comité de suivi"] == ["Réunion une fois par an — 0 membre"]
    assert rows["Établissement"] == ["Lycée A"]


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
    assert records.record(fake(), TODAY)["date_publication"] == TODAY.isoformat()
    assert [c.name for c in records.COLUMNS if c.get is None] == [
        "avenants", "url_pdf", "url_docx", "date_publication"]


def test_avenant_helpers() -> None:
    assert avenant_page.parent_block([], str, lambda a: [], "") is None
    assert avenant_page.consolidated_uri("x") == "conventions/x/consolide.md"
    assert renderer.fr_list([1]) == "1"
    assert renderer.fr_list([1, 2, 3]) == "1, 2 et 3"
    assert renderer.file_size(1234) == "1\u00a0Ko"
    assert renderer.file_size(2_500_000) == "2,5\u00a0Mo"


# --- the HTML renderer: templates over a document tree built by hand ---------------------

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} {% if x %}"
NB = "\u00a0"


def _article(key: str, number: int, title: str, origin: str, *blocks: str,
             changed_by: tuple[Amendment, ...] = ()) -> Article:
    return Article(key=key, slug=f"art-{key}", number=number, title=title,
                   heading=f"Article{NB}{number} – {title}", part="objet", origin=origin,
                   blocks=tuple(map(Md, blocks)), changed_by=changed_by)


def hand_document(*, changed_by: tuple[Amendment, ...] = ()) -> Document:
    """A small convention: a model article, an added one with a hostile title and body,
    a removed one, raw HTML and template syntax in its blocks."""
    articles = (
        _article("objet", 1, "Objet", MODELE, "Le texte du **modèle**."),
        _article("ajout-x", 2, f"Ajout {HOSTILE}", AJOUTE,
                 f"Corps {HOSTILE}\n\n<script>alert('bloc')</script>\n\n"
                 "<b onclick=\"x()\">gras</b> [piège](javascript:alert(1))",
                 changed_by=changed_by),
    )
    return Document(
        kind="convention", model="m/v1", title=f"Convention {HOSTILE}",
        parties=(Md("**Entre** A"),),
        preamble=Section("preambule", "Préambule", (Md("Exposé <img src=x onerror=y()>"),)),
        parts=(Part("objet", "partie-objet", "I", "Objet", "I. Objet", articles),),
        closing=Md("Fait à Bron."),
        signatures=Section("signatures", "Fonction et signature des parties",
                           (Md("| Pour | Nom |\n|---|---|\n| A | B |"),)),
        signatories=(),
        departures=(Departure("ajout", "ajout-x", "Ajout", Md("")),
                    Departure("suppression", "litiges", "Litiges",
                              Md("Parce que <script>alert('motif')</script>"))))


def hand_card(title: str = f"Fiche {HOSTILE}") -> page.Card:
    return page.Card(title=title, badges=(page.Badge("fcil", "FCIL", "Formation"),),
                     rows=(page.Row("Partenaire", ((page.Value(HOSTILE, strong=True,
                                                               note=HOSTILE),),)),),
                     downloads=(page.Download("PDF", "x.pdf", 2000),))


def render_convention(overrides: tuple[Path, ...] = ()) -> str:
    return renderer.Renderer(overrides).render(
        "convention.html", doc=hand_document(), card=hand_card(), avenants=None,
        source=fake())


def test_renderer_keeps_untrusted_text_as_text() -> None:
    html = render_convention()
    assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html and "<img" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% if x %}"
    assert f"<h1>Fiche {escaped}</h1>" in html  # the catalogue title (the card's)
    assert f'<p class="coop-texte__titre">Convention {escaped}</p>' in html  # the legal one
    assert html.count(escaped) >= 6  # title, card (title, value, note), heading, body
    assert "49" not in html
    reader = Reader(html)
    assert "Corps {{ 7*7 }} {% if x %}" in reader.text  # raw HTML in a block is dropped
    assert "gras piège" in reader.text and "Le texte du modèle." in reader.text


def test_renderer_anchors_come_from_the_tree() -> None:
    doc = hand_document()
    reader = Reader(render_convention())
    slugs = {doc.preamble.slug, doc.signatures.slug, "partie-objet", "art-objet",
             "art-ajout-x"}
    assert slugs <= reader.ids
    internal = [h for h, _t in reader.links if h.startswith("#")]
    assert internal == ["#art-ajout-x"] and all(h[1:] in reader.ids for h in internal)
    # the search skips the model's own articles and the part headings, nothing else
    assert {h.id for h in reader.headings if h.excluded} == {"partie-objet", "art-objet"}
    departures = reader.heading(renderer.DEPARTURES.id)
    assert departures.links == [("#art-ajout-x", f"Article 2 – Ajout {HOSTILE}")]
    assert "Article supprimé — Litiges Parce que" in departures.text
    assert reader.heading("art-objet").title == "Article 1 – Objet"
    assert ("x.pdf", "Télécharger le fichier (PDF, 2 Ko)") in reader.links


def test_table_of_contents_from_the_headings_of_the_tree() -> None:
    """The engine reads the table of contents from the generated page's headings, which
    come from the tree: the parts with their articles, then the departures."""
    contents = [(level, i, title) for level, i, title in page_toc(
        generated_page("t", render_convention())) if level > 1]
    ids = [i for _level, i, _title in contents]
    order = ["preambule", "partie-objet", "art-objet", "art-ajout-x", "signatures",
             renderer.DEPARTURES.id]
    assert [i for i in ids if i in order] == order
    levels = {i: level for level, i, _title in contents}
    assert levels["partie-objet"] == 2 and levels["art-objet"] == 3
    # the theme prints a title as HTML: the hostile one stays escaped
    title = next(t for _level, i, t in contents if i == "art-ajout-x")
    assert title.replace(NB, " ") == ("Article 2 – Ajout &lt;script&gt;alert(1)"
                                      "&lt;/script&gt; {{ 7*7 }} {% if x %}")


def test_consolidated_text_links_each_change_to_its_avenant() -> None:
    amendments = (Amendment("av-1", 1, date(2027, 1, 4)), Amendment("av-2", 2, date(2027, 3, 1)))
    html = renderer.Renderer().render(
        "consolidated.html", doc=hand_document(changed_by=amendments), title=HOSTILE,
        applied=list(amendments), avenant_hrefs={"av-1": "../avenant-1/", "av-2": "../avenant-2/"},
        parent_href="../")
    reader = Reader(html)
    changed = reader.heading("art-ajout-x")
    assert changed.text.startswith("Article modifié par l’avenant n° 1 du 4 janvier 2027 et "
                                   "avenant n° 2 du 1er mars 2027.")
    assert changed.links[:2] == [("../avenant-1/", "avenant n° 1"),
                                 ("../avenant-2/", "avenant n° 2")]
    assert "Article modifié" not in reader.heading("art-objet").text
    banner = reader.headings[1]  # after the title
    assert f"Texte de la convention « {HOSTILE} » tel que modifié par les avenants n° 1 du " \
        "4 janvier 2027 et n° 2 du 1er mars 2027." in banner.text
    assert ("../", "la convention signée") in banner.links


def test_markdown_blocks_are_memoised() -> None:
    renderer.markdown.cache_clear()
    render_convention()
    first = renderer.markdown.cache_info()
    render_convention()
    again = renderer.markdown.cache_info()
    assert again.misses == first.misses and again.hits > first.hits


def test_a_deployer_template_replaces_ours(tmp_path: Path) -> None:
    (tmp_path / "card.html").write_text(
        '<aside class="fiche-maison">Fiche maison : {{ card.title }}</aside>', "utf-8")
    reader = Reader(render_convention((tmp_path,)))
    assert "Fiche maison : Fiche <script>alert(1)</script> {{ 7*7 }} {% if x %}" in reader.text
    assert "Partenaire" not in reader.text  # our card is gone, the rest is ours
    assert "Le texte du modèle." in reader.text
    assert renderer.override_dirs(tmp_path) == []
    (tmp_path / "overrides" / "coop").mkdir(parents=True)
    (tmp_path / "theme" / "coop").mkdir(parents=True)
    assert renderer.override_dirs(tmp_path, "theme") == [
        tmp_path / "theme" / "coop", tmp_path / "overrides" / "coop"]
