"""The rate limits' counts, shared by every process through ``RATELIMIT_STORAGE_URI`` (Redis when
several processes or hosts serve the app), and what happens while that storage does not answer.

A Redis that is down must cost neither an error page nor a write: the limits are there to slow
guessing, not to stop the event. So each process then counts in its own memory (each process
enforces the limits on what it sees, as a lone process would) and says so once in the log, then
tries the shared storage again every ``RETRY_SECONDS``. The limits declared on views
(``limiter.limit``) get the same from Flask-Limiter itself (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``,
set in the configuration); the counts the sign-in throttle keeps by hand (``auth.throttle``)
go through ``shared_counts`` below.
"""

import threading
import time

from flask import current_app
from limits.storage import MemoryStorage, Storage

from facilitate.extensions import limiter

RETRY_SECONDS = 10

# This process's own counts, used only while the shared storage does not answer.
_memory = MemoryStorage()
_lock = threading.Lock()
_unreachable_until = 0.0


def shared_storage() -> Storage:
    return limiter.storage


def _call(method: str, *args):
    global _unreachable_until
    shared = shared_storage()
    if time.monotonic() >= _unreachable_until:
        try:
            return getattr(shared, method)(*args)
        except shared.base_exceptions as error:
            with _lock:
                first = time.monotonic() >= _unreachable_until
                _unreachable_until = time.monotonic() + RETRY_SECONDS
            if first:
                current_app.logger.warning(
                    "Rate-limit storage unreachable (%s): counting in this process's memory,"
                    " trying again in %d s.",
                    error,
                    RETRY_SECONDS,
                )
    return getattr(_memory, method)(*args)


class SharedCounts:
    """The storage calls the sign-in throttle makes (a ``limits`` storage's, by the same names),
    on the shared storage or, while it does not answer, on this process's memory."""

    def get(self, key: str) -> int:
        return _call("get", key)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        return _call("incr", key, expiry, amount)

    def clear(self, key: str) -> None:
        _call("clear", key)

    def get_expiry(self, key: str) -> float:
        return _call("get_expiry", key)


shared_counts = SharedCounts()
