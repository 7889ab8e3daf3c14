"""The organiser's live view of every team, the event's stage, and the room screen."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, template_folder="templates")

from facilitate.dashboard import routes  # noqa: E402, F401  (registers the views on bp)
