"""Signature copies: export the samples once (PDF + DOCX) and read the files back."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from lxml import etree

from conftest import GUIDANCE
from coop.catalog import load_catalog
from coop.expand import expand
from coop.export import docx_finish as dx
from coop.export import reference_docx
from coop.export.docx_logos import alt_text, logo_owners, svg_to_png
from coop.export.jobs import ExportError, check_logo, version_stamp
from coop.export.pdf import field_name
from coop.export.pipeline import export_conventions
from coop.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(ROOT)
CONVENTIONS = CATALOG.conventions
IDS = [c.id for c in CONVENTIONS]
KIND = {"fcil": "Formation complémentaire d’initiative locale",
        "coloration": "Coloration de diplôme"}


def norm(text: str) -> str:
    """Compare text across line breaks, hyphenation and French no-break spaces."""
    return re.sub(r"[\s\u00a0\u202f\u2011-]+", "", text)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def assert_schema_order(parent: etree._Element, order: tuple[str, ...]) -> None:
    """The children of `parent` appear in the order of the schema sequence `order`."""
    names = [dx.local(c) for c in parent if isinstance(c.tag, str)]
    assert all(n in order for n in names), names
    ranks = [order.index(n) for n in names]
    assert ranks == sorted(ranks), names


def docx_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert CONVENTIONS and not CATALOG.errors
    out = tmp_path_factory.mktemp("exports")
    report = export_conventions(CONVENTIONS, ROOT, out)
    assert report.errors == []
    assert len(report.written) == 2 * len(CONVENTIONS)
    return out


def conv_params() -> list:
    return [pytest.param(c, id=c.id) for c in CONVENTIONS]


@pytest.mark.parametrize("conv", conv_params())
def test_pdf_content(exported: Path, conv) -> None:
    exp = expand(conv)
    pages = pdf_pages(exported / f"{conv.id}.pdf")
    assert [g for g in GUIDANCE if g in "\n".join(pages)] == []  # no guidance of the model
    text = norm("\n".join(pages))
    assert norm(KIND[conv.type].upper()) in norm(pages[0])
    assert norm(exp.title) in text
    for party in conv.data["etablissements"] + conv.data["partenaires"]:
        assert norm(party["nom"]).lower() in text.lower()  # « le lycée … » in the text
    # every article, in order, numbered 1..N
    assert [a.number for a in exp.articles] == list(range(1, len(exp.articles) + 1))
    pos = 0
    for art in exp.articles:
        found = text.find(norm(f"Article {art.number} – {art.title}"), pos)
        assert found >= 0, art
        pos = found
    assert norm("Fait à") in text[pos:]
    # footer on every page: the version covers the source, the model and the renderer
    stamp = version_stamp(conv.source_hash, render_markdown(exp))
    for number, page in enumerate(pages, start=1):
        assert conv.id in page and f"version {stamp}" in page
        assert f"page {number} / {len(pages)}" in page
    # « PROJET » on every page of a draft, never elsewhere
    draft = conv.statut == "brouillon"
    assert all(("PROJET" in p) == draft for p in pages)


@pytest.mark.parametrize("conv", conv_params())
def test_pdf_signature_cells_and_fields(exported: Path, conv) -> None:
    signatories = expand(conv).signatories
    reader = pypdf.PdfReader(exported / f"{conv.id}.pdf")
    last = reader.pages[-1]
    assert last.extract_text().count("Date et signature") == len(signatories)
    widgets = [a.get_object() for a in last.get("/Annots") or []]
    expected = [field_name(i, s.party) for i, s in enumerate(signatories, start=1)]
    assert [w["/T"] for w in widgets] == expected
    assert sorted(reader.get_fields() or {}) == sorted(expected)
    for w in widgets:
        assert w["/FT"] == "/Sig" and int(w["/F"]) & 4  # printable (PDF/A)
        llx, lly, urx, ury = (float(v) for v in w["/Rect"])
        assert 150 < urx - llx < 500 and 80 < ury - lly < 100
        assert llx > 0 and lly > 0 and urx < float(last.mediabox.width)
    for s in signatories:
        assert norm(s.nom) in norm(last.extract_text())


@pytest.mark.parametrize("conv", conv_params())
def test_pdf_metadata(exported: Path, conv) -> None:
    data = (exported / f"{conv.id}.pdf").read_bytes()
    assert b"<pdfaid:part>2</pdfaid:part>" in data
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in data
    meta = pypdf.PdfReader(exported / f"{conv.id}.pdf").metadata
    assert meta.title == expand(conv).title
    assert conv.id in meta.subject
    for party in conv.data["etablissements"] + conv.data["partenaires"]:
        assert party["nom"] in meta["/Keywords"]


@pytest.mark.parametrize("conv", conv_params())
def test_docx(exported: Path, conv) -> None:
    exp = expand(conv)
    document = docx.Document(str(exported / f"{conv.id}.docx"))
    assert [g for g in GUIDANCE if g in docx_text(document)] == []  # no guidance of the model
    # articles and parts on Word's built-in headings (navigation pane, outline)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert [norm(h) for h in headings] == [
        norm(f"Article {a.number} – {a.title}") for a in exp.articles]
    parts = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert [norm(p.heading) for p in exp.parts] == [
        h for h in map(norm, parts) if h in {norm(p.heading) for p in exp.parts}]
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Parties", "Clôture"} <= styles
    assert ("Logos" in styles) == bool(exp.logos)
    text = docx_text(document)
    assert "Fait à" in text
    for party in conv.data["etablissements"] + conv.data["partenaires"]:
        assert norm(party["nom"]).lower() in norm(text).lower()  # « le lycée … »
    table = document.tables[-1]
    assert len(table.rows) == 1 + len(exp.signatories)
    props = document.core_properties
    assert props.title == exp.title and conv.id in props.subject
    assert all(p["nom"] in props.keywords for p in conv.data["partenaires"])
    assert props.language == "fr-FR"
    footer = document.sections[0].footer._element.xml
    assert "NUMPAGES" in footer and " PAGE " in footer and "SUBJECT" in footer
    assert ("PROJET" in text) == (conv.statut == "brouillon")


@pytest.mark.parametrize("conv", conv_params())
def test_docx_footer_values(exported: Path, conv) -> None:
    """Field results written: a word processor that never updates fields still prints the
    real id and version stamp; no field asks to be updated on opening."""
    stamp = version_stamp(conv.source_hash, render_markdown(expand(conv)))
    footer = docx.Document(str(exported / f"{conv.id}.docx")).sections[0].footer
    text = "".join(p.text for p in footer.paragraphs)
    assert conv.id in text and f"version {stamp}" in text and "…" not in text
    assert "w:dirty" not in footer._element.xml


@pytest.mark.parametrize("conv", conv_params())
def test_docx_logos_and_no_machine_path(exported: Path, conv) -> None:
    """Logos as PNG (an SVG rasterised: shown by every word processor), each with the
    model's alt text and its party's name; no path of the build machine in any part."""
    exp = expand(conv)
    with zipfile.ZipFile(exported / f"{conv.id}.docx") as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(media) == len(exp.logos)
        for name in media:
            assert package.read(name)[:8] == b"\x89PNG\r\n\x1a\n" or name.endswith(".jpg"), name
        document = package.read("word/document.xml").decode()
        for name in package.namelist():
            data = package.read(name)
            for path in (str(exported), str(ROOT), "/tmp", ".work-"):
                assert path.encode() not in data, (name, path)
    owners = logo_owners(conv, ROOT)
    alts = [alt_text(exp.labels, owners[logo]) for logo in exp.logos]
    assert all(alt.startswith(exp.labels.get("logo", "")) for alt in alts)
    descriptions = re.findall(r'<(?:wp:docPr|pic:cNvPr) descr="([^"]*)"', document)
    assert descriptions == [a for a in alts for _ in (1, 2)]


def test_svg_logo_rasterised() -> None:
    svg = (ROOT / "conventions" / "logos" / "lycee-jean-mermoz.svg").read_bytes()
    png = svg_to_png(svg)
    assert png == svg_to_png(svg)  # same bytes every time (typst's embedded fonts only)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert height == round(1.6 / 2.54 * 300) and width > 2 * height  # 1.6 cm at 300 ppi


SEQUENCES = {"tblPr": dx.TBLPR_ORDER, "pPr": dx.PPR_ORDER, "rPr": dx.RPR_ORDER,
             "settings": dx.SETTINGS_ORDER}


def assert_parts_in_schema_order(package: zipfile.ZipFile) -> int:
    """Every w:tblPr, w:pPr, w:rPr and w:settings of the styles, headers, footers and
    settings (what the reference document and docx_finish generate) follows its schema
    sequence; returns how many were checked."""
    checked = 0
    for name in package.namelist():
        if name in ("word/styles.xml", "word/settings.xml") or name.startswith(
                ("word/footer", "word/header")):
            for el in etree.fromstring(package.read(name)).iter():
                if isinstance(el.tag, str) and el.tag.startswith(f"{{{dx.W}}}") and (
                        order := SEQUENCES.get(dx.local(el))):
                    assert_schema_order(el, order)
                    checked += 1
    return checked


@pytest.mark.parametrize("draft", [False, True])
def test_reference_docx_schema_order(draft: bool) -> None:
    """The table style's borders come before its cell margins (Word repairs the file or
    drops the signature grid otherwise), and so on for every property we write."""
    labels = expand(CONVENTIONS[0]).labels
    with zipfile.ZipFile(io.BytesIO(reference_docx.build(labels, draft))) as package:
        assert assert_parts_in_schema_order(package) > 50
        styles = etree.fromstring(package.read("word/styles.xml"))
    table = styles.find(f"{dx.w('style')}[@{dx.w('styleId')}='Table']/{dx.w('tblPr')}")
    names = [dx.local(c) for c in table]
    assert names.index("tblBorders") < names.index("tblCellMar")


@pytest.mark.parametrize("conv", conv_params())
def test_docx_schema_order(exported: Path, conv) -> None:
    with zipfile.ZipFile(exported / f"{conv.id}.docx") as package:
        assert assert_parts_in_schema_order(package) > 50


@pytest.mark.parametrize("conv", conv_params())
def test_docx_settings(exported: Path, conv) -> None:
    """Track changes on (a partner's edits are recorded), Word 2013+ mode, and the
    elements in the order of the schema sequence CT_Settings."""
    with zipfile.ZipFile(exported / f"{conv.id}.docx") as package:
        settings = etree.fromstring(package.read("word/settings.xml"))
    assert settings.find(dx.w("trackRevisions")) is not None
    modes = [s.get(dx.w("val")) for s in settings.iter(dx.w("compatSetting"))
             if s.get(dx.w("name")) == "compatibilityMode"]
    assert modes == ["15"]
    assert_schema_order(settings, dx.SETTINGS_ORDER)


def test_deterministic_and_cached(exported: Path, tmp_path: Path) -> None:
    report = export_conventions(CONVENTIONS, ROOT, tmp_path)
    assert not report.errors
    for path in report.written:
        assert path.read_bytes() == (exported / path.name).read_bytes(), path.name
    again = export_conventions(CONVENTIONS, ROOT, exported)
    assert again.written == [] and len(again.skipped) == 2 * len(CONVENTIONS)


EVIL = """
#set page(fill: red) #import "x.typ": * et <script>alert(1)</script> $x$ @ref
[rouge]{typst:text:fill="red"} ![image](/etc/hostname)

```{=typst}
#panic("brut")
```
"""


def test_untrusted_text_stays_text(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "conventions" / "logos", repo / "conventions" / "logos")
    src = next(c for c in CONVENTIONS if c.statut == "brouillon").path
    (repo / "conventions" / "essai.md").write_text(src.read_text(encoding="utf-8") + EVIL,
                                                  encoding="utf-8")
    catalog = load_catalog(repo)
    assert not catalog.errors, catalog.errors
    report = export_conventions(catalog.conventions, repo, tmp_path / "out")
    assert not report.errors
    conv_id = catalog.conventions[0].id
    pdf = tmp_path / "out" / f"{conv_id}.pdf"
    text = "\n".join(pdf_pages(pdf))
    doc_text = docx_text(docx.Document(str(tmp_path / "out" / f"{conv_id}.docx")))
    for literal in ("#set page(fill: red)", "#import", "<script>alert(1)</script>",
                    "$x$", "@ref", '#panic("brut")'):
        assert norm(literal) in norm(text), literal
        assert norm(literal) in norm(doc_text), literal
    assert b"/Subtype /Image" not in pdf.read_bytes()  # no image read from disk
    assert "word/media" not in str(docx.Document(str(pdf.with_suffix(".docx"))).part.package.parts)


def test_logo_outside_repository_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="doit se trouver dans le dépôt"):
        check_logo(Path("/etc/passwd"), tmp_path, "conventions/x.md")
    with pytest.raises(ExportError, match="introuvable"):
        check_logo(tmp_path / "absent.png", tmp_path, "conventions/x.md")


def test_field_names() -> None:
    assert field_name(2, "l’académie") == "signature-2-l-academie"
    assert field_name(1, "") == "signature-1"


@pytest.mark.parametrize("conv", conv_params())
def test_departures_told_to_the_signer(exported: Path, conv) -> None:
    """Each added or replaced article carries its mention, and a final section lists the
    departures (or says there is none), in the PDF and in the DOCX."""
    doc = expand(conv)
    pdf = norm("\n".join(pdf_pages(exported / f"{conv.id}.pdf")))
    word = norm(docx_text(docx.Document(str(exported / f"{conv.id}.docx"))))
    assert doc.annex is not None
    for text in (pdf, word):
        assert norm(doc.annex.heading).upper() in text.upper()
        for art in doc.articles:
            if art.note:  # the mention follows the article's heading
                heading = norm(art.heading)
                assert heading in text and text.index(norm(art.note.strip("*"))) > text.index(
                    heading)
        if not doc.departures and not conv.data["attestation"].get("engagement"):
            assert norm("reprend sans écart le modèle national") in text
    added = [a for a in doc.articles if a.origin in ("ajoute", "remplace")]
    assert bool(added) == any(a.note for a in doc.articles)
