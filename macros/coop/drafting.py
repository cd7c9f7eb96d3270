"""How the text names things (model versions that say how): a party with its article and
grammatical agreement (« la société Chantiers de l’Atlantique », « représentée »), a
diploma as a legal text writes it (« le brevet de technicien supérieur »). Python picks the
entries of the model's tables; the words are the model's."""

from __future__ import annotations

from typing import Any

from .body import normalize
from .markdown import Md, md_escape
from .model import Model, is_vowel


def _naming(model: Model, party: dict[str, Any]) -> tuple[Md, str]:
    """How the text names a party (article included) and its grammatical gender. A model
    without `appellations` (v1) names a party by its name, masculine unless told."""
    words = model.labels.get("appellations")
    genre = party.get("genre")
    if not words:
        return md_escape(str(party["nom"])), genre or "masculin"
    if party.get("appellation"):  # written by the author: printed like any value
        return model.render_string("{{ x }}", {"x": party["appellation"]}), genre or "masculin"
    name = str(party["nom"])
    first = name.split(" ", 1)[0]
    noun = words["noms_communs"].get(first.lower())
    if noun is not None:
        rest = name if noun.get("majuscule") else first.lower() + name[len(first):]
    else:
        noun = words["natures"][party["nature"]]
        rest = f"{noun['nom']} {name}"
    text = model.label("appellations.gabarit", elision=is_vowel(rest), article=noun["article"],
                       nom=rest)
    return text, genre or noun["genre"]


def agree(model: Model, party: dict[str, Any]) -> dict[str, Any]:
    appellation, genre = _naming(model, party)
    return {**party, **model.labels["accords"][genre], "appellation": appellation}


def diploma(model: Model, d: dict[str, Any] | None) -> dict[str, Any]:
    """A diploma, with `texte`: how a legal text writes it (v2: « le brevet de technicien
    supérieur »), and `texte_de`, its form after « de » (« du brevet… »), from the model's
    table of diplomas."""
    if not d:
        return {}
    names = model.labels.get("diplomes")
    if not names:
        return d
    forms = names.get(normalize(str(d["intitule"]))) or names["defaut"]
    fill = {"intitule": d["intitule"]}
    return {**d, "texte": model.render_string(forms["texte"], fill),
            "texte_de": model.render_string(forms["de"], fill)}
