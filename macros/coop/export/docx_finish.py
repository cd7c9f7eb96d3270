"""Finish a DOCX written by pandoc: what pandoc cannot set from the reference document.

- `word/settings.xml`: track changes on (`w:trackRevisions`: a partner's edits are
  recorded) and `compatibilityMode` 15 (no « Mode de compatibilité » in Word);
- footers: the results of the SUBJECT and DOCPROPERTY fields are written with their
  values (word processors print a field's stored result until it is updated, which
  LibreOffice and Google Docs never do), and no field is marked dirty (Word would ask
  to update the fields on opening);
- pictures: their description is the alt text, never the image's path;
- list items inside a quote: indented under the quote (the numbering's own indent,
  which wins over the style's, would put the bullets outside it);
- tables: pandoc sizes the columns for a 5.5-inch text width; they are scaled to the
  page's (the signature column keeps its share: about 6 cm to sign). Borders and cell
  margins are written on each table instead of naming the table style: LibreOffice,
  with track changes on, records the style it applies on opening as tracked changes
  (the signature grid then shows coloured text and change bars).

Elements are inserted where the OOXML schema sequence puts them (`insert_ordered`).
The package keeps its entries, order and dates: same input, same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from functools import lru_cache

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# CT_Settings (ECMA-376 part 1, 17.15.1.78): the sequence of w:settings children.
SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts",
    "embedSystemFonts", "saveSubsetFonts", "saveFormsData", "mirrorMargins",
    "alignBordersAndEdges", "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter",
    "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle",
    "proofState", "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions",
    "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
    "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars",
    "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture",
    "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent",
    "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml", "saveXmlDataOnly",
    "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace",
    "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars",
    "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")

COMPATIBILITY_MODE = "15"  # Word 2013 and later

# A quoted article (avenant) is indented by QUOTE_INDENT twips on both sides (`Block Text`);
# its list items (style QUOTE_LIST_STYLE, filters.lua) get one LIST_STEP more per level.
QUOTE_INDENT = 480
LIST_STEP = 360
QUOTE_LIST_STYLE = "Citation — liste"

TABLE_BORDER = (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "7F7F7F"))
CELL_MARGINS = (("top", 40), ("left", 108), ("bottom", 40), ("right", 108))  # twips

# CT_TblPr (17.4.60): children of w:tblPr, in a table or a table style.
TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange")

# CT_PPr (17.3.1.26): children of w:pPr.
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
    "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
    "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")

# CT_RPr / CT_ParaRPr (17.3.2.28, 17.3.1.29): children of w:rPr.
RPR_ORDER = (
    "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
    "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
    "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz",
    "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
    "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange")


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def insert_ordered(parent: etree._Element, child: etree._Element,
                   order: Sequence[str]) -> etree._Element:
    """Insert `child` (or replace the element of the same name) where the schema
    sequence `order` puts it among the children of `parent`."""
    name = local(child)
    rank = order.index(name)
    for existing in parent:
        if isinstance(existing.tag, str) and local(existing) == name:
            parent.replace(existing, child)
            return child
    for i, existing in enumerate(parent):
        if (isinstance(existing.tag, str) and local(existing) in order
                and order.index(local(existing)) > rank):
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def settings(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    insert_ordered(root, etree.Element(w("trackRevisions")), SETTINGS_ORDER)
    compat = root.find(w("compat"))
    if compat is None:
        compat = insert_ordered(root, etree.Element(w("compat")), SETTINGS_ORDER)
    for setting in compat.findall(w("compatSetting")):
        if setting.get(w("name")) == "compatibilityMode":
            compat.remove(setting)
    setting = etree.SubElement(compat, w("compatSetting"))
    for key, value in (("name", "compatibilityMode"), ("val", COMPATIBILITY_MODE),
                       ("uri", "http://schemas.microsoft.com/office/word")):
        setting.set(w(key), value)
    lang = root.find(w("themeFontLang"))
    if lang is not None:
        lang.set(w("val"), "fr-FR")
    return _xml(root)


def field_results(xml: bytes, values: Mapping[str, str]) -> bytes:
    """Write `values[instruction]` as the result of each complex field whose instruction
    (`SUBJECT`, `DOCPROPERTY version`…) is a key; no field is left dirty."""
    root = etree.fromstring(xml)
    instruction: list[str] = []
    result: list[etree._Element] = []
    state = None  # "instr" between begin and separate, "result" between separate and end
    for el in root.iter(w("fldChar"), w("instrText"), w("t")):
        kind = el.get(w("fldCharType"))
        if el.tag == w("fldChar"):
            el.attrib.pop(w("dirty"), None)
            if kind == "begin":
                state, instruction, result = "instr", [], []
            elif kind == "separate":
                state = "result"
            elif kind == "end":
                value = values.get(" ".join("".join(instruction).split()))
                if value is not None and result:
                    result[0].text = value
                    for extra in result[1:]:
                        extra.text = ""
                state = None
        elif el.tag == w("instrText") and state == "instr":
            instruction.append(el.text or "")
        elif el.tag == w("t") and state == "result":
            result.append(el)
    return _xml(root)


def _picture_descriptions(root: etree._Element) -> None:
    """Each picture's description is its alt text: pandoc writes the alt text in the
    drawing's `wp:docPr` but the image's path (a folder of the build machine) in the
    picture's `pic:cNvPr`."""
    for drawing in root.iter(w("drawing")):
        doc_pr = next(drawing.iter(f"{{{WP}}}docPr"), None)
        alt = doc_pr.get("descr", "") if doc_pr is not None else ""
        for c_nv_pr in drawing.iter(f"{{{PIC}}}cNvPr"):
            c_nv_pr.set("descr", alt)


@lru_cache(maxsize=16)  # every copy of one model has the same styles
def style_id(styles_xml: bytes, name: str) -> str | None:
    for style in etree.fromstring(styles_xml).iter(w("style")):
        el = style.find(w("name"))
        if el is not None and el.get(w("val")) == name:
            return style.get(w("styleId"))
    return None


def _quote_lists(root: etree._Element, style: str) -> None:
    """Direct indentation of the numbered paragraphs of style id `style`: the bullet of
    level n at QUOTE_INDENT + n × LIST_STEP, the text one step further, the quote's right
    indent kept."""
    for ppr in root.iter(w("pPr")):
        pstyle, ilvl = ppr.find(w("pStyle")), ppr.find(f"{w('numPr')}/{w('ilvl')}")
        if pstyle is None or pstyle.get(w("val")) != style or ilvl is None:
            continue
        level = int(ilvl.get(w("val"), "0"))
        ind = etree.Element(w("ind"))
        for key, value in (("left", QUOTE_INDENT + LIST_STEP * (level + 1)),
                           ("right", QUOTE_INDENT), ("hanging", LIST_STEP)):
            ind.set(w(key), str(value))
        insert_ordered(ppr, ind, PPR_ORDER)


def table_borders() -> etree._Element:
    """Thin grey borders, outside and inside (the table style's too)."""
    borders = etree.Element(w("tblBorders"))
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        etree.SubElement(borders, w(edge), {w(k): v for k, v in TABLE_BORDER})
    return borders


def cell_margins() -> etree._Element:
    margins = etree.Element(w("tblCellMar"))
    for edge, value in CELL_MARGINS:
        etree.SubElement(margins, w(edge), {w("w"): str(value), w("type"): "dxa"})
    return margins


def _tables(root: etree._Element) -> bool:
    """Each table: borders and cell margins of its own, no table style; the
    `w:gridCol` widths of a full-width table scaled to the text width of the page (page
    width less the margins of the body's section)."""
    sect = root.find(f"{w('body')}/{w('sectPr')}")
    size = sect.find(w("pgSz")) if sect is not None else None
    margins = sect.find(w("pgMar")) if sect is not None else None
    if size is None or margins is None:
        return False
    text = int(size.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))
    for table in root.iter(w("tbl")):
        tbl_pr = table.find(w("tblPr"))
        if tbl_pr is not None:
            for style in tbl_pr.findall(w("tblStyle")):
                tbl_pr.remove(style)
            insert_ordered(tbl_pr, table_borders(), TBLPR_ORDER)
            insert_ordered(tbl_pr, cell_margins(), TBLPR_ORDER)
        width = table.find(f"{w('tblPr')}/{w('tblW')}")
        cols = table.findall(f"{w('tblGrid')}/{w('gridCol')}")
        if width is None or width.get(w("type")) != "pct" or not cols:
            continue
        target = text * int(width.get(w("w"))) // 5000
        widths = [int(c.get(w("w"))) for c in cols]
        scaled = [target * x // sum(widths) for x in widths]
        scaled[-1] += target - sum(scaled)
        for col, value in zip(cols, scaled, strict=True):
            col.set(w("w"), str(value))
    return True


def document(xml: bytes, quote_list: str | None) -> bytes:
    """`word/document.xml`, parsed once: tables, lists in quotes (`quote_list`: their
    style id), picture descriptions."""
    root = etree.fromstring(xml)
    changed = _tables(root)
    if quote_list:
        _quote_lists(root, quote_list)
        changed = True
    if b"<pic:cNvPr" in xml:
        _picture_descriptions(root)
        changed = True
    return _xml(root) if changed else xml


def finish(data: bytes, fields: Mapping[str, str]) -> bytes:
    """The finished package: settings, and footer field results from `fields`
    (instruction → value)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        quote_list = style_id(src.read("word/styles.xml"), QUOTE_LIST_STYLE)
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "word/document.xml":
                part = document(part, quote_list)
            elif info.filename == "word/settings.xml":
                part = settings(part)
            elif info.filename.startswith(("word/footer", "word/header")):
                part = field_results(part, fields)
            dst.writestr(info, part)
    return out.getvalue()
