"""coop.site.search: Pagefind over a small hand-made site, and over pages rendered by our
templates (what is indexed, what is left out, readable excerpts); French errors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from coop.document import AJOUTE
from coop.site import search
from coop.site.model_page import model_document
from coop.site.page import Badge, Card, Row, Value
from coop.site.renderer import Renderer

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
</head><body><nav>Accueil Catalogue Contribuer</nav><main>{body}</main></body></html>"""


def write_page(site: Path, rel: str, title: str, body: str) -> None:
    path = site / rel / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(title=title, body=body), "utf-8")


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write_page(site, "conventions/lyon", "Lyon",
               '<div data-pagefind-body><h1>FCIL Maintenance des hélicoptères</h1>'
               "<p>Le préavis de résiliation est de trois mois.</p>"
               '<div data-pagefind-ignore><p>Texte du modèle répété partout.</p></div></div>')
    write_page(site, "conventions/nantes", "Nantes",
               '<div data-pagefind-body><h1>Bac pro MSPC « maintenance navale »</h1>'
               "<p>Chantiers de Saint-Nazaire.</p></div>")
    write_page(site, "contribuer", "Contribuer",
               "<h1>Contribuer</h1><p>Ouvrez une demande de fusion ; pytest vérifie.</p>")
    return site


def test_index_writes_the_bundle_and_counts_the_marked_pages(small_site: Path) -> None:
    stats = search.index(small_site)
    bundle = small_site / "pagefind"
    for name in ("pagefind.js", "pagefind-entry.json", "pagefind-ui.js", "pagefind-ui.css"):
        assert (bundle / name).is_file(), name
    assert list((bundle / "index").glob("fr_*.pf_index")), "no French index chunk"
    assert stats.pages == 2
    assert stats.bytes == sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    assert stats.peak_rss is None or stats.peak_rss > 1_000_000
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["fr"]


def test_a_page_without_body_mark_is_left_out_and_ignored_text_too(small_site: Path) -> None:
    search.index(small_site)
    pages = search.indexed_pages(small_site)
    assert set(pages) == {"/conventions/lyon/", "/conventions/nantes/"}  # not /contribuer/
    lyon = pages["/conventions/lyon/"]
    assert lyon["meta"]["title"] == "FCIL Maintenance des hélicoptères"
    assert "Le préavis de résiliation est de trois mois." in lyon["content"]
    assert "modèle répété" not in lyon["content"]


def test_a_second_run_replaces_the_bundle(small_site: Path) -> None:
    search.index(small_site)
    (small_site / "conventions" / "nantes" / "index.html").unlink()
    assert search.index(small_site).pages == 1
    assert set(search.indexed_pages(small_site)) == {"/conventions/lyon/"}


def card() -> Card:
    return Card(
        title="FCIL Maintenance des hélicoptères – lycée Jean-Mermoz",
        badges=(Badge("fcil", "FCIL"), Badge("signee", "Signée")),
        rows=(Row("Secteur", ((Value("Aéronautique"),),)),
              Row("Diplômes socles", ((Value("Bac pro Aéronautique"),),
                                      (Value("Bac pro Aviation générale"),)))),
        dates=(Row("Préavis de résiliation", ((Value("3 mois"),),)),))


def test_our_templates_index_what_differs_in_readable_words(tmp_path: Path) -> None:
    """The card and an added article are indexed, word by word; the model's unchanged
    articles are not, nor the headings' ¶."""
    doc = model_document("adaptation-offre-formation/v2", "fcil")
    first, second = doc.parts[0].articles[:2]
    added = replace(first, origin=AJOUTE, blocks=("Le partenaire prête un hélicoptère école.",))
    doc = replace(doc, parts=(replace(doc.parts[0], articles=(added, second)), *doc.parts[1:]))
    renderer = Renderer()
    body = ('<div data-pagefind-body data-pagefind-meta="genre:Convention">'
            + renderer.render("card.html", card=card())
            + renderer.render("document.html", doc=doc) + "</div>")
    site = tmp_path / "site"
    write_page(site, "conventions/lyon", "Lyon", body)
    search.index(site)
    page = search.indexed_pages(site)["/conventions/lyon/"]
    text = " ".join(page["content"].replace("\u00a0", " ").split())
    assert page["meta"] == {"title": card().title, "genre": "Convention"}
    assert "Secteur Aéronautique" in text
    assert "Bac pro Aéronautique Bac pro Aviation générale" in text
    assert "Préavis de résiliation 3 mois" in text
    assert "Le partenaire prête un hélicoptère école." in text
    assert added.heading.replace("\u00a0", " ") in text
    model_words = "La FCIL s’adresse aux publics suivants"  # the model's article 2
    assert model_words in " ".join(renderer.render("document.html", doc=doc).split())
    assert model_words not in text
    assert second.heading.replace("\u00a0", " ") not in text
    assert "¶" not in text
    anchors = {a["id"] for a in page["anchors"]}
    assert added.slug in anchors and second.slug not in anchors


def test_french_error_when_the_site_folder_is_missing(tmp_path: Path) -> None:
    with pytest.raises(search.SearchIndexError) as err:
        search.index(tmp_path / "absent")
    assert str(err.value) == (f"index de recherche : le dossier du site « {tmp_path / 'absent'} » "
                              "n'existe pas (construisez le site avant de l'indexer)")


def test_french_error_when_the_folder_has_no_page(tmp_path: Path) -> None:
    (tmp_path / "vide").mkdir()
    (tmp_path / "vide" / "notes.txt").write_text("rien", "utf-8")
    with pytest.raises(search.SearchIndexError, match="ne contient aucune page HTML"):
        search.index(tmp_path / "vide")
    assert not (tmp_path / "vide" / "pagefind").exists()


def test_french_error_when_pagefind_runs_out_of_time(small_site: Path) -> None:
    with pytest.raises(search.SearchIndexError,
                       match=r"Pagefind n'a pas fini d'indexer .* en 0 s ; il a été arrêté"):
        search.index(small_site, timeout=0.0001)


def test_french_error_with_pagefind_own_words_when_it_fails(
        small_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "EXCLUDED", ("[[[",))  # a selector Pagefind cannot parse
    with pytest.raises(search.SearchIndexError) as err:
        search.index(small_site)
    message = str(err.value)
    assert message.startswith(f"index de recherche : Pagefind a échoué sur « {small_site} » (code ")


def test_a_small_bundle_size_splits_the_index_each_page_in_one_bundle(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """COOP_RECHERCHE_LOT=4 over 10 marked pages: 3 bundles of 4, 3 and 3 pages, dealt in
    turn over the sorted paths; each page in exactly one, at its own URL; the unmarked
    page in none; the manifest lists them."""
    site = tmp_path / "site"
    urls = []
    for n in range(10):
        rel = f"conventions/c{n:02d}"
        write_page(site, rel, f"C{n}", f'<div data-pagefind-body><h1>Convention {n}</h1>'
                   f"<p>Maintenance des hélicoptères, promotion {n}.</p></div>")
        urls.append(f"/{rel}/")
    write_page(site, "contribuer", "Contribuer", "<h1>Contribuer</h1><p>pytest</p>")
    monkeypatch.setenv(search.BUNDLE_SIZE_ENV, "4")
    stats = search.index(site)
    root = site / "pagefind"
    assert json.loads((root / "lots.json").read_text("utf-8")) == {
        "lots": ["", "lot-2/", "lot-3/"]}
    assert [b.pages for b in stats.bundles] == [4, 3, 3] and stats.pages == 10
    assert stats.peak_rss == max((b.peak_rss for b in stats.bundles), default=None)
    assert stats.bytes == sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    bundles = [set(search.indexed_pages(site, k)) for k in (1, 2, 3)]
    assert bundles == [set(urls[0::3]), set(urls[1::3]), set(urls[2::3])]
    assert set(search.indexed_pages(site)) == set(urls)  # /contribuer/ in none
    for folder in ("lot-2", "lot-3"):  # a whole bundle each, the library too
        assert (root / folder / "pagefind-entry.json").is_file()
        assert list((root / folder / "index").glob("fr_*.pf_index"))
    assert not list(tmp_path.glob(".site.recherche-*"))  # staging folders removed
    monkeypatch.setenv(search.BUNDLE_SIZE_ENV, "100")
    assert len(search.index(site).bundles) == 1  # a second run replaces the bundles
    assert not (root / "lot-2").exists()
    assert json.loads((root / "lots.json").read_text("utf-8")) == {"lots": [""]}


def test_partition_is_balanced_and_deterministic() -> None:
    pages = [f"p{n:02d}.html" for n in range(11)]
    groups = search.partition(pages, 4)
    assert [len(g) for g in groups] == [4, 4, 3]
    assert sorted(p for g in groups for p in g) == pages
    assert search.partition(pages, 4) == groups and search.partition(pages, 11) == [pages]


def test_french_error_when_the_bundle_size_is_not_a_number(
        small_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(search.BUNDLE_SIZE_ENV, "beaucoup")
    with pytest.raises(search.SearchIndexError) as err:
        search.index(small_site)
    assert str(err.value) == ("index de recherche : COOP_RECHERCHE_LOT doit être un nombre "
                              "entier de pages (au moins 1), pas « beaucoup »")
