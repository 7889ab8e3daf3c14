"""Teams: who is in which team, placed by hand or automatically."""

from flask import Blueprint

bp = Blueprint("teams", __name__, template_folder="templates")

from facilitate.teams import routes  # noqa: E402, F401  (registers the views on bp)
