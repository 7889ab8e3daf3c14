"""Attendees of an event: importing them from the organisers' spreadsheets, placing them in
teams, and handing out their access codes."""

from flask import Blueprint

bp = Blueprint("people", __name__, template_folder="templates")

from facilitate.people import routes, routes_spreadsheet  # noqa: E402, F401  (registers the views on bp)
