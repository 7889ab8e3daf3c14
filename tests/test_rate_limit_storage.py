"""Redis, where the rate limits count when several processes serve the app, going away: each
process counts in its own memory meanwhile and says so in the log; nobody gets an error page and
nothing sent is lost (issue 15). tests/instances/ does the same with real processes."""

import pytest
from limits.storage import MemoryStorage, RedisStorage

from facilitate import ratelimits
from facilitate.auth.codes import new_access_code
from facilitate.extensions import db


@pytest.fixture
def unreachable_redis(app, monkeypatch):
    """The counts' storage is a Redis nobody answers for (port 1 refuses connections)."""
    storage = RedisStorage("redis://127.0.0.1:1/0", socket_connect_timeout=0.2, socket_timeout=0.2)
    monkeypatch.setattr(ratelimits, "shared_storage", lambda: storage)
    monkeypatch.setattr(ratelimits, "_memory", MemoryStorage())
    monkeypatch.setattr(ratelimits, "_unreachable_until", 0.0)
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(app.config, "SIGN_IN_PASSWORD_PAIR_LIMIT", "2 per minute")
    return storage


def test_wrong_codes_are_still_limited_and_the_log_says_why(client, unreachable_redis, caplog):
    address = {"REMOTE_ADDR": "198.51.100.7"}
    statuses = [
        client.post(
            "/sign-in/code", data={"code": new_access_code()}, environ_base=address
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    warnings = [r for r in caplog.records if "Rate-limit storage unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once, not once a request


def test_passwords_are_checked_and_limited_without_redis(client, make, unreachable_redis):
    event = make.event()
    person = make.organiser(event)
    db.session.commit()
    form = {"email": person.email, "password": "not the password"}
    statuses = [client.post("/sign-in/password", data=form).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
