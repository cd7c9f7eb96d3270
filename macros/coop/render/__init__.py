"""Renderers of the Document tree: Markdown (pandoc, `make expand`, `make diff`)."""
