"""`coop reprise`: a partner's DOCX with tracked changes and comments, back into the source.

The returned DOCX files are built from the DOCX `coop export` makes (exported once for
the module), by editing its XML as Word does (`returned_docx.Returned`)."""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from returned_docx import AUTHOR, Returned

from conftest import SAMPLES
from coop.authoring.docxread import MAX_FILE, read_docx
from coop.authoring.paragraphs import fragments
from coop.catalog import load_catalog
from coop.cli import main
from coop.expand import expand
from coop.export.pipeline import export_conventions
from coop.render.markdown import render_markdown

ID = "toulouse-cap-mv-vehicules-electriques"
REL = "conventions/toulouse/cap-mv-vehicules-electriques.md"
MOTIF = "RHM demande deux réunions par an pendant la montée en charge"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    root = tmp_path_factory.mktemp("export")
    shutil.copytree(SAMPLES, root / "conventions")
    conv = next(c for c in load_catalog(root).conventions if c.id == ID)
    report = export_conventions([conv], root, root / "out", ("docx",))
    assert not report.errors, report.errors
    return (root / "out" / f"{ID}.docx").read_bytes()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES, tmp_path / "conventions")
    return tmp_path


def negotiated(exported: bytes) -> Returned:
    """The partner's return: a header value, a model sentence, a préambule sentence, a
    paragraph added to an added article, and a comment."""
    return (Returned(exported)
            .replace("sous réserve du respect d’un préavis", "3 mois", "6 mois")
            .replace("confiés à un comité de suivi", "une fois par an", "deux fois par an")
            .replace("croît de 30 %", "30 %", "35 %")
            .add_after("Sa restitution intervient",
                       "Le lycée informe GOM de tout dommage subi par le véhicule dans les "
                       "huit jours.")
            .comment("croît de 35", "Chiffre de l’observatoire 2026 : merci de vérifier."))


def reprise(project: Path, docx: bytes | Returned, *args: str, conv_id: str = ID,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    path = project / "retour.docx"
    path.write_bytes(docx.bytes() if isinstance(docx, Returned) else docx)
    code = main(["--racine", str(project), "reprise", "--id", conv_id, "--fichier", str(path),
                 *args])
    out, err = capsys.readouterr()
    return code, out, err


def source(project: Path) -> str:
    return (project / REL).read_text("utf-8")


def test_fragments_are_the_exported_markdown() -> None:
    conv = next(c for c in load_catalog(SAMPLES.parent).conventions if c.id == ID)
    doc = expand(conv)
    assert "\n\n".join(f.markdown for f in fragments(doc)) + "\n" == render_markdown(doc)


def test_reads_tracked_changes_comments_authors_and_dates(exported: bytes) -> None:
    docx = read_docx(negotiated(exported).bytes())
    assert docx.subject == f"Convention {ID}" and len(docx.version) == 10
    changed = [p for p in docx.paragraphs if p.old != p.new]
    assert len(changed) == 4
    notice = next(p for p in changed if "préavis" in p.old)
    assert notice.old.endswith("préavis de 3\u00a0mois.")
    assert notice.new.endswith("préavis de 6 mois.")  # typed by the partner
    assert [(c.kind, c.text, c.author, c.date[:10]) for c in notice.changes] == [
        ("suppression", "3\u00a0mois", AUTHOR, "2026-11-20"),
        ("insertion", "6 mois", AUTHOR, "2026-11-20")]
    added = next(p for p in changed if not p.old)
    assert added.new.startswith("Le lycée informe GOM") and added.inserted
    [commented] = [p for p in docx.paragraphs if p.comments]
    assert commented.comments[0].text == "Chiffre de l’observatoire 2026 : merci de vérifier."


def test_lists_changes_article_by_article_and_changes_nothing(
        project: Path, exported: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    before = source(project)
    code, out, _ = reprise(project, negotiated(exported), capsys=capsys)
    assert code == 0
    assert source(project) == before
    sections = [line for line in out.splitlines() if line.startswith("## ")]
    assert sections == ["## Préambule", "## Article 5 – Mise à disposition d’un véhicule "
                        "pédagogique", "## Article 9 – Dispositif de suivi de la convention",
                        "## Article 12 – Litiges et résiliations", "## Propositions"]
    assert "  après : « …éception, sous réserve du respect d’un préavis de 6 mois. »" in out
    assert (f"  modifications suivies : suppression « 3 mois » par {AUTHOR} le 2026-11-20 ; "
            f"insertion « 6 mois » par {AUTHOR} le 2026-11-20") in out
    assert (f"  commentaire par {AUTHOR} le 2026-11-20 : « Chiffre de l’observatoire 2026 : "
            "merci de vérifier. »") in out
    assert "  → en-tête : dispositions.preavis_mois : 3 → 6" in out
    assert "  → texte de la convention : section « ## Préambule : opportunité » (ligne 98)" in out
    assert "- paragraphe ajouté : « Le lycée informe GOM de tout dommage" in out
    assert "[article remplacé] écart au modèle : « ## Article remplacé : suivi »" in out
    assert "   ## Article remplacé : suivi" in out.splitlines()
    assert "qui se réunit deux fois par an. Ce comité" in out
    assert "   Motif de l’écart : À COMPLÉTER (--motif « … »)" in out
    assert ("Propositions : 1 valeur de l’en-tête, 2 modifications du texte de la convention, "
            "1 article remplacé.") in out
    assert "rien n’a été modifié" in out


def test_applies_line_minimal_edits_then_validates_and_shows_the_legal_diff(
        project: Path, exported: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    before = source(project)
    code, out, err = reprise(project, negotiated(exported), "--appliquer", "--motif", MOTIF,
                             capsys=capsys)
    assert code == 0, err
    after = source(project)
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    assert removed == ["  preavis_mois: 3",
                       "croît de 30 % par an ; aucun titulaire du CAP du bassin n’est "
                       "aujourd’hui habilité à",
                       "## Précisions : suivi"]
    assert added[:4] == ["  preavis_mois: 6",
                         "croît de 35 % par an ; aucun titulaire du CAP du bassin n’est "
                         "aujourd’hui habilité à",
                         "Le lycée informe GOM de tout dommage subi par le véhicule dans les "
                         "huit jours.", ""]
    assert "## Article remplacé : suivi" in added
    # the précisions of the replaced article are now part of it, once
    assert after.count("Le comité de suivi se réunit au lycée en juin") == 1
    catalog = load_catalog(project)
    assert catalog.errors == []
    conv = next(c for c in catalog.conventions if c.id == ID)
    doc = expand(conv)
    assert doc.article("suivi").origin == "remplace"  # type: ignore[union-attr]
    assert "deux fois par an" in doc.article("suivi").text  # type: ignore[union-attr]
    assert "préavis de 6\u00a0mois" in doc.article("litiges").text  # type: ignore[union-attr]
    assert "## Validation\n\nvalide" in out
    assert "## Article 12 – Litiges et résiliations — modifié" in out
    assert "+accusé de réception, sous réserve du respect d’un préavis de 6 mois." in \
        out.replace("\u00a0", " ")
    assert f"demande de fusion : {MOTIF}" in out


def test_a_replacement_needs_its_motif(project: Path, exported: bytes,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    before = source(project)
    code, _, err = reprise(project, negotiated(exported), "--appliquer", capsys=capsys)
    assert code == 1
    assert "donnez le motif de cet écart avec --motif" in err and "rien n’a été écrit" in err
    assert source(project) == before


def test_a_header_value_alone_is_applied_without_motif(
        project: Path, exported: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    before = source(project)
    docx = Returned(exported).replace("sous réserve du respect d’un préavis", "3 mois", "6 mois")
    code, _, err = reprise(project, docx, "--appliquer", capsys=capsys)
    assert code == 0, err
    assert source(project) == before.replace("  preavis_mois: 3\n", "  preavis_mois: 6\n")


def test_a_protected_clause_is_refused_but_takes_precisions(
        project: Path, exported: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    added = "Avant toute résiliation, les parties se rencontrent en comité de suivi."
    docx = (Returned(exported)
            .replace("résilier la présente convention",
                     "par lettre recommandée avec accusé de réception", "par courriel")
            .add_after("sous réserve du respect d’un préavis", added))
    before = source(project)
    code, out, err = reprise(project, docx, "--appliquer", capsys=capsys)
    assert code == 0, err
    assert "[refusée] refusé : l’article « Litiges et résiliations » est protégé par le modèle" \
        in out
    assert "[précisions] nouvelle section « ## Précisions : litiges »" in out
    assert "1 changement(s) non repris" in out
    assert source(project) == f"{before}\n## Précisions : litiges\n\n{added}\n"
    assert load_catalog(project).errors == []


def test_what_cannot_be_placed_is_reported(project: Path, exported: bytes,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    docx = Returned(exported).replace("d’une part", "d’une part", "de première part")
    code, out, _ = reprise(project, docx, capsys=capsys)
    assert code == 0
    assert "## Parties" in out
    assert "[non placée] texte du modèle hors des articles, ni une valeur de l’en-tête" in out


@pytest.mark.parametrize("statut", ["signee", "resiliee"])
def test_a_signed_convention_goes_through_an_avenant(
        project: Path, exported: bytes, statut: str, capsys: pytest.CaptureFixture[str]) -> None:
    lyon = "lyon-fcil-maintenance-aeronautique"
    docx = Returned(exported).subject(f"Convention {lyon}")
    path = project / "conventions" / "lyon" / "fcil-maintenance-aeronautique.md"
    if statut != "signee":
        path.write_text(path.read_text("utf-8").replace("statut: signee", f"statut: {statut}"),
                        "utf-8")
    before = path.read_bytes()
    code, _, err = reprise(project, docx, "--appliquer", conv_id=lyon, capsys=capsys)
    assert code == 1
    assert f"est au statut « {statut} »" in err and "passez par un avenant" in err
    assert path.read_bytes() == before


def test_the_docx_of_another_convention_is_refused(
        project: Path, exported: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = reprise(project, negotiated(exported), conv_id="nantes-coloration-mspc-navale",
                           capsys=capsys)
    assert code == 1
    assert f"ce DOCX est celui de « {ID} »" in err


def test_an_outdated_docx_says_its_version(project: Path, exported: bytes,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    made_from = read_docx(exported).version
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t",
                                                 "commit", "-q", "-m", "envoi au partenaire"]):
        subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)
    path = project / REL
    path.write_text(path.read_text("utf-8").replace("journée portes ouvertes",
                                                    "semaine portes ouvertes"), "utf-8")
    before = path.read_bytes()
    code, _, err = reprise(project, negotiated(exported), "--appliquer", "--motif", MOTIF,
                           capsys=capsys)
    assert code == 1
    assert f"fait à partir de la version {made_from} (commit " in err
    assert "aujourd’hui à la version" in err and "rien n’a été écrit" in err
    assert path.read_bytes() == before


def test_a_changed_file_with_the_same_text_is_not_outdated(
        project: Path, exported: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / REL
    path.write_text(path.read_text("utf-8").replace("\nstatut:", "\n# relu\nstatut:", 1),
                    "utf-8")
    docx = Returned(exported).replace("sous réserve du respect d’un préavis", "3 mois", "6 mois")
    code, _, err = reprise(project, docx, "--appliquer", capsys=capsys)
    assert code == 0, err
    assert "mais pas le texte de l’accord" in err
    assert "  preavis_mois: 6\n" in source(project)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("make", "message"), [
    (lambda: b"%PDF-1.7 not a word file", "n’est pas un DOCX"),
    (lambda: _zip({"hello.txt": b"hi"}), "word/document.xml est absent"),
    (lambda: _zip({"word/document.xml": b"\0" * (60 * 1024 * 1024)}), "archive piégée"),
    (lambda: b"PK" + b"\0" * (MAX_FILE + 1), "fichier trop volumineux"),
], ids=["pdf", "zip-sans-document", "bombe", "trop-gros"])
def test_not_a_docx_or_too_large_is_refused(project: Path, make: Callable[[], bytes],
                                            message: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    before = source(project)
    code, _, err = reprise(project, make(), "--appliquer", capsys=capsys)
    assert code == 1 and message in err, err
    assert source(project) == before
