"""The JSON API, version 1 (documented in the README): stands, ballots, the vote and results
for scripts and the stand pages. Bearer tokens, no cookies, so no CSRF."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
