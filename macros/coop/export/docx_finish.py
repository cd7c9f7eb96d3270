"""Finish a DOCX written by pandoc: what pandoc cannot set from the reference document.

- `word/settings.xml`: track changes on (`w:trackRevisions`: a partner's edits are
  recorded) and `compatibilityMode` 15 (no « Mode de compatibilité » in Word);
- footers: the results of the SUBJECT and DOCPROPERTY fields are written with their
  values (word processors print a field's stored result until it is updated, which
  LibreOffice and Google Docs never do), and no field is marked dirty (Word would ask
  to update the fields on opening);
- pictures: their description is the alt text, never the image's path.

Elements are inserted where the OOXML schema sequence puts them (`insert_ordered`).
The package keeps its entries, order and dates: same input, same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence

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
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


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
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def picture_descriptions(xml: bytes) -> bytes:
    """Each picture's description is its alt text: pandoc writes the alt text in the
    drawing's `wp:docPr` but the image's path (a folder of the build machine) in the
    picture's `pic:cNvPr`."""
    root = etree.fromstring(xml)
    for drawing in root.iter(w("drawing")):
        doc_pr = next(drawing.iter(f"{{{WP}}}docPr"), None)
        alt = doc_pr.get("descr", "") if doc_pr is not None else ""
        for c_nv_pr in drawing.iter(f"{{{PIC}}}cNvPr"):
            c_nv_pr.set("descr", alt)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def finish(data: bytes, fields: Mapping[str, str]) -> bytes:
    """The finished package: settings, and footer field results from `fields`
    (instruction → value)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "word/settings.xml":
                part = settings(part)
            elif info.filename.startswith(("word/footer", "word/header")):
                part = field_results(part, fields)
            elif info.filename == "word/document.xml" and b"<pic:cNvPr" in part:
                part = picture_descriptions(part)
            dst.writestr(info, part)
    return out.getvalue()
