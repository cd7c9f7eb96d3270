"""The DOCX a partner's lawyer opens: the avenant's quoted article, the signature grid,
the schema order of the body, and (when LibreOffice is installed: `make office`) the
copy as LibreOffice renders it."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree

from coop.avenant_text import document_of
from coop.catalog import load_catalog
from coop.export import docx_finish as dx
from coop.export.jobs import version_stamp
from coop.export.pipeline import export_conventions
from coop.render.markdown import render_markdown

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(ROOT)
AVENANTS = [a for a in CATALOG.avenants if a.before]
TWIPS_PER_CM = 1440 / 2.54


def w(tag: str) -> str:
    return dx.w(tag)


@pytest.fixture(scope="module")
def docx_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert AVENANTS, "a sample avenant replaces an article with a list in it"
    out = tmp_path_factory.mktemp("docx")
    report = export_conventions([*CATALOG.conventions, *AVENANTS], ROOT, out, ("docx",))
    assert report.errors == []
    return out


def body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def style_ids(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    return {s.find(w("name")).get(w("val")): s.get(w("styleId")) for s in styles.iter(w("style"))}


@pytest.mark.parametrize("avenant", [pytest.param(a, id=a.id) for a in AVENANTS])
def test_avenant_list_stays_inside_its_quote(docx_out: Path, avenant) -> None:
    """Every list item of a replaced article is a `Citation — liste` paragraph whose
    bullet sits at or right of the quote's left indent, and whose right indent is the
    quote's; none of the quote's lines is a plain `Compact` list item."""
    path = docx_out / f"{avenant.id}.docx"
    quote_list = style_ids(path)[dx.QUOTE_LIST_STYLE]
    items = []
    for ppr in body(path).iter(w("pPr")):
        style = ppr.find(w("pStyle"))
        if ppr.find(w("numPr")) is not None:
            items.append((style.get(w("val")) if style is not None else None, ppr))
    assert items, "the sample avenant's replaced article has a bullet list"
    for style, ppr in items:
        assert style == quote_list
        ind = ppr.find(w("ind"))
        left, hanging = int(ind.get(w("left"))), int(ind.get(w("hanging")))
        assert left - hanging >= dx.QUOTE_INDENT and int(ind.get(w("right"))) == dx.QUOTE_INDENT


@pytest.mark.parametrize("conv", [pytest.param(c, id=c.id)
                                  for c in [*CATALOG.conventions, *AVENANTS]])
def test_signature_grid(docx_out: Path, conv) -> None:
    """The grid spans the text width, leaves at least 6 cm to sign, and carries its own
    borders (no table style: LibreOffice would record it as a tracked change)."""
    doc = body(docx_out / f"{conv.id}.docx")
    sect = doc.find(f"{w('body')}/{w('sectPr')}")
    size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
    text = int(size.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))
    table = list(doc.iter(w("tbl")))[-1]
    cols = [int(c.get(w("w"))) for c in table.iter(w("gridCol"))]
    assert len(cols) == 4 and sum(cols) == text
    assert cols[-1] >= 6 * TWIPS_PER_CM
    tbl_pr = table.find(w("tblPr"))
    assert tbl_pr.find(w("tblStyle")) is None and tbl_pr.find(w("tblBorders")) is not None


@pytest.mark.parametrize("conv", [pytest.param(c, id=c.id)
                                  for c in [*CATALOG.conventions, *AVENANTS]])
def test_body_schema_order(docx_out: Path, conv) -> None:
    """Table, paragraph and run properties of the body in their schema sequence."""
    orders = {"tblPr": dx.TBLPR_ORDER, "pPr": dx.PPR_ORDER, "rPr": dx.RPR_ORDER}
    for el in body(docx_out / f"{conv.id}.docx").iter():
        if isinstance(el.tag, str) and el.tag.startswith(f"{{{dx.W}}}") and (
                order := orders.get(dx.local(el))):
            names = [dx.local(c) for c in el if isinstance(c.tag, str)]
            ranks = [order.index(n) for n in names]
            assert ranks == sorted(ranks), names


SOFFICE = shutil.which("soffice")


def libreoffice(source: Path, fmt: str, out: Path) -> None:
    """`soffice --convert-to`, with a profile of its own (tests may run side by side)."""
    subprocess.run([str(SOFFICE), f"-env:UserInstallation=file://{out / 'profile'}",
                    "--headless", "--convert-to", fmt, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=120,
                   env={**os.environ, "HOME": str(out)})


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (make office)")
def test_rendered_by_libreoffice(docx_out: Path, tmp_path: Path) -> None:
    """LibreOffice (a word processor that never updates fields by itself) prints the id,
    the real version stamp and the page on every page, and shows every logo."""
    conv = next(c for c in CATALOG.conventions if len(c.data.get("etablissements", [])) and any(
        p.get("logo", "").endswith(".svg") for p in c.data["etablissements"]))
    for fmt in ("pdf", "odt"):
        libreoffice(docx_out / f"{conv.id}.docx", fmt, tmp_path)
    # track changes on, and nothing recorded as changed by merely opening the file
    with zipfile.ZipFile(tmp_path / f"{conv.id}.odt") as odt:
        content = odt.read("content.xml").decode()
    assert "<text:changed-region" not in content
    assert 'text:track-changes="true"' in content
    reader = pypdf.PdfReader(tmp_path / f"{conv.id}.pdf")
    stamp = version_stamp(conv.source_hash, render_markdown(document_of(conv)))
    pages = [page.extract_text() or "" for page in reader.pages]
    for number, text in enumerate(pages, start=1):
        assert conv.id in text and f"version {stamp}" in text, text[-200:]
        assert f"page {number} / {len(pages)}" in text
    logos = [p for p in [*conv.data["etablissements"], *conv.data["partenaires"]]
             if p.get("logo")]
    assert len(reader.pages[0].images) >= len(logos)
