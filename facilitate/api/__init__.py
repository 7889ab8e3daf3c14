"""The JSON API, version 1 (documented in the README): stands, ballots, the vote and results
for scripts and the stand pages. Bearer tokens, no cookies, so no CSRF."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from facilitate.api import routes  # noqa: E402, F401  (registers the views on bp)
