"""mkdocs-macros module for the hand-written pages of docs/ only.

Pages opt in with `render_macros: true` in their front-matter; convention pages are
never rendered by mkdocs-macros (see macros/coop/site/hooks.py). Every macro returns
HTML built from trusted data (schema, model manifests) or escaped values.
"""

from __future__ import annotations

from html import escape
from typing import Any

from coop.site import figures, models, reference, state
from coop.site.opendata import CSV_LIST_SEPARATOR, CSV_SEPARATOR


def define_env(env: Any) -> None:
    def _catalogue_url() -> str:
        page = env.page
        depth = page.url.count("/") if page is not None else 0
        return "../" * depth + "catalogue/"

    @env.macro
    def chiffres_cles() -> str:
        """Headline tiles of the home page."""
        return figures.key_figures(state.current().records, _catalogue_url())

    @env.macro
    def chiffres_par_statut() -> str:
        return figures.by_status(state.current().records, _catalogue_url())

    @env.macro
    def chiffres_par_academie() -> str:
        return figures.by_academie(state.current().records, _catalogue_url())

    @env.macro
    def liste_modeles() -> str:
        """Links to the page of each model version."""
        items = "".join(
            f"<li><code>{escape(name)}</code> : "
            + ", ".join(f'<a href="{escape(name)}/{kind}/">{escape(label)}</a>'
                        for kind, label in models.KINDS.items())
            + "</li>"
            for name in models.models())
        return f'<ul class="coop-modeles">{items}</ul>'

    @env.macro
    def reference_champs() -> str:
        return reference.fields_html()

    @env.macro
    def colonnes_donnees() -> str:
        return reference.columns_html()

    env.variables["separateur_csv"] = CSV_SEPARATOR
    env.variables["separateur_liste"] = CSV_LIST_SEPARATOR.strip()
