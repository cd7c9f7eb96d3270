"""HTML of the generated pages: Jinja templates over the document tree, autoescaped.

Like mkdocs-material's tags renderer, a small `Renderer` over a Jinja environment. The
templates live in `templates/` next to this module; a deployer replaces any of them by
a file of the same name in `overrides/coop/` at the project root, or in
`<custom_dir>/coop/` when the theme declares a `custom_dir` (`override_dirs`).

Templates receive the document tree's objects and plain values, never HTML: Jinja
escapes every value. The one way in for markup is the `markdown` filter, which turns an
untrusted Markdown block of the tree into sanitised HTML (`coop.site.sanitize`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from coop.document import MODELE
from coop.typography import decimal

from . import browse, labels, sanitize

TEMPLATES = Path(__file__).parent / "templates"
OVERRIDES = Path("overrides") / "coop"  # relative to the project root
SUBFOLDER = "coop"  # of the theme's custom_dir


@dataclass(frozen=True)
class Anchor:
    """A heading the templates write and the table of contents lists."""

    id: str
    title: str


AVENANTS = Anchor("avenants", "Avenants")
DEPARTURES = Anchor("ecarts-modele", "Écarts par rapport au modèle")


@lru_cache(maxsize=4096)
def markdown(text: str) -> Markup:
    """An untrusted Markdown block -> sanitised HTML. Memoised: the model's boilerplate
    repeats, word for word, across thousands of conventions."""
    return Markup(sanitize.to_html(text))


def inline_markdown(text: str) -> Markup:
    """A one-paragraph Markdown fragment -> sanitised inline HTML (no <p>)."""
    html = str(markdown(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return Markup(html[3:-4])
    return Markup(html)


def label(value: object, table: dict[str, str]) -> str:
    """`{{ d.kind | label(DEPARTURE_KINDS) }}`: the French label of an enumeration value."""
    return labels.label(table, value)


def fr_list(items: Iterable[object]) -> str:
    """« 1 », « 1 et 2 », « 1, 2 et 3 »."""
    words = [str(i) for i in items]
    return words[0] if len(words) < 2 else f"{', '.join(words[:-1])} et {words[-1]}"


def file_size(n: int) -> str:
    """« 12 Ko », « 1,4 Mo » (no-break space, decimal comma)."""
    if n < 1_000_000:
        return f"{max(1, round(n / 1000))}\u00a0Ko"
    return f"{decimal(n / 1e6)}\u00a0Mo"


def override_dirs(root: Path, custom_dir: str | None = None) -> list[Path]:
    """The deployer's template folders, searched before ours: `<custom_dir>/coop/` when
    the theme declares a custom_dir, then `overrides/coop/` (those that exist)."""
    dirs = [root / custom_dir / SUBFOLDER] if custom_dir else []
    dirs.append(root / OVERRIDES)
    unique = dict.fromkeys(d.resolve() for d in dirs)
    return [d for d in unique if d.is_dir()]


class Renderer:
    """Renders the templates of the site's generated pages."""

    def __init__(self, overrides: Sequence[Path] = ()) -> None:
        loader = FileSystemLoader([*map(str, overrides), str(TEMPLATES)])
        self.env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        self.env.filters.update(markdown=markdown, inline_markdown=inline_markdown,
                                date=labels.format_date, label=label,
                                fr_list=fr_list, file_size=file_size,
                                academie_of=browse.academie_of)
        self.env.globals.update(MODELE=MODELE, AVENANTS=AVENANTS, DEPARTURES=DEPARTURES,
                                DEPARTURE_KINDS=labels.DEPARTURES)

    def render(self, name: str, **context: Any) -> str:
        """Template `name` (« convention.html ») with `context`."""
        return self.env.get_template(name).render(**context)
