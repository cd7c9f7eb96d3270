"""The consolidated text: a convention as amended by its signed avenants, as a Document
tree whose changed articles record which avenant changed them (an operation on the tree,
not on generated text)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .avenant_text import changed_articles
from .avenants import Avenant, signed_avenants, states
from .convention import Convention
from .document import AVENANT, Amendment, Article, Document
from .expand import expand, inline, typeset
from .model import Model, load_model


@dataclass
class Consolidation:
    convention: Convention  # as amended
    document: Document  # the amended text, changed articles marked
    applied: list[Avenant]
    changed_by: dict[str, list[Avenant]]  # article key -> avenants that changed it


def amendment(av: Avenant) -> Amendment:
    """The record an article of the consolidated text keeps of the avenant that changed it."""
    return Amendment(av.id, av.numero, av.data["date_effet"])


def _marked(model: Model, art: Article, avenants: list[Avenant]) -> Article:
    which = [model.label("avenant_date", numero=a.numero, date_effet=a.data["date_effet"])
             for a in avenants]
    return replace(art, origin=AVENANT, changed_by=tuple(map(amendment, avenants)),
                   mention=typeset(model.label("modifie_par", avenants=which)))


def consolidate(conv: Convention, avenants: list[Avenant]) -> Consolidation:
    """The convention as amended by its signed avenants, each changed article marked."""
    applied = signed_avenants(a for a in avenants if a.parent_id == conv.id)
    chain = states(conv, applied)
    docs = [expand(c) for c in chain]
    changed_by: dict[str, list[Avenant]] = {}
    for av, before, after in zip(applied, docs, docs[1:], strict=False):
        for key in changed_articles(before, after):
            changed_by.setdefault(key, []).append(av)
    model = load_model(conv.modele)
    final = docs[-1]
    doc = final.map_articles({a.key: _marked(model, a, changed_by[a.key])
                              for a in final.articles if a.key in changed_by})
    removed = [s.target for av in applied for s in av.sections if s.kind == "suppression"]
    if removed:
        doc = replace(doc, mentions=(typeset(model.label("supprimes_par_avenant",
                                                         articles=removed)),))
    return Consolidation(chain[-1], doc, applied, changed_by)


def copy_of(cons: Consolidation) -> Document | None:
    """The consolidated text as an exported copy (PDF, DOCX): its title, the nature in its
    header and a notice before the préambule say that it is a consolidated text, for
    information only — in the model's words (`libelles.consolide`). None when the model
    version has no such words (model v1: frozen, it has no consolidated copy)."""
    model = load_model(cons.convention.modele)
    if "consolide" not in model.labels or not cons.applied:
        return None
    doc = cons.document
    which = [model.label("avenant_date", numero=a.numero, date_effet=a.data["date_effet"])
             for a in cons.applied]
    latest = max(a.data["date_effet"] for a in cons.applied)
    notice = typeset(model.label("consolide.avertissement", avenants=which))
    labels = {k: v for k, v in doc.labels.items() if k != "paraphes"}  # nobody initials it
    labels["nature"] = inline(model.label("consolide.nature", nature=labels["nature"]))
    return replace(doc, title=inline(model.label("consolide.titre", titre=doc.title,
                                                 date=latest)),
                   mentions=(notice, *doc.mentions), labels=labels)
