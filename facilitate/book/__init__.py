"""The book of the challenges: a PDF per challenge and one for the whole event, built in the
background from what the teams recorded (services), laid out by WeasyPrint (rendering)."""

from flask import Blueprint

bp = Blueprint("book", __name__, template_folder="templates")

from facilitate.book import routes  # noqa: E402, F401  (registers the views on bp)
