"""The programme as iCalendar feeds that phones subscribe to: one per event, and one per person
(the sessions for everyone plus their team's), behind a secret address they can renew or revoke.

Times are written in the venue's zone with its VTIMEZONE block, so that a phone in Paris shows
a session in La Réunion at the right moment, and the venue's own clock stays visible.
"""

import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from icalendar.prop import vDuration
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitate.extensions import db
from facilitate.models import CalendarFeed, Event, Membership, ProgrammeSession, Role

# Subscribing apps read the feed again about this often (Apple and Google mostly decide alone).
REFRESH = timedelta(hours=1)
TOKEN_BYTES = 24


def programme_calendar(
    event: Event, sessions: list[ProgrammeSession], session_url, name: str
) -> bytes:
    """``session_url(session)`` is the absolute address of a session's page: each entry links
    back to it."""
    zone = ZoneInfo(event.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//facilitate//programme//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", event.timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for session in sessions:
        entry = CalendarEvent()
        url = session_url(session)
        entry.add("uid", f"session-{session.id}-{event.slug}@facilitate")
        entry.add("dtstamp", session.updated_at.replace(tzinfo=UTC))
        entry.add("last-modified", session.updated_at.replace(tzinfo=UTC))
        entry.add("dtstart", session.starts_at.replace(tzinfo=UTC).astimezone(zone))
        entry.add("dtend", session.ends_at.replace(tzinfo=UTC).astimezone(zone))
        entry.add("summary", session.title)
        if session.room:
            entry.add("location", session.room)
        entry.add("categories", [str(session.kind.label)])
        entry.add("url", url)
        entry.add("description", _description(session, url))
        calendar.add_component(entry)
    years = [s.starts_at.year for s in sessions] or [datetime.now(UTC).year]
    calendar.add_missing_timezones(
        first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 1, 12, 31)
    )
    return calendar.to_ical()


def _description(session: ProgrammeSession, url: str) -> str:
    lines = [str(session.kind.label)]
    if session.speakers:
        lines.append(_("Speakers: %(names)s", names=session.speakers))
    if session.team is not None:
        lines.append(
            _("For the team of challenge %(number)d", number=session.team.challenge.number)
        )
    if session.description:
        lines += ["", session.description]
    lines += ["", url]
    return "\n".join(lines)


# --- Personal feeds ---------------------------------------------------------------------------


def feed_of(user, event: Event) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.event_id == event.id, CalendarFeed.user_id == user.id
        )
    )


def renew_feed(user, event: Event) -> CalendarFeed:
    """A new secret address for the person's calendar: the former one stops at once."""
    feed = feed_of(user, event)
    if feed is None:
        try:  # a double tap on PostgreSQL: the other request's insert wins, this one renews it
            with db.session.begin_nested():
                feed = CalendarFeed(
                    event_id=event.id, user_id=user.id, token=secrets.token_urlsafe(TOKEN_BYTES)
                )
                db.session.add(feed)
            return feed
        except IntegrityError:
            feed = feed_of(user, event)
    feed.token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.flush()
    return feed


def revoke_feed(user, event: Event) -> bool:
    feed = feed_of(user, event)
    if feed is None:
        return False
    db.session.delete(feed)
    db.session.flush()
    return True


def feed_by_token(token: str) -> tuple[CalendarFeed, Event, list[int] | None] | None:
    """The feed, its event and the person's teams (None for an organiser, who follows every
    session), if the address is still valid and the person still attends the event."""
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        return None
    memberships = db.session.execute(
        select(Membership.team_id, Membership.erased_at, Membership.role).where(
            Membership.user_id == feed.user_id, Membership.event_id == feed.event_id
        )
    ).all()
    # Removed from the event, or erased (GDPR): the address stops with the attendance.
    if not memberships or any(row.erased_at is not None for row in memberships):
        return None
    event = db.session.get(Event, feed.event_id)
    if any(row.role == Role.ORGANISER for row in memberships):
        return feed, event, None
    return feed, event, [row.team_id for row in memberships if row.team_id is not None]
