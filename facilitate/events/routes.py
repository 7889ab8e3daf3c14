from flask import render_template, url_for
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup, escape

from facilitate import policy
from facilitate.events import bp
from facilitate.events.cards import challenge_groups
from facilitate.events.services import (
    challenges_by_theme,
    get_event_or_404,
    list_events,
    own_challenge,
)
from facilitate.followup.reminders import invitations_for
from facilitate.i18n import local_date_range
from facilitate.models._types import utcnow


@bp.get("/")
def home():
    # Rows of columns, not Events: the policy reads no more of an event than they hold.
    events = [event for event in list_events() if policy.can_view_event(current_user, event)]
    return render_template(
        "events/home.html",
        events=_cards(events),
        follow_up_invitations=invitations_for(current_user, utcnow()),
    )


def _cards(events: list) -> Markup:
    """The events' cards, written here rather than by a loop in the template (every event of
    the platform is listed: 0.1 ms an event there), each value escaped."""
    cards = []
    for event in events:
        url = url_for("events.show", slug=event.slug)
        venue = f"{escape(event.venue)} · " if event.venue else ""
        dates = (
            f"{escape(local_date_range(event.starts_at, event.ends_at, event.timezone))} · "
            if event.starts_at
            else ""
        )
        count = ngettext("%(num)d challenge", "%(num)d challenges", event.challenge_count)
        cards.append(
            f'<li class="card">\n<h2 class="card__title"><a href="{escape(url)}">'
            f"{escape(event.name)}</a></h2>\n"
            f'<p class="card__meta">\n{venue}{dates}{escape(count)}\n</p>\n</li>'
        )
    return Markup("\n".join(cards))  # noqa: S704  (every value escaped above)


@bp.get("/events/<slug>")
def show(slug: str):
    event = get_event_or_404(slug)
    policy.require(policy.can_view_event(current_user, event))
    return render_template(
        "events/event.html",
        event=event,
        challenges=challenge_groups(event.slug, challenges_by_theme(event)),
        own_challenge=own_challenge(current_user, event),
    )
