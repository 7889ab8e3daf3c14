"""Password sign-in limits (deliverable 3): guessing is slowed down and refused, but nobody is
locked out by someone else: not an organiser by guesses from fifty addresses, not a venue's
people by one person mistyping behind the same address.

The rules are the deployed defaults (the rest of the suite turns them down), counted in the
memory storage; ``let_time_pass`` moves that storage's clock instead of waiting. The last test
runs the same counts through Redis from two "workers", when a Redis server is at hand.
"""

import time
import uuid
from collections import Counter

import pytest
from limits import parse
from limits.storage import RedisStorage
from werkzeug.security import generate_password_hash

from facilitate.auth import devices, routes
from facilitate.auth.throttle import ACCOUNT, PAIR, PasswordRules, PasswordThrottle, account_key
from facilitate.config import Defaults
from facilitate.extensions import db, limiter
from tests.factories import PASSWORD, sign_in

PASSWORD_SETTINGS = (
    "SIGN_IN_PASSWORD_PAIR_LIMIT",
    "SIGN_IN_PASSWORD_FREE_FAILURES",
    "SIGN_IN_PASSWORD_FIRST_DELAY",
    "SIGN_IN_PASSWORD_MAX_DELAY",
    "SIGN_IN_PASSWORD_FAILURES_KEPT",
)
VENUE = "198.51.100.20"


@pytest.fixture
def deployed(app, monkeypatch):
    """The session app with the password rules as deployed, and empty counts."""
    for name in PASSWORD_SETTINGS:
        monkeypatch.setitem(app.config, name, getattr(Defaults, name))
    limiter.reset()
    yield app
    limiter.reset()


@pytest.fixture
def checked(monkeypatch):
    """The emails whose password was actually checked (hashed), in order."""
    emails = []
    authenticate = routes.authenticate_with_password

    def counting(email, password):
        emails.append(email)
        return authenticate(email, password)

    monkeypatch.setattr(routes, "authenticate_with_password", counting)
    return emails


def let_time_pass(seconds: float) -> None:
    """Every count in the memory storage expires ``seconds`` sooner, as if they had passed."""
    storage = limiter.storage
    for key in list(storage.expirations):
        storage.expirations[key] -= seconds


def quick_account(make, event, email=None):
    """A facilitator-like account whose password is cheap to check (the real hash costs a tenth
    of a second, which these tests pay only where it matters)."""
    person = make.organiser(event, password=None, **({"email": email} if email else {}))
    person.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    return person


def attempt(client, email, password=PASSWORD, address="127.0.0.1"):
    return client.post(
        "/sign-in/password",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def fail_until(client, email, failures: int, address: str) -> None:
    """Type a wrong password until ``failures`` were really checked and refused, waiting as
    long as each 429 asks (as a patient person would)."""
    done = 0
    while done < failures:
        response = attempt(client, email, "wrong password", address)
        if response.status_code == 429:
            let_time_pass(int(response.headers["Retry-After"]))
        else:
            assert response.status_code == 401
            done += 1


# --- (a) guesses from many addresses never hold the owner back --------------------------------


def test_a_thousand_guesses_from_fifty_addresses_never_hold_the_organiser_back(
    deployed, make, checked
):
    event = make.event()
    make.organiser(event, email="chef@example.org")  # the real, slow hash
    db.session.commit()
    usual = deployed.test_client()  # the organiser's own laptop
    assert attempt(usual, "chef@example.org", address="203.0.113.7").status_code == 303
    usual.post("/sign-out")

    guesser = deployed.test_client()
    checked.clear()
    statuses = Counter(
        attempt(guesser, "chef@example.org", f"guess {n}", f"203.0.113.{n % 50 + 1}").status_code
        for n in range(1000)
    )
    assert set(statuses) == {401, 429}
    # Five free failures, then one each time the doubling delay runs out: most guesses are
    # refused before any password is hashed.
    assert statuses[401] == len(checked) <= 12, statuses

    # The organiser, from their usual laptop (and from one of the guessers' addresses), gets in
    # at once, first try.
    checked.clear()
    response = attempt(usual, "chef@example.org", address="203.0.113.7")
    assert response.status_code == 303
    assert checked == ["chef@example.org"]


# --- (c) the guessing really is slowed down ----------------------------------------------------


def test_after_the_failures_any_other_browser_waits_even_with_the_right_password(
    deployed, make, checked
):
    event = make.event()
    quick_account(make, event, email="chef@example.org")
    db.session.commit()
    guesser = deployed.test_client()
    for n in range(5):
        response = attempt(guesser, "chef@example.org", f"guess {n}", f"203.0.113.{n}")
        assert response.status_code == 401
    assert len(checked) == 5

    elsewhere = deployed.test_client()  # a new browser: no device cookie
    checked.clear()
    response = attempt(elsewhere, "chef@example.org", address="192.0.2.1")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert "Patientez 2 secondes, puis réessayez" in response.text
    assert 'value="chef@example.org"' in response.text  # kept for the next try
    assert checked == []  # refused before the password was checked

    # A wrong guess once the delay is over doubles the next one.
    let_time_pass(2)
    assert attempt(guesser, "chef@example.org", "guess 5", "203.0.113.9").status_code == 401
    response = attempt(elsewhere, "chef@example.org", address="192.0.2.1")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "4")

    let_time_pass(4)
    assert attempt(elsewhere, "chef@example.org", address="192.0.2.1").status_code == 303


def test_the_delay_doubles_up_to_five_minutes(deployed):
    rules = PasswordRules.from_config(deployed.config)
    delays = [rules.delay_after(n) for n in range(4, 14)]
    assert delays == [0, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert rules.delay_after(10_000) == 300


def test_when_the_delay_is_over_one_attempt_goes_and_the_others_wait_for_it(deployed, make):
    """Two workers receiving guesses at the same moment: only one password is checked."""
    throttle = PasswordThrottle(limiter.storage, PasswordRules.from_config(deployed.config))
    account = account_key("chef@example.org")
    for n in range(5):
        throttle.failed(account, f"address:203.0.113.{n}", trusted=False)
    let_time_pass(2)
    assert throttle.check(account, "address:203.0.113.1", trusted=False) is None
    second = throttle.check(account, "address:203.0.113.2", trusted=False)
    assert second is not None and second.reason == ACCOUNT


def test_an_unknown_email_is_treated_like_a_known_one(deployed, make, monkeypatch):
    """Refusals must not tell which accounts exist, and a wrong email still costs a hash."""
    event = make.event()
    quick_account(make, event, email="chef@example.org")
    db.session.commit()
    hashed = []
    monkeypatch.setattr(
        "facilitate.auth.services.check_password_hash", lambda *args: hashed.append(1)
    )
    client = deployed.test_client()
    for email in ("chef@example.org", "personne@example.org"):
        statuses = [attempt(client, email, "guess").status_code for _ in range(7)]
        assert statuses == [401] * 5 + [429] * 2, email
    assert len(hashed) == 5  # the dummy check for the unknown email


# --- (b) and (d): one person behind a venue address --------------------------------------------


def test_a_person_mistyping_behind_the_venue_address_holds_back_nobody_else(deployed, make):
    event = make.event()
    clumsy = quick_account(make, event)
    others = [quick_account(make, event) for _ in range(20)]
    db.session.commit()
    fail_until(deployed.test_client(), clumsy.email, 10, VENUE)

    for person in others:
        assert attempt(deployed.test_client(), person.email, address=VENUE).status_code == 303


def test_the_pair_limit_refuses_that_account_from_that_address_only(deployed, make, checked):
    event = make.event()
    clumsy = quick_account(make, event)
    neighbour = quick_account(make, event)
    db.session.commit()
    laptop = deployed.test_client()  # where the clumsy person signed in before
    assert attempt(laptop, clumsy.email, address=VENUE).status_code == 303
    laptop.post("/sign-out")
    phone = deployed.test_client()
    fail_until(phone, clumsy.email, 10, VENUE)  # about a minute of waiting, as asked

    # That account from that address: refused for the rest of the window, right password or
    # not, and without checking it.
    checked.clear()
    response = attempt(phone, clumsy.email, address=VENUE)
    assert response.status_code == 429
    assert "depuis cette connexion" in response.text
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert checked == []
    # The same address for another account, the same account from the person's own laptop
    # behind that address: at once.
    assert attempt(deployed.test_client(), neighbour.email, address=VENUE).status_code == 303
    assert attempt(laptop, clumsy.email, address=VENUE).status_code == 303
    # The same account from another address: only the account-wide delay, then in.
    other = deployed.test_client()
    response = attempt(other, clumsy.email, address="192.0.2.44")
    assert response.status_code == 429
    assert "Patientez" in response.text and "depuis cette connexion" not in response.text
    let_time_pass(int(response.headers["Retry-After"]))
    assert attempt(other, clumsy.email, address="192.0.2.44").status_code == 303
    # The window over, the phone is welcome again.
    let_time_pass(15 * 60)
    assert attempt(phone, clumsy.email, address=VENUE).status_code == 303


# --- The device cookie -------------------------------------------------------------------------


def test_the_device_cookie_is_signed_http_only_lasts_a_year_and_holds_no_email(deployed, make):
    event = make.event()
    person = quick_account(make, event, email="chef@example.org")
    db.session.commit()
    laptop = deployed.test_client()
    response = attempt(laptop, person.email)
    assert response.status_code == 303
    assert laptop.get_cookie(devices.COOKIE, path="/sign-in") is not None
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(devices.COOKIE)]
    for attribute in ("HttpOnly", "Max-Age=31536000", "Path=/sign-in", "SameSite=Lax"):
        assert attribute in cookie
    assert "chef" not in cookie
    # A code sign-in sets none: only passwords are slowed down.
    phone = deployed.test_client()
    sign_in(phone, make.participant(event))
    assert phone.get_cookie(devices.COOKIE, path="/sign-in") is None


@pytest.mark.parametrize("cookie", ["forged", "another account's", "none"])
def test_only_a_genuine_cookie_for_this_account_skips_the_slowdown(deployed, make, cookie):
    event = make.event()
    target = quick_account(make, event, email="chef@example.org")
    other = quick_account(make, event)
    db.session.commit()
    browser = deployed.test_client()
    if cookie == "another account's":
        assert attempt(browser, other.email).status_code == 303
        browser.post("/sign-out")
    elif cookie == "forged":
        with deployed.test_request_context():
            value = devices._serializer().dumps({"d": "x", "a": [account_key(target.email)]})
        forged = value[:-1] + ("B" if value.endswith("A") else "A")
        browser.set_cookie(devices.COOKIE, forged, path="/sign-in")
    guesser = deployed.test_client()
    for _ in range(5):
        attempt(guesser, target.email, "guess", "203.0.113.5")
    assert attempt(browser, target.email).status_code == 429


def test_a_browser_remembers_several_accounts(deployed, make):
    """The organisers' shared laptop: each account it signed in to keeps getting in at once."""
    event = make.event()
    people = [quick_account(make, event) for _ in range(3)]
    db.session.commit()
    laptop = deployed.test_client()
    for person in people:
        assert attempt(laptop, person.email).status_code == 303
        laptop.post("/sign-out")
    guesser = deployed.test_client()
    for person in people:
        for _ in range(6):
            attempt(guesser, person.email, "guess", "203.0.113.5")
    for person in people:
        assert attempt(laptop, person.email).status_code == 303
        laptop.post("/sign-out")


# --- Several workers share the counts through Redis ----------------------------------------------


@pytest.fixture
def redis_workers():
    """Two storages as two gunicorn workers would open them, on one Redis, with a prefix of
    their own (removed afterwards)."""
    prefix = f"facilitate-test-{uuid.uuid4().hex}"
    workers = [RedisStorage("redis://127.0.0.1:6379", key_prefix=prefix) for _ in range(2)]
    if not workers[0].check():
        pytest.skip("no Redis server at 127.0.0.1:6379")
    yield workers
    workers[0].reset()


def test_workers_share_the_counts_through_redis(redis_workers):
    rules = PasswordRules(
        pair_limit=parse("3 per minute"),
        free_failures=2,
        first_delay=1,
        max_delay=4,
        failures_kept=60,
    )
    one, two = (PasswordThrottle(storage, rules) for storage in redis_workers)
    account = "account-under-test"
    one.failed(account, "address:203.0.113.1", trusted=False)
    two.failed(account, "address:203.0.113.2", trusted=False)
    # Two failures, one on each worker: both workers now ask to wait.
    for worker in (one, two):
        refusal = worker.check(account, "address:192.0.2.1", trusted=False)
        assert refusal is not None and refusal.reason == ACCOUNT and refusal.retry_after == 1
    # A known device is not slowed down; the pair limit counts across workers too.
    assert two.check(account, "device:laptop", trusted=True) is None
    one.failed(account, "device:laptop", trusted=True)
    two.failed(account, "device:laptop", trusted=True)
    one.failed(account, "device:laptop", trusted=True)
    refusal = two.check(account, "device:laptop", trusted=True)
    assert refusal is not None and refusal.reason == PAIR
    # Redis forgets the delay on its own: one worker's attempt goes, the other's waits for it.
    time.sleep(1.1)
    assert one.check(account, "address:192.0.2.1", trusted=False) is None
    refusal = two.check(account, "address:192.0.2.2", trusted=False)
    assert refusal is not None and refusal.reason == ACCOUNT
