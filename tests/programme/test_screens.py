"""A room's screen: the session under way and the next, moving on with the clock, and the
organisers' announcements."""

from datetime import datetime, time, timedelta

from facilitate.extensions import db
from facilitate.models._types import utc_from_local
from facilitate.programme.services import local
from tests.programme.conftest import T0, add


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


def test_a_poll_finds_nothing_new_from_one_query_until_something_changes(
    client, event, clock, count_queries
):
    session = add(
        event,
        title="Demain",
        starts_at=T0 + timedelta(days=1),
        ends_at=T0 + timedelta(days=1, hours=1),
    )
    db.session.commit()
    url = f"/events/{event.slug}/programme/screen/state"
    response = client.get(url)
    assert response.json["sessions"][0]["day"] is not None  # another day: named
    etag = response.headers["ETag"]
    with count_queries() as queries:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert len(queries) == 1
    # A change to the programme: sent again, at once.
    session.title = "Demain matin"
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json["sessions"][0]["title"] == "Demain matin"
    etag = response.headers["ETag"]
    # Midnight at the venue: the session is today's, sent again.
    today = local(T0, event.timezone).date()
    midnight = utc_from_local(datetime.combine(today + timedelta(days=1), time()), event.timezone)
    clock.advance(seconds=(midnight - T0).total_seconds() - 60)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    clock.advance(minutes=2)
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json["sessions"][0]["day"] is None
