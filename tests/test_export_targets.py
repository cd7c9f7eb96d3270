"""`coop export` beyond the signature copies: the consolidated text of a convention amended
by signed avenants (PDF, DOCX, for information) and the blank model (DOCX)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pypdf
import pytest

from conftest import ROOT
from coop.catalog import load_catalog
from coop.export.pipeline import export_conventions
from coop.export.targets import BlankModel, consolidated_targets
from coop.site.model_page import model_document

LYON = "lyon-fcil-maintenance-aeronautique"
NOTICE = ("Version consolidée à titre d’information, seuls font foi la convention et ses "
          "avenants signés (avenant n° 1 du 4 janvier 2027).")


def norm(text: str) -> str:
    """Compare text across line breaks, hyphenation and French no-break spaces."""
    return re.sub(r"[\s\u00a0\u202f\u2011-]+", "", text)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    catalog = load_catalog(ROOT)
    targets = [*consolidated_targets(catalog.conventions, catalog.avenants),
               BlankModel("adaptation-offre-formation/v2", "fcil", model_document)]
    out = tmp_path_factory.mktemp("exports")
    report = export_conventions(targets, ROOT, out)  # type: ignore[arg-type]
    assert report.errors == []
    return out


def test_one_consolidated_text_per_convention_with_signed_avenants() -> None:
    catalog = load_catalog(ROOT)
    assert [t.id for t in consolidated_targets(catalog.conventions, catalog.avenants)] == [
        f"{LYON}-consolide"]


def test_model_v1_has_no_consolidated_copy() -> None:
    """Model v1 is frozen: no new words, so no consolidated copy of its conventions."""
    catalog = load_catalog(ROOT / "tests" / "fixtures" / "v1")
    assert any(a.statut == "signee" for a in catalog.avenants)
    assert consolidated_targets(catalog.conventions, catalog.avenants) == []


def test_consolidated_pdf_says_what_it_is(exported: Path) -> None:
    pdf = exported / f"{LYON}-consolide.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert norm("version consolidée au 4 janvier 2027") in norm(text)
    assert norm(NOTICE) in norm(text)
    assert norm("T E X T E C O N S O L I D É") in norm(text)  # the nature, letter-spaced
    assert "Paraphes" not in text  # nobody initials an information copy
    reader = pypdf.PdfReader(pdf)
    assert not reader.get_fields()  # nor signs it


def test_consolidated_docx_says_what_it_is(exported: Path) -> None:
    text = "\n".join(p.text for p in docx.Document(str(exported / f"{LYON}-consolide.docx"))
                     .paragraphs)
    assert norm("— version consolidée au 4 janvier 2027") in norm(text)
    assert norm(NOTICE) in norm(text)
    assert norm("Article modifié par l’avenant n° 1 du 4 janvier 2027") in norm(text)


def test_blank_model_is_a_docx_with_its_blanks(exported: Path) -> None:
    name = "modele-adaptation-offre-formation-v2-fcil"
    assert not (exported / f"{name}.pdf").exists()
    text = "\n".join(p.text for p in docx.Document(str(exported / f"{name}.docx")).paragraphs)
    assert "territoire.libelle" in text
    assert "Convention de coopération entre" in text


def test_targets_are_cached(exported: Path) -> None:
    catalog = load_catalog(ROOT)
    targets = [*consolidated_targets(catalog.conventions, catalog.avenants),
               BlankModel("adaptation-offre-formation/v2", "fcil", model_document)]
    report = export_conventions(targets, ROOT, exported)  # type: ignore[arg-type]
    assert report.written == [] and len(report.skipped) == 3
