"""Catalogue des conventions de coopération: load, validate, expand."""
