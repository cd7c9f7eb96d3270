"""MkDocs hooks (declared in mkdocs.yml): the conventions become pages of the site.

- `on_config`: load and validate every convention; any error stops the build (French
  messages of the core) before anything is written.
- `on_files`: one generated page per convention (out of the nav) with its calendar
  feed (`conventions/<id>/echeances.ics`), one per model version, the « Échéances »
  page and the site-wide feed (`echeances.ics`), the open data files and the exported
  PDF/DOCX copies when they exist.
- `on_page_markdown`: the « Échéances » page's Markdown comes from
  `coop.echeances_page` (every convention value escaped, braces included); its source
  is a placeholder that mkdocs-macros is told not to render.
- `on_page_content`: the page of a convention is built here from the core's expansion,
  sanitised; mkdocs-macros never sees its text (the page's Markdown is a placeholder).

The computed dates (deadlines, effective status) are those of `state.today`:
`COOP_AUJOURDHUI=AAAA-MM-JJ` makes a build reproducible.

Code in English, messages in French. Nothing here is quadratic in the number of
conventions.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils import get_relative_url

from coop.calendar_feed import catalog_calendar, convention_calendar
from coop.deadlines import schedule
from coop.echeances_page import echeances_page
from coop.expand import expand
from coop.site import models, opendata, page, sanitize, state
from coop.site.records import page_uri

log = logging.getLogger("mkdocs.plugins.coop")

EXPORTS_DIR = "build/exports"
EXPORT_FORMATS = (("pdf", "PDF"), ("docx", "DOCX"))
DATA_DIR = "donnees"
# The generated page: no text of the convention, and macros explicitly off.
PLACEHOLDER = "---\nrender_macros: false\nhide:\n  - navigation\n---\n"
ECHEANCES_URI = "echeances.md"  # in the nav (mkdocs.yml)
ECHEANCES_TITLE = "Échéances"
ECHEANCES_PLACEHOLDER = ("---\nrender_macros: false\nhide:\n  - navigation\n"
                         "search:\n  exclude: true\n"
                         f"title: {ECHEANCES_TITLE}\n---\n")
FEED_URI = "echeances.ics"


def calendar_uri(conv_id: str) -> str:
    return f"conventions/{conv_id}/echeances.ics"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    try:
        st = state.load(root)
    except (state.InvalidCatalog, ValueError) as exc:  # ValueError: a bad COOP_AUJOURDHUI
        raise PluginError(str(exc)) from None
    for p in st.catalog.warnings:
        log.info("avertissement : %s", p.format())
    return config


def _exports(root: Path, conv_id: str) -> list[tuple[str, str, Path]]:
    found = []
    for ext, name in EXPORT_FORMATS:
        path = root / EXPORTS_DIR / f"{conv_id}.{ext}"
        if path.is_file():
            found.append((ext, name, path))
    return found


def on_files(files: Files, config: MkDocsConfig) -> Files:
    st = state.current()
    st.by_uri.clear()
    st.calendars.clear()
    site_url = config.site_url or ""
    for conv in st.catalog.conventions:
        uri = page_uri(conv.id)
        f = File.generated(config, uri, content=PLACEHOLDER,
                           inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(f)
        st.by_uri[uri] = conv
        ics = convention_calendar(conv, st.today, site_url=site_url)
        if b"BEGIN:VEVENT" in ics:  # linked from the page only when it has events
            st.calendars.add(conv.id)
        files.append(File.generated(config, calendar_uri(conv.id), content=ics))
        for ext, _name, path in _exports(st.root, conv.id):
            files.append(File.generated(config, f"exports/{conv.id}.{ext}",
                                        abs_src_path=str(path)))
    by_id = {c.id: c for c in st.catalog.conventions}
    for r in st.records:  # the page URL as mkdocs computes it (directory URLs or not)
        f = files.get_file_from_path(page_uri(str(r["id"])))
        if f is not None and by_id.get(str(r["id"])):
            r["url"] = f.url
    st.model_pages = models.pages()
    for uri in st.model_pages:
        files.append(File.generated(config, uri, content=PLACEHOLDER,
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    files.append(File.generated(config, ECHEANCES_URI, content=ECHEANCES_PLACEHOLDER))
    files.append(File.generated(config, FEED_URI, content=catalog_calendar(
        st.catalog.conventions, st.today, site_url=site_url)))
    files.append(File.generated(config, f"{DATA_DIR}/conventions.json",
                                content=opendata.to_json(st.records)))
    files.append(File.generated(config, f"{DATA_DIR}/conventions.csv",
                                content=opendata.to_csv(st.records)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    st = state.current()
    conv = st.by_uri.get(page.file.src_uri)
    if conv is not None:
        page.meta["title"] = conv.titre
    elif (model := st.model_pages.get(page.file.src_uri)) is not None:
        page.meta["title"] = f"Modèle {model[0]} — {models.KINDS[model[1]]}"
    elif page.file.src_uri == ECHEANCES_URI and page.file.generated_by is not None:
        return echeances_page(
            st.catalog, st.today, heading=ECHEANCES_TITLE,
            link_prefix=get_relative_url("conventions/", page.url).removesuffix("conventions/"),
            ics_url=get_relative_url(FEED_URI, page.url))
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    st = state.current()
    conv = st.by_uri.get(page.file.src_uri)
    if conv is not None:
        feed_page = files.get_file_from_path(ECHEANCES_URI)
        return _convention_page(conv, page, st, feed_page.url if feed_page else "")
    if page.file.src_uri == ECHEANCES_URI and page.file.generated_by is not None:
        _add_months_to_toc(html, page)
        return html
    model = st.model_pages.get(page.file.src_uri)
    if model is not None:
        rendered = sanitize.render_markdown(models.model_markdown(*model))
        page.toc = get_toc(rendered.toc_tokens)
        return f'<div class="coop-texte coop-modele">{rendered.html}</div>'
    return html


_MONTH_HEADING = re.compile(r'<h2 id="(echeances-(?:\d{4}-\d{2}|retard))">([^<]*)</h2>')


def _add_months_to_toc(html: str, page_: Page) -> None:
    """The month headings of the « Échéances » page sit in raw HTML, so Python-Markdown's
    toc does not see them: add them under the H1, so the table of contents lists months."""
    months = [AnchorLink(m.group(2), m.group(1), 2) for m in _MONTH_HEADING.finditer(html)]
    items = page_.toc.items
    if items and items[0].level == 1:
        items[0].children[:0] = months
    else:
        items[:0] = months


def _convention_page(conv: Any, page_: Page, st: state.SiteState, echeances_url: str) -> str:
    expansion = expand(conv)
    rendered = sanitize.render_markdown(expansion.markdown)
    boilerplate = {f"art-{a.key}" for a in expansion.articles if a.origin == "modele"}
    boilerplate |= {f"partie-{a.part}" for a in expansion.articles}
    body = sanitize.exclude_from_search(rendered.html, boilerplate)
    page_.toc = get_toc(rendered.toc_tokens)

    def rel(url: str) -> str:
        return get_relative_url(url, page_.url)

    downloads = [page.Download(name, rel(f"exports/{conv.id}.{ext}"), path.stat().st_size)
                 for ext, name, path in _exports(st.root, conv.id)]
    ics = calendar_uri(conv.id) if conv.id in st.calendars else ""
    return page.page_html(conv, schedule(conv.data, st.today), expansion, body, downloads,
                          rel, ics_uri=ics, echeances_uri=echeances_url)
