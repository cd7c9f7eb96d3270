"""Authoring workflow: new conventions (`make new`), status changes (`make statut`) and
the article-by-article diff of the agreement text (`make diff`).

The modules here are a library; `coop new`, `coop statut` and `coop diff` (modules of
`coop.cli`) are thin command lines over it.
"""

from __future__ import annotations


class AuthoringError(Exception):
    """A French message for the user; the command stops without writing anything."""
