"""The versioned model: its manifest (parts, articles) and its sandboxed Jinja templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from hashlib import sha256
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from ruamel.yaml import YAML

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
    digest: str  # hash of every file of the model version

    @property
    def article_keys(self) -> list[str]:
        return [k for p in self.parts for k in p.articles]

    def part_of(self, key: str) -> Part:
        return next(p for p in self.parts if key in p.articles)


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
    manifest = YAML(typ="safe", pure=True).load((directory / "modele.yml").read_text("utf-8"))
    parts = tuple(
        Part(p["cle"], p["titre"], tuple(p["articles"])) for p in manifest["parties"]
    )
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
        digest=h.hexdigest(),
    )


def _finalize(value: Any) -> str:
    """Every `{{ }}` output: Markdown fragments pass, anything else is escaped text."""
    if isinstance(value, Md):
        return value
    if isinstance(value, bool) or value is None:
        raise TypeError(f"valeur {value!r} insérée dans le texte")
    if isinstance(value, date):
        return format_date(value)
    return md_escape(str(value))


def liste(items: Any) -> Md:
    """« a, b et c », each item escaped unless already Markdown."""
    parts = [_finalize(i) for i in items]
    if len(parts) <= 1:
        return Md("".join(parts))
    return Md(", ".join(parts[:-1]) + " et " + parts[-1])


def _date_filter(value: Any) -> Any:
    if isinstance(value, Md):  # placeholder in the model page
        return value
    return format_date(value)


def _siret_filter(value: Any) -> Any:
    return value if isinstance(value, Md) else format_siret(str(value))


@cache
def environment(name: str) -> SandboxedEnvironment:
    """The sandbox for one model version's templates (trusted files, untrusted values)."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(MODELS_DIR / name)),
        undefined=StrictUndefined,
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(liste=liste, date=_date_filter, siret=_siret_filter)
    return env


def render(name: str, template: str, context: dict[str, Any]) -> str:
    return environment(name).get_template(template).render(context).strip()


def render_string(name: str, source: str, context: dict[str, Any]) -> str:
    return environment(name).from_string(source).render(context).strip()
