"""The invitations to update a challenge's follow-up, 3 and 6 months after the event: listed
on the person's own page while they stand, and emailed once by the daily command
(``flask --app facilitate send-follow-up-reminders``), each recorded so that running it again,
or from two machines' timers, sends nothing twice.

Those asked are the challenge's owners and its team's members as the event knows them now: a
person removed from the event, or from the team, is asked nothing.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitate import policy
from facilitate.extensions import db
from facilitate.followup.services import (
    EMAIL_WINDOW_DAYS,
    due_milestone,
    event_day,
    invitation_open,
    last_day,
    months_between,
)
from facilitate.mail import make_message, send
from facilitate.models import (
    Challenge,
    Event,
    FollowUp,
    FollowUpReminder,
    Membership,
    Role,
    Team,
    User,
)

log = logging.getLogger(__name__)

ASKED_ROLES = (Role.CHALLENGE_OWNER, Role.MEMBER)
# Events further back than this have no milestone left to remind of (6 months and the window,
# with a margin for time zones).
_LOOK_BACK = timedelta(days=31 * 9)
_FIRST_MILESTONE = timedelta(days=88)


@dataclass(frozen=True)
class Invitation:
    event: Event
    challenge: Challenge
    months: int  # the milestone it answers (3 or 6)
    ended_months_ago: int  # what the page says: the invitation stands past its milestone


def _candidates(now: datetime, user_id: int | None = None):
    """(event, challenge, follow-up or None, user) for everyone asked at events that ended
    between three and nine months ago: one query."""
    ended = func.coalesce(Event.ends_at, Event.starts_at)
    query = (
        select(Event, Challenge, FollowUp, User)
        .join(Challenge, Challenge.event_id == Event.id)
        .join(Team, Team.challenge_id == Challenge.id)
        .join(Membership, Membership.team_id == Team.id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(FollowUp, FollowUp.challenge_id == Challenge.id)
        .where(
            Membership.role.in_(ASKED_ROLES),
            ended <= now - _FIRST_MILESTONE,
            ended >= now - _LOOK_BACK,
        )
        .order_by(Event.id, Challenge.number, User.id)
    )
    if user_id is not None:
        query = query.where(User.id == user_id)
    return db.session.execute(query).all()


def invitations_for(user, now: datetime) -> list[Invitation]:
    """The challenges this person is asked to say what became of, for their own page."""
    if not user.is_authenticated:
        return []
    found = {}
    for event, challenge, follow_up, _user in _candidates(now, user.id):
        if not policy.session_reaches(user, event.id):
            continue
        today = event_day(event, now)
        if invitation_open(event, follow_up, today):
            found[challenge.id] = Invitation(
                event,
                challenge,
                due_milestone(event, today)[0],
                months_between(last_day(event), today),
            )
    return list(found.values())


@dataclass
class ReminderReport:
    sent: int = 0
    failed: int = 0


def send_reminders(now: datetime, deliver=send) -> ReminderReport:
    """Email each person asked whose milestone passed in the last EMAIL_WINDOW_DAYS days and
    who was not yet reminded of it. Each reminder is recorded in the same transaction as it is
    sent, one at a time: a message that cannot be sent is not recorded, and is tried again on
    the next run (while the window lasts)."""
    report = ReminderReport()
    sent = {
        (row.challenge_id, row.user_id, row.months)
        for row in db.session.scalars(
            select(FollowUpReminder).where(FollowUpReminder.sent_at >= now - _LOOK_BACK)
        )
    }
    for event, challenge, follow_up, person in _candidates(now):
        today = event_day(event, now)
        due = due_milestone(event, today)
        if due is None or (today - due[1]).days > EMAIL_WINDOW_DAYS:
            continue
        if not person.email or (challenge.id, person.id, due[0]) in sent:
            continue
        if not invitation_open(event, follow_up, today):
            continue
        reminder = FollowUpReminder(
            challenge_id=challenge.id, user_id=person.id, months=due[0], sent_at=now
        )
        # Recorded before it is sent, under the unique constraint: a second run at the same
        # time waits for this one and finds it recorded. Undone if the message cannot go.
        savepoint = db.session.begin_nested()
        db.session.add(reminder)
        try:
            db.session.flush()
        except IntegrityError:
            savepoint.rollback()
            continue
        try:
            deliver(reminder_email(event, challenge, person, due[0]))
        except Exception:
            log.exception("Could not send a follow-up reminder to %s", person.email)
            savepoint.rollback()
            report.failed += 1
            continue
        savepoint.commit()
        db.session.commit()
        sent.add((challenge.id, person.id, due[0]))
        report.sent += 1
    return report


def reminder_email(event: Event, challenge: Challenge, person: User, months: int):
    url = url_for("followup.challenge", slug=event.slug, number=challenge.number, _external=True)
    subject = _(
        "What became of challenge %(number)d of “%(event)s”?",
        number=challenge.number,
        event=event.name,
    )
    body = "\n\n".join(
        [
            _("Hello %(name)s,", name=person.name),
            _(
                "It is %(months)d months since “%(event)s”. Where does the prototype of challenge %(number)d stand? Tested, deployed, extended to other territories, or set aside: a few lines and a photo tell everyone.",
                months=months,
                event=event.name,
                number=challenge.number,
            ),
            _("Follow this link to add an update:"),
            url,
            _("You receive this message because you carried this challenge or worked on it."),
        ]
    )
    return make_message(person.email, subject, body + "\n")
