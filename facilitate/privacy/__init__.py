"""Personal data (GDPR): the privacy pages, a person's own data to take away, and organisers
erasing a person or purging an event once it is over."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, template_folder="templates")

from facilitate.privacy import routes, routes_names  # noqa: E402, F401  (registers the views on bp)
