"""The event's public showcase (issue 14, item 6): its challenges by theme, each with the team's
retained idea, its prototype and the photos people agreed to be in, for the teams whose
facilitator or organiser chose to show them. Nobody's name appears: teams and challenges only."""

from flask import Blueprint

bp = Blueprint("showcase", __name__, template_folder="templates")

from facilitate.showcase import routes  # noqa: E402, F401  (registers the views on bp)
