"""The public face of events: the list of events and each event's challenges by theme."""

from flask import Blueprint

bp = Blueprint("events", __name__, template_folder="templates")

from facilitate.events import routes, routes_organise  # noqa: E402, F401  (registers the views on bp)
