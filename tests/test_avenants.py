"""Avenants: numbering, validation against the parent, signature copy, consolidated text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import LYON, NANTES, ROOT, SAMPLES, edit
from coop.avenant_text import avenant_document
from coop.catalog import load_catalog
from coop.consolidate import consolidate
from coop.export.pipeline import export_conventions
from coop.render.markdown import render_markdown as md_of

AVENANT = SAMPLES / "lyon" / "avenants" / "fcil-maintenance-aeronautique-avenant-1.md"
TEXT = AVENANT.read_text("utf-8")
NBSP, NNBSP = "\u00a0", "\u202f"
F = "conventions/lyon/avenants/a.md"


def flat(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.fixture
def lyon_repo(repo: Path) -> Path:
    (repo / "conventions" / "lyon" / "avenants").mkdir(parents=True)
    shutil.copy(LYON, repo / "conventions" / "lyon" / "convention.md")
    return repo


def problems(repo: Path, text: str, name: str = "a.md") -> list[str]:
    (repo / "conventions" / "lyon" / "avenants" / name).write_text(text, "utf-8")
    return [p.format() for p in load_catalog(repo).problems]


def test_sample_avenant_is_valid_and_linked() -> None:
    catalog = load_catalog(ROOT)
    assert catalog.problems == []
    [av] = catalog.avenants
    assert av.id == "lyon-fcil-maintenance-aeronautique-avenant-1"
    assert (av.parent_id, av.numero, av.label) == ("lyon-fcil-maintenance-aeronautique", 1,
                                                   "Avenant n° 1")
    assert catalog.avenants_of(av.parent_id) == [av]
    assert av.before is catalog.get(av.parent_id)


def test_signature_copy_text() -> None:
    catalog = load_catalog(ROOT)
    [av] = catalog.avenants
    md = flat(md_of(avenant_document(av, av.before)))
    assert md.startswith("# Avenant n° 1 à la convention de coopération entre le lycée "
                         "professionnel Jean-Mermoz et la société Rhône Hélicoptères "
                         "Maintenance SAS")
    assert ("Vu la convention de coopération « FCIL Maintenance des hélicoptères – lycée "
            "Jean-Mermoz » signée le 15 juin 2026, et notamment son article 10 "
            "(Modifications) ;") in md
    titles = [line for line in md.splitlines() if line.startswith("### Article")]
    assert [t.split(" {#")[0] for t in titles] == [
        "### Article 1 – Objet de l’avenant",
        "### Article 2 – Modification de l’article 4 « L’appui à la formalisation du projet "
        "de formation »",
        "### Article 3 – Modification de l’article 7 « Communication »",
        "### Article 4 – Prise d’effet"]
    assert "> Le temps de formation en milieu professionnel est fixé à 18 semaines." in md
    assert "Le présent avenant prend effet le 4 janvier 2027." in md
    assert "Fait à Bron, le 12 novembre 2026, en 2 exemplaires originaux." in md
    assert md.count("| le lycée |") == 1 and md.count("| RHM |") == 1


def test_consolidated_text_marks_changed_articles() -> None:
    catalog = load_catalog(ROOT)
    parent = catalog.get("lyon-fcil-maintenance-aeronautique")
    cons = consolidate(parent, catalog.avenants)
    md = flat(md_of(cons.document))
    assert sorted(cons.changed_by) == ["appui-formation", "communication"]
    mark = "*Article modifié par l’avenant n° 1 du 4 janvier 2027.*"
    assert md.count(mark) == 2
    art7 = md.split("### Article 7 – Communication")[1].split("### Article 8")[0]
    assert mark in art7 and "Hélicoptères en fête" in art7
    assert "fixé à 18 semaines" in md and "fixé à 16 semaines" not in md
    assert cons.convention.data["cooperation"]["pfmp"]["duree_semaines"] == 18
    # The signed convention itself is unchanged.
    assert parent.data["cooperation"]["pfmp"]["duree_semaines"] == 16


def test_draft_avenant_is_not_consolidated(lyon_repo: Path) -> None:
    text = edit(TEXT, "statut: signee", "statut: brouillon").replace("  date: 2026-11-12\n", "")
    assert problems(lyon_repo, text) == []
    catalog = load_catalog(lyon_repo)
    cons = consolidate(catalog.conventions[0], catalog.avenants)
    assert cons.applied == [] and cons.changed_by == {}


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("convention: lyon-fcil-maintenance-aeronautique", "convention: lyon-fcil-maintenance",
     f"{F}:3:1: convention: aucune convention d’identifiant « lyon-fcil-maintenance » "
     "(vouliez-vous dire « lyon-fcil-maintenance-aeronautique » ?)"),
    ("numero: 1", "numero: 2",
     f"{F}:4:1: numero: numéro attendu : 1 (les avenants de « lyon-fcil-maintenance-aeronautique"
     " » sont numérotés 1, 2, 3… sans trou)"),
    ("date_effet: 2027-01-04", "date_effet: 2026-01-04",
     f"{F}:8:1: date_effet: la date d’effet de l’avenant précède la signature de la convention "
     "(2026-06-15)"),
    ("  cooperation.pfmp.duree_semaines: 18", "  dispositions.preavis_mois: 0",
     f"{F}:9:1: modifications: après application : dispositions.preavis_mois : doit être "
     "supérieur ou égal à 1"),
    ("  cooperation.pfmp.duree_semaines: 18", "  partenaires[3].adresse: Lyon",
     f"{F}:9:1: modifications: « partenaires[3] » n’existe pas dans la convention"),
    ("  cooperation.pfmp.duree_semaines: 18", "  statut: resiliee",
     f"{F}:10:3: modifications.statut: « statut » ne se modifie pas par avenant (identifiant, "
     "modèle, type, statut et signature de la convention sont fixés)"),
    ("  date: 2026-11-12\n", "",
     f"{F}:14:1: signature.date: un avenant signé doit avoir une date de signature"),
    ("  exemplaires: 2", "  exemplaires: 1",
     f"{F}:17:1: signature.exemplaires: 1 original pour 2 parties : chaque partie "
     "garde un original, indiquez au moins 2"),
    ("## Article remplacé : communication", "## Article remplacé : comunication",
     f"{F}:33:1: corps: article inconnu « comunication » (vouliez-vous dire « communication » "
     "?)"),
])
def test_avenant_rules(lyon_repo: Path, old: str, new: str, expected: str) -> None:
    assert expected in problems(lyon_repo, edit(TEXT, old, new))


@pytest.mark.parametrize("kind", ["supprimé", "remplacé"])
def test_avenant_cannot_touch_protected_article(lyon_repo: Path, kind: str) -> None:
    text = edit(TEXT, "## Article remplacé : communication", f"## Article {kind} : litiges")
    assert problems(lyon_repo, text) == [
        f"{F}:33:1: corps: l’article « Litiges et résiliations » est protégé par le modèle : "
        "il fixe le droit applicable, la conciliation, la résiliation et le préavis ; un "
        "avenant ne peut ni le supprimer ni le remplacer (modifiez les valeurs de l’en-tête "
        "par « modifications », ou ajoutez un article)"]


def test_duplicate_number(lyon_repo: Path) -> None:
    problems(lyon_repo, TEXT, "a.md")
    out = problems(lyon_repo, TEXT, "b.md")
    assert "conventions/lyon/avenants/b.md:4:1: numero: l’avenant n° 1 de « lyon-fcil-" \
           "maintenance-aeronautique » existe deux fois" in out


def test_avenant_to_terminated_convention(lyon_repo: Path) -> None:
    conv = lyon_repo / "conventions" / "lyon" / "convention.md"
    conv.write_text(edit(conv.read_text("utf-8"), "statut: signee", "statut: resiliee"), "utf-8")
    assert problems(lyon_repo, TEXT) == [
        f"{F}:3:1: convention: la convention « lyon-fcil-maintenance-aeronautique » est au statut "
        "« resiliee » : elle ne peut plus être modifiée par avenant"]


def test_avenant_to_unsigned_convention(repo: Path) -> None:
    (repo / "conventions" / "paris" / "avenants").mkdir(parents=True)
    shutil.copy(SAMPLES / "paris" / "bts-mhr-gastronomie-durable.md",
                repo / "conventions" / "paris")
    text = edit(TEXT, "convention: lyon-fcil-maintenance-aeronautique",
                "convention: bts-mhr-gastronomie-durable")
    (repo / "conventions" / "paris" / "avenants" / "a.md").write_text(text, "utf-8")
    out = [p.format() for p in load_catalog(repo).problems]
    assert out[0] == ("conventions/paris/avenants/a.md:3:1: convention: la convention "
                      "« bts-mhr-gastronomie-durable » n’est pas signée : modifiez-la "
                      "directement, un avenant ne modifie qu’une convention signée")


def test_avenant_that_changes_nothing(lyon_repo: Path) -> None:
    text = TEXT.split("modifications:")[0] + "signature:" + TEXT.split("signature:", 1)[1]
    text = text.split("## Article remplacé")[0]
    assert (f"{F}:21:1: corps: l’avenant ne modifie rien : ajoutez un article remplacé, ajouté "
            "ou supprimé, ou des « modifications » de l’en-tête") in problems(lyon_repo, text)


def test_avenant_exported_as_its_own_signature_copy(tmp_path: Path) -> None:
    catalog = load_catalog(ROOT)
    [av] = catalog.avenants
    report = export_conventions([av], ROOT, tmp_path, ("pdf",))
    assert report.errors == []
    reader = PdfReader(tmp_path / f"{av.id}.pdf")
    text = flat("\n".join(page.extract_text() for page in reader.pages))
    assert "Avenant n° 1 à la convention de coopération" in text
    assert "PROJET" not in text
    fields = reader.get_fields() or {}
    assert len([f for f in fields if f.startswith("signature-")]) == 2


def _signed_nantes(repo: Path) -> None:
    text = NANTES.read_text("utf-8").replace("statut: en_signature", "statut: signee").replace(
        "  date:\n", "  date: 2027-06-20\n")
    (repo / "conventions" / "nantes" / "avenants").mkdir(parents=True)
    (repo / "conventions" / "nantes" / "c.md").write_text(text, "utf-8")


NANTES_AV = TEXT.replace("convention: lyon-fcil-maintenance-aeronautique",
                         "convention: nantes-coloration-mspc-navale").replace(
    "date_effet: 2027-01-04", "date_effet: 2027-09-01").replace(
    "  date: 2026-11-12", "  date: 2027-07-01")


def test_avenant_replaces_an_article_added_by_the_convention(repo: Path) -> None:
    _signed_nantes(repo)
    body = NANTES_AV.split("## Exposé")[0].split("modifications:")[0] + "signature:" + \
        NANTES_AV.split("signature:", 1)[1].split("---")[0] + "---\n\n" + \
        "## Article remplacé : Engagements de la collectivité\n\nLa CARENE finance les " \
        "transports.\n"
    body = body.replace("    - partie: RHM\n      fonction: Directeur des ressources humaines\n"
                        "      nom: Monsieur Paul Martin\n",
                        "    - partie: les Chantiers\n      fonction: Directrice\n"
                        "      nom: Madame Sophie Bernard\n")
    body = body.replace("  exemplaires: 2\n", "  exemplaires: 3\n")  # three parties
    (repo / "conventions" / "nantes" / "avenants" / "a.md").write_text(body, "utf-8")
    catalog = load_catalog(repo)
    assert [p.format() for p in catalog.problems] == []
    cons = consolidate(catalog.conventions[0], catalog.avenants)
    md = flat(md_of(cons.document))
    assert "La CARENE finance les transports." in md
    assert "prend en charge le transport des élèves" not in md
    assert list(cons.changed_by) == ["ajout-engagements-de-la-collectivite"]


def test_avenant_adding_after_unknown_article(lyon_repo: Path) -> None:
    text = TEXT.replace("## Article remplacé : communication",
                        "## Article ajouté après annexe : Nouvel article")
    assert (f"{F}:33:1: corps: article inconnu « annexe »") in problems(lyon_repo, text)
