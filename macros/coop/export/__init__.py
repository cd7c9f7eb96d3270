"""Signature copies of conventions: PDF (pandoc typst writer + typst) and DOCX (pandoc).

`export_conventions()` (module `pipeline`) is the entry point used by `python -m coop export`;
every other module owns one step: `jobs` (what to render, checked), `reference_docx`
(Word styles), `pandoc` (one pandoc process for every document), `pdf` (typst compile
and signature fields), `sigfields` (pyHanko), `cache` (skip unchanged inputs).
"""
