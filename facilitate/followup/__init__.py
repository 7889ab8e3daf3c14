"""Follow-up (issue 14, item 7): months after the event, what became of each prototype, told
by its challenge's owner, its team and the organisers, as a table and a timeline per event."""

from flask import Blueprint

bp = Blueprint("followup", __name__, template_folder="templates")

from facilitate.followup import routes  # noqa: E402, F401  (registers the views)
