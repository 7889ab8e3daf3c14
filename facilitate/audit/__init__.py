"""The history of organisers' changes to an event: who did what, when, and undoing deletions."""

from flask import Blueprint

bp = Blueprint("audit", __name__, template_folder="templates")

from facilitate.audit import routes  # noqa: E402, F401  (registers the views on bp)
