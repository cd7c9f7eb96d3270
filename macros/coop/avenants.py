"""Avenants (the model's « Modifications » article): loading, validation, text, consolidation.

An avenant is a Markdown file under a folder named ``avenants/`` in ``conventions/``. Its
front-matter names the parent convention and its number; its body replaces, adds or removes
articles (same headings as a convention's body) and may give an « Exposé » of its reasons;
``modifications`` changes front-matter values of the parent. Its text is built by
`coop.avenant_text`; the consolidated text by `coop.consolidate`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from hashlib import sha256
from pathlib import Path
from typing import Any

from .body import Section, normalize, split_sections
from .convention import Convention
from .errors import ERROR, Problem
from .loader import field_name, read_source
from .model import article_titles, load_model, resolve_article
from .schema import schema_problems, suggest
from .slug import added_keys, slug
from .validate import (
    data_problems,
    originals_message,
    parse_date,
    placeholder_paths,
    protected_message,
    typed_data,
)

AVENANTS_DIR = "avenants"
BODY_KINDS = ("remplacement", "ajout", "suppression")
_PATH_RE = re.compile(r"([a-z_]+)(?:\[([0-9]+)\])?")
_FORBIDDEN = ("id", "modele", "type", "statut", "signature", "exemplaire_signe",
              "empreinte_signee")


@dataclass
class Avenant:
    id: str  # "<parent id>-avenant-<n>"
    path: Path
    relpath: str
    data: dict[str, Any]  # validated, dates as datetime.date
    source_data: dict[str, Any]
    body: str
    sections: list[Section] = field(default_factory=list)
    source_hash: str = ""
    line_of: dict[str, int] = field(default_factory=dict)  # top-level field -> file line
    before: Convention | None = None  # the parent as it stood before this avenant (set by
    # check_avenants when the parent is valid)

    @property
    def parent_id(self) -> str:
        return str(self.data["convention"])

    @property
    def numero(self) -> int:
        return int(self.data["numero"])

    @property
    def statut(self) -> str:
        return str(self.data["statut"])

    @property
    def titre(self) -> str:
        return str(self.data["titre"])

    @property
    def type(self) -> str:
        return "avenant"

    @property
    def short_hash(self) -> str:
        return self.source_hash[:10]

    @property
    def label(self) -> str:
        return f"Avenant n° {self.numero}"


def is_avenant_file(path: Path, base: Path) -> bool:
    return AVENANTS_DIR in path.relative_to(base).parts[:-1]


def _exposé(section: Section) -> bool:
    return section.kind == "inconnu" and normalize(section.heading) in (
        "expose", "expose des motifs")


def expose_sections(av: Avenant) -> list[Section]:
    """The « Exposé » sections of an avenant: its reasons, printed in its preamble."""
    return [s for s in av.sections if _exposé(s)]


def load_avenant(path: Path, root: Path) -> tuple[Avenant | None, list[Problem]]:
    """One avenant file, checked on its own (the parent is checked by `check_avenants`)."""
    src = read_source(path, root)
    if src.problems:
        return None, src.problems
    d = src.data
    problems = [src.problem(p, m) for p, m in schema_problems(d, "avenant")]
    problems += [src.problem(p, "à compléter : remplacez « À COMPLÉTER » par la valeur voulue")
                 for p in placeholder_paths(d)]
    for key in (d.get("modifications") or {}) if isinstance(d.get("modifications"), dict) else {}:
        if key.split(".")[0].split("[")[0] in _FORBIDDEN:
            problems.append(src.problem(("modifications", key), (
                f"« {key} » ne se modifie pas par avenant (identifiant, modèle, type, statut et "
                "signature de la convention sont fixés)")))
    statut, signed = d.get("statut"), (d.get("signature") or {}).get("date") if isinstance(
        d.get("signature"), dict) else None
    if statut == "signee" and signed is None:
        problems.append(src.problem(("signature", "date"),
                                    "un avenant signé doit avoir une date de signature"))
    if statut in ("brouillon", "en_signature") and signed is not None:
        problems.append(src.problem(("signature", "date"), (
            f"un avenant au statut « {statut} » n’est pas encore signé : laissez la date vide")))
    sections = split_sections(src.body, src.body_line)
    changes = 0
    for s in sections:
        if s.kind in BODY_KINDS:
            changes += 1
            if not s.content.strip():
                problems.append(Problem(src.relpath, s.line, 1, "corps",
                                        f"la section « ## {s.heading} » est vide"))
        elif not _exposé(s):
            problems.append(Problem(src.relpath, s.line, 1, "corps", (
                f"section « ## {s.heading or s.content[:30]} » inattendue dans un avenant : "
                "attendu « Exposé », « Article remplacé : <article> », « Article ajouté après "
                "<article> : <titre> » ou « Article supprimé : <article> »")))
    if not changes and not d.get("modifications"):
        problems.append(Problem(src.relpath, src.body_line, 1, "corps", (
            "l’avenant ne modifie rien : ajoutez un article remplacé, ajouté ou supprimé, "
            "ou des « modifications » de l’en-tête")))
    if any(p.level == ERROR for p in problems):
        return None, problems
    conv_id = f"{d['convention']}-avenant-{d['numero']}"
    data = typed_data(d)
    data["date_effet"] = parse_date(d["date_effet"])
    data["signature"] = {**data["signature"],
                         "date": parse_date(data["signature"].get("date"))}
    lines = {k: src.where((k,))[0] for k in d}
    lines["signature.exemplaires"] = src.where(("signature", "exemplaires"))[0]
    return Avenant(id=conv_id, path=path.resolve(), relpath=src.relpath, data=data,
                   source_data=d, body=src.body, sections=sections,
                   source_hash=sha256(src.raw).hexdigest(), line_of=lines), problems


def _set(data: dict[str, Any], dotted: str, value: Any) -> str | None:
    """Set `a.b[2].c` (items counted from 1) in `data`; a French reason when impossible."""
    parts = dotted.split(".")
    node: Any = data
    for i, part in enumerate(parts):
        m = _PATH_RE.fullmatch(part)
        if m is None:
            return f"chemin invalide « {dotted} »"
        key, index = m.group(1), m.group(2)
        last = i == len(parts) - 1
        if not isinstance(node, dict):
            return f"« {'.'.join(parts[:i])} » n’est pas un groupe de champs"
        if index is None:
            if last:
                node[key] = copy.deepcopy(value)
                return None
            node = node.setdefault(key, {})
            continue
        items = node.get(key)
        n = int(index)
        if not isinstance(items, list) or not 1 <= n <= len(items):
            return f"« {key}[{n}] » n’existe pas dans la convention"
        if last:
            items[n - 1] = copy.deepcopy(value)
            return None
        node = items[n - 1]
    return None


_REWRITES = ("precisions", "remplacement", "suppression")


def _added_article(sections: list[Section], target: str) -> Section | None:
    """The section adding the article named `target` (by title or by key), if any."""
    adds = [x for x in sections if x.kind == "ajout"]
    wanted = slug(target)
    return next((x for x, key in zip(adds, added_keys([x.title for x in adds]), strict=True)
                 if wanted in (key, key.removeprefix("ajout-"))), None)


Found = list[tuple[str, str, int | None]]  # (field, message, body line or None)


def apply(conv: Convention, av: Avenant) -> tuple[Convention, Found]:
    """The convention as amended by `av`, and the problems of the result."""
    data = copy.deepcopy(conv.source_data)
    errors: Found = []
    for dotted, value in (av.source_data.get("modifications") or {}).items():
        if (reason := _set(data, dotted, value)) is not None:
            errors.append((f"modifications.{dotted}", reason, None))
    for path, msg, level in data_problems(data, conv.root):
        # the parent's originals were counted when it was signed; the avenant has its own
        if level == ERROR and path != ("signature", "exemplaires"):
            errors.append(("modifications", f"après application : {field_name(path)} : {msg}",
                           None))
    sections = list(conv.sections)
    model = load_model(conv.modele)
    titles = article_titles(model, conv.type)
    for s in av.sections:
        if s.kind not in BODY_KINDS:
            continue
        key = resolve_article(s.target, titles)
        if key is not None and s.kind != "ajout" and (
                message := protected_message(model, key, titles[key], avenant=True)):
            errors.append(("corps", message, s.line))
            continue
        if key is not None:
            if s.kind != "ajout":  # the new text supersedes earlier changes to that article
                sections = [x for x in sections if x.kind not in _REWRITES
                            or resolve_article(x.target, titles) != key]
            sections.append(s)
            continue
        added = _added_article(sections, s.target)
        if added is not None and s.kind != "ajout":
            sections.remove(added)
            if s.kind == "remplacement":
                sections.append(replace(added, content=s.content))
            continue
        errors.append(("corps", f"article inconnu « {s.target} »"
                       f"{suggest(s.target, list(titles))}", s.line))
    if errors:
        return conv, errors
    amended = replace(conv, data=typed_data(data) | {"id": conv.id}, source_data=data,
                      sections=sections)
    return amended, []


def check_avenants(avenants: list[Avenant], conventions: dict[str, Convention]) -> list[Problem]:
    """Cross-file rules: parent exists and is in force, numbering, dates, valid result."""
    problems: list[Problem] = []

    def at(av: Avenant, key: str, message: str, line: int | None = None) -> None:
        problems.append(Problem(av.relpath, line or av.line_of.get(key, 1), 1, key, message))

    by_parent: dict[str, list[Avenant]] = {}
    for av in avenants:
        by_parent.setdefault(av.parent_id, []).append(av)
    for parent_id, group in sorted(by_parent.items()):
        parent = conventions.get(parent_id)
        if parent is None:
            for av in group:
                at(av, "convention", f"aucune convention d’identifiant « {parent_id} »"
                   f"{suggest(parent_id, sorted(conventions))}")
            continue
        numbers = sorted(av.numero for av in group)
        for av in group:
            if numbers.count(av.numero) > 1:
                at(av, "numero", f"l’avenant n° {av.numero} de « {parent_id} » existe deux fois")
        for expected, av in zip(range(1, len(group) + 1), sorted(group, key=lambda a: a.numero),
                                strict=True):
            if av.numero != expected and numbers.count(av.numero) == 1:
                at(av, "numero", f"numéro attendu : {expected} (les avenants de « {parent_id} » "
                   "sont numérotés 1, 2, 3… sans trou)")
        signed = parent.data["signature"].get("date")
        state = parent
        for av in sorted(group, key=lambda a: a.numero):
            if parent.statut in ("resiliee", "expiree"):
                at(av, "convention", f"la convention « {parent_id} » est au statut "
                   f"« {parent.statut} » : elle ne peut plus être modifiée par avenant")
                continue
            if signed is None:
                at(av, "convention", f"la convention « {parent_id} » n’est pas signée : "
                   "modifiez-la directement, un avenant ne modifie qu’une convention signée")
                continue
            if av.data["date_effet"] < signed:
                at(av, "date_effet", "la date d’effet de l’avenant précède la signature de la "
                   f"convention ({signed.isoformat()})")
            av_signed = av.data["signature"].get("date")
            if av_signed is not None and av_signed < signed:
                at(av, "signature", "l’avenant est signé avant la convention "
                   f"({signed.isoformat()})")
            av.before = state
            state, errors = apply(state, av)
            for key, message, line in errors:
                at(av, key.split(".")[0] if line is None else key, message, line)
            names = {p["designation"] for p in state.data["etablissements"]
                     + state.data["partenaires"]}
            parties = len(state.data["etablissements"]) + len(state.data["partenaires"])
            if message := originals_message(av.data["signature"]["exemplaires"], parties):
                at(av, "signature.exemplaires", message)
            for s in av.data["signature"]["signataires"]:
                if s["partie"] not in names:
                    at(av, "signature", f"« {s['partie']} » ne désigne aucune partie de la "
                       f"convention{suggest(s['partie'], sorted(names))}")
    return problems


def states(conv: Convention, avenants: list[Avenant]) -> list[Convention]:
    """The convention before each avenant and after the last one (signed avenants only)."""
    out = [conv]
    for av in avenants:
        out.append(apply(out[-1], av)[0])
    return out


def signed_avenants(avenants: Iterable[Avenant]) -> list[Avenant]:
    """The signed ones of a convention's avenants, in order of their numbers."""
    return sorted((a for a in avenants if a.statut == "signee"), key=lambda a: a.numero)


def parties_data(doc: Convention | Avenant) -> dict[str, Any]:
    """Front-matter holding the parties: the convention's own, or the avenant's parent's."""
    if isinstance(doc, Avenant):
        return doc.before.data if doc.before is not None else {}
    return doc.data
