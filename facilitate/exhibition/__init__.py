"""The exhibition: stands and their posters, the stand page a QR code opens, participants'
ballots, and the vote the organisers open, close and reveal."""

from flask import Blueprint

bp = Blueprint("exhibition", __name__, template_folder="templates")

from facilitate.exhibition import (  # noqa: E402, F401
    links,
    routes_organise_stands,
    routes_stands,
    routes_vote,
    routes_vote_exports,
)
