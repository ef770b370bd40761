"""Shared reads for planners' views. Pages, the API and the reports call these, never a copy.

- ``structure``: sector × sector matrix, by government level (Kim Table 2), who × how.
- ``network``: network metrics (networkx) and the server-drawn SVG.
- ``trends``: region and province dashboards, round comparison, programme overlaps.
"""
