"""A person's own calendar: the sessions for everyone plus their team's, at a secret address a
phone subscribes to without signing in. The person renews it (the old address stops at once) or
revokes it from their programme page."""

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.models import Event
from facilitate.programme import bp
from facilitate.programme.calendar import (
    feed_by_token,
    feed_of,
    programme_calendar,
    renew_feed,
    revoke_feed,
)
from facilitate.programme.routes import calendar_links, calendar_response, session_page_url
from facilitate.programme.services import event_sessions


def _attended_event_or_404(slug: str) -> Event:
    event = get_event_or_404(slug)
    policy.require(policy.can_have_calendar_feed(current_user, event))
    return event


@bp.get("/events/<slug>/programme/my-calendar")
def my_calendar(slug: str):
    event = _attended_event_or_404(slug)
    feed = feed_of(current_user, event)
    links = (
        calendar_links(url_for("programme.personal_feed", token=feed.token, _external=True))
        if feed
        else None
    )
    return render_template(
        "programme/my_calendar.html", event=event, feed=feed, links=links, form=ConfirmForm()
    )


@bp.post("/events/<slug>/programme/my-calendar/renew")
def renew_my_calendar(slug: str):
    event = _attended_event_or_404(slug)
    if ConfirmForm().validate_on_submit():
        had_one = feed_of(current_user, event) is not None
        renew_feed(current_user, event)
        db.session.commit()
        flash_at(
            "calendar-title",
            _("Your calendar has a new address: the former one no longer works.")
            if had_one
            else _("Your calendar is ready: subscribe to it from your phone."),
        )
    return redirect(url_for("programme.my_calendar", slug=slug) + "#calendar-title", code=303)


@bp.post("/events/<slug>/programme/my-calendar/revoke")
def revoke_my_calendar(slug: str):
    event = _attended_event_or_404(slug)
    if ConfirmForm().validate_on_submit() and revoke_feed(current_user, event):
        db.session.commit()
        flash_at("calendar-title", _("Your calendar’s address no longer works."))
    return redirect(url_for("programme.my_calendar", slug=slug) + "#calendar-title", code=303)


@bp.get("/calendars/<token>.ics")
def personal_feed(token: str):
    """No session: the secret token alone opens it, as calendar apps cannot sign in."""
    found = feed_by_token(token)
    if found is None:
        abort(404)
    _feed, event, team_ids = found
    body = programme_calendar(
        event,
        event_sessions(event, team_ids),
        lambda s: session_page_url(s, event),
        _("%(event)s – my programme", event=event.name),
    )
    return calendar_response(body, f"{event.slug}-programme.ics")
