"""The Markdown renderer on a Document built by hand: layout only, values escaped, anchors
from the tree, words from the tree."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from conftest import ROOT
from coop.catalog import load_catalog
from coop.consolidate import consolidate
from coop.document import AVENANT, MODELE, Amendment, Article, Document, Part, Section
from coop.markdown import Md
from coop.render.markdown import render_markdown


def _doc() -> Document:
    art = Article(key="ajout-x", slug="art-ajout-x", number=1, title="A {b} *c*",
                  heading="Art. 1 – A {b} *c* <i>", part="p", origin=MODELE,
                  blocks=(Md("Texte **gras**."), Md("- un\n- deux")))
    amended = Article(key="k", slug="art-k", number=2, title="K", heading="Art. 2 – K",
                      part="p", origin=AVENANT, blocks=(Md("Nouveau."),),
                      changed_by=(Amendment("c-avenant-1", 1, date(2027, 1, 1)),),
                      mention=Md("Modifié par l’avenant 1."))
    return Document(
        kind="convention", model="m/v1", title="Titre & <b>", parties=(Md("**Entre** A"),),
        preamble=Section("preambule", "Préambule", (Md("Exposé."),)),
        parts=(Part("p", "partie-p", "I", "Partie", "I. Partie", (art, amended)),),
        closing=Md("Fait à X."), signatures=Section("signatures", "Signatures", (Md("| a |"),)),
        signatories=(), mentions=(Md("Note."),))


def test_layout_and_escaping() -> None:
    md = render_markdown(_doc())
    assert md.splitlines()[0] == "# Titre &amp; &lt;b&gt;"
    assert "### Art. 1 – A \\{b\\} \\*c\\* &lt;i&gt; {#art-ajout-x}" in md
    assert "## I. Partie {#partie-p}" in md
    assert "## Signatures {#signatures .signatures}" in md
    order = ["**Entre** A", "*Note.*", "## Préambule {#preambule}", "Exposé.", "## I. Partie",
             "### Art. 1", "Texte **gras**.", "- un\n- deux", "### Art. 2 – K {#art-k}",
             "*Modifié par l’avenant 1.*", "Nouveau.", "Fait à X.", "## Signatures", "| a |"]
    positions = [md.index(x) for x in order]
    assert positions == sorted(positions)


def test_no_break_spaces_of_headings_are_kept() -> None:
    doc = _doc()
    art = doc.articles[0]
    nb = doc.map_articles({art.key: replace(art, heading="Article\u00a01 – X\u202f!")})
    assert "### Article\u00a01 – X\u202f! {#art-ajout-x}" in render_markdown(nb)


def test_consolidation_is_a_tree_operation() -> None:
    catalog = load_catalog(ROOT)
    conv = catalog.get("lyon-fcil-maintenance-aeronautique")
    cons = consolidate(conv, catalog.avenants)
    changed = [a for a in cons.document.articles if a.changed_by]
    assert changed and all(a.origin == AVENANT and a.mention for a in changed)
    assert {c.id for a in changed for c in a.changed_by} == {
        "lyon-fcil-maintenance-aeronautique-avenant-1"}
    assert set(cons.changed_by) == {a.key for a in changed}
