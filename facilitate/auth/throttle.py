"""Failed sign-ins: counted so as to stop guessing, never so as to lock the right person out.

Counts live in Flask-Limiter's storage (``RATELIMIT_STORAGE_URI``: memory for one process, Redis
when several workers serve the app), so that every worker sees the same numbers; while Redis does
not answer, each process counts on its own (``facilitate.ratelimits``).

**Access codes and API tokens** (``note_failed_attempt``): failures are counted per address and
only the failures are refused once too many. Codes carry 74 random bits and tokens 256, so
guessing one is out of reach whatever the limit, which is there to slow noise and misbehaving
scripts. Refusing every attempt from the address instead would lock a whole venue out, since its
200 people share one address behind its network's NAT: a few mistyped badges at the exhibition
rush must not stop the others from signing in.

**Passwords** can be guessed, so each attempt is judged before the password is checked:

- per pair of account and client: past ``SIGN_IN_PASSWORD_PAIR_LIMIT`` failures, that pair is
  refused until the window ends. The client is the browser's device cookie when it has one for
  this account (see ``auth.devices``), otherwise its address: the other people behind a venue's
  address, on other accounts or on their own devices, are not affected;
- per account, for clients without its device cookie: after ``SIGN_IN_PASSWORD_FREE_FAILURES``
  failures from anywhere, each further attempt waits ``SIGN_IN_PASSWORD_FIRST_DELAY`` seconds,
  doubled after every further failure up to ``SIGN_IN_PASSWORD_MAX_DELAY``. An attempt before its
  time is answered "wait N seconds" (429, ``Retry-After``) without the password being checked,
  and when the time comes one attempt at a time is let through. Guessing slows to a few
  attempts an hour; the owner is slowed, never refused;
- a browser that signed in to the account before skips the account-wide delay: someone guessing
  an organiser's password from elsewhere never holds the organiser back.

Accounts are named by a keyed digest of the email typed, whether or not an account has it, so
that refusals do not tell which accounts exist and no email sits in the storage.
"""

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse, parse_many
from limits.storage import Storage

from facilitate.auth import devices
from facilitate.auth.services import normalise_email
from facilitate.extensions import limiter
from facilitate.ratelimits import shared_counts

# --- Access codes and API tokens ---------------------------------------------------------------


def note_failed_attempt(scope: str) -> bool:
    """Count one failed attempt from this address; False once it is over SIGN_IN_RATE_LIMIT."""
    if not limiter.enabled:
        return True
    address = get_remote_address()
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    identifiers = [prefix, scope, address] if prefix else [scope, address]
    items = parse_many(current_app.config["SIGN_IN_RATE_LIMIT"])
    # As the fixed-window strategy of ``limits`` hits, through counts that survive Redis leaving.
    return all(
        [
            shared_counts.incr(item.key_for(*identifiers), item.get_expiry()) <= item.amount
            for item in items
        ]
    )


# --- Passwords ----------------------------------------------------------------------------------

PAIR, ACCOUNT = "pair", "account"


def account_key(email: str) -> str:
    """The account as counters and device cookies name it: a digest of the email keyed with the
    app's secret (a plain hash of an email can be reversed by trying addresses)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class PasswordRules:
    pair_limit: RateLimitItem
    free_failures: int
    first_delay: int
    max_delay: int
    failures_kept: int

    @classmethod
    def from_config(cls, config) -> "PasswordRules":
        return cls(
            pair_limit=parse(config["SIGN_IN_PASSWORD_PAIR_LIMIT"]),
            free_failures=int(config["SIGN_IN_PASSWORD_FREE_FAILURES"]),
            first_delay=max(1, int(config["SIGN_IN_PASSWORD_FIRST_DELAY"])),
            max_delay=max(1, int(config["SIGN_IN_PASSWORD_MAX_DELAY"])),
            failures_kept=max(1, int(config["SIGN_IN_PASSWORD_FAILURES_KEPT"])),
        )

    def delay_after(self, failures: int) -> int:
        """Seconds the next attempt waits once the account has this many failures."""
        if failures < self.free_failures:
            return 0
        doublings = min(failures - self.free_failures, 32)
        return min(self.max_delay, self.first_delay * 2**doublings)


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused before its password is checked, and for how long."""

    reason: str  # PAIR or ACCOUNT
    retry_after: int  # seconds


class PasswordThrottle:
    """The password rules above, over a ``limits`` storage (one object per worker; the storage
    is what they share). Every step is one atomic storage call, so that workers never undo each
    other's counts."""

    # How long a claimed turn (one attempt let through after a delay) keeps the others waiting,
    # should its request never finish.
    TURN_SECONDS = 10

    def __init__(self, storage: Storage, rules: PasswordRules, prefix: str = "") -> None:
        self.storage = storage
        self.rules = rules
        self.prefix = prefix + "sign-in-password"

    def _key(self, *parts) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    def _seconds_left(self, key: str) -> int:
        return max(1, math.ceil(self.storage.get_expiry(key) - time.time()))

    def check(self, account: str, client: str, trusted: bool) -> Refusal | None:
        """None if this attempt may have its password checked now."""
        pair = self._key("pair", account, client)
        if self.storage.get(pair) >= self.rules.pair_limit.amount:
            return Refusal(PAIR, self._seconds_left(pair))
        if trusted:
            return None
        failures = self.storage.get(self._key("failures", account))
        if not self.rules.delay_after(failures):
            return None
        wait = self._key("wait", account, failures)
        if self.storage.get(wait):
            return Refusal(ACCOUNT, self._seconds_left(wait))
        # The delay is over: the first attempt to claim this turn goes, the others wait for it.
        turn = self._key("turn", account, failures)
        if self.storage.incr(turn, self.TURN_SECONDS) > 1:
            return Refusal(ACCOUNT, self._seconds_left(turn))
        return None

    def failed(self, account: str, client: str, trusted: bool) -> None:
        self.storage.incr(self._key("pair", account, client), self.rules.pair_limit.get_expiry())
        if trusted:
            return
        failures = self.storage.incr(self._key("failures", account), self.rules.failures_kept)
        if delay := self.rules.delay_after(failures):
            self.storage.incr(self._key("wait", account, failures), delay)

    def succeeded(self, account: str, client: str) -> None:
        """The pair starts afresh. The account's count stays: the owner signing in does not give
        someone guessing from elsewhere new attempts (and this browser is known from now on)."""
        self.storage.clear(self._key("pair", account, client))


@dataclass(frozen=True)
class PasswordAttempt:
    """One password sign-in as the throttle sees it: which account, from which client."""

    throttle: PasswordThrottle | None  # None when rate limiting is off
    account: str
    client: str
    trusted: bool

    def refusal(self) -> Refusal | None:
        if self.throttle is None:
            return None
        return self.throttle.check(self.account, self.client, self.trusted)

    def failed(self) -> None:
        if self.throttle is not None:
            self.throttle.failed(self.account, self.client, self.trusted)

    def succeeded(self) -> None:
        if self.throttle is not None:
            self.throttle.succeeded(self.account, self.client)


def password_attempt(email: str) -> PasswordAttempt:
    """The attempt the current request makes on the account of ``email``."""
    account = account_key(email)
    device = devices.this_device()
    trusted = device is not None and account in device.accounts
    client = f"device:{device.id}" if trusted else f"address:{get_remote_address()}"
    throttle = None
    if limiter.enabled:
        prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
        throttle = PasswordThrottle(
            shared_counts, PasswordRules.from_config(current_app.config), prefix
        )
    return PasswordAttempt(throttle, account, client, trusted)
