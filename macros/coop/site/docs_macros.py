"""The macros of the hand-written pages of `docs/` (`{{ chiffres_cles() }}`…), expanded by
the core when it generates the site, so no engine plugin is needed.

A page opts in with `render_macros: true` in its front-matter; the others are copied as
they are. Every macro returns HTML built from trusted data (schema, model manifests) or
escaped values. An unknown name or a template error stops the build with the page's
path: the hand-written pages are the project's own, never a contributor's convention.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from jinja2 import Environment, StrictUndefined, TemplateError

from . import catalogue, figures, models, reference
from .opendata import CSV_LIST_SEPARATOR, CSV_SEPARATOR
from .records import Value
from .renderer import Renderer
from .urls import relative

Record = dict[str, Value]
Macro = Callable[..., str]


class MacroError(Exception):
    """A hand-written page whose macros cannot be expanded (French message)."""


def _model_list(page_url: str) -> str:
    """Links to the page of each model version."""
    items = "".join(
        f"<li><code>{escape(name)}</code> : "
        + ", ".join(f'<a href="{escape(relative(f"modele/{name}/{kind}/", page_url))}">'
                    f"{escape(label)}</a>"
                    for kind, label in models.KINDS.items())
        + "</li>"
        for name in models.models())
    return f'<ul class="coop-modeles">{items}</ul>'


def macros(records: list[Record], page_url: str, renderer: Renderer) -> dict[str, Macro]:
    """The macros of the page served at `page_url` (links are relative to it)."""
    catalogue_url = relative("catalogue/", page_url)
    return {
        "chiffres_cles": lambda: figures.key_figures(records, catalogue_url),
        "chiffres_par_statut": lambda: figures.by_status(records, catalogue_url),
        "chiffres_par_academie": lambda: figures.by_academie(records, catalogue_url),
        "catalogue_tableau": lambda: catalogue.table_html(records, renderer, page_url=page_url),
        "liste_modeles": lambda: _model_list(page_url),
        "reference_champs": reference.fields_html,
        "colonnes_donnees": reference.columns_html,
    }


VARIABLES: dict[str, Any] = {
    "separateur_csv": CSV_SEPARATOR,
    "separateur_liste": CSV_LIST_SEPARATOR.strip(),
}

_ENV = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


def expand(body: str, src: str, extra: dict[str, Macro], first_line: int = 1) -> str:
    """`body` (the Markdown of `docs/<src>` from line `first_line`, after its
    front-matter) with its macros run."""
    try:
        return _ENV.from_string(body).render(**VARIABLES, **extra)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"docs/{src}" + (f":{line + first_line - 1}" if line else "")
        raise MacroError(f"{where} : macro impossible à développer ({exc})") from None
