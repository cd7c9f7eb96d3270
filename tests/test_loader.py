"""Broken files: a clear French message with file and line, never a traceback."""

from __future__ import annotations

import pytest

from conftest import CheckText
from coop.loader import field_at

F = "conventions/essai.md"


@pytest.mark.parametrize(("text", "expected"), [
    (b"Pas d'en-t\xc3\xaate\n", f"{F}:1:1: en-tête YAML absent : le fichier doit commencer par "
                                "une ligne « --- »"),
    (b"---\ntitre: x\n", f"{F}:1:1: en-tête YAML non fermé : ajoutez une ligne « --- » après le "
                         "dernier champ"),
    (b"---\ntitre: a\ntitre: b\n---\n", f"{F}:3:1: titre: clé en double : chaque champ ne peut "
                                        "apparaître qu’une fois"),
    (b"---\nterritoire:\n\tacademie: Lyon\n---\n", (
        f"{F}:3:1: territoire.academie: tabulation interdite en YAML : indentez avec des "
        "espaces")),
    (b"---\ntitre: [a, b\nid: x\n---\n", (
        f"{F}:3:3: titre: liste ou dictionnaire entre [ ] ou {{ }} mal fermé")),
    (b"---\ntitre: a: b\n---\n", (
        f"{F}:2:9: titre: « : » inattendu ; mettez la valeur entre guillemets si elle "
        "contient « : »")),
    (b"---\ntitre: caf\xe9\n---\n", f"{F}:2:1: le fichier n’est pas encodé en UTF-8 (octet "
                                    "invalide 0xe9) : enregistrez-le en UTF-8"),
    (b"---\n---\n", f"{F}:1:1: en-tête YAML vide"),
    (b"---\n- a\n- b\n---\n", f"{F}:2:1: l’en-tête YAML doit être une suite de champs "
                              "« nom: valeur »"),
    (b"---\ntitre: !!python/object/apply:os.system [echo]\n---\n",
     f"{F}:2:8: titre: étiquette YAML « tag:yaml.org,2002:python/object/apply:os.system » "
     "interdite"),
])
def test_broken_file(check_text: CheckText, text: bytes, expected: str) -> None:
    assert check_text(text) == [expected]


def test_field_of_a_syntax_error_from_indentation() -> None:
    lines = ["id: x", "etablissements:", "  - nom: a", "    representant:", "      nom: b",
             "  - nom: c", "    adresse: 'd", "titre: >-", "  texte : suite"]
    assert field_at(lines, 4) == ("etablissements", 0, "representant", "nom")
    assert field_at(lines, 6) == ("etablissements", 1, "adresse")
    assert field_at(lines, 8) == ("titre",)
    assert field_at([], 3) == ()


def test_alias_bomb_refused(check_text: CheckText) -> None:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(ord("b"), ord("j")):
        prev = chr(i - 1)
        lines.append(f"{chr(i)}: &{chr(i)} [" + ",".join([f"*{prev}"] * 9) + "]")
    out = check_text(("\n".join([*lines, "---", ""])).encode())
    assert out[0] == f"{F}:2:4: a: les ancres YAML (&nom) ne sont pas autorisées"
    assert f"{F}:3:8: b: les alias YAML (*nom) ne sont pas autorisés" in out


def test_oversized_file(check_text: CheckText) -> None:
    body = "## Préambule : opportunité\n\n" + ("Texte de remplissage. " * 250_000)
    out = check_text("---\ntitre: x\n---\n" + body)
    assert out == [f"{F}:1:1: fichier trop volumineux (5500 Ko) : une convention ne doit pas "
                   "dépasser 1000 Ko"]
