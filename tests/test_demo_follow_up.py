"""``flask demo-follow-up``: the demo months past the event, with news of a few prototypes
dated after its last day, never in the future; the programme keeps its clock times."""

import os
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from facilitate.demo.followup import DAYS_SINCE_END
from facilitate.extensions import db
from facilitate.followup.services import UpdateDetails, add_update, last_day
from facilitate.models import (
    Event,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdate,
    ProgrammeSession,
    User,
    VoteStatus,
)
from facilitate.models._types import utcnow
from facilitate.programme.services import local
from facilitate.workspace import uploads
from tests.test_demo import cli, instance  # noqa: F401  (the demo's fixtures)
from tests.test_workspace_prototyping import _png


def test_the_follow_up_command_ends_the_demo_months_ago_with_news_of_four_prototypes(
    cli,  # noqa: F811
    client,
    instance,  # noqa: F811
):
    cli("demo")
    first_session = db.session.scalar(select(func.min(ProgrammeSession.starts_at)))
    event = db.session.scalar(select(Event).where(Event.slug == "rennes-2018"))
    clock = local(first_session, event.timezone).time()

    output = cli("demo-follow-up").output
    db.session.expire_all()
    event = db.session.scalar(select(Event).where(Event.slug == "rennes-2018"))
    today = datetime.now(ZoneInfo(event.timezone)).date()
    assert last_day(event) == today - timedelta(days=DAYS_SINCE_END)
    assert local(event.starts_at, event.timezone).time() == time(9, 0)
    moved = db.session.scalar(select(func.min(ProgrammeSession.starts_at)))
    assert local(moved, event.timezone).time() == clock
    assert event.vote_status == VoteStatus.REVEALED

    statuses = dict(
        db.session.execute(
            select(FollowUp.challenge_id, FollowUp.status).where(FollowUp.event_id == event.id)
        ).all()
    )
    numbers = {c.id: c.number for c in event.challenges}
    assert {numbers[c]: s for c, s in statuses.items()} == {
        2: FollowUpStatus.ABANDONED,
        3: FollowUpStatus.DEPLOYED,
        8: FollowUpStatus.TESTING,
        13: FollowUpStatus.DEPLOYED,
    }
    days = db.session.scalars(select(FollowUpUpdate.happened_on)).all()
    assert len(days) == 10 and all(last_day(event) < day < today for day in days)
    assert "10" in output and "/events/rennes-2018/follow-up" in output

    password = (instance / "demo-organiser-password").read_text().strip()
    client.post(
        "/sign-in/password", data={"email": "organisateur@example.org", "password": password}
    )
    page = client.get("/events/rennes-2018/follow-up").text
    assert "Bilan à six mois" in page and "Déployé" in page and "Abandonné" in page

    again = cli("demo-follow-up").output
    assert "déjà" in again or "already" in again
    assert db.session.scalar(select(func.count(FollowUpUpdate.id))) == 10

    # A photo added during the rehearsal goes with the demo when it is loaded again.
    challenge = next(c for c in event.challenges if c.number == 3)
    organiser = db.session.scalar(select(User).where(User.email == "organisateur@example.org"))
    details = UpdateDetails(today, "Photo de la rentrée.", photo=(_png(), "bassin.png"))
    photo = add_update(challenge, organiser, details, now=utcnow()).storage_name
    db.session.commit()
    assert os.path.isfile(uploads.path_of(photo))
    cli("demo", "--reset")
    assert not os.path.exists(uploads.path_of(photo))
