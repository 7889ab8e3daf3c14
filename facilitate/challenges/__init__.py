"""Challenge sheets ("fiches défi")."""

from flask import Blueprint

bp = Blueprint("challenges", __name__, template_folder="templates")

from facilitate.challenges import routes, routes_manage, routes_spreadsheet  # noqa: E402, F401  (registers the views on bp)
