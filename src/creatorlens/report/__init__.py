"""Shareable reports and the chart specs the dashboard shares with them."""

from creatorlens.report import _charts as charts
from creatorlens.report._context import jsonable
from creatorlens.report._html import render_creator_report, render_plan_report, script_json
from creatorlens.report._pdf import PdfError, html_to_pdf

__all__ = [
    "PdfError",
    "charts",
    "html_to_pdf",
    "jsonable",
    "render_creator_report",
    "render_plan_report",
    "script_json",
]
