"""MkDocs glue: the published catalogue of conventions (site build only).

Thin layer over the core (`coop.catalog`, `coop.expand`): it never evaluates convention
text as a template, sanitises every HTML fragment it emits and keeps conventions out of
the navigation. Entry point for mkdocs: `hooks.py`.
"""
