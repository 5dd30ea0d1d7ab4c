"""Honour rolls (bảng vàng): reading, checking, indexing across rolls, and their pages.

Modules: schema (dataclasses), reader (one YAML file), checks (rules across files), index
(sorted entries, persons and units across rolls), facets, views (template data), pages (jobs
and the JSON index for live filtering), feature (the plug-in the pipeline calls).
"""
from generator.features import register
from generator.honours.feature import HonoursFeature, honours_index

register(HonoursFeature())

__all__ = ["honours_index"]
