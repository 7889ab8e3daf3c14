from flask import render_template
from flask_login import current_user

from facilitate import policy
from facilitate.events import bp
from facilitate.events.services import (
    challenges_by_theme,
    get_event_or_404,
    list_events,
    own_challenge,
)
from facilitate.followup.reminders import invitations_for
from facilitate.models._types import utcnow


@bp.get("/")
def home():
    events = [
        (event, n) for event, n in list_events() if policy.can_view_event(current_user, event)
    ]
    return render_template(
        "events/home.html",
        events=events,
        follow_up_invitations=invitations_for(current_user, utcnow()),
    )


@bp.get("/events/<slug>")
def show(slug: str):
    event = get_event_or_404(slug)
    policy.require(policy.can_view_event(current_user, event))
    return render_template(
        "events/event.html",
        event=event,
        groups=challenges_by_theme(event),
        own_challenge=own_challenge(current_user, event),
    )
