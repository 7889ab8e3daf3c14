"""The rules of follow-up, in one place for the pages, the exports, the API and the reminder
command: when the 3- and 6-month milestones fall, what an update may say, which challenges have
gone quiet, and what a follow-up reads as in a row of an export.

Dates are the event's own days (its time zone): "three months after the event" is counted from
the last day of the event as the people who attended it lived it, and "today" is the event's
today, so that an update written on a Réunion evening is never refused as "in the future".
Every function that depends on the time takes ``now`` (naive UTC), so that tests set the clock.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import load_only

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import (
    Challenge,
    Event,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdate,
    User,
)
from facilitate.models.followup import UPDATE_TEXT_MAX
from facilitate.text import clean_text
from facilitate.workspace import uploads
from facilitate.workspace.checks import checked_upload

# The reminders: so many months after the event's last day.
MILESTONES = (3, 6)
# A challenge is quiet when nothing was said of it for this long (and the event ended as long ago).
QUIET_MONTHS = 3
# The invitation on a person's page stays until they update, at most this long after the last
# milestone; an email goes only within this many days of its milestone, so that a platform
# installing the command years after an event does not write to everyone who ever attended.
INVITATION_MONTHS_AFTER_LAST = 3
EMAIL_WINDOW_DAYS = 30
# News given this many days before a milestone answers it already.
RECENT_NEWS_DAYS = 30


def add_months(day: date, months: int) -> date:
    """The same day so many months later, or the month's last day (31 May + 3 months is
    31 August; 30 November + 3 months is 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (10 January to 9 June: 4)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if add_months(start, months) > end else months


def event_day(event: Event, moment: datetime) -> date:
    """The day a UTC moment falls on at the event's venue."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(event.timezone)).date()


def last_day(event: Event) -> date | None:
    """The event's last day at its venue; None for an event without dates."""
    moment = event.ends_at or event.starts_at
    return event_day(event, moment) if moment else None


def first_day(event: Event) -> date | None:
    """The event's first day at its venue; None for an event without dates."""
    return event_day(event, event.starts_at) if event.starts_at else None


def milestone_dates(event: Event) -> list[tuple[int, date]]:
    end = last_day(event)
    return [] if end is None else [(months, add_months(end, months)) for months in MILESTONES]


def due_milestone(event: Event, today: date) -> tuple[int, date] | None:
    """The latest milestone passed by ``today`` (months, day), if any."""
    passed = [(m, d) for m, d in milestone_dates(event) if d <= today]
    return passed[-1] if passed else None


def invitation_open(event: Event, follow_up: FollowUp | None, today: date) -> bool:
    """Whether the owner and the members are asked to update: a milestone has passed, nothing
    was said of the challenge since a month before it (news of last week answers it), and the
    last milestone is not long past."""
    due = due_milestone(event, today)
    if due is None:
        return False
    last = milestone_dates(event)[-1][1]
    if today >= add_months(last, INVITATION_MONTHS_AFTER_LAST):
        return False
    answered_from = due[1] - timedelta(days=RECENT_NEWS_DAYS)
    return follow_up is None or said_on(event, follow_up) < answered_from


def is_quiet(event: Event, follow_up: FollowUp | None, today: date) -> bool:
    """Nothing said of the challenge for QUIET_MONTHS, counted from the event's end."""
    end = last_day(event)
    if end is None or add_months(end, QUIET_MONTHS) > today:
        return False
    return follow_up is None or add_months(said_on(event, follow_up), QUIET_MONTHS) <= today


def said_on(event: Event, follow_up: FollowUp) -> date:
    """The day something was last said of the challenge: when its last update was written,
    whatever day it tells of (news of a test in May written in August is August's news)."""
    return event_day(event, follow_up.updated_at)


# --- Reading -----------------------------------------------------------------------------------


# Built once per process: building them cost the event's page more than SQLite takes to run
# them (README, "Statements built once per process").
_FOLLOW_UPS = select(FollowUp).where(FollowUp.event_id == bindparam("event_id"))
_CHALLENGES = (
    select(Challenge)
    .options(
        load_only(
            Challenge.number,
            Challenge.question,
            Challenge.project_name,
            Challenge.owner_organisation,
        )
    )
    .where(Challenge.event_id == bindparam("event_id"))
    .order_by(Challenge.number)
)
_UPDATES = (
    select(FollowUpUpdate, Challenge.number, User.name)
    .join(FollowUp, FollowUp.id == FollowUpUpdate.follow_up_id)
    .join(Challenge, Challenge.id == FollowUp.challenge_id)
    .outerjoin(User, User.id == FollowUpUpdate.author_id)
    .where(FollowUp.event_id == bindparam("event_id"))
    .order_by(FollowUpUpdate.happened_on, FollowUpUpdate.id)
)
_CHALLENGE_UPDATES = _UPDATES.where(FollowUp.challenge_id == bindparam("challenge_id"))


def follow_ups_of(event: Event) -> dict[int, FollowUp]:
    """The event's follow-ups by challenge id: one query."""
    rows = db.session.scalars(_FOLLOW_UPS, {"event_id": event.id})
    return {row.challenge_id: row for row in rows}


def challenges_of(event: Event) -> list[Challenge]:
    """The event's challenges by number, with only what follow-up lists show: one query."""
    return db.session.scalars(_CHALLENGES, {"event_id": event.id}).all()


def follow_up_of(challenge: Challenge) -> FollowUp | None:
    return db.session.scalar(select(FollowUp).where(FollowUp.challenge_id == challenge.id))


def updates_of(event: Event, challenge: Challenge | None = None) -> list[FollowUpUpdate]:
    """The updates, oldest first (the timeline's order), with their follow-up's challenge
    number and their author: one query whatever their number."""
    if challenge is None:
        rows = db.session.execute(_UPDATES, {"event_id": event.id}).all()
    else:
        rows = db.session.execute(
            _CHALLENGE_UPDATES, {"event_id": event.id, "challenge_id": challenge.id}
        ).all()
    for update, number, author_name in rows:
        update.challenge_number, update.author_name = number, author_name
    return [update for update, _number, _name in rows]


def photo_names(event: Event) -> list[str]:
    """The stored names of the photos sent with the event's updates: read before the event is
    deleted (its rows go with it), to remove the files once the deletion is committed."""
    return list(
        db.session.scalars(
            select(FollowUpUpdate.storage_name)
            .join(FollowUp, FollowUp.id == FollowUpUpdate.follow_up_id)
            .where(FollowUp.event_id == event.id, FollowUpUpdate.storage_name.is_not(None))
        )
    )


def update_of_event_or_none(event: Event, challenge: Challenge, update_id: int):
    return db.session.scalar(
        select(FollowUpUpdate)
        .join(FollowUp, FollowUp.id == FollowUpUpdate.follow_up_id)
        .where(
            FollowUpUpdate.id == update_id,
            FollowUp.event_id == event.id,
            FollowUp.challenge_id == challenge.id,
        )
    )


@dataclass(frozen=True)
class FollowUpFields:
    """What the exports and the API say of a challenge's follow-up: the status as a stable
    value (``status``) and as read (``status_label``), the progress, the last update's day."""

    status: str | None
    status_label: str
    progress: int | None
    last_update_on: date | None


def export_fields(follow_up: FollowUp | None) -> FollowUpFields:
    if follow_up is None:
        return FollowUpFields(None, "", None, None)
    return FollowUpFields(
        follow_up.status.value,
        str(follow_up.status.label),
        follow_up.progress,
        follow_up.last_update_on,
    )


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class UpdateDetails:
    """What the form says. ``status`` and ``progress`` are None when the person may not change
    them (a team member): the follow-up keeps its own."""

    happened_on: date | None
    text: str
    status: FollowUpStatus | None = None
    progress: int | None = None
    photo: tuple[bytes, str | None] | None = None


def _same_update(follow_up: FollowUp | None, actor, happened_on: date, text: str):
    """The update this person already wrote with these words for this day, if any: the same
    form sent twice (a double tap, a page sent again) is one piece of news, and updates cannot
    be deleted."""
    if follow_up is None:
        return None
    return db.session.scalar(
        select(FollowUpUpdate).where(
            FollowUpUpdate.follow_up_id == follow_up.id,
            FollowUpUpdate.author_id == actor.id,
            FollowUpUpdate.happened_on == happened_on,
            FollowUpUpdate.text == text,
        )
    )


def _says_the_same(update: FollowUpUpdate, details: UpdateDetails) -> bool:
    """Sent again with the same words, an update that also moves the status or the progress is
    news all the same."""
    return (details.status is None or details.status == update.status) and (
        details.progress is None or details.progress == update.progress
    )


def add_update(
    challenge: Challenge, actor, details: UpdateDetails, now: datetime
) -> FollowUpUpdate:
    """Record an update, whole or not at all: every check is made before anything is stored,
    and a stored photo is removed again if the rows cannot be written. The caller commits."""
    event = challenge.event
    if details.happened_on is None:
        raise DomainError(_("Give the day it happened."), field="happened_on")
    if details.happened_on > event_day(event, now):
        raise DomainError(
            _("This day is still to come: say what has happened, on the day it happened."),
            field="happened_on",
        )
    first = first_day(event)
    if first is not None and details.happened_on < first:
        # Most often a mistyped year, which would head the timeline for ever.
        raise DomainError(
            _(
                "This day is before the event: say what became of the prototype since, on the day it happened."
            ),
            field="happened_on",
        )
    text = clean_text(details.text or "").strip()
    if not text:
        raise DomainError(_("Say what happened."), field="text")
    if len(text) > UPDATE_TEXT_MAX:
        raise DomainError(_("At most 4,000 characters."), field="text")
    if details.progress is not None and not 0 <= details.progress <= 100:
        raise DomainError(_("The progress is a percentage, from 0 to 100."), field="progress")
    photo = checked_upload(details.photo[0], "photo", photos_only=True) if details.photo else None

    follow_up = follow_up_of(challenge)
    already = _same_update(follow_up, actor, details.happened_on, text)
    if already is not None and _says_the_same(already, details):
        return already
    before = None if follow_up is None else (follow_up.status, follow_up.progress)
    if follow_up is None:
        follow_up = FollowUp(
            event_id=event.id,
            challenge_id=challenge.id,
            status=details.status or FollowUpStatus.TESTING,
            progress=details.progress if details.progress is not None else 0,
            last_update_on=details.happened_on,
            updated_at=now,
        )
        db.session.add(follow_up)
    else:
        if details.status is not None:
            follow_up.status = details.status
        if details.progress is not None:
            follow_up.progress = details.progress
        follow_up.last_update_on = max(follow_up.last_update_on, details.happened_on)
        follow_up.updated_at = now
    update = FollowUpUpdate(
        follow_up=follow_up,
        author_id=actor.id,
        happened_on=details.happened_on,
        text=text,
        status=follow_up.status,
        progress=follow_up.progress,
        created_at=now,
    )
    db.session.add(update)
    stored = None
    if photo is not None:
        data, file_type = photo
        stored = uploads.store(data, file_type)
        update.storage_name = stored
        update.original_name = uploads.display_name(details.photo[1])
        update.content_type = file_type.content_type
    try:
        db.session.flush()
    except BaseException:
        if stored:
            uploads.remove(stored)
        raise
    if (follow_up.status, follow_up.progress) != before:
        # Where a prototype stands is what the organisers report on: who moved it, and when.
        record(
            event,
            actor,
            "followup.changed",
            number=challenge.number,
            status=follow_up.status.value,
            progress=follow_up.progress,
        )
    return update
