"""MkDocs hooks (declared in mkdocs.yml): the conventions become pages of the site.

- `on_config`: load and validate every convention; any error stops the build (French
  messages of the core) before anything is written.
- `on_files`: one generated page per convention (out of the nav) with its calendar
  feed (`conventions/<id>/echeances.ics`), one per avenant
  (`conventions/<id>/avenant-<n>/`) and, when the convention has signed avenants, one
  for its consolidated text (`conventions/<id>/consolide/`), all out of the nav; one per
  model version, the « Échéances » page and the site-wide feed (`echeances.ics`), the
  open data files and the exported PDF/DOCX copies when they exist; the paged lists of
  the catalogue without JavaScript (`parcourir/`, `coop.site.browse`), out of the nav
  and of the search index.
- `on_page_markdown`: the « Échéances » page's Markdown comes from
  `coop.site.echeances` (every convention value escaped, braces included); its source
  is a placeholder that mkdocs-macros is told not to render.
- `on_page_content`: the page of a convention (of an avenant, of a consolidated text, of
  a model version) is rendered here from the core's document tree by the autoescaping
  templates of `coop.site.renderer` (a deployer may override them: `overrides/coop/`);
  its table of contents comes from the tree too; so are the pages of `parcourir/`.
  mkdocs-macros never sees their text (the page's Markdown is a placeholder).

The computed dates (deadlines, effective status) are those of `state.today`, computed
on the convention in force (as amended by its signed avenants):
`COOP_AUJOURDHUI=AAAA-MM-JJ` makes a build reproducible.

Code in English, messages in French. Nothing here is quadratic in the number of
conventions.
"""

from __future__ import annotations

import html
import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from coop.avenant_text import avenant_document
from coop.avenants import Avenant
from coop.consolidate import amendment, consolidate
from coop.convention import Convention
from coop.deadlines import schedule
from coop.expand import expand
from coop.site import avenant_page, browse, echeances, models, opendata, page, state
from coop.site.feeds import catalog_calendar, convention_calendar
from coop.site.model_page import model_document
from coop.site.records import page_uri
from coop.site.renderer import AVENANTS, DEPARTURES, Anchor, Renderer, override_dirs
from coop.site.toc import put_first, toc

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
# A list page of `parcourir/`: out of the search index (the convention pages are in it).
LIST_PLACEHOLDER = ("---\nrender_macros: false\nhide:\n  - navigation\n  - toc\n"
                    "search:\n  exclude: true\n---\n")


def calendar_uri(conv_id: str) -> str:
    return f"conventions/{conv_id}/echeances.ics"


_BUILD: dict[str, Any] = {}


def on_startup(command: str, dirty: bool) -> None:
    _BUILD["command"] = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).resolve().parent
    if _BUILD.get("command") == "build":  # build next to the final folder, swap at the end
        final = Path(config.site_dir)
        tmp = final.with_name(f".{final.name}.en-cours")
        shutil.rmtree(tmp, ignore_errors=True)
        _BUILD["final"], config.site_dir = final, str(tmp)
    try:
        st = state.load(root)
    except (state.InvalidCatalog, ValueError) as exc:  # ValueError: a bad COOP_AUJOURDHUI
        raise PluginError(str(exc)) from None
    for p in st.catalog.warnings:
        log.info("avertissement : %s", p.format())
    overrides = override_dirs(root, config.theme.custom_dir)
    _BUILD["renderer"] = Renderer(overrides)
    config.watch.extend(str(d) for d in overrides if str(d) not in config.watch)
    return config


def on_post_build(config: MkDocsConfig) -> None:
    """Replace the previous site by the complete new one (an interrupted build leaves only
    a hidden `.site.en-cours` folder, never a half site)."""
    _compact_search_index(Path(config.site_dir))
    final = _BUILD.pop("final", None)
    if final is None:
        return
    old = final.with_name(f".{final.name}.ancien")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    Path(config.site_dir).rename(final)
    shutil.rmtree(old, ignore_errors=True)
    config.site_dir = str(final)


def _compact_search_index(site: Path) -> None:
    """The search plugin writes `\\u00e9` escapes: the same index as UTF-8 is ~12 % smaller."""
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text("utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _exports(root: Path, conv_id: str) -> list[tuple[str, str, Path]]:
    found = []
    for ext, name in EXPORT_FORMATS:
        path = root / EXPORTS_DIR / f"{conv_id}.{ext}"
        if path.is_file():
            found.append((ext, name, path))
    return found


def _add_exports(files: Files, config: MkDocsConfig, root: Path, doc_id: str) -> None:
    for ext, _name, path in _exports(root, doc_id):
        files.append(File.generated(config, f"exports/{doc_id}.{ext}", abs_src_path=str(path)))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    st = state.current()
    for pages in (st.by_uri, st.avenant_pages, st.consolidated_pages):
        pages.clear()
    st.calendars.clear()
    site_url = config.site_url or ""
    for conv in st.catalog.conventions:
        uri = page_uri(conv.id)
        f = File.generated(config, uri, content=PLACEHOLDER,
                           inclusion=InclusionLevel.NOT_IN_NAV)
        files.append(f)
        st.by_uri[uri] = conv
        ics = convention_calendar(st.in_force[conv.id], st.today, site_url=site_url)
        if b"BEGIN:VEVENT" in ics:  # linked from the page only when it has events
            st.calendars.add(conv.id)
        files.append(File.generated(config, calendar_uri(conv.id), content=ics))
        _add_exports(files, config, st.root, conv.id)
        for av in st.avenants.get(conv.id, []):
            av_uri = avenant_page.avenant_uri(av)
            files.append(File.generated(config, av_uri, content=PLACEHOLDER,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
            st.avenant_pages[av_uri] = av
            _add_exports(files, config, st.root, av.id)
        if st.signed_avenants(conv.id):
            cons_uri = avenant_page.consolidated_uri(conv.id)
            files.append(File.generated(config, cons_uri, content=PLACEHOLDER,
                                        inclusion=InclusionLevel.NOT_IN_NAV))
            st.consolidated_pages[cons_uri] = conv
    by_id = {c.id: c for c in st.catalog.conventions}
    for r in st.records:  # the page URL as mkdocs computes it (directory URLs or not)
        f = files.get_file_from_path(page_uri(str(r["id"])))
        if f is not None and by_id.get(str(r["id"])):
            r["url"] = f.url
    st.model_pages = models.pages()
    for uri in st.model_pages:
        files.append(File.generated(config, uri, content=PLACEHOLDER,
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    st.browse_facets = browse.facets(st.records)
    st.browse_pages = browse.pages(st.browse_facets)
    for uri in (browse.HUB_URI, *st.browse_pages):
        files.append(File.generated(config, uri, content=LIST_PLACEHOLDER,
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    files.append(File.generated(config, ECHEANCES_URI, content=ECHEANCES_PLACEHOLDER))
    files.append(File.generated(config, FEED_URI, content=catalog_calendar(
        st.conventions_in_force(), st.today, site_url=site_url)))
    files.append(File.generated(config, f"{DATA_DIR}/conventions.json",
                                content=opendata.to_json(st.records)))
    files.append(File.generated(config, f"{DATA_DIR}/conventions.csv",
                                content=opendata.to_csv(st.records)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    st = state.current()
    conv = st.by_uri.get(page.file.src_uri)
    if conv is not None:
        # The theme prints the title unescaped in the header: escape the untrusted text.
        page.meta["title"] = html.escape(conv.titre)
    elif (av := st.avenant_pages.get(page.file.src_uri)) is not None:
        page.meta["title"] = html.escape(f"{av.label} — {st.in_force[av.parent_id].titre}")
    elif (parent := st.consolidated_pages.get(page.file.src_uri)) is not None:
        page.meta["title"] = html.escape(f"Texte consolidé — {st.in_force[parent.id].titre}")
    elif (listed := st.browse_pages.get(page.file.src_uri)) is not None:
        page.meta["title"] = html.escape(listed.title)
    elif page.file.src_uri == browse.HUB_URI and page.file.generated_by is not None:
        page.meta["title"] = browse.HUB_TITLE
    elif (model := st.model_pages.get(page.file.src_uri)) is not None:
        page.meta["title"] = f"Modèle {model[0]} — {models.KINDS[model[1]]}"
    elif page.file.src_uri == ECHEANCES_URI and page.file.generated_by is not None:
        return echeances.echeances_page(
            st.conventions_in_force(), st.today, heading=ECHEANCES_TITLE,
            link_prefix=get_relative_url("conventions/", page.url).removesuffix("conventions/"),
            ics_url=get_relative_url(FEED_URI, page.url))
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    st = state.current()
    renderer: Renderer = _BUILD["renderer"]
    conv = st.by_uri.get(page.file.src_uri)
    if conv is not None:
        feed_page = files.get_file_from_path(ECHEANCES_URI)
        return _convention_page(renderer, conv, page, st, files,
                                feed_page.url if feed_page else "")
    if (av := st.avenant_pages.get(page.file.src_uri)) is not None:
        return _avenant_page(renderer, av, page, st, files)
    if (parent := st.consolidated_pages.get(page.file.src_uri)) is not None:
        return _consolidated_page(renderer, parent, page, st, files)
    if page.file.src_uri == ECHEANCES_URI and page.file.generated_by is not None:
        # its month headings sit in raw HTML, which Python-Markdown's toc does not see
        put_first(page.toc, [Anchor(i, t) for i, t in echeances.headings(
            st.conventions_in_force(), st.today)])
        return html
    if (listed := st.browse_pages.get(page.file.src_uri)) is not None:
        rel = _relative(page)
        return renderer.render("browse.html", **browse.page_context(
            listed, lambda uri: rel(_url(files, uri)), lambda r: rel(str(r["url"]))))
    if page.file.src_uri == browse.HUB_URI and page.file.generated_by is not None:
        rel = _relative(page)
        return renderer.render("browse_hub.html", **browse.hub_context(
            st.browse_facets, lambda uri: rel(_url(files, uri))))
    model = st.model_pages.get(page.file.src_uri)
    if model is not None:
        doc = model_document(*model)
        page.toc = toc(doc)
        return renderer.render("model.html", doc=doc)
    return html


def _url(files: Files, uri: str) -> str:
    """Site URL of a generated file (as mkdocs computes it: directory URLs or not)."""
    f = files.get_file_from_path(uri)
    return f.url if f is not None else uri


def _relative(page_: Page) -> Callable[[str], str]:
    """Site path -> URL relative to `page_`."""
    return lambda url: get_relative_url(url, page_.url)


def _downloads(st: state.SiteState, doc_id: str, rel: Callable[[str], str]
               ) -> list[page.Download]:
    return [page.Download(name, rel(f"exports/{doc_id}.{ext}"), path.stat().st_size)
            for ext, name, path in _exports(st.root, doc_id)]


def _convention_page(renderer: Renderer, conv: Convention, page_: Page, st: state.SiteState,
                     files: Files, echeances_url: str) -> str:
    doc = expand(conv)
    rel = _relative(page_)
    in_force = st.in_force[conv.id]
    avenants = avenant_page.parent_block(
        st.avenants.get(conv.id, []),
        avenant_href=lambda a: rel(_url(files, avenant_page.avenant_uri(a))),
        downloads=lambda a: _downloads(st, a.id, rel),
        consolidated_href=rel(_url(files, avenant_page.consolidated_uri(conv.id)))
        if st.signed_avenants(conv.id) else "")
    card = page.card(
        in_force, schedule(in_force.data, st.today),
        rel(f"modele/{in_force.modele}/{in_force.type}/"),
        downloads=_downloads(st, conv.id, rel),
        ics_href=rel(calendar_uri(conv.id)) if conv.id in st.calendars else "",
        echeances_href=rel(echeances_url) if echeances_url else "")
    page_.toc = toc(doc, before=[AVENANTS] if avenants else [],
                    after=[DEPARTURES] if doc.departures and not doc.annex else [])
    return renderer.render("convention.html", doc=doc, card=card, avenants=avenants,
                           source=conv)


def _avenant_page(renderer: Renderer, av: Avenant, page_: Page, st: state.SiteState,
                  files: Files) -> str:
    if av.before is None:  # the catalogue is valid, so check_avenants has set it
        raise PluginError(f"{av.relpath} : avenant sans convention valide")
    doc = avenant_document(av, av.before)
    rel = _relative(page_)
    card = avenant_page.card(
        av, st.in_force[av.parent_id], rel(_url(files, page_uri(av.parent_id))),
        rel(_url(files, avenant_page.consolidated_uri(av.parent_id)))
        if st.signed_avenants(av.parent_id) else "",
        downloads=_downloads(st, av.id, rel))
    page_.toc = toc(doc)
    return renderer.render("avenant.html", doc=doc, card=card, source=av)


def _consolidated_page(renderer: Renderer, conv: Convention, page_: Page,
                       st: state.SiteState, files: Files) -> str:
    cons = consolidate(conv, st.signed_avenants(conv.id))
    rel = _relative(page_)
    page_.toc = toc(cons.document)
    return renderer.render(
        "consolidated.html", doc=cons.document, title=cons.convention.titre,
        applied=[amendment(a) for a in cons.applied],
        avenant_hrefs={a.id: rel(_url(files, avenant_page.avenant_uri(a)))
                       for a in cons.applied},
        parent_href=rel(_url(files, page_uri(conv.id))))
