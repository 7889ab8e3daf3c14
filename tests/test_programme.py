"""The programme (issue 14, items 1 and 2): sessions entered by organisers, the public pages,
the iCalendar feeds, the room screen's state and the announcements."""

from datetime import datetime, timedelta

import pytest
from flask_login import AnonymousUserMixin
from icalendar import Calendar
from sqlalchemy import select

from facilitate import policy
from facilitate.demo.programme import add_programme
from facilitate.extensions import db
from facilitate.models import (
    AuditEntry,
    CalendarFeed,
    Membership,
    PlannedStage,
    ProgrammeSession,
    Role,
    SessionKind,
    Stage,
    _types,
)
from tests.factories import sign_in

# 9 July 2018, 6:00 UTC: 8:00 in Paris, 10:00 in La Réunion, 2:00 in Martinique.
T0 = datetime(2018, 7, 9, 6, 0, 0)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = T0

        def advance(self, **delta):
            self.now += timedelta(**delta)

    c = Clock()
    monkeypatch.setattr(_types, "utcnow", lambda: c.now)
    return c


@pytest.fixture
def event(make):
    return make.event(
        challenges=2,
        timezone="Indian/Reunion",
        starts_at=datetime(2018, 7, 9, 5, 0),
        ends_at=datetime(2018, 7, 11, 14, 0),
    )


@pytest.fixture
def organiser(client, make, event):
    person = make.organiser(event)
    db.session.commit()
    sign_in(client, person)
    return person


def session_data(**fields) -> dict:
    """A form as the organiser fills it: times at the venue."""
    return {
        "kind": "talk",
        "title": "Conférence introductive",
        "starts_at": "2018-07-09T09:30",
        "ends_at": "2018-07-09T10:30",
        "room": "Amphi A",
        "speakers": "Marie Dupont",
        "description": "",
        "stage": "",
        "team": "",
    } | fields


def add(event, **fields) -> ProgrammeSession:
    values = {
        "kind": SessionKind.TALK,
        "title": "Session",
        "room": "Amphi A",
        "description": "",
    } | fields
    session = ProgrammeSession(event_id=event.id, **values)
    db.session.add(session)
    db.session.flush()
    return session


def test_an_organiser_adds_a_session_in_the_venues_time(client, event, organiser):
    response = client.post(f"/events/{event.slug}/organise/programme/new", data=session_data())
    assert response.status_code == 303
    session = db.session.scalar(select(ProgrammeSession))
    # 9:30 in La Réunion (UTC+4) is 5:30 UTC.
    assert session.starts_at == datetime(2018, 7, 9, 5, 30)
    assert session.ends_at == datetime(2018, 7, 9, 6, 30)
    assert session.kind is SessionKind.TALK
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
        "session.created"
    )
    page = client.get(f"/events/{event.slug}/programme").text
    assert "Conférence introductive" in page
    assert "9\u00a0h\u00a030" in page
    assert "Heure de La Réunion (UTC+4)" in page


def test_a_session_ending_before_it_starts_is_refused_and_the_form_kept(client, event, organiser):
    data = session_data(ends_at="2018-07-09T09:00", title="Atelier du matin")
    response = client.post(f"/events/{event.slug}/organise/programme/new", data=data)
    assert response.status_code == 400
    assert "doit se terminer après son début" in response.text
    assert "Atelier du matin" in response.text  # what was typed is still there
    assert db.session.scalar(select(ProgrammeSession)) is None


def test_overlapping_sessions_in_one_room_are_flagged_not_refused(client, event, organiser):
    base = f"/events/{event.slug}/organise/programme"
    client.post(f"{base}/new", data=session_data(title="Plénière d’ouverture"))
    response = client.post(
        f"{base}/new",
        data=session_data(title="Mini-conférence", starts_at="2018-07-09T10:00"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert len(db.session.scalars(select(ProgrammeSession)).all()) == 2
    assert "chevauche" in response.text
    # Another room at the same time is no overlap.
    client.post(f"{base}/new", data=session_data(title="Repas", room="Hall", kind="meal"))
    page = client.get(base).text
    assert page.count("programme-clash") == 2


def test_a_session_carrying_a_stage_moves_its_planned_start(client, event, organiser):
    base = f"/events/{event.slug}/organise/programme"
    client.post(f"{base}/new", data=session_data(title="Idéation", stage="ideation"))
    planned = db.session.scalar(select(PlannedStage).where(PlannedStage.stage == Stage.IDEATION))
    assert planned.starts_at == datetime(2018, 7, 9, 5, 30)
    session = db.session.scalar(select(ProgrammeSession))
    client.post(
        f"{base}/{session.id}/edit",
        data=session_data(title="Idéation", stage="ideation", starts_at="2018-07-09T10:00"),
    )
    db.session.expire_all()
    assert db.session.get(PlannedStage, planned.id).starts_at == datetime(2018, 7, 9, 6, 0)
    # A second session may not carry the same stage: refused on the field.
    response = client.post(f"{base}/new", data=session_data(title="Autre", stage="ideation"))
    assert response.status_code == 400
    assert "Autre" in response.text


def test_only_organisers_edit_the_programme(client, make, event):
    participant = make.participant(event, team=event.challenges[0].team)
    db.session.commit()
    base = f"/events/{event.slug}/organise/programme"
    assert client.get(base).status_code == 302
    sign_in(client, participant)
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/new", data=session_data()).status_code == 403
    assert client.post(f"{base}/announcement", data={"text": "Hop"}).status_code == 403
    assert client.get(f"/events/{event.slug}/programme").status_code == 200


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


def test_the_screen_shows_the_session_under_way_then_the_next(client, event, clock):
    first = add(
        event,
        title="Conférence",
        starts_at=T0 - timedelta(minutes=30),
        ends_at=T0 + timedelta(minutes=10),
    )
    add(
        event,
        title="Mini-conférence",
        starts_at=T0 + timedelta(minutes=10),
        ends_at=T0 + timedelta(minutes=40),
    )
    add(event, title="Ailleurs", room="Salle B", starts_at=T0, ends_at=T0 + timedelta(hours=1))
    db.session.commit()
    url = f"/events/{event.slug}/programme/screen/state?room=Amphi+A"
    response = client.get(url)
    state = response.json
    assert [s["title"] for s in state["sessions"]] == ["Conférence", "Mini-conférence"]
    assert state["sessions"][0]["id"] == first.id
    assert state["sessions"][0]["times"] == "9\u00a0h\u00a030 – 10\u00a0h\u00a010"
    assert state["server_now"] == "2018-07-09T06:00:00.000Z"
    etag = response.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    clock.advance(minutes=11)
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert [s["title"] for s in response.json["sessions"]] == ["Mini-conférence"]
    page = client.get(f"/events/{event.slug}/programme/screen?room=Amphi+A").text
    assert 'id="pscreen-title">Mini-conférence<' in page


def test_an_announcement_shows_on_every_screen_for_ten_minutes(client, event, organiser, clock):
    url = f"/events/{event.slug}/programme/screen/state"
    etag = client.get(url).headers["ETag"]
    response = client.post(
        f"/events/{event.slug}/organise/programme/announcement",
        data={"text": "Le déjeuner est servi en salle B."},
    )
    assert response.status_code == 303
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json["announcement"]["text"] == "Le déjeuner est servi en salle B."
    assert response.json["announcement"]["expires_at"] == "2018-07-09T06:10:00.000Z"
    clock.advance(minutes=10, seconds=1)
    assert client.get(url).json["announcement"] is None

    client.post(f"/events/{event.slug}/organise/programme/announcement", data={"text": "Pause"})
    client.post(f"/events/{event.slug}/organise/programme/announcement/dismiss")
    assert client.get(url).json["announcement"] is None
    empty = client.post(f"/events/{event.slug}/organise/programme/announcement", data={"text": " "})
    assert empty.status_code == 400


def test_programme_pages_read_a_constant_number_of_queries(client, event, count_queries):
    def fill(n):
        for i in range(n):
            start = datetime(2018, 7, 9 + i % 3, 5, 0) + timedelta(minutes=10 * i)
            add(
                event,
                title=f"Session {i}",
                room=f"Salle {i % 4}",
                team_id=event.challenges[i % 2].team.id,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
            )
        db.session.commit()

    counts = []
    for n in (3, 12):
        fill(n)
        with count_queries() as queries:
            assert client.get(f"/events/{event.slug}/programme").status_code == 200
            assert client.get(f"/events/{event.slug}/programme.ics").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_unknown_rooms_and_sessions_are_404(client, event):
    db.session.commit()
    base = f"/events/{event.slug}/programme"
    assert client.get(f"{base}/room?name=Nulle+part").status_code == 404
    assert client.get(f"{base}/room").status_code == 404
    assert client.get(f"{base}/sessions/999").status_code == 404
    assert client.get(f"{base}/screen?room=" + "x" * 500).status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "sieste"},
        {"stage": "nap"},
        {"team": "999"},
        {"team": "²"},
        {"starts_at": "demain matin"},
        {"ends_at": "9999-12-31T23:59"},
        {"title": "x" * 201},
    ],
)
def test_made_up_session_forms_are_refused_without_a_500(client, event, organiser, fields):
    response = client.post(
        f"/events/{event.slug}/organise/programme/new", data=session_data(**fields)
    )
    assert response.status_code == 400
    assert db.session.scalar(select(ProgrammeSession)) is None


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


def test_the_demo_programme_runs_three_days_and_sets_the_stages(make):
    event = make.event(timezone="Europe/Paris", starts_at=datetime(2018, 7, 9, 7, 0))
    assert add_programme(event, None) >= 15
    sessions = db.session.scalars(select(ProgrammeSession)).all()
    kinds = [s.kind for s in sessions]
    assert kinds.count(SessionKind.TALK) == 2  # the two introductory talks
    assert SessionKind.DEBRIEF in kinds and kinds.count(SessionKind.SHORT_TALK) >= 2
    assert {s.starts_at.date().day for s in sessions} == {9, 10, 11}
    planned = db.session.scalars(select(PlannedStage).where(PlannedStage.event_id == event.id))
    assert {p.stage for p in planned} == set(Stage)
