"""The attendee list as a spreadsheet the attendee import reads back: name, email,
organisation and the number of the challenge whose team each person is in."""

from flask_babel import gettext as _

from facilitate.models import Event
from facilitate.people.codes import participants_with_teams


def attendee_table(event: Event) -> tuple[list[str], list[list]]:
    """One row per participant of the event, in name order, in one query. The headers are the
    import's own ("Nom", "Adresse e-mail", "Organisation", "Défi" in French)."""
    headers = [_("Name"), _("Email"), _("Organisation"), _("Challenge")]
    rows = [
        [attendance.name, user.email, attendance.organisation, number]
        for attendance, user, _team, number in participants_with_teams(event)
    ]
    return headers, rows
