"""Generate the DOCX reference document (Word styles, header and footer).

No binary is committed: the reference starts from pandoc's own default reference.docx
(so every style pandoc emits exists) and python-docx adds the convention styles:
`Title`, `Heading 2` (parts) and `Heading 3` (articles) restyled, `Parties`, `Clôture`,
`Signataire`, `Signataire — en-tête`, `Zone de signature`, `Logos`, `Citation — liste`
(list items of a quoted article), French language,
and a footer « <id> — version <hash> — page X / Y » made of Word fields (SUBJECT,
DOCPROPERTY version, PAGE, NUMPAGES). The draft variant adds the model's draft notice in the header.

Run directly to write both variants: python -m coop.export.reference_docx DIR
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Mapping

import pypandoc
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph

from .docx_finish import (
    LIST_STEP,
    PPR_ORDER,
    QUOTE_INDENT,
    QUOTE_LIST_STYLE,
    TBLPR_ORDER,
    insert_ordered,
    table_borders,
)

FONT = "Arial"
INK = RGBColor(0x1F, 0x2A, 0x44)
ACCENT = RGBColor(0x00, 0x00, 0x91)
DRAFT_RED = RGBColor(0xC0, 0x20, 0x20)


def pandoc_reference() -> bytes:
    return subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        check=True, capture_output=True).stdout


def _outline(style, level: int) -> None:
    lvl = OxmlElement("w:outlineLvl")
    lvl.set(qn("w:val"), str(level))
    insert_ordered(style.element.get_or_add_pPr(), lvl, PPR_ORDER)


def _own_font_and_color(style) -> None:
    """Drop the theme font and colour of a built-in style: a theme attribute wins over
    the explicit font name and colour set here."""
    rpr = style.element.find(qn("w:rPr"))
    if rpr is None:
        return
    for child in rpr:
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme", "themeColor",
                     "themeShade", "themeTint"):
            child.attrib.pop(qn(f"w:{attr}"), None)


def _style(doc: DocxDocument, name: str, *, size: float = 10.5, bold: bool = False,
           align: WD_ALIGN_PARAGRAPH | None = None, before: float = 0, after: float = 6,
           keep_next: bool = False, color: RGBColor = INK, caps: bool = False,
           outline: int | None = None, indent: float = 0):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(
        name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    font = style.font
    font.name, font.size, font.bold, font.color.rgb, font.all_caps = (
        FONT, Pt(size), bold, color, caps)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.keep_with_next = keep_next
    if align is not None:
        fmt.alignment = align
    if indent:
        fmt.left_indent = Cm(indent)
    if outline is not None:
        _outline(style, outline)
    _own_font_and_color(style)
    return style


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES, SUBJECT…) showing `placeholder` until updated."""
    def run_with(child) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _language(doc: DocxDocument) -> None:
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")


def _table_borders(doc: DocxDocument) -> None:
    """Thin grey borders on the default table style, where CT_TblPrBase puts them
    (before `w:shd`, `w:tblLayout`, `w:tblCellMar`…)."""
    tbl_pr = doc.styles["Table"].element.find(qn("w:tblPr"))
    insert_ordered(tbl_pr, table_borders(), TBLPR_ORDER)


def _quote_list(doc: DocxDocument) -> None:
    """List items inside a quoted article (avenant): indented like the quote (`Block
    Text`); docx_finish indents each numbered item under the quote's left edge."""
    style = _style(doc, QUOTE_LIST_STYLE, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=2)
    style.base_style = doc.styles["Block Text"]
    fmt = style.paragraph_format
    fmt.left_indent, fmt.right_indent = Twips(QUOTE_INDENT + LIST_STEP), Twips(QUOTE_INDENT)
    fmt.first_line_indent = Twips(0)
    fmt.space_before = Pt(0)
    block = doc.styles["Block Text"].paragraph_format
    block.left_indent, block.right_indent = Twips(QUOTE_INDENT), Twips(QUOTE_INDENT)


def build(labels: Mapping[str, str], draft: bool) -> bytes:
    """The reference document; `labels`: the model's words around the text (footer,
    draft header)."""
    doc = Document(io.BytesIO(pandoc_reference()))
    _language(doc)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10.5)
    just = WD_ALIGN_PARAGRAPH.JUSTIFY
    center = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Body Text", "First Paragraph"):
        _style(doc, name, align=just, before=0, after=6)
    _style(doc, "Compact", after=2)
    _style(doc, "Title", size=16, bold=True, align=center, before=12,
           after=18, color=INK, outline=0)
    _style(doc, "Parties", align=just, after=6, indent=0.6)
    # Parts (Markdown level 2) and articles (level 3) keep pandoc's mapping onto Word's
    # built-in headings, under the title (outline level 0): navigation pane and outline.
    _style(doc, "Heading 2", size=12, bold=True, align=center, before=18, after=10,
           keep_next=True, caps=True, outline=1)
    _style(doc, "Heading 3", size=11, bold=True, before=12, after=6, keep_next=True,
           color=ACCENT, outline=2)
    _style(doc, "Heading 4", size=10.5, bold=True, before=8, after=4, keep_next=True,
           outline=3)
    _style(doc, "Clôture", before=18, after=12, keep_next=True)
    _style(doc, "Signataire", size=10, after=2, keep_next=True)
    _style(doc, "Signataire — en-tête", size=9, bold=True, after=2, keep_next=True)
    _style(doc, "Zone de signature", size=10, before=54, after=0, keep_next=True)
    _style(doc, "Logos", align=center, after=12)
    _quote_list(doc)
    _table_borders(doc)

    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.4)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.3)
    footer = section.footer.paragraphs[0]
    footer.alignment = center
    _field(footer, "SUBJECT", "convention")
    footer.add_run(f" — {labels['version']} ")
    _field(footer, "DOCPROPERTY version", "…")
    footer.add_run(f" — {labels['page']} ")
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size, run.font.name = Pt(8), FONT
    if draft:
        header = section.header.paragraphs[0]
        header.alignment = center
        run = header.add_run(labels["projet_docx"])
        run.font.size, run.font.bold, run.font.color.rgb = Pt(16), True, DRAFT_RED
    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Same entries, fixed timestamps: pandoc copies some parts (footer, header) with
    their zip dates, which must not depend on when the reference was generated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                         src.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


