"""Take the demo months past the event (``flask demo-follow-up``), so that follow-up can be
shown: the demo otherwise runs today (day 2), and news of what became of a prototype cannot
be dated before the event has ended nor in the future.

The event's days, its programme and its planned stages move back so that it ended
``DAYS_SINCE_END`` days ago; the teams finish, the vote is held and revealed (as
``demo-exhibition`` does); then a few challenges get the news of ``rennes-2018-followup.json``,
each dated so many days after the event's last day and written by the challenge's owner through
the service the follow-up page uses. A demo that already has follow-up is left as it is."""

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from facilitate.demo.exhibition import move_to_exhibition
from facilitate.demo.people import casts
from facilitate.exhibition.vote import change_vote_status
from facilitate.extensions import db
from facilitate.followup.services import UpdateDetails, add_update, event_day, last_day
from facilitate.models import (
    Event,
    FollowUp,
    FollowUpStatus,
    PlannedStage,
    ProgrammeSession,
    VoteStatus,
)
from facilitate.models._types import utc_from_local, utcnow
from facilitate.programme.services import local

FOLLOW_UP_FILE = Path(__file__).with_name("rennes-2018-followup.json")
# Past the 6-month reminder, so that the news, the quiet challenges and the invitations show.
DAYS_SINCE_END = 200


@dataclass(frozen=True)
class FollowUpReport:
    added_now: bool  # False: the demo had follow-up already, left as it was
    challenges: int
    updates: int


def move_to_follow_up(event: Event, organiser, data: dict) -> FollowUpReport:
    if db.session.scalar(select(FollowUp.id).where(FollowUp.event_id == event.id)):
        return FollowUpReport(False, 0, 0)
    move_to_exhibition(event, organiser, data)
    for status in (VoteStatus.CLOSED, VoteStatus.REVEALED):
        if event.vote_status != status and event.vote_status.may_become(status):
            change_vote_status(event, organiser, status)
    _end_long_ago(event)
    news = json.loads(FOLLOW_UP_FILE.read_text(encoding="utf-8"))["challenges"]
    people = casts(event)
    challenges = {c.number: c for c in event.challenges}
    end = last_day(event)
    count = 0
    for number, updates in sorted(news.items(), key=lambda item: int(item[0])):
        challenge = challenges[int(number)]
        cast = people.get(int(number))
        author = cast.owners[0] if cast and cast.owners else organiser
        for item in updates:
            day = end + timedelta(days=item["days_after"])
            written = utc_from_local(datetime.combine(day, time(18)), event.timezone)
            add_update(
                challenge,
                author,
                UpdateDetails(
                    happened_on=day,
                    text=item["text"],
                    status=FollowUpStatus(item["status"]),
                    progress=item["progress"],
                ),
                now=written,
            )
            count += 1
    db.session.commit()
    return FollowUpReport(True, len(news), count)


def _end_long_ago(event: Event) -> None:
    """Move the event's moments back by whole days at the venue, so that it ended
    DAYS_SINCE_END days ago; a 9:00 session stays at 9:00, summer time or not."""
    shift = event_day(event, utcnow()) - timedelta(days=DAYS_SINCE_END) - last_day(event)
    if shift >= timedelta(0):
        return

    def moved(moment: datetime) -> datetime:
        return utc_from_local(local(moment, event.timezone) + shift, event.timezone)

    event.starts_at, event.ends_at = moved(event.starts_at), moved(event.ends_at)
    for row in db.session.scalars(
        select(ProgrammeSession).where(ProgrammeSession.event_id == event.id)
    ):
        row.starts_at, row.ends_at = moved(row.starts_at), moved(row.ends_at)
    for row in db.session.scalars(select(PlannedStage).where(PlannedStage.event_id == event.id)):
        row.starts_at = moved(row.starts_at)
    db.session.flush()
