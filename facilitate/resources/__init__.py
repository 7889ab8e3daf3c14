"""The event's resources (issue 14): pages and documents organisers give the teams (roles,
glossary, methods...), grouped as the event chooses, some shown in the workspace at the stage
they help with."""

from flask import Blueprint

bp = Blueprint("resources", __name__, template_folder="templates")

from facilitate.resources import routes  # noqa: E402, F401  (registers the views on bp)
