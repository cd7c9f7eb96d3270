"""The signature copy of an avenant, as a Document tree: its preamble, one article per
change of the convention, its closing and signature block — every word from the model
version of the convention it amends (`avenant:` of the manifest, `avenant/` templates)."""

from __future__ import annotations

from typing import Any

from .avenants import Avenant, apply, expose_sections
from .convention import Convention
from .document import AVENANT, Article, Document, Part
from .expand import (
    appellations,
    context,
    copy_labels,
    expand,
    frame,
    inline,
    typeset,
    unbreakable,
)
from .markdown import Md
from .model import Model, article_titles, load_model, resolve_article
from .slug import added_keys

AVENANT_PART = "avenant"


def changed_articles(before: Document, after: Document) -> dict[str, str]:
    """Article key -> new text, for the articles of `after` whose text differs or is new."""
    old = {a.key: a.text for a in before.articles}
    return {a.key: a.text for a in after.articles if old.get(a.key) != a.text}


class _Writer:
    """The changes of one avenant as (title, text) pairs, in the model's words."""

    def __init__(self, model: Model, before: Document, after: Document) -> None:
        self.model, self.before, self.after = model, before, after
        self.articles: list[tuple[Md, Md]] = []

    def reference(self, key: str) -> Md:
        art = self.before.article(key)
        if art is not None:
            return self.model.label("avenant.reference", numero=art.number, titre=art.title)
        new = self.after.article(key)
        return self.model.label("avenant.reference_sans_numero",
                                titre=new.title if new else key)

    def add(self, kind: str, template: str, title: dict[str, Any], text: dict[str, Any]) -> None:
        self.articles.append((self.model.label(f"avenant.articles.{kind}", **title),
                              self.model.render(f"avenant/{template}.md.j2", text)))


def _changes(model: Model, av: Avenant, before: Convention, w: _Writer) -> None:
    titles = article_titles(model, before.type)
    changed = changed_articles(w.before, w.after)
    handled: set[str] = set()
    adds = [s for s in av.sections if s.kind == "ajout"]
    keys = dict(zip(map(id, adds), added_keys([s.title for s in adds]), strict=True))
    for s in av.sections:
        if s.kind == "suppression":
            key = resolve_article(s.target, titles) or s.target
            handled.add(key)
            ref = w.reference(key)
            w.add("suppression", "suppression", {"reference": ref},
                  {"reference": ref, "motif": Md(s.content.strip())})
        elif s.kind == "ajout":
            key = keys[id(s)]
            handled.add(key)
            after_key = resolve_article(s.target, titles)
            where = w.reference(after_key) if after_key else Md(s.target)
            w.add("ajout", "ajout", {"titre": s.title},
                  {"reference": where, "texte": Md(changed.get(key, s.content.strip()))})
    known = {a.key for a in w.after.articles}
    for key, text in changed.items():
        if key in handled or (key.startswith("ajout-") and key not in known):
            continue
        ref = w.reference(key)
        w.add("modification", "modification", {"reference": ref},
              {"reference": ref, "texte": Md(text)})


def avenant_document(av: Avenant, before: Convention) -> Document:
    """The signature copy of `av`, against the convention as it stood before it."""
    after, _ = apply(before, av)
    doc_before, doc_after = expand(before), expand(after)
    model = load_model(before.modele)
    numbers = {a.key: a.number for a in doc_before.articles}
    ctx = context(model, before, numbers, {})
    d = before.data
    modif = doc_before.article("modifications")
    preamble = model.render("avenant/preambule.md.j2", {
        "convention": {"titre": before.titre, "signature": d["signature"]["date"]},
        "modifications": modif.number if modif else None,
        "expose": [Md(s.content.strip()) for s in expose_sections(av)],
        "phrase_parties": ctx["phrase_parties"]})
    w = _Writer(model, doc_before, doc_after)
    w.add("objet", "objet", {}, {"objet": str(av.data["objet"]).rstrip(".")})
    _changes(model, av, before, w)
    w.add("prise_effet", "prise-effet", {}, {"date_effet": av.data["date_effet"]})
    articles = tuple(
        Article(key=f"avenant-{n}", slug=f"art-avenant-{n}", number=n, title=inline(title),
                heading=inline(model.label("titre_article", numero=n, titre=title)),
                part=AVENANT_PART, origin=AVENANT, blocks=(typeset(text),))
        for n, (title, text) in enumerate(w.articles, start=1))
    part = Part(AVENANT_PART, f"partie-{AVENANT_PART}", "", inline(model.label("avenant.partie")),
                inline(model.label("avenant.partie")), articles)
    everyone = d["etablissements"] + d["partenaires"]
    sig = av.data["signature"]
    return Document(
        kind="avenant",
        model=model.name,
        title=inline(model.label("avenant.titre", numero=av.numero,
                                 noms=[p["nom"] for p in everyone],
                                 appellations=appellations(ctx))),
        parts=(part,),
        **frame(model, ctx, preamble, sig),
        logos=doc_before.logos,
        labels=copy_labels(model, "avenant"),
        unbreakable=unbreakable({**d, "signature": sig}),
    )


def document_of(doc: Convention | Avenant) -> Document:
    """The signature copy of a convention or of an avenant (exports use this)."""
    if isinstance(doc, Avenant):
        if doc.before is None:
            raise ValueError(f"{doc.relpath} : avenant sans convention valide")
        return avenant_document(doc, doc.before)
    return expand(doc)

