"""The versioned model: its manifest (parts, articles, every label of the agreement) and
its sandboxed Jinja templates. Python chooses which template or label to use and fills it;
the words are all here, under `modeles/<name>/<version>/`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from hashlib import sha256
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from .body import normalize
from .frdates import format_date
from .identifiers import format_siret
from .markdown import Md, md_escape

MODELS_DIR = Path(__file__).parent / "modeles"


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Model:
    name: str  # "adaptation-offre-formation/v1"
    directory: Path
    title: str
    source: str
    parts: tuple[Part, ...]
    article_titles: dict[str, str]  # key -> title template
    labels: dict[str, Any]  # `libelles:` of the manifest (templates and lists)
    avenant: dict[str, Any]  # `avenant:` of the manifest
    protected: dict[str, str]  # `proteges:` article key -> why it may not be deleted/replaced
    digest: str  # hash of every file of the model version

    @property
    def article_keys(self) -> list[str]:
        return [k for p in self.parts for k in p.articles]

    def part_of(self, key: str) -> Part:
        return next(p for p in self.parts if key in p.articles)

    def render(self, template: str, context: dict[str, Any]) -> Md:
        """A template file of this model version, filled."""
        return Md(environment(self.name).get_template(template).render(context).strip())

    def has(self, template: str) -> bool:
        """Whether this model version has a template (later versions add some)."""
        return (self.directory / template).is_file()

    def render_string(self, source: str, context: dict[str, Any]) -> Md:
        return Md(_compiled(self.name, source).render(context).strip())

    def label(self, path: str, **values: Any) -> Md:
        """A label of the manifest (« comite.academie », « avenant.titre »…), filled."""
        node: Any = {"avenant": self.avenant, **self.labels}
        for part in path.split("."):
            node = node[int(part) if isinstance(node, dict) and part.isdigit()
                        and int(part) in node else part]
        return self.render_string(str(node), values)

    def numeral(self, index: int) -> str:
        return str(self.labels["numeraux"][index])


@cache
def _manifest(name: str) -> dict[str, Any]:
    """The manifest of a model version (a trusted file of the repository), read once."""
    text = (MODELS_DIR / name / "modele.yml").read_text("utf-8")
    return dict(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def available_models() -> list[str]:
    return sorted(
        f"{d.parent.name}/{d.name}" for d in MODELS_DIR.glob("*/*") if (d / "modele.yml").is_file()
    )


@cache
def load_model(name: str) -> Model:
    """Load a model version by name; KeyError when it does not exist."""
    if name not in available_models():
        raise KeyError(name)
    directory = MODELS_DIR / name
    manifest = _manifest(name)
    parts = tuple(
        Part(p["cle"], p["titre"], tuple(p["articles"])) for p in manifest["parties"]
    )
    protected = manifest.get("proteges") or {}
    if unknown := sorted(set(protected) - set(manifest["articles"])):
        raise ValueError(f"{name}: proteges: articles inconnus {unknown}")
    h = sha256()
    for f in sorted(directory.rglob("*")):
        if f.is_file():
            h.update(f.relative_to(directory).as_posix().encode())
            h.update(f.read_bytes())
    return Model(
        name=name,
        directory=directory,
        title=manifest["titre"],
        source=manifest.get("source", ""),
        parts=parts,
        article_titles=dict(manifest["articles"]),
        labels=dict(manifest.get("libelles") or {}),
        avenant=dict(manifest.get("avenant") or {}),
        protected={str(k): " ".join(str(v).split())
                   for k, v in protected.items()},
        digest=h.hexdigest(),
    )


# --- articles: titles and references ------------------------------------------------------

def article_titles(model: Model, kind: str) -> dict[str, str]:
    """Article key -> title for a convention of type `kind` (a copy: callers may edit it)."""
    # an unknown type (a typo being reported) reads as an FCIL, so the body is still checked
    return dict(_titles(model.name, "coloration" if kind == "coloration" else "fcil"))


@cache
def _titles(name: str, kind: str) -> dict[str, str]:
    model = load_model(name)
    offre = model.label(f"offre.{kind}")
    return {k: str(_compiled(name, t).render({"offre": offre}).strip())
            for k, t in model.article_titles.items()}


def resolve_article(target: str, titles: dict[str, str]) -> str | None:
    """Article key from what a user wrote: its key or its title (accents and case ignored)."""
    t = normalize(target.removeprefix("article ").removeprefix("Article "))
    for key, title in titles.items():
        if t in (normalize(key), normalize(title)):
            return key
    return None


# --- the sandbox ----------------------------------------------------------------------------

def _finalize(value: Any) -> str:
    """Every `{{ }}` output: Markdown fragments pass, anything else is escaped text."""
    if isinstance(value, Md):
        return value
    if isinstance(value, bool) or value is None:
        raise TypeError(f"valeur {value!r} insérée dans le texte")
    if isinstance(value, date):
        return format_date(value)
    return md_escape(str(value))


def _finalize_typeset(value: Any) -> str:
    """`_finalize`, and the typographic apostrophe in every value (model versions with
    `typographie_valeurs`)."""
    if isinstance(value, str) and not isinstance(value, Md):
        value = value.replace("'", "’")
    return _finalize(value)


def _date_filter(value: Any) -> Any:
    if isinstance(value, Md):  # placeholder in the model page
        return value
    return format_date(value)


def _siret_filter(space: str) -> Any:
    def siret(value: Any) -> Any:  # Md: the escaping would turn no-break spaces into spaces
        return value if isinstance(value, Md) else Md(format_siret(str(value), space))
    return siret


def _quote(value: Any) -> Md:
    """A Markdown block as a block quote."""
    return Md("\n".join("> " + line if line.strip() else ">"
                        for line in str(_finalize(value)).splitlines()))


def _first_upper(value: Any) -> Md:
    text = _finalize(value)
    return Md(text[:1].upper() + text[1:])


def is_vowel(value: Any) -> bool:
    """Starts with a vowel sound (« d’Amiens », « de Lyon », « l’association »)."""
    return normalize(str(value))[:1] in "aeiouy"


@cache
def environment(name: str) -> SandboxedEnvironment:
    """The sandbox for one model version's templates (trusted files, untrusted values)."""
    manifest = _manifest(name)
    typeset = bool(manifest.get("typographie_valeurs"))  # v1 (frozen) prints values as typed
    finalize = _finalize_typeset if typeset else _finalize
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(MODELS_DIR / name)),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    labels = manifest.get("libelles") or {}
    sep, conj = labels.get("liste_separateur", ", "), labels.get("liste_conjonction", ", ")

    def liste(items: Any) -> Md:
        """« a, b et c » with the model's words, each item escaped unless Markdown."""
        parts = [finalize(i) for i in items]
        if len(parts) <= 1:
            return Md("".join(parts))
        return Md(sep.join(parts[:-1]) + conj + parts[-1])

    env.filters.update(liste=liste, date=_date_filter,
                       siret=_siret_filter("\u00a0" if typeset else " "), citation=_quote,
                       premiere_majuscule=_first_upper)
    env.tests["voyelle"] = is_vowel
    return env


@cache
def _compiled(name: str, source: str) -> Template:
    return environment(name).from_string(source)


def render(name: str, template: str, context: dict[str, Any]) -> str:
    return load_model(name).render(template, context)
