"""Sessions entered by organisers: venue times, overlaps flagged, bad input refused with the form
kept, stages that follow their session, the public pages, and the demo's programme."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from facilitate.demo.programme import add_programme
from facilitate.extensions import db
from facilitate.models import (
    AuditEntry,
    PlannedStage,
    ProgrammeSession,
    SessionKind,
    Stage,
)
from tests.factories import sign_in
from tests.programme.conftest import T0, add, session_data


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


def _event_form(event, **stages) -> dict:
    """The event's form as the organiser sends it back, with these stage starts (venue time)."""
    return {
        "name": event.name,
        "slug": event.slug,
        "venue": "",
        "timezone": event.timezone,
        "starts_at": "2018-07-09T09:00",
        "ends_at": "2018-07-11T18:00",
        "description": "",
        "framing_at": "",
        "ideation_at": "",
        "prototyping_at": "",
        "exhibition_at": "",
    } | stages


def test_a_stage_moved_on_the_event_form_moves_its_session(client, event, organiser):
    """The session is the truth: the stage starts with it, whichever form moves it."""
    base = f"/events/{event.slug}/organise/programme"
    client.post(f"{base}/new", data=session_data(title="Idéation", stage="ideation"))
    session = db.session.scalar(select(ProgrammeSession))
    response = client.post(
        f"/events/{event.slug}/edit", data=_event_form(event, ideation_at="2018-07-10T14:00")
    )
    assert response.status_code == 303
    db.session.expire_all()
    moved = db.session.get(ProgrammeSession, session.id)
    # 14:00 in La Réunion is 10:00 UTC; the session keeps its hour.
    assert (moved.starts_at, moved.ends_at) == (
        datetime(2018, 7, 10, 10, 0),
        datetime(2018, 7, 10, 11, 0),
    )
    planned = db.session.scalar(select(PlannedStage).where(PlannedStage.stage == Stage.IDEATION))
    assert planned.starts_at == moved.starts_at
    assert "14:00" in client.get(f"{base}/{session.id}/edit").text

    # Its start cannot be cleared while the session carries it: refused, nothing changed.
    response = client.post(f"/events/{event.slug}/edit", data=_event_form(event))
    assert response.status_code == 400
    assert "Cette étape commence avec la session «\u00a0Idéation\u00a0»" in response.text
    db.session.expire_all()
    assert db.session.get(PlannedStage, planned.id).starts_at == moved.starts_at


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


def test_programme_pages_read_a_constant_number_of_queries(client, event, organiser, count_queries):
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
            for path in (
                "/programme",
                "/programme.ics",
                "/programme/room?name=Salle+1",
                "/programme/screen",
                "/programme/screen/state",
                "/organise/programme",
            ):
                assert client.get(f"/events/{event.slug}{path}").status_code == 200, path
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


def test_deleting_a_session_asks_first_and_the_history_keeps_it(client, event, organiser):
    session = add(event, title="Mini-conférence", starts_at=T0, ends_at=T0 + timedelta(hours=1))
    db.session.commit()
    url = f"/events/{event.slug}/organise/programme/{session.id}/delete"
    page = client.get(url)
    assert page.status_code == 200 and "Mini-conférence" in page.text
    assert db.session.get(ProgrammeSession, session.id) is not None
    assert client.post(url).status_code == 303
    assert db.session.scalar(select(ProgrammeSession)) is None
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry.action == "session.deleted"
    assert entry.details["snapshot"]["title"] == "Mini-conférence"
