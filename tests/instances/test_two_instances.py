"""Two real app processes (gunicorn) on one PostgreSQL database and one Redis, as a deployment
that grows past one process runs (issue 15, item 4): what is done through one is seen on the
screens the other serves within two seconds, a rate limit reached on one holds on the other,
and neither a Redis nor a database connection going away costs more than a warning or the
request in flight.

Runs when the suite runs on PostgreSQL (FACILITATE_TEST_DATABASE_URL) and Redis answers at
FACILITATE_TEST_REDIS_URL (default redis://127.0.0.1:6379/15); its counts live under a key prefix
of their own, removed at the end, so that runs side by side do not meet.
"""

import os
import time
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from facilitate import create_app
from facilitate.api.auth import issue_api_token
from facilitate.auth.codes import new_access_code
from facilitate.extensions import db
from tests import conftest, factories
from tests.instances.servers import Instance, start_instances, stop_instances

REDIS_URL = os.environ.get("FACILITATE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SEEN_WITHIN = 2.0  # seconds


def _redis_or_skip():
    if not (conftest.TEST_DATABASE_URL or "").startswith("postgresql"):
        pytest.skip(
            "several processes share a database on PostgreSQL only (set FACILITATE_TEST_DATABASE_URL)"
        )
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(
            f"Redis does not answer at {REDIS_URL} ({error}); set FACILITATE_TEST_REDIS_URL"
        )
    return client


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """Two instances sharing the database and Redis, and a third whose Redis is unreachable."""
    redis_client = _redis_or_skip()
    url = conftest.sibling_database_url(tmp_path_factory, "instances")
    app = create_app(conftest.test_config(url))
    conftest.reset_database(app)
    with app.app_context():
        event = factories.event(challenges=2, slug="deux-instances")
        organiser = factories.organiser(event, name="Camille Organisatrice")
        db.session.commit()
        # Two tokens: one spent on the API's rate limit, one for the other tests.
        tokens = [issue_api_token(organiser.email)[1] for _ in range(2)]
        db.session.commit()
        seeded = {"slug": event.slug, "email": organiser.email, "token": tokens[0]}
        seeded["limited_token"] = tokens[1]
        db.session.remove()
        db.engine.dispose()
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    settings = {
        "FACILITATE_DATABASE_URL": url,
        "FACILITATE_SECRET_KEY": "tests-only-secret",
        "FACILITATE_WTF_CSRF_ENABLED": "false",
        "FACILITATE_RATELIMIT_STORAGE_URI": REDIS_URL,
        "FACILITATE_RATELIMIT_KEY_PREFIX": prefix,
        "FACILITATE_SIGN_IN_RATE_LIMIT": "5 per minute",
        "FACILITATE_API_RATE_LIMIT": "6 per minute",
        "FACILITATE_UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
    }
    folder = tmp_path_factory.mktemp("instances")
    without_redis = {**settings, "FACILITATE_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}
    instances = start_instances(folder, [settings, settings, without_redis])
    try:
        yield instances, seeded, url
    finally:
        stop_instances(instances)
        for key in redis_client.scan_iter(match=f"{prefix}*"):
            redis_client.delete(key)
        for key in redis_client.scan_iter(match=f"*{prefix}*"):
            redis_client.delete(key)


def signed_in(instance: Instance, email: str) -> dict:
    response = instance.request(
        "POST", "/sign-in/password", form={"email": email, "password": factories.PASSWORD}
    )
    assert response.status == 303, response.body[:500]
    return {"Cookie": response.cookies(), "Accept-Language": "en"}


def poll_until_changed(instance: Instance, path: str, etag: str, headers: dict):
    """Poll as the screens do (If-None-Match, every 0.1 s) until the answer is new."""
    start = time.monotonic()
    while time.monotonic() - start < 5:
        response = instance.request("GET", path, headers={**headers, "If-None-Match": etag})
        if response.status != 304:
            return response, time.monotonic() - start
        time.sleep(0.1)
    pytest.fail(f"{path} served by the other instance did not change within 5 s")


def test_a_team_moved_through_one_instance_shows_on_the_dashboard_the_other_serves(deployment):
    (one, other, _), seeded, _url = deployment
    slug = seeded["slug"]
    session = signed_in(other, seeded["email"])  # the cookie is good on both: one secret key
    table = f"/events/{slug}/dashboard/teams"
    first = other.request("GET", table, headers=session)
    assert first.status == 200
    assert (
        other.request("GET", table, headers={**session, "If-None-Match": first.etag}).status == 304
    )

    moved = one.request(
        "POST",
        f"/events/{slug}/teams/1/workspace/stage",
        form={"stage": "ideation"},
        headers=session,
    )
    assert moved.status == 303
    changed, seconds = poll_until_changed(other, table, first.etag, session)
    assert changed.status == 200 and seconds < SEEN_WITHIN
    assert "Ideation" in changed.text


def test_the_event_moved_through_one_instance_shows_on_the_room_screen_the_other_serves(
    deployment,
):
    (one, other, _), seeded, _url = deployment
    slug = seeded["slug"]
    session = signed_in(one, seeded["email"])
    state = f"/events/{slug}/room/state"
    first = other.request("GET", state, headers=session)
    assert first.status == 200
    before = first.json()

    moved = one.request("POST", f"/events/{slug}/dashboard/stage/next", form={}, headers=session)
    assert moved.status == 303
    changed, seconds = poll_until_changed(other, state, first.etag, session)
    assert seconds < SEEN_WITHIN
    assert changed.json() != before


def test_a_rate_limit_reached_on_one_instance_holds_on_the_other(deployment):
    (one, other, _), seeded, _url = deployment
    # Wrong badge codes from one address, alternately: 5 a minute in all, not 5 on each.
    statuses = [
        (one if n % 2 else other)
        .request("POST", "/sign-in/code", form={"code": new_access_code()})
        .status
        for n in range(7)
    ]
    assert statuses == [401] * 5 + [429] * 2
    # The API's limit per token, declared on its views (Flask-Limiter's own counts).
    bearer = {"Authorization": f"Bearer {seeded['limited_token']}"}
    path = f"/api/v1/events/{seeded['slug']}"
    statuses = [
        (one if n % 2 else other).request("GET", path, headers=bearer).status for n in range(8)
    ]
    assert statuses == [200] * 6 + [429] * 2


def test_without_redis_an_instance_counts_on_its_own_and_says_so(deployment):
    (_, _, alone), seeded, _url = deployment
    session = signed_in(alone, seeded["email"])
    wrong = [
        alone.request("POST", "/sign-in/code", form={"code": new_access_code()}).status
        for _ in range(6)
    ]
    assert wrong == [401] * 5 + [429]  # still limited, in the process's memory
    bearer = {"Authorization": f"Bearer {seeded['token']}"}
    assert alone.request("GET", f"/api/v1/events/{seeded['slug']}", headers=bearer).status == 200
    started = alone.request(
        "POST", f"/events/{seeded['slug']}/timer/start", form={"minutes": "7"}, headers=session
    )
    assert started.status == 303  # the write is made
    state = alone.request("GET", f"/events/{seeded['slug']}/room/state", headers=session).json()
    assert state["duration"] == 7 * 60 and state["running"]
    assert "Rate-limit storage unreachable" in alone.log()


def test_database_connections_cut_cost_no_later_request(deployment):
    """As a PostgreSQL restart does to every pooled connection: the next requests reconnect."""
    (one, other, _), seeded, url = deployment
    bearer = {"Authorization": f"Bearer {seeded['token']}"}
    path = f"/api/v1/events/{seeded['slug']}/stands"
    for instance in (one, other):  # each holds a pooled connection
        assert instance.request("GET", path, headers=bearer).status == 200
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        cut = connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    engine.dispose()
    assert cut >= 1
    assert [instance.request("GET", path, headers=bearer).status for instance in (one, other)] == [
        200,
        200,
    ]
