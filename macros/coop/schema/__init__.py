"""The published JSON Schema of a convention's front-matter, and French schema messages."""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).with_name("convention.schema.json")

_TYPES_FR = {
    "string": "un texte", "integer": "un nombre entier", "number": "un nombre",
    "boolean": "oui/non (true ou false)", "array": "une liste", "object": "un groupe de champs",
    "null": "une valeur vide",
}
_PATTERNS_FR = {
    "uai": "un UAI s’écrit avec 7 chiffres suivis d’une lettre majuscule (ex. 0750654D)",
    "siret": "un SIRET compte 14 chiffres (espaces permis)",
    "cfd": "un code formation diplôme (CFD) compte 8 caractères, chiffres ou majuscules",
    "rncp": "un code RNCP s’écrit « RNCP » suivi de 2 à 5 chiffres (ex. RNCP37537)",
    "id": "identifiant attendu en minuscules, chiffres et tirets (3 à 80 caractères)",
    "modifications": "chemin de champ attendu, par exemple « dispositions.preavis_mois » ou "
                     "« partenaires[1].adresse »",
    "modele": "version de modèle attendue sous la forme « nom/vN » "
              "(ex. adaptation-offre-formation/v1)",
}


@cache
def schema(name: str = "convention") -> dict[str, Any]:
    """A published schema: « convention » or « avenant »."""
    return json.loads(SCHEMA_PATH.with_name(f"{name}.schema.json").read_text("utf-8"))


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name), format_checker=FormatChecker(["date"]))


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def suggest(word: str, choices: list[str]) -> str:
    """« (vouliez-vous dire « x » ?) » or ''."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return f" (vouliez-vous dire « {close[0]} » ?)" if close else ""


def _leaf(path: tuple[Any, ...]) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else ""


def _messages(err: ValidationError) -> list[tuple[tuple[Any, ...], str]]:
    """One jsonschema error -> [(field path, French message)]."""
    path = tuple(err.absolute_path)
    v, inst = err.validator, err.instance
    if v == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extra = [k for k in inst if k not in allowed]
        return [((*path, k), f"champ inconnu « {k} »{suggest(k, allowed)} ; "
                 f"champs possibles : {', '.join(allowed)}") for k in extra]
    if v == "required":
        missing = [r for r in err.validator_value if r not in inst]
        return [((*path, r), "champ obligatoire manquant") for r in missing]
    if v == "type":
        expected = err.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        want = " ou ".join(_TYPES_FR[t] for t in expected)
        got = _TYPES_FR[_type_name(inst)]
        return [(path, f"{want} est attendu, pas {got}")]
    if v == "enum":
        choices = [str(c) for c in err.validator_value]
        shown = ", ".join(f"« {c} »" for c in choices)
        if isinstance(inst, str):
            return [(path, f"valeur « {inst} » inconnue{suggest(inst, choices)} ; "
                     f"valeurs possibles : {shown}")]
        return [(path, f"valeur inattendue ; valeurs possibles : {shown}")]
    if v == "pattern":
        leaf = _leaf(path)
        if err.schema.get("format") == "date" or "[0-9]{4}-" in err.validator_value:
            return [(path, f"date attendue au format AAAA-MM-JJ, pas « {inst} »")]
        return [(path, _PATTERNS_FR.get(leaf, f"format invalide : « {inst} »"))]
    if v == "format":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(inst)):
            return []  # the pattern already says it
        return [(path, f"date impossible : « {inst} » n’existe pas dans le calendrier")]
    if v == "minLength":
        if not inst.strip():
            return [(path, "ne doit pas être vide")]
        return [(path, f"texte trop court (au moins {err.validator_value} caractères)")]
    if v == "maxLength":
        return [(path, f"texte trop long (au plus {err.validator_value} caractères)")]
    if v == "minItems":
        n = err.validator_value
        return [(path, f"au moins {n} élément{'s' if n > 1 else ''} attendu{'s' if n > 1 else ''}")]
    if v == "uniqueItems":
        return [(path, "la liste contient des éléments en double")]
    if v == "minimum":
        return [(path, f"doit être supérieur ou égal à {err.validator_value}")]
    if v == "maximum":
        return [(path, f"doit être inférieur ou égal à {err.validator_value}")]
    if v == "oneOf":
        inner = [m for sub in err.context for m in _messages(sub) if sub.validator != "type"]
        return inner[:1] or [(path, "date attendue au format AAAA-MM-JJ, ou vide")]
    return [(path, err.message)]


def schema_problems(data: Any, name: str = "convention") -> list[tuple[tuple[Any, ...], str]]:
    """Every schema violation of `data`, as (field path, French message)."""
    out: list[tuple[tuple[Any, ...], str]] = []
    for err in _validator(name).iter_errors(data):
        out.extend(_messages(err))
    seen: set[tuple[tuple[Any, ...], str]] = set()
    return [m for m in out if not (m in seen or seen.add(m))]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    root = schema()
    while "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def with_defaults(data: Any, node: dict[str, Any] | None = None) -> Any:
    """A copy of valid `data` where every optional field the schema knows is present
    (None when absent), so templates can test optional fields under StrictUndefined."""
    node = _resolve(node if node is not None else schema())
    if isinstance(data, dict):
        props = node.get("properties", {})
        out = {k: with_defaults(v, props[k]) if k in props else v for k, v in data.items()}
        for key in props:
            out.setdefault(key, None)
        return out
    if isinstance(data, list) and isinstance(node.get("items"), dict):
        return [with_defaults(v, node["items"]) for v in data]
    return data


def described_fields() -> list[tuple[str, dict[str, Any]]]:
    """(dotted field name, property schema) for every documented field, in schema order."""
    root = schema()
    out: list[tuple[str, dict[str, Any]]] = []
    resolve = _resolve

    def walk(node: dict[str, Any], prefix: str) -> None:
        node = resolve(node)
        for key, sub in node.get("properties", {}).items():
            sub = resolve(sub)
            name = f"{prefix}{key}"
            out.append((name, sub))
            if sub.get("type") == "object":
                walk(sub, name + ".")
            elif sub.get("type") == "array" and isinstance(sub.get("items"), dict):
                items = resolve(sub["items"])
                if items.get("type") == "object":
                    walk(items, name + "[].")

    walk(root, "")
    return out
