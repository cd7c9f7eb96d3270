"""Semantic validation of a parsed convention, on top of the JSON Schema.

Every check is defensive: it runs even when the schema found errors elsewhere, so that a
user sees every problem of a file at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from . import identifiers as ids
from .academies import FORMER_ACADEMIES, REGION_OF, REGIONS
from .body import (
    PREAMBLE_SLOTS,
    REF_RE,
    Section,
    nesting_problems,
    normalize,
    size_problem,
    split_sections,
)
from .datemath import add_months
from .errors import WARNING, Problem
from .loader import Source
from .model import Model, article_titles, available_models, load_model, resolve_article
from .schema import described_fields, schema_problems, suggest
from .slug import added_keys

DATE_FIELDS = (
    ("formation", "duree", "debut"), ("formation", "duree", "fin"),
    ("comite_suivi", "derniere_reunion"), ("dispositions", "date_effet"),
    ("signature", "date"),
)
SIGNED = ("signee", "resiliee", "expiree")
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")

Found = Iterator[tuple[tuple[Any, ...], str, str]]  # (field path, message, level)


def get(data: Any, *path: str | int) -> Any:
    """data[path...] or None when absent or of the wrong shape."""
    for p in path:
        if isinstance(p, int):
            if not isinstance(data, list) or p >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[p] if isinstance(p, int) else data.get(p)
    return data


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def default_id(path: Path) -> str:
    """File name -> id: ASCII lower case, accents dropped, other characters as dashes."""
    stem = unicodedata.normalize("NFD", path.stem)
    stem = "".join(c for c in stem if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:80] or "convention"


def _items(data: Any, *path: str) -> list[tuple[int, dict[str, Any]]]:
    value = get(data, *path)
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def _check_territory(d: Any) -> Found:
    region, academie = get(d, "territoire", "region_academique"), get(d, "territoire", "academie")
    if isinstance(academie, str) and academie in FORMER_ACADEMIES:
        yield (("territoire", "academie"), (
            f"l’académie de {academie} n’existe plus : depuis 2020, elle fait partie de "
            f"l’académie de {FORMER_ACADEMIES[academie]}"), "erreur")
    elif (isinstance(academie, str) and isinstance(region, str) and academie in REGION_OF
          and region in REGIONS and REGION_OF[academie] != region):
        yield (("territoire", "academie"), (
            f"l’académie « {academie} » appartient à la région académique "
            f"« {REGION_OF[academie]} », pas à « {region} »"), "erreur")


def _check_parties(d: Any) -> Found:
    for i, e in _items(d, "etablissements"):
        uai = e.get("uai")
        if e.get("nature") == "etablissement" and uai is None:
            yield (("etablissements", i, "uai"),
                   "champ obligatoire pour un établissement : son code UAI", "erreur")
        if isinstance(uai, str) and re.fullmatch(r"[0-9]{7}[A-Z]", uai) and (
                msg := ids.check_uai(uai)):
            yield (("etablissements", i, "uai"), msg, "erreur")
    for i, p in _items(d, "partenaires"):
        siret = p.get("siret")
        if isinstance(siret, str) and (msg := ids.check_siret(siret)):
            yield (("partenaires", i, "siret"), msg, "erreur")


_LEVEL_HINTS = (("cap", 3), ("certificat d aptitude professionnelle", 3),
                ("baccalaureat professionnel", 4), ("bac pro", 4), ("brevet professionnel", 4),
                ("mention complementaire", 4), ("bts", 5), ("brevet de technicien superieur", 5))


def _check_diploma(diplome: Any, path: tuple[Any, ...]) -> Found:
    if not isinstance(diplome, dict):
        return
    niveau, cfd = diplome.get("niveau"), diplome.get("cfd")
    level = niveau if isinstance(niveau, int) and not isinstance(niveau, bool) else None
    if isinstance(cfd, str) and re.fullmatch(r"[0-9A-Z]{8}", cfd) and (
            msg := ids.check_cfd(cfd, level)):
        yield ((*path, "cfd"), msg, "erreur")
    intitule = diplome.get("intitule")
    if isinstance(intitule, str) and level is not None:
        name = normalize(intitule)
        for hint, expected in _LEVEL_HINTS:
            if re.match(rf"{hint}\b", name) and expected != level:
                yield ((*path, "niveau"), (
                    f"un diplôme « {intitule} » est en principe de niveau {expected}, "
                    f"pas {level} (à confirmer)"), WARNING)
                break


def _check_training(d: Any) -> Found:
    kind = get(d, "type")
    f = get(d, "formation")
    if not isinstance(f, dict):
        return
    if kind == "fcil":
        for key in ("diplome", "theme"):
            if key in f:
                yield (("formation", key), "champ réservé aux colorations", "erreur")
        for key in ("annees_cycle", "annees_colorees"):
            if isinstance(f.get("duree"), dict) and key in f["duree"]:
                yield (("formation", "duree", key), "champ réservé aux colorations", "erreur")
        for i, dip in _items(d, "formation", "diplomes_socles"):
            yield from _check_diploma(dip, ("formation", "diplomes_socles", i))
        start, end = parse_date(get(f, "duree", "debut")), parse_date(get(f, "duree", "fin"))
        if start and end and (message := fcil_dates_message(start, end)):
            yield (("formation", "duree", "fin"), message, "erreur")
    elif kind == "coloration":
        for key in ("intitule", "diplomes_socles", "complement"):
            if key in f:
                yield (("formation", key), "champ réservé aux FCIL", "erreur")
        if isinstance(get(f, "duree"), dict) and "fin" in f["duree"]:
            yield (("formation", "duree", "fin"), (
                "une coloration dure le temps du cycle : indiquez « annees_cycle » "
                "(et « annees_colorees »), pas de date de fin"), "erreur")
        yield from _check_diploma(f.get("diplome"), ("formation", "diplome"))
        cycle, years = get(f, "duree", "annees_cycle"), get(f, "duree", "annees_colorees")
        if isinstance(cycle, int) and isinstance(years, list):
            for i, y in enumerate(years):
                if isinstance(y, int) and y > cycle:
                    yield (("formation", "duree", "annees_colorees", i), (
                        f"année {y} hors du cycle de formation ({cycle} an"
                        f"{'s' if cycle > 1 else ''})"), "erreur")


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def school_year_end(start: date) -> date:
    """31 August of the school year (1 September – 31 August) that contains `start`."""
    return date(start.year + (start.month >= 9), 8, 31)


def fcil_dates_message(start: date, end: date) -> str | None:
    """Why an FCIL cannot run from `start` to `end` (None when it can).

    An FCIL lasts at least 3 months and starts and ends within one school year, so that
    article 2 (no more than one school year) says nothing the dates contradict.
    Applies to every convention, signed ones included: such dates would make it false."""
    if end <= start:
        return "la fin de la formation doit être postérieure à son début"
    earliest = add_months(start, 3) - _ONE_DAY
    last = school_year_end(start)
    year = f"{last.year - 1}-{last.year}"
    if earliest > last:
        return ("une FCIL dure au moins 3 mois (arrêté du 14 février 1985) et finit dans "
                f"l’année scolaire où elle commence : commencée le {start.isoformat()}, elle "
                f"ne tient pas dans l’année scolaire {year} (fin le {last.isoformat()}) ; "
                f"commencez-la au plus tard le {last.year}-06-01, ou à la rentrée suivante")
    if end < earliest:
        return ("une FCIL dure au moins 3 mois (arrêté du 14 février 1985) ; "
                f"fin au plus tôt le {earliest.isoformat()}")
    if end > last:
        return ("une FCIL commence et finit dans la même année scolaire (du 1er septembre au "
                f"31 août) : commencée le {start.isoformat()}, dans l’année scolaire {year}, "
                f"elle finit au plus tard le {last.isoformat()}")
    return None


def _check_attestation(d: Any) -> Found:
    a = get(d, "attestation")
    if not isinstance(a, dict):
        return
    cosign = a.get("cosignataires")
    if a.get("delivree") is True and cosign is None:
        yield (("attestation", "cosignataires"), (
            "champ obligatoire quand une attestation est délivrée : qui la co-signe"), "erreur")
    if a.get("delivree") is False and cosign:
        yield (("attestation", "cosignataires"),
               "sans attestation délivrée, pas de co-signataires", "erreur")
    yield from _check_one_recteur(d, cosign)
    yield from _check_region(d, a)
    if get(d, "type") == "fcil" and isinstance(cosign, list) and "chef_etablissement" in cosign:
        i = cosign.index("chef_etablissement")
        yield (("attestation", "cosignataires", i), (
            "pour une FCIL, l’attestation est signée par le recteur de région académique ou "
            "le recteur d’académie, sur proposition du chef d’établissement : celui-ci ne "
            "peut pas la co-signer"), "erreur")


# Model versions whose text prints the guidance « la collectivité « région » » instead of
# naming the Région (frozen: their signed conventions keep that text).
REGION_PLACEHOLDER_MODELS = ("adaptation-offre-formation/v1",)
COLLECTIVITE = "collectivite_territoriale"


def latest_model(family: str | None = None) -> str:
    """The newest model version (of `family`, « adaptation-offre-formation »), v10 after v9."""
    def key(name: str) -> tuple[str, int]:
        base, _, version = name.rpartition("/v")
        return base, int(version) if version.isdigit() else 0
    names = [n for n in available_models() if family is None or n.startswith(f"{family}/")]
    return max(names or available_models(), key=key)


def _check_region(d: Any, a: dict[str, Any]) -> Found:
    """`region: true`: the Région co-signs the attestation, so it must be a party the text
    can name; model v1 prints its placeholder instead (a warning: v1 is frozen)."""
    if a.get("region") is not True:
        return
    modele = get(d, "modele")
    if modele not in available_models():  # reported as such: no second message
        return
    if modele in REGION_PLACEHOLDER_MODELS:
        if a.get("delivree") is True:
            newest = latest_model(modele.rpartition("/")[0])
            yield (("attestation", "region"), (
                f"le texte du modèle {modele} imprime « la collectivité « région » », et non "
                "le nom de la Région qui co-signe l’attestation ; suivez le modèle "
                f"{newest} (« modele: {newest} »), qui la nomme par sa désignation "
                f"(partenaire de nature {COLLECTIVITE}) ; une convention déjà signée garde "
                "son texte"), WARNING)
        return
    if not any(p.get("nature") == COLLECTIVITE for _, p in _items(d, "partenaires")):
        yield (("attestation", "region"), (
            "la Région ne peut co-signer l’attestation que si elle est partie à la "
            "convention : ajoutez-la à « partenaires » avec la nature "
            f"{COLLECTIVITE} (le texte la nomme par sa désignation), ou indiquez "
            "« region: false »"), "erreur")


def originals_message(copies: Any, parties: int) -> str | None:
    """Why `copies` originals are too few for `parties` parties (None when enough)."""
    if not isinstance(copies, int) or isinstance(copies, bool) or copies >= parties:
        return None
    what = "original" if copies == 1 else "originaux"
    return (f"{copies} {what} pour {parties} parties : chaque partie garde un original, "
            f"indiquez au moins {parties}")


def _check_originals(d: Any) -> Found:
    parties = len(_items(d, "etablissements")) + len(_items(d, "partenaires"))
    if message := originals_message(get(d, "signature", "exemplaires"), parties):
        yield (("signature", "exemplaires"), message, "erreur")


_RECTEURS = ("recteur_region_academique", "recteur_academie")


def _check_one_recteur(d: Any, cosign: Any) -> Found:
    """Both recteur titles where the région académique has one académie: one person."""
    if not isinstance(cosign, list):
        return
    names = [c if isinstance(c, str) else None for c in cosign]
    if not all(r in names for r in _RECTEURS):
        return
    region, academie = get(d, "territoire", "region_academique"), get(d, "territoire", "academie")
    if not (isinstance(region, str) and region in REGIONS):
        region = REGION_OF.get(academie) if isinstance(academie, str) else None
    if region is None or len(REGIONS[region]) != 1:
        return
    only = REGIONS[region][0]
    of = "d’" if normalize(only)[:1] in "aeiouy" else "de "
    yield (("attestation", "cosignataires", max(names.index(r) for r in _RECTEURS)), (
        f"la région académique {region} ne compte que l’académie {of}{only} : le recteur de "
        "région académique et le recteur d’académie y sont une seule personne ; le modèle "
        "fait co-signer l’attestation par l’un ou l’autre (« soit … soit ») : n’en gardez "
        "qu’un"), "erreur")


def _designations(d: Any) -> Found:
    """Unique designations; every reference to a party names an existing one."""
    seen: dict[str, tuple[Any, ...]] = {}
    for group in ("etablissements", "partenaires"):
        for i, p in _items(d, group):
            name = p.get("designation")
            if isinstance(name, str):
                if name in seen:
                    yield ((group, i, "designation"), (
                        f"désignation « {name} » déjà utilisée par une autre partie"), "erreur")
                seen[name] = (group, i)
    partners = [p.get("designation") for _, p in _items(d, "partenaires")]
    everyone = list(seen)

    def ref(path: tuple[Any, ...], value: Any, allowed: list[Any], what: str) -> Found:
        if isinstance(value, str) and value not in allowed:
            names = [a for a in allowed if isinstance(a, str)]
            shown = ", ".join(f"« {a} »" for a in names)
            yield (path, (f"« {value} » ne désigne aucun {what}{suggest(value, names)} ; "
                          f"désignations possibles : {shown}"), "erreur")

    signers: set[str] = set()
    for i, s in _items(d, "signature", "signataires"):
        yield from ref(("signature", "signataires", i, "partie"), s.get("partie"), everyone,
                       "partie")
        signers.add(s.get("partie"))  # type: ignore[arg-type]
    if signers:
        for name, path in seen.items():
            if name not in signers:
                yield ((*path, "designation"), (
                    f"la partie « {name} » n’a aucun signataire dans « signature.signataires »"),
                    "erreur")
    for i, m in _items(d, "comite_suivi", "partenaires"):
        yield from ref(("comite_suivi", "partenaires", i, "partie"), m.get("partie"), partners,
                       "partenaire")
    for i, e in _items(d, "cooperation", "etudes_besoins"):
        yield from ref(("cooperation", "etudes_besoins", i, "partie"), e.get("partie"), everyone,
                       "partie")


def _check_dates(d: Any) -> Found:
    statut = get(d, "statut")
    signed = get(d, "signature", "date")
    if statut in SIGNED and signed is None:
        yield (("signature", "date"), (
            f"une convention au statut « {statut} » doit avoir une date de signature"), "erreur")
    if statut in ("brouillon", "en_signature") and signed is not None:
        yield (("signature", "date"), (
            f"une convention au statut « {statut} » n’est pas encore signée : "
            "laissez la date de signature vide"), "erreur")
    mode, effect = get(d, "dispositions", "prise_effet"), get(d, "dispositions", "date_effet")
    if mode == "date" and effect is None:
        yield (("dispositions", "date_effet"),
               "champ obligatoire quand « prise_effet » vaut « date »", "erreur")
    if effect is not None and mode != "date":
        yield (("dispositions", "date_effet"),
               "« date_effet » n’a de sens que si « prise_effet » vaut « date »", "erreur")
    sdate = parse_date(signed)
    if sdate and (edate := parse_date(effect)) and edate < sdate:
        yield (("dispositions", "date_effet"),
               "la prise d’effet ne peut précéder la signature", "erreur")
    end = parse_date(get(d, "formation", "duree", "fin"))
    if sdate and end and sdate > end:
        yield (("signature", "date"), "date de signature postérieure à la fin de la formation",
               "erreur")
    last = parse_date(get(d, "comite_suivi", "derniere_reunion"))
    if last and sdate and last < sdate:
        yield (("comite_suivi", "derniere_reunion"),
               "le comité de suivi ne peut s’être réuni avant la signature", "erreur")
    if get(d, "type") == "fcil" and get(d, "dispositions", "tacite_reconduction") is True:
        yield (("dispositions", "tacite_reconduction"), (
            "la tacite reconduction concerne les colorations ; une FCIL est rouverte chaque "
            "année par décision du recteur (à confirmer)"), WARNING)


def check_logo(value: str, root: Path) -> str | None:
    """None when `value` names an image file inside the repository, else a French reason."""
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        return "chemin absolu interdit : donnez un chemin relatif à la racine du dépôt"
    if ".." in Path(value).parts:
        return "le chemin du logo ne doit pas sortir du dépôt (« .. » interdit)"
    path = root / value
    try:
        real = path.resolve(strict=True)
    except (FileNotFoundError, RuntimeError, OSError):
        return f"fichier introuvable : {value}"
    if not real.is_relative_to(root.resolve()):
        return "le logo est un lien qui sort du dépôt"
    if not real.is_file():
        return f"ce n’est pas un fichier : {value}"
    if real.stat().st_size > 2_000_000:
        return "logo trop volumineux (2 Mo au plus)"
    head = real.read_bytes()[:512]
    is_svg = real.suffix.lower() == ".svg" and b"<svg" in real.read_bytes()[:4096]
    if not (head.startswith(IMAGE_MAGIC) or is_svg):
        return "le logo n’est pas une image PNG, JPEG ou SVG"
    return None


def _check_logos(d: Any, root: Path) -> Found:
    for group in ("etablissements", "partenaires"):
        for i, p in _items(d, group):
            logo = p.get("logo")
            if isinstance(logo, str) and (msg := check_logo(logo, root)):
                yield ((group, i, "logo"), msg, "erreur")


def protected_message(model: Model, key: str, title: str, avenant: bool = False) -> str | None:
    """Why article `key` may not be deleted or replaced (None when it may)."""
    reason = model.protected.get(key)
    if reason is None:
        return None
    if avenant:
        return (f"l’article « {title} » est protégé par le modèle : {reason} ; un avenant ne "
                "peut ni le supprimer ni le remplacer (modifiez les valeurs de l’en-tête par "
                "« modifications », ou ajoutez un article)")
    return (f"l’article « {title} » est protégé par le modèle : {reason} ; il ne peut être ni "
            f"supprimé ni remplacé (une section « ## Précisions : {key} » reste permise)")


def check_body(src: Source, model: Model, kind: str) -> tuple[list[Section], list[Problem]]:
    if (too_big := size_problem(src.body, src.body_line)) is not None:
        return [], [Problem(src.relpath, too_big[0], 1, "corps", too_big[1])]
    sections = split_sections(src.body, src.body_line)
    problems: list[Problem] = []
    titles = article_titles(model, kind)

    def err(s: Section, message: str, level: str = "erreur") -> None:
        problems.append(Problem(src.relpath, s.line, 1, "corps", message, level))

    keys_shown = ", ".join(titles)
    preamble: dict[str, Section] = {}
    touched: dict[str, str] = {}
    added_titles: list[str] = []
    for s in sections:
        if s.kind == "texte":
            err(s, "texte hors section : placez-le sous un titre « ## … » (voir le guide)")
            continue
        if s.kind == "inconnu":
            err(s, (f"section « ## {s.heading} » inconnue : attendu « Préambule : opportunité », "
                    "« Préambule : stratégie », « Préambule : signataires », "
                    "« Précisions : <article> », « Article ajouté après <article> : <titre> », "
                    "« Article remplacé : <article> » ou « Article supprimé : <article> »"))
            continue
        if not s.content.strip():
            err(s, f"la section « ## {s.heading} » est vide")
        if s.kind == "preambule":
            slot = normalize(s.target).replace(" ", "")
            if slot not in PREAMBLE_SLOTS:
                shown = ", ".join(PREAMBLE_SLOTS.values())
                err(s, f"point du préambule inconnu « {s.target} »"
                       f"{suggest(slot, list(PREAMBLE_SLOTS))} ; points possibles : {shown}")
            elif slot in preamble:
                err(s, f"le point « {s.target} » du préambule est écrit deux fois")
            else:
                preamble[slot] = s
            continue
        key = resolve_article(s.target, titles)
        if key is None:
            err(s, f"article inconnu « {s.target} »{suggest(s.target, list(titles))} ; "
                   f"articles du modèle : {keys_shown}")
            continue
        if s.kind == "ajout":
            added_titles.append(s.title)
            continue
        if s.kind in ("remplacement", "suppression"):
            if (message := protected_message(model, key, titles[key])) is not None:
                err(s, message)
            if key in touched and touched[key] != "precisions":
                err(s, f"l’article « {key} » est déjà {touched[key]}")
            touched[key] = "remplacé" if s.kind == "remplacement" else "supprimé"
        elif touched.get(key) in ("remplacé", "supprimé"):
            err(s, f"précisions sur l’article « {key} », qui est {touched[key]}")
    problems += [Problem(src.relpath, line, 1, "corps", message)
                 for line, message in nesting_problems(src.body, src.body_line)]
    for slot, label in PREAMBLE_SLOTS.items():
        if slot not in preamble:
            problems.append(Problem(src.relpath, src.body_line, 1, "corps", (
                f"section « ## Préambule : {label} » manquante : le préambule du modèle "
                "demande ce point")))
    known_refs = set(titles) | set(added_keys(added_titles))
    for s in sections:
        for m in REF_RE.finditer(s.content):
            key = m.group(1)
            if key not in known_refs:
                err(s, f"renvoi « [[article:{key}]] » vers un article inconnu"
                       f"{suggest(key, sorted(known_refs))}")
            elif touched.get(key) == "supprimé":
                err(s, f"renvoi « [[article:{key}]] » vers un article supprimé")
    return sections, problems


PLACEHOLDER = "À COMPLÉTER"  # written by `make new` where an answer is still missing


def placeholder_paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Field paths of every front-matter value that still holds `PLACEHOLDER`."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from placeholder_paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from placeholder_paths(value, (*path, i))
    elif isinstance(data, str) and PLACEHOLDER in unicodedata.normalize("NFC", data):
        yield path


@cache
def _descriptions() -> dict[str, str]:
    return {name: str(sub.get("description", "")) for name, sub in described_fields()}


def placeholder_message(path: tuple[Any, ...]) -> str:
    """« à compléter : <the schema's description of the field> »."""
    p = tuple(path)
    while p:
        name = "".join("[]" if isinstance(k, int) else ("." if i else "") + str(k)
                       for i, k in enumerate(p))
        if desc := _descriptions().get(name):
            return f"à compléter : {desc}"
        p = p[:-1]
    return f"à compléter : remplacez « {PLACEHOLDER} » par la valeur voulue"


def _placeholder_lines(src: Source) -> list[Problem]:
    return [Problem(src.relpath, src.body_line + i, line.index(PLACEHOLDER) + 1, "corps", (
                f"texte à compléter : remplacez « {PLACEHOLDER} » par le texte de la convention"))
            for i, line in enumerate(unicodedata.normalize("NFC", src.body).split("\n"))
            if PLACEHOLDER in line]


def data_problems(d: Any, root: Path) -> list[tuple[tuple[Any, ...], str, str]]:
    """Schema and semantic problems of front-matter data: (field path, message, level)."""
    found: list[tuple[tuple[Any, ...], str, str]] = [
        (tuple(path), msg, "erreur") for path, msg in schema_problems(d)]
    checks = (_check_territory(d), _check_parties(d), _check_training(d),
              _check_attestation(d), _designations(d), _check_originals(d), _check_dates(d),
              _check_logos(d, root))
    for check in checks:
        found += [(tuple(path), msg, level) for path, msg, level in check]
    return found


def validate_source(src: Source, root: Path) -> tuple[list[Section], list[Problem]]:
    """Schema, semantic and body problems of a parsed file (no problems -> valid).

    A value still holding `PLACEHOLDER` gives one « à compléter » error instead of the
    schema's or the checks' messages about that value."""
    d = src.data
    holes = list(placeholder_paths(d))
    found = data_problems(d, root)
    skip = set(holes)
    problems = [src.problem(path, msg, level) for path, msg, level in found if path not in skip]
    problems += [src.problem(path, placeholder_message(path)) for path in holes]
    problems += _placeholder_lines(src)
    sections: list[Section] = []
    name = get(d, "modele")
    if isinstance(name, str):
        try:
            model = load_model(name)
        except KeyError:
            shown = ", ".join(available_models())
            problems.append(src.problem(("modele",), (
                f"version de modèle inconnue « {name} »{suggest(name, available_models())} ; "
                f"versions disponibles : {shown}")))
        else:
            kind = get(d, "type")
            sections, body_problems = check_body(src, model, kind if isinstance(kind, str) else "")
            problems += body_problems
    return sections, problems


def typed_data(data: dict[str, Any]) -> dict[str, Any]:
    """Validated data with its date fields as `datetime.date`."""
    out = {k: v for k, v in data.items()}
    for path in DATE_FIELDS:
        parent = out
        for p in path[:-1]:
            if not isinstance(parent.get(p), dict):
                break
            parent[p] = dict(parent[p])
            parent = parent[p]
        else:
            if (value := parse_date(parent.get(path[-1]))) is not None:
                parent[path[-1]] = value
    return out
