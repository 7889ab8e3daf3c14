"""The debrief questionnaire (issue 14, item 4): at the end of the event, every attendee rates
its parts and says what to keep and what to change, once, from a phone; organisers see the
answers gathered, with a chart, and export them. Anonymous unless the person says otherwise."""

from flask import Blueprint

bp = Blueprint("debrief", __name__, template_folder="templates")

from facilitate.debrief import routes, routes_organise  # noqa: E402, F401  (registers the views)
