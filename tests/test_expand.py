"""Expansion of the samples: complete, numbered, no guidance left, right variant text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import GUIDANCE, LYON, ROOT, edit
from coop.catalog import load_catalog
from coop.expand import expand
from coop.model import load_model
from coop.render.markdown import render_markdown as md_of
from coop.site.model_page import model_document

NBSP, NNBSP = "\u00a0", "\u202f"
CATALOG = load_catalog(ROOT)
STANDARD = load_model("adaptation-offre-formation/v1").article_keys
ARTICLE_RE = re.compile(r"^### Article[ \u00a0](\d+) – (.+?) \{#art-([a-z0-9-]+)\}$", re.MULTILINE)

def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.fixture(scope="module", params=[c.id for c in CATALOG.conventions])
def expanded(request: pytest.FixtureRequest):
    conv = CATALOG.get(request.param)
    return conv, expand(conv)


def test_articles_numbered_without_gaps(expanded) -> None:
    _, exp = expanded
    found = ARTICLE_RE.findall(md_of(exp))
    assert [int(n) for n, _, _ in found] == list(range(1, len(found) + 1))
    assert [a.number for a in exp.articles] == list(range(1, len(found) + 1))
    keys = [k for _, _, k in found]
    removed = {d.article_key for d in exp.departures if d.kind == "suppression"}
    assert [k for k in keys if k in STANDARD] == [k for k in STANDARD if k not in removed]


def test_structure_in_order(expanded) -> None:
    _, exp = expanded
    md = md_of(exp)
    assert md.startswith("# Convention de coopération entre ")
    assert md.count("\n# ") == 0  # a single h1
    marks = ["**Entre**", "d’une part,", "**Et**", "d’autre part.", "## Préambule",
             "## I. Objet de la convention", "## II. Axe de coopération", "## III. Pilotage",
             "## IV. Dispositions finales", "Fait à ", "## Fonction et signature des parties"]
    positions = [md.index(m) for m in marks]
    assert positions == sorted(positions)


def test_no_guidance_left(expanded) -> None:
    _, exp = expanded
    for words in GUIDANCE:
        assert words not in md_of(exp), words


def test_signature_table_has_one_row_per_signatory(expanded) -> None:
    conv, exp = expanded
    table = md_of(exp).split("{#signatures .signatures}", 1)[1]
    rows = [r for r in table.strip().splitlines() if r.startswith("| ")][1:]
    assert len(rows) == len(conv.data["signature"]["signataires"]) == len(exp.signatories)


def test_fcil_variant_text() -> None:
    md = plain(md_of(expand(CATALOG.get("lyon-fcil-maintenance-aeronautique"))))
    assert "- le secteur économique ou professionnel concerné : Aéronautique." in md
    assert "### Article 2 – Publics ciblés par la FCIL et durée" in md
    assert ("La FCIL se déroule du 1er septembre 2026 au 30 juin 2027, soit une durée de 10 mois,"
            " sans excéder une année scolaire.") in md
    assert ("Cette attestation est co-signée, sur proposition du chef d’établissement, par le "
            "recteur de l’académie de Lyon, et par RHM.") in md
    assert "conclue pour la durée de la formation complémentaire d’initiative locale définie à " \
           "l’article 2, soit jusqu’au 30 juin 2027." in md
    assert "préavis de 3 mois" in md
    assert "Fait à Bron, le 15 juin 2026, en 2 exemplaires originaux." in md
    assert "représentée par Monsieur Paul Martin" in md  # genre: feminin (la société)
    assert "coloration" not in md.split("## I.")[1].split("## IV.")[0].lower().replace(
        "colorations", "")


def test_coloration_variant_text() -> None:
    md = plain(md_of(expand(CATALOG.get("nantes-coloration-mspc-navale"))))
    assert ("- le baccalauréat professionnel, spécialité « Maintenance des systèmes de "
            "production connectés », coloré « maintenance navale ».") in md
    assert ("La coloration s’inscrit dans une partie du cycle de formation de 3 ans : la deuxième "
            "année et la troisième année, à compter de la rentrée du 1er septembre 2027.") in md
    assert "co-signée par le chef d’établissement scolaire porteur de la coloration" in md
    assert "est reconduite par tacite reconduction" in md
    assert "Fait à Saint-Nazaire, le ……………………, en 3 exemplaires originaux." in md
    assert "FCIL" not in md.split("## I.")[1]


def test_added_article_is_numbered_and_references_resolve() -> None:
    exp = expand(CATALOG.get("nantes-coloration-mspc-navale"))
    md = plain(md_of(exp))
    assert "### Article 8 – Engagements de la collectivité {#art-ajout-engagements-de-la-" \
           "collectivite}" in md
    assert "### Article 9 – Dispositif de suivi de la convention" in md
    assert "prévues à\nl’article 4." in md
    assert [(d.kind, d.title) for d in exp.departures] == [
        ("ajout", "Engagements de la collectivité")]
    assert exp.articles[7].origin == "ajoute"


def test_replaced_article_is_recorded() -> None:
    exp = expand(CATALOG.get("aix-marseille-fcil-portuaire"))
    md = plain(md_of(exp))
    assert "l’UMF présente chaque année la formation" in md
    assert "Les signataires s’engagent à promouvoir la FCIL auprès des élèves" not in md
    [dep] = exp.departures
    assert (dep.kind, dep.article_key, dep.title) == ("remplacement", "communication",
                                                      "Communication")
    assert "La présente convention prend effet le 1er septembre 2026" in md


def test_removed_article_keeps_numbering(repo: Path) -> None:
    text = LYON.read_text("utf-8") + ("\n## Article supprimé : professionnalisation\n\n"
                                      "Les personnels sont formés par ailleurs.\n")
    (repo / "conventions" / "x.md").write_text(text, "utf-8")
    conv = load_catalog(repo).conventions[0]
    exp = expand(conv)
    numbers = [int(n) for n, _, _ in ARTICLE_RE.findall(md_of(exp))]
    assert numbers == list(range(1, 11))
    assert "professionnalisation des équipes" not in md_of(exp).split("{#ecarts}")[0]
    # the signer is told, before the closing, with the reason given
    annex = md_of(exp).split("{#ecarts}")[1].split("Fait à")[0]
    assert ("l’article « Participation à la professionnalisation des équipes pédagogiques » du "
            "modèle est supprimé ; motif : Les personnels sont formés par ailleurs."
            ) in plain(annex)
    assert [(d.kind, d.article_key) for d in exp.departures] == [
        ("suppression", "professionnalisation")]
    assert "Les personnels sont formés par ailleurs." in exp.departures[0].detail


def test_precisions_appended_to_article() -> None:
    exp = expand(CATALOG.get("lyon-fcil-maintenance-aeronautique"))
    art2 = md_of(exp).split(f"### Article{NBSP}2")[1].split(f"### Article{NBSP}3")[0]
    assert "recrutés sur dossier et entretien en juin" in art2
    assert exp.articles[1].origin == "complete"


def test_french_typography_applied() -> None:
    md = md_of(expand(CATALOG.get("lyon-fcil-maintenance-aeronautique")))
    assert f"1er{NBSP}septembre" in md
    assert f"«{NNBSP}le lycée{NNBSP}»" in md
    assert f"Ceci étant exposé, les parties conviennent ce qui suit{NBSP}:" in md
    assert f"3{NBSP}mois" in md
    assert " ;" not in md.replace(f"{NNBSP};", "")


def test_logos_resolved_inside_repo() -> None:
    exp = expand(CATALOG.get("lyon-fcil-maintenance-aeronautique"))
    assert [p.name for p in exp.logos] == ["lycee-jean-mermoz.svg", "rhm.png"]
    assert all(p.is_relative_to(ROOT) and p.is_file() for p in exp.logos)


def test_values_are_escaped_markdown(repo: Path) -> None:
    text = edit(LYON.read_text("utf-8"), "  libelle: bassin d’emploi de l’Est lyonnais",
                '  libelle: "*gras* <script>alert(1)</script> [lien](javascript:alert(1)) | # _x_"')
    (repo / "conventions" / "x.md").write_text(text, "utf-8")
    md = md_of(expand(load_catalog(repo).conventions[0]))
    assert ("\\*gras\\* &lt;script&gt;alert(1)&lt;/script&gt; \\[lien\\](javascript:alert(1)) "
            "&#124; \\# \\_x\\_") in md
    assert "<script>" not in md


@pytest.mark.parametrize("payload", [
    "{{ 7*7 }}",
    "{{ cycler.__init__.__globals__.os.system('touch /tmp/coop-pwned') }}",
    "{% for x in range(3) %}boucle{% endfor %}",
])
def test_template_injection_stays_inert(repo: Path, payload: str) -> None:
    marker = Path("/tmp/coop-pwned")
    marker.unlink(missing_ok=True)
    text = LYON.read_text("utf-8")
    text = edit(text, "titre: FCIL Maintenance des hélicoptères – lycée Jean-Mermoz",
                f'titre: "{payload}"')
    text = edit(text, "    nom: Lycée professionnel Jean-Mermoz", f'    nom: "{payload}"')
    text = edit(text, "au plan 2026-2027.", f"au plan 2026-2027. {payload}")
    (repo / "conventions" / "x.md").write_text(text, "utf-8")
    catalog = load_catalog(repo)
    assert catalog.errors == []
    md = md_of(expand(catalog.conventions[0]))
    assert not marker.exists()
    assert "49" not in md and "boucleboucle" not in md
    assert payload in md  # the body is Markdown, inserted as written
    escaped = payload.replace("{", "\\{").replace("}", "\\}").replace("*", "\\*").replace(
        "_", "\\_").replace("'", "’")  # model v2 prints values with typographic apostrophes
    assert f"établissement {escaped}**" in plain(md)  # the party's name, escaped text


def test_model_page_shows_blanks() -> None:
    for kind in ("coloration", "fcil"):
        md = md_of(model_document("adaptation-offre-formation/v1", kind))
        assert [int(n) for n, _, _ in ARTICLE_RE.findall(md)] == list(range(1, 12))
        assert "`territoire.libelle`" in md
        assert "`dispositions.preavis_mois`" in md
        assert "{{" not in md and "None" not in md
    assert "coloré «" in plain(md_of(model_document("adaptation-offre-formation/v1", "coloration")))
    assert "secteur économique" in md_of(model_document("adaptation-offre-formation/v1", "fcil"))
