"""Signature page: a long block breaks between whole rows, never over the footer.

A convention with twelve signatories (the Lyon FCIL and ten more partners) is exported to
PDF and read back: every signatory printed, one signature field per signatory, each inside
its page, above the footer and over its printed box, « Fait à … » on the page of the first
signature box. With six signatories the block fits a page and is moved whole, never split.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdf
import pytest

from conftest import LYON, SAMPLES, edit
from coop.catalog import load_catalog
from coop.expand import expand
from coop.export.pdf import field_name
from coop.export.pipeline import export_conventions

CM = 72 / 2.54
BOTTOM_MARGIN = 2.6 * CM  # convention.typ: the footer lives below this line

# (nature, nom, designation, civilité, représentant, fonction), ten extra partners
PARTNERS = [
    ("entreprise", "Airbus Helicopters", "Airbus Helicopters", "Madame", "Inès Rolland",
     "directrice du site de Marignane"),
    ("entreprise", "Safran Helicopter Engines", "Safran", "Monsieur", "Hugo Lefèvre",
     "responsable des relations écoles"),
    ("groupement_entreprises", "Groupement des industriels de la maintenance aéronautique "
     "de l’Est lyonnais", "le GIMAEL", "Madame", "Nadia Benali", "présidente"),
    ("pole_competitivite", "Pôle de compétitivité Aerospace Valley", "le pôle", "Monsieur",
     "Marc Giraud", "délégué régional"),
    ("federation_professionnelle", "Fédération nationale de l’aviation et de ses métiers",
     "la FNAM", "Madame", "Agnès Moreau", "déléguée générale"),
    ("branche_professionnelle", "Commission paritaire de la branche de la métallurgie",
     "la branche", "Monsieur", "Julien Perrin", "secrétaire"),
    ("collectivite_territoriale", "Région Auvergne-Rhône-Alpes", "la Région", "Madame",
     "Sophie Garnier", "vice-présidente déléguée à la formation professionnelle"),
    ("collectivite_territoriale", "Métropole de Lyon", "la Métropole", "Monsieur",
     "Thomas Royer", "vice-président chargé de l’emploi"),
    ("etablissement_public_sante", "Hospices civils de Lyon – service d’hélicoptère "
     "sanitaire", "les HCL", "Madame", "Laure Fontaine", "directrice des achats"),
    ("association", "Association des anciens élèves mécaniciens aéronautiques de Bron",
     "l’association", "Monsieur", "Bernard Vidal", "président"),
]


def partner_yaml(nature: str, nom: str, designation: str, civilite: str, rep: str,
                 fonction: str) -> str:
    return (f"  - nature: {nature}\n    nom: {nom}\n"
            f"    adresse: 1 place Bellecour, 69002 Lyon\n"
            f"    representant:\n      civilite: {civilite}\n      nom: {rep}\n"
            f"      fonction: {fonction}\n    designation: {designation}\n")


def signer_yaml(partie: str, fonction: str, nom: str) -> str:
    return f"    - partie: {partie}\n      fonction: {fonction}\n      nom: {nom}\n"


def with_signatories(count: int) -> str:
    """The Lyon FCIL with `count - 2` more partners, each with one signatory."""
    extra = PARTNERS[:count - 2]
    text = LYON.read_text(encoding="utf-8")
    text = edit(text, "formation:\n", "".join(partner_yaml(*p) for p in extra) + "formation:\n")
    text = edit(text, "exemplaires: 2", f"exemplaires: {count}")
    signers = "".join(signer_yaml(d, f[0].upper() + f[1:], f"{c} {r}")
                      for _, _, d, c, r, f in extra)
    return edit(text, "      nom: Monsieur Paul Martin\n",
                "      nom: Monsieur Paul Martin\n" + signers)


def footer_top(page: pypdf.PageObject) -> float:
    """Highest baseline of the footer's text (id, version, « page N / M »)."""
    ys: list[float] = []

    def visit(text: str, cm: list, tm: list, *_: object) -> None:
        if re.search(r"page \d+ / \d+|version ", text):
            ys.append(cm[5] + tm[5] * cm[3])

    page.extract_text(visitor_text=visit)
    assert ys, "footer not found"
    return max(ys)


def body_text_bottom(page: pypdf.PageObject, top_of_footer: float) -> float:
    """Lowest baseline of the text drawn above the footer band (the page's body)."""
    ys: list[float] = []

    def visit(text: str, cm: list, tm: list, *_: object) -> None:
        y = cm[5] + tm[5] * cm[3]
        if text.strip() and y > top_of_footer + 1:
            ys.append(y)

    page.extract_text(visitor_text=visit)
    return min(ys, default=float(page.mediabox.top))


def export_with(repo: Path, count: int) -> tuple[Path, list, str]:
    """Export the Lyon FCIL with `count` signatories: PDF, signatories, signature title."""
    (repo / "conventions").mkdir()
    shutil.copytree(SAMPLES / "logos", repo / "conventions" / "logos")
    (repo / "conventions" / "essai.md").write_text(with_signatories(count), encoding="utf-8")
    catalog = load_catalog(repo)
    assert not catalog.errors, [p.format() for p in catalog.errors]
    [conv] = catalog.conventions
    report = export_conventions(catalog.conventions, repo, repo / "out")
    assert report.errors == []
    signers = conv.data["signature"]["signataires"]
    assert len(signers) == count
    return repo / "out" / f"{conv.id}.pdf", signers, expand(conv).signatures.heading


@pytest.fixture(scope="module")
def twelve(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, str]:
    return export_with(tmp_path_factory.mktemp("douze"), 12)


def test_every_signatory_and_field(twelve: tuple[Path, list, str]) -> None:
    pdf, signers, _ = twelve
    reader = pypdf.PdfReader(pdf)
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in reader.pages))
    for s in signers:
        assert s["nom"] in text, s["nom"]
    assert text.count("Date et signature") == 12
    expected = [field_name(i, s["partie"]) for i, s in enumerate(signers, start=1)]
    assert sorted(reader.get_fields() or {}) == sorted(expected)
    widgets = [(n, a.get_object()) for n, p in enumerate(reader.pages)
               for a in p.get("/Annots") or []]
    assert [w["/T"] for _, w in widgets] == expected  # in reading order, across pages


def test_signature_block_breaks_between_rows_above_the_footer(
        twelve: tuple[Path, list, str]) -> None:
    pdf, _, heading = twelve
    reader = pypdf.PdfReader(pdf)
    pages = reader.pages
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"page {number} / {len(pages)}" in text
        top = footer_top(page)
        # nothing of the body is drawn down into the footer band
        assert body_text_bottom(page, top) > BOTTOM_MARGIN
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        rects = [[float(v) for v in a.get_object()["/Rect"]] for a in page.get("/Annots") or []]
        for llx, lly, urx, ury in rects:
            assert 0 < llx < urx < width and ury < height
            assert lly > BOTTOM_MARGIN > top, (number, lly, top)
            assert 80 < ury - lly < 100 and 150 < urx - llx < 500
        # whole rows: boxes side by side share their vertical position
        for a in rects:
            for b in rects:
                assert a[1] == b[1] or a[3] < b[1] or b[3] < a[1]
        # the count of « Date et signature » labels matches the fields of the page
        assert text.count("Date et signature") == len(rects)
    sig_pages = [n for n, p in enumerate(pages) if p.get("/Annots")]
    assert len(sig_pages) >= 2, "twelve signatories cannot fit on one page"
    assert sig_pages == list(range(sig_pages[0], sig_pages[-1] + 1))
    # « Fait à … » and the title on the page of the first signature box
    first = pages[sig_pages[0]]
    assert "Fait à Bron" in first.extract_text()
    assert re.sub(r"\s+", "", heading.upper()) in re.sub(r"\s+", "", first.extract_text())
    assert first["/Annots"][0].get_object()["/T"].startswith("signature-1-")


def box_labels(page: pypdf.PageObject) -> list[tuple[float, float]]:
    """Start of each « Date et signature » label, printed inside the bottom of its box."""
    found: list[tuple[float, float]] = []

    def visit(text: str, cm: list, tm: list, *_: object) -> None:
        if "Date et signature" in text:
            found.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]))

    page.extract_text(visitor_text=visit)
    return found


def test_field_boxes_sit_on_their_printed_boxes(twelve: tuple[Path, list, str]) -> None:
    """On every page, each widget covers its printed box (the label inside its bottom)."""
    pdf, _, _ = twelve
    for page in pypdf.PdfReader(pdf).pages:
        labels = box_labels(page)
        rects = [[float(v) for v in a.get_object()["/Rect"]] for a in page.get("/Annots") or []]
        assert len(labels) == len(rects)
        for x, y in labels:
            assert any(llx < x < urx and lly < y < lly + 15 for llx, lly, urx, _ in rects), \
                (x, y, rects)


def test_a_block_that_fits_a_page_is_never_split(tmp_path: Path) -> None:
    """Six signatories do not fit under the last article of the Lyon FCIL: the whole
    block, « Fait à … » included, moves to the next page instead of breaking."""
    pdf, _, _ = export_with(tmp_path, 6)
    pages = pypdf.PdfReader(pdf).pages
    [(number, page)] = [(n, p) for n, p in enumerate(pages) if p.get("/Annots")]
    assert len(page["/Annots"]) == 6
    assert "Fait à Bron" in page.extract_text()
    assert "Fait à" not in pages[number - 1].extract_text()
