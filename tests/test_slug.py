"""One slug for every anchor: ASCII, unique in a document, and carried by every format."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NANTES, page_toc
from coop.catalog import load_catalog
from coop.expand import expand
from coop.export.pipeline import export_conventions
from coop.render.markdown import render_markdown
from coop.site.generate import generated_page
from coop.site.renderer import Renderer
from coop.slug import Slugger, slug

RENDERER = Renderer()
ANCHOR = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ADDED = "## Article ajouté après communication : Engagements de la collectivité"
NASTY = ["Stages (PFMP), tutorat & l’apprentissage", "Suivi {annuel} #1 [bis] *important*",
         "Comité « ad hoc » : 50 % !", "Συνεργασία", "Stages (PFMP), tutorat & l’apprentissage"]


@given(st.text())
def test_slug_is_ascii_anchor_text(text: str) -> None:
    s = slug(text)
    assert s == "" or ANCHOR.fullmatch(s)


@given(st.lists(st.text(max_size=20), max_size=12))
def test_slugger_never_repeats(titles: list[str]) -> None:
    slugger = Slugger()
    made = [slugger(t, "art-") for t in titles]
    assert len(set(made)) == len(made)
    assert all(m.startswith("art-") and ANCHOR.fullmatch(m) for m in made)


def _with_titles(repo: Path, titles: list[str]) -> str:
    """The Nantes sample with one added article per title, each referenced by key."""
    sections = "\n\n".join(f"## Article ajouté après communication : {t}\n\nTexte {i}."
                           for i, t in enumerate(titles))
    text = NANTES.read_text("utf-8").replace(ADDED, sections + "\n\n" + ADDED, 1)
    (repo / "conventions" / "x.md").write_text(text, "utf-8")
    return text


def _added(doc) -> list:
    return [a for a in doc.articles if a.origin == "ajoute"]


_TITLE = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                 max_size=60)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_TITLE, min_size=1, max_size=3))
def test_any_accepted_title_has_a_working_anchor(repo: Path, titles: list[str]) -> None:
    _with_titles(repo, titles)
    catalog = load_catalog(repo)
    if catalog.errors:  # refused with a message: nothing to render
        return
    doc = expand(catalog.conventions[0])
    slugs = [a.slug for a in doc.articles]
    assert len(set(slugs)) == len(slugs)
    md = render_markdown(doc)
    html = RENDERER.render("document.html", doc=doc)
    toc_anchors = {i for _level, i, _title in page_toc(generated_page("t", html))}
    for art in _added(doc):
        assert art.slug.startswith("art-ajout-") and ANCHOR.fullmatch(art.slug)
        line = next(x for x in md.splitlines() if x.endswith(f"{{#{art.slug}}}"))
        heading = line[4:-len(art.slug) - 4]
        assert "{" not in heading.replace("\\{", "")  # no attribute block leaks
        assert html.count(f'id="{art.slug}"') == 1 and art.slug in toc_anchors


def test_nasty_titles_in_every_format(repo: Path, tmp_path: Path) -> None:
    _with_titles(repo, NASTY)
    catalog = load_catalog(repo)
    assert catalog.errors == []
    doc = expand(catalog.conventions[0])
    added = _added(doc)
    assert [a.slug for a in added][:2] == ["art-ajout-stages-pfmp-tutorat-l-apprentissage",
                                           "art-ajout-suivi-annuel-1-bis-important"]
    assert added[3].slug == "art-ajout-article"  # no ASCII letter: a fallback, still unique
    assert added[4].slug == added[0].slug + "-2"  # same title twice
    out = tmp_path / "exports"
    report = export_conventions(catalog.conventions, repo, out)
    assert report.errors == []
    pdf = pypdf.PdfReader(out / f"{catalog.conventions[0].id}.pdf")
    text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    outline = [item.title for item in _flatten(pdf.outline)]
    docx_text = "\n".join(p.text for p in docx.Document(
        str(out / f"{catalog.conventions[0].id}.docx")).paragraphs)
    assert "{#" not in text and "{#" not in docx_text
    for art in added:
        assert _squash(art.heading) in _squash(text)
        assert _squash(art.heading) in [_squash(t) for t in outline]
        assert _squash(art.heading) in _squash(docx_text)


def _flatten(items: list) -> list:
    out = []
    for item in items:
        out += _flatten(item) if isinstance(item, list) else [item]
    return out


def _squash(text: str) -> str:
    """Compare across line breaks, hyphenation, no-break spaces and apostrophe styles."""
    return re.sub(r"[\s\u00a0\u202f\u2011-]+", "", text.replace("’", "'"))


@pytest.mark.parametrize("title", NASTY[:3])
def test_reference_to_an_added_article(repo: Path, title: str) -> None:
    text = _with_titles(repo, [title])
    key = "ajout-" + slug(title)
    text = text.replace("Texte 0.", f"Voir aussi [[article:{key}]].", 1)
    (repo / "conventions" / "x.md").write_text(text, "utf-8")
    catalog = load_catalog(repo)
    assert catalog.errors == []
    doc = expand(catalog.conventions[0])
    number = next(a.number for a in doc.articles if a.key == key)
    assert f"Voir aussi article\u00a0{number}." in render_markdown(doc)
