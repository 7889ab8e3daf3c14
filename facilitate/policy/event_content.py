"""The programme, the resources and the debrief."""

from facilitate.models import (
    Event,
    Role,
)
from facilitate.policy.roles import can_manage_event, can_see_people, can_view_event, roles_in

PREDICATES: dict = {}


# --- The programme (issue 14). Public as the event page is; organisers enter it; each attendee
# may have a personal calendar feed.


def can_view_programme(user, event: Event) -> bool:
    """The programme, its room pages, screens and the event's calendar feed: as public as the
    event's page."""
    return programmes_are_public() or can_view_event(user, event)


def programmes_are_public() -> bool:
    """Whether anyone may read any event's programme: then a screen's poll may answer that
    nothing changed without loading the event or the person (programme/routes_screen.py). Say
    False here the day programmes stop being public, and the polls ask ``can_view_programme``."""
    return True


def can_manage_programme(user, event: Event) -> bool:
    """Enter sessions, import and export them, and push announcements to the screens."""
    return can_manage_event(user, event)


def can_have_calendar_feed(user, event: Event) -> bool:
    """A personal feed (the team's sessions) is for the event's attendees."""
    return bool(roles_in(user, event))


PREDICATES.update(
    can_view_programme=can_view_programme,
    can_manage_programme=can_manage_programme,
    can_have_calendar_feed=can_have_calendar_feed,
)


# --- Resources and the debrief (issue 14). Organisers write resources for the event's people,
# who read them; each attendee answers the debrief once, and only organisers see the answers,
# gathered (names only of those who chose to give them).


def can_read_resources(user, event: Event) -> bool:
    return can_see_people(user, event)


def can_manage_resources(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_answer_debrief(user, event: Event) -> bool:
    """Every attendee of the event, as for the vote."""
    return Role.PARTICIPANT in roles_in(user, event)


def can_read_debrief_answers(user, event: Event) -> bool:
    """Open and close the questionnaire, choose its parts, read and export the answers."""
    return can_manage_event(user, event)


PREDICATES.update(
    can_read_resources=can_read_resources,
    can_manage_resources=can_manage_resources,
    can_answer_debrief=can_answer_debrief,
    can_read_debrief_answers=can_read_debrief_answers,
)
