"""The national jury of an edition (issue 15, item 3): rubric, nominations, jurors, scores."""

from flask import Blueprint

bp = Blueprint("jury", __name__, template_folder="templates")

from facilitate.jury import routes_organise, routes_scoring  # noqa: E402, F401  (registers the views on bp)
