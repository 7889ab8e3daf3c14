"""What a process keeps from one request to the next: HTML rendered once for what it shows
(forms as first shown, the vote's rankings, the placement proposal, the dashboard's teams table),
the book's fingerprints.

Each is bounded, the least recently used going first, and shared by the threads of a worker,
hence the lock. The key must hold everything the value depends on (the reader's language, the
event's data version or the data itself): nothing here ever says when a value is stale.

HTML holding a form is kept without the request's CSRF token (``without_token``) and given it
back at each request (``with_token``): the token belongs to one session.
"""

import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Where the CSRF token was, in HTML kept: drawn at random per process, so that no text a person
# typed (a name, a criterion, a comment) can be taken for it.
TOKEN_SLOT = f"token-{secrets.token_hex(16)}"


class Kept(Generic[K, V]):
    """At most ``size`` values, by key."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value kept, or ``make()``'s, kept. Two threads may both make it: the lock is not
        held while making, which may take a page's queries."""
        value = self.get(key)
        return self.put(key, make()) if value is None else value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def without_token(html: str, token: str | None) -> str:
    return html if token is None else html.replace(token, TOKEN_SLOT)


def with_token(html: str, token: str | None) -> str:
    return html if token is None else html.replace(TOKEN_SLOT, token)
