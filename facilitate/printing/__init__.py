"""Printable documents: challenge sheets on A4 and attendees' badges with their QR code."""

from flask import Blueprint

bp = Blueprint("printing", __name__, template_folder="templates")

from facilitate.printing import routes  # noqa: E402, F401  (registers the views on bp)
