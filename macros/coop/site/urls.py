"""Site paths of the generated tree (directory URLs, as every candidate engine makes them).

`docs/a/b.md` is served at `a/b/`, `docs/a/index.md` at `a/`; links between generated
pages are relative, so the site works under any base path.
"""

from __future__ import annotations

import posixpath


def page_url(src: str) -> str:
    """Site path of source `src`: « conventions/x.md » -> « conventions/x/ »; other files
    keep their path."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


def relative(target: str, from_url: str) -> str:
    """Link from the page served at `from_url` to the site path `target`."""
    base = posixpath.dirname(from_url.rstrip("/")) if not from_url.endswith("/") else from_url
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else f"{rel}/"
    return rel
