"""The presentation layer: how the CLI, the dashboard, the REST API's views, the HTML report and
its PDF show what the Workspace returns. Nothing here computes a metric.

* ``_values``: one value formatted from its column's declared unit (``format_value``).
* ``_labels``: which ER stands for a creator on screen, which capability columns are shown, and
  the human label of a column in English and Korean.
* ``_i18n``: the UI languages (message catalogs in ``data/i18n``).
* ``_plan``: a plan's tables, totals, frontier and its CSV writer (formula-safe cells).
* ``_context``: what a page or a report shows, gathered from Workspace methods.
* ``_charts`` and ``_html``: Vega-Lite chart specs and the Jinja2 pages and reports.

Layering (checked by import-linter, tests/test_architecture.py): interfaces -> presentation ->
workspace -> domain -> store. This package's own import is light (the CLI starts fast).
"""
