"""The programme's iCalendar feeds: the event's, right in the venue's zone, and each person's,
behind a secret address they renew or revoke; and who may do what."""

from datetime import datetime, timedelta

import pytest
from flask_login import AnonymousUserMixin
from icalendar import Calendar
from sqlalchemy import select

from facilitate import policy
from facilitate.extensions import db
from facilitate.models import (
    CalendarFeed,
    Membership,
    ProgrammeSession,
    Role,
    _types,
)
from facilitate.people.management import remove_attendee
from facilitate.privacy.services import (
    erase_attendee,
)
from tests.factories import sign_in
from tests.programme.conftest import add


def _feed_times(body: bytes) -> dict[str, tuple[datetime, datetime]]:
    calendar = Calendar.from_ical(body)
    assert calendar.walk("VTIMEZONE"), "the feed carries its time zone"
    return {
        str(entry["SUMMARY"]): (entry.decoded("DTSTART"), entry.decoded("DTEND"))
        for entry in calendar.walk("VEVENT")
    }


@pytest.mark.parametrize(
    ("zone", "local_hour", "utc_hour"),
    [("Indian/Reunion", 9, 5), ("America/Martinique", 9, 13)],
)
def test_the_event_feed_gives_the_venues_times(client, make, zone, local_hour, utc_hour):
    event = make.event(timezone=zone)
    start = _types.utc_from_local(datetime(2018, 7, 9, local_hour, 0), zone)
    add(event, title="Plénière", starts_at=start, ends_at=start + timedelta(hours=1))
    db.session.commit()
    response = client.get(f"/events/{event.slug}/programme.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    # Subscribed calendars read it again every hour.
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.data
    assert b"X-PUBLISHED-TTL:PT1H" in response.data
    starts, ends = _feed_times(response.data)["Plénière"]
    assert str(starts.tzinfo) == zone
    assert (starts.hour, starts.utcoffset() is not None) == (local_hour, True)
    assert starts.astimezone(_types.UTC).hour == utc_hour
    assert ends - starts == timedelta(hours=1)
    entry = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(entry["URL"]).endswith(f"/events/{event.slug}/programme/sessions/{entry_id(event)}")


def entry_id(event) -> int:
    return db.session.scalar(
        select(ProgrammeSession.id).where(ProgrammeSession.event_id == event.id)
    )


def test_a_personal_feed_holds_the_teams_sessions_and_can_be_revoked(client, make, event):
    team, other = event.challenges[0].team, event.challenges[1].team
    participant = make.participant(event, team=team)
    start = datetime(2018, 7, 9, 5, 0)
    add(event, title="Pour tous", starts_at=start, ends_at=start + timedelta(hours=1))
    add(
        event,
        title="Notre équipe",
        team_id=team.id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    add(
        event,
        title="Autre équipe",
        team_id=other.id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    db.session.commit()
    sign_in(client, participant)
    assert client.post(f"/events/{event.slug}/programme/my-calendar/renew").status_code == 303
    token = db.session.scalar(select(CalendarFeed.token))
    page = client.get(f"/events/{event.slug}/programme/my-calendar").text
    assert f"webcal://localhost/calendars/{token}.ics" in page

    client.post("/sign-out")
    response = client.get(f"/calendars/{token}.ics")  # no session: the token alone
    assert response.status_code == 200
    assert set(_feed_times(response.data)) == {"Pour tous", "Notre équipe"}

    sign_in(client, participant)
    client.post(f"/events/{event.slug}/programme/my-calendar/renew")
    assert client.get(f"/calendars/{token}.ics").status_code == 404
    client.post(f"/events/{event.slug}/programme/my-calendar/revoke")
    assert db.session.scalar(select(CalendarFeed)) is None


def test_an_organisers_feed_holds_every_session(client, make, event):
    organiser = make.organiser(event)
    start = datetime(2018, 7, 9, 5, 0)
    for number, title in ((None, "Pour tous"), (0, "Équipe 1"), (1, "Équipe 2")):
        team_id = event.challenges[number].team.id if number is not None else None
        add(
            event, title=title, team_id=team_id, starts_at=start, ends_at=start + timedelta(hours=1)
        )
    db.session.commit()
    sign_in(client, organiser)
    client.post(f"/events/{event.slug}/programme/my-calendar/renew")
    token = db.session.scalar(select(CalendarFeed.token))
    titles = set(_feed_times(client.get(f"/calendars/{token}.ics").data))
    assert titles == {"Pour tous", "Équipe 1", "Équipe 2"}


def test_an_erased_attendee_loses_their_feed(client, make, event):
    participant = make.participant(event, team=event.challenges[0].team)
    db.session.commit()
    sign_in(client, participant)
    client.post(f"/events/{event.slug}/programme/my-calendar/renew")
    token = db.session.scalar(select(CalendarFeed.token))
    assert client.get(f"/calendars/{token}.ics").status_code == 200
    attendance = db.session.scalar(
        select(Membership).where(
            Membership.user_id == participant.id, Membership.erased_at.is_(None)
        )
    )
    attendance.erased_at = _types.utcnow()
    db.session.commit()
    assert client.get(f"/calendars/{token}.ics").status_code == 404


def test_people_from_outside_the_event_have_no_personal_feed(client, make, event):
    stranger = make.participant(make.event())
    db.session.commit()
    sign_in(client, stranger)
    assert client.get(f"/events/{event.slug}/programme/my-calendar").status_code == 403
    assert client.get("/calendars/nonsense.ics").status_code == 404


@pytest.mark.parametrize(
    ("role", "manage", "feed"),
    [
        ("organiser", True, True),
        ("facilitator", False, True),
        ("participant", False, True),
        ("stranger", False, False),
        ("anonymous", False, False),
    ],
)
def test_who_may_do_what_with_the_programme(app, make, event, role, manage, feed):
    team = event.challenges[0].team
    person = {
        "organiser": lambda: make.organiser(event),
        "facilitator": lambda: make.participant(event, team=team),
        "participant": lambda: make.participant(event, team=team),
        "stranger": lambda: make.participant(make.event()),
        "anonymous": AnonymousUserMixin,
    }[role]()
    if role == "facilitator":
        db.session.add(
            Membership(user_id=person.id, event_id=event.id, role=Role.FACILITATOR, team_id=team.id)
        )
        db.session.flush()
    with app.test_request_context():
        assert policy.can_view_programme(person, event)
        assert policy.can_manage_programme(person, event) is manage
        assert policy.can_have_calendar_feed(person, event) is feed


@pytest.mark.parametrize("how", ["removed", "erased"])
def test_a_removed_or_erased_attendee_has_no_address_left_to_come_back_to(client, make, event, how):
    """Brought back after a removal, or invited again after an erasure, a person does not find
    their old (maybe leaked) address working again: it is deleted with them."""
    participant = make.participant(event, team=event.challenges[0].team)
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, participant)
    client.post(f"/events/{event.slug}/programme/my-calendar/renew")
    assert db.session.scalar(select(CalendarFeed.token)) is not None
    if how == "removed":
        remove_attendee(event, participant, organiser)
    else:
        attendance = db.session.scalar(
            select(Membership).where(
                Membership.user_id == participant.id, Membership.role == Role.PARTICIPANT
            )
        )
        erase_attendee(event, attendance, organiser)
    db.session.commit()
    assert db.session.scalar(select(CalendarFeed)) is None
