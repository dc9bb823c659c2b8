"""Shareable reports: the presentation layer's self-contained HTML files, and their PDF."""

from creatorlens.presentation import _charts as charts
from creatorlens.presentation._context import jsonable
from creatorlens.presentation._html import render_creator_report, render_plan_report, script_json
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
