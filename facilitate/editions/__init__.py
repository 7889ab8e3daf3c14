"""Editions: one year's sites run together by national organisers (issue 15)."""

from flask import Blueprint

bp = Blueprint("editions", __name__, template_folder="templates")

from facilitate.editions import (  # noqa: E402, F401  (registers the views on bp)
    routes,
    routes_dashboard,
    routes_history,
    routes_workbook,
)
