"""The organiser's dashboard, the event's stage, the countdown and the room screen."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import AuditEntry, Membership, Role, Stage, _types
from tests.factories import sign_in

T0 = datetime(2018, 7, 9, 9, 0, 0)


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock: ``clock.now`` is what the app reads; move it with ``clock.advance``."""

    class Clock:
        now = T0

        def advance(self, **delta):
            self.now += timedelta(**delta)

    c = Clock()
    monkeypatch.setattr(_types, "utcnow", lambda: c.now)
    return c


@pytest.fixture
def event(make):
    return make.event(challenges=3, themes=2)


@pytest.fixture
def organiser(client, make, event):
    person = make.organiser(event)
    db.session.commit()
    sign_in(client, person)
    return person


def test_anonymous_people_are_sent_to_sign_in(client, event):
    db.session.commit()
    for path in ("dashboard", "dashboard/teams", "room", "room/state"):
        response = client.get(f"/events/{event.slug}/{path}")
        assert response.status_code == 302, path
        assert "/sign-in" in response.location
    response = client.post(f"/events/{event.slug}/timer/start", data={"minutes": "10"})
    assert response.status_code == 302


def test_participants_see_the_room_screen_but_not_the_dashboard(client, make, event):
    person = make.participant(event, team=event.challenges[0].team)
    db.session.commit()
    sign_in(client, person)
    base = f"/events/{event.slug}"
    assert client.get(f"{base}/dashboard").status_code == 403
    assert client.get(f"{base}/dashboard/teams").status_code == 403
    for action in ("start", "pause", "resume", "reset"):
        assert client.post(f"{base}/timer/{action}", data={"minutes": "5"}).status_code == 403
    assert client.post(f"{base}/dashboard/stage/next").status_code == 403
    assert client.get(f"{base}/room").status_code == 200
    assert client.get(f"{base}/room/state").status_code == 200
    db.session.refresh(event)
    assert event.stage == Stage.FRAMING and event.timer_duration is None


def test_people_of_another_event_do_not_see_the_room_screen(client, make, event):
    other = make.event()
    person = make.participant(other)
    db.session.commit()
    sign_in(client, person)
    assert client.get(f"/events/{event.slug}/room").status_code == 403


def test_organiser_sees_every_team_with_its_progress(client, make, event, organiser):
    team = event.challenges[1].team
    facilitator = make.user(name="Dominique Facilitatrice")
    db.session.add(Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR))
    team.working_question = "Comment ?"
    team.last_activity_at = datetime(2018, 7, 9, 8, 30)
    event.stage = Stage.IDEATION
    event.challenges[0].team.stage = Stage.IDEATION
    db.session.commit()
    response = client.get(f"/events/{event.slug}/dashboard")
    assert response.status_code == 200
    html = response.text
    assert "Dominique Facilitatrice" in html
    for challenge in event.challenges:
        assert challenge.question in html
    assert "1/4" in html  # framing checklist of challenge 2: the working question
    assert "9 juillet 2018 à 10\u00a0h\u00a030" in html  # 08:30 UTC in Paris, summer time
    behind = html.count('data-behind="true"')
    assert behind == 2  # challenges 2 and 3 are still framing


def test_dashboard_filters_by_theme(client, event, organiser):
    theme = event.themes[0]
    in_theme = [c for c in event.challenges if c.theme_id == theme.id]
    out_of_theme = [c for c in event.challenges if c.theme_id != theme.id]
    response = client.get(f"/events/{event.slug}/dashboard?theme={theme.id}")
    assert response.status_code == 200
    assert all(f'data-team="{c.number}"' in response.text for c in in_theme)
    assert not any(f'data-team="{c.number}"' in response.text for c in out_of_theme)
    for bad in ("nonsense", "999999", ""):
        response = client.get(f"/events/{event.slug}/dashboard?theme={bad}")
        assert response.status_code == 200
        assert response.text.count("data-team=") == 3


def _many_teams(make, size):
    event = make.event(themes=2)
    for number in range(1, size + 1):
        challenge = make.challenge(event, number=number, theme=event.themes[number % 2])
        facilitator = make.user()
        db.session.add(
            Membership(user=facilitator, event=event, team=challenge.team, role=Role.FACILITATOR)
        )
    organiser = make.organiser(event)
    db.session.commit()
    return event, organiser


def test_dashboard_runs_the_same_queries_for_14_or_200_teams(client, make, count_queries):
    counts = []
    for size in (14, 200):
        event, organiser = _many_teams(make, size)
        sign_in(client, organiser)
        for path in ("dashboard", "dashboard/teams", "room", "room/state"):
            with count_queries() as queries:
                assert client.get(f"/events/{event.slug}/{path}").status_code == 200
            counts.append((size, path, len(queries)))
    small = [(path, n) for size, path, n in counts if size == 14]
    large = [(path, n) for size, path, n in counts if size == 200]
    assert small == large


def _etag(response):
    return response.headers["ETag"].strip('"')


def test_teams_fragment_answers_304_until_a_team_changes(client, event, organiser):
    url = f"/events/{event.slug}/dashboard/teams"
    first = client.get(url)
    assert first.status_code == 200 and first.headers.get("ETag")
    assert not first.headers["ETag"].startswith("W/")
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    event.challenges[0].team.stage = Stage.IDEATION
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert _etag(changed) != _etag(first)
    # The dashboard page carries the ETag of the fragment it embeds, for dashboard.js.
    assert f'data-etag="{_etag(changed)}"' in client.get(f"/events/{event.slug}/dashboard").text


def test_room_state_answers_304_until_someone_acts(client, event, organiser, clock):
    url = f"/events/{event.slug}/room/state"
    first = client.get(url)
    assert first.status_code == 200
    assert first.json["running"] is False and first.json["stage"] == "framing"
    clock.advance(seconds=30)  # time passing alone changes nothing
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    client.post(f"/events/{event.slug}/timer/start", data={"minutes": "10"})
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.json["running"] is True
    assert changed.json["remaining"] == 600
    assert changed.json["server_now"] == "2018-07-09T09:00:30.000Z"
    assert changed.json["ends_at"] == "2018-07-09T09:10:30.000Z"
    clock.advance(seconds=5)
    later = client.get(url, headers={"If-None-Match": changed.headers["ETag"]})
    assert later.status_code == 304


def test_organiser_moves_the_event_stage_with_an_audit_entry(client, event, organiser):
    base = f"/events/{event.slug}/dashboard/stage"
    assert client.post(f"{base}/previous").status_code == 303  # already first: refused
    db.session.refresh(event)
    assert event.stage == Stage.FRAMING
    assert client.post(f"{base}/next").status_code == 303
    db.session.refresh(event)
    assert event.stage == Stage.IDEATION
    entry = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.event_id == event.id, AuditEntry.action == "event.stage_moved"
        )
    ).one()
    assert entry.details == {"from": "framing", "to": "ideation"}
    assert entry.actor_id == organiser.id
    # Every team is now behind the event, on the dashboard and on the room state.
    assert client.get(f"/events/{event.slug}/dashboard").text.count('data-behind="true"') == 3
    assert client.post(f"{base}/previous").status_code == 303
    db.session.refresh(event)
    assert event.stage == Stage.FRAMING
    assert client.post(f"{base}/sideways").status_code == 404
    for _ in range(5):
        client.post(f"{base}/next")
    db.session.refresh(event)
    assert event.stage == Stage.EXHIBITION


def _timer(event):
    db.session.refresh(event)
    return event.timer_duration, event.timer_ends_at, event.timer_remaining


def test_countdown_start_pause_resume_reset(client, event, organiser, clock):
    base = f"/events/{event.slug}/timer"
    assert client.post(f"{base}/start", data={"minutes": "10"}).status_code == 303
    assert _timer(event) == (600, T0 + timedelta(minutes=10), None)

    clock.advance(minutes=3, seconds=20)
    assert client.post(f"{base}/pause").status_code == 303
    assert _timer(event) == (600, None, 400)
    state = client.get(f"/events/{event.slug}/room/state").json
    assert state["running"] is False and state["remaining"] == 400

    clock.advance(minutes=30)  # paused: nothing moves
    assert client.get(f"/events/{event.slug}/room/state").json["remaining"] == 400
    assert client.post(f"{base}/resume").status_code == 303
    assert _timer(event) == (600, clock.now + timedelta(seconds=400), None)

    clock.advance(seconds=100)
    assert client.get(f"/events/{event.slug}/room/state").json["remaining"] == 300
    clock.advance(hours=1)  # past the end: zero, never negative
    assert client.get(f"/events/{event.slug}/room/state").json["remaining"] == 0

    assert client.post(f"{base}/reset").status_code == 303
    assert _timer(event) == (600, None, 600)


def test_countdown_actions_out_of_order_are_refused_politely(client, event, organiser, clock):
    base = f"/events/{event.slug}/timer"
    for action in ("pause", "resume", "reset"):
        assert client.post(f"{base}/{action}").status_code == 303
    assert _timer(event) == (None, None, None)
    client.post(f"{base}/start", data={"minutes": "5"})
    assert client.post(f"{base}/resume").status_code == 303  # running: nothing to resume
    assert _timer(event) == (300, T0 + timedelta(minutes=5), None)


@pytest.mark.parametrize("minutes", ["0", "241", "-3", "", "dix", "1.5", "99999999999999999999"])
def test_invalid_durations_are_refused_next_to_the_field(client, event, organiser, minutes):
    response = client.post(f"/events/{event.slug}/timer/start", data={"minutes": minutes})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    assert 'id="minutes-error"' in response.text
    assert _timer(event) == (None, None, None)


@pytest.mark.parametrize("minutes", ["1", "240"])
def test_durations_at_the_limits_are_accepted(client, event, organiser, minutes):
    assert (
        client.post(f"/events/{event.slug}/timer/start", data={"minutes": minutes}).status_code
        == 303
    )
    assert _timer(event)[0] == int(minutes) * 60


def test_room_screen_shows_stage_countdown_and_teams(client, make, event, clock):
    person = make.participant(event)
    event.stage = Stage.PROTOTYPING
    event.timer_duration = 600
    event.timer_remaining = 125
    db.session.commit()
    sign_in(client, person)
    html = client.get(f"/events/{event.slug}/room").text
    assert 'role="timer"' in html and 'aria-live="off"' in html
    assert ">2:05<" in html
    assert 'data-running="false"' in html
    assert 'data-remaining="125"' in html
    assert 'data-server-now="2018-07-09T09:00:00.000Z"' in html
    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in html
    assert html.count('class="room__team"') == 3
    assert "dashboard/stage" not in html  # no organiser control for a participant
