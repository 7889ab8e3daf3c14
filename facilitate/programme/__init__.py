"""The event's programme (issue 14): sessions entered by the organisers, the public programme
by day and by room, iCalendar feeds, spreadsheets in and out, and each room's projector screen
with the organisers' announcements."""

from flask import Blueprint

from facilitate.programme.rows import programme_rows
from facilitate.programme.screen import day_heading, iso, time_range

bp = Blueprint("programme", __name__, template_folder="templates")
bp.add_app_template_global(time_range, "session_times")
bp.add_app_template_global(day_heading, "programme_day")
bp.add_app_template_global(iso, "utc_iso")
bp.add_app_template_global(programme_rows)

from facilitate.programme import (  # noqa: E402, F401  (registers the views on bp)
    routes,
    routes_calendar,
    routes_organise,
    routes_screen,
    routes_spreadsheet,
)
