"""Flask's session (a signed cookie), with what every request repeated done once.

Flask builds the cookie's serializer again at each request, then checks the signature, decodes
the base64, inflates and parses the JSON: a tenth of a millisecond of the 1 ms a poll that finds
nothing new may cost (issue 13, item 1), for a cookie that is the same from one request to the
next. Here the serializer is built once per set of keys, and a cookie whose signature was checked
is remembered with its timestamp and its JSON text: the same cookie again is only checked for its
age, as itsdangerous would (the same string under the same keys cannot verify differently), and
its JSON parsed into a session of its own (a session is changed in place: ``flash`` appends to
its list). A session whose values are all plain (text, numbers, booleans: a signed-in session
without messages waiting) is parsed once and copied, its values being immutable. Saving is Flask's own: a session that did not change is not signed again; for such a
session only "Vary: Cookie" is added, written directly when the response has no Vary yet (Flask
builds and parses a header set for it, at every request).
"""

import threading
import time
import zlib

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature
from itsdangerous.encoding import base64_decode

VERIFIED_KEPT = 4096  # cookies of about 400 bytes: under 4 MB in all
_PLAIN = frozenset({str, int, float, bool, type(None)})


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict = {}
        # cookie -> (signed at, JSON text, the parsed session if its values are all plain)
        self._verified: dict[tuple, tuple[int, str, dict | None]] = {}  # oldest first
        self._lock = threading.Lock()

    @staticmethod
    def _keys(app: Flask) -> tuple:
        return (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))

    def get_signing_serializer(self, app: Flask):
        keys = self._keys(app)
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        signing = self.get_signing_serializer(app)
        if signing is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (self._keys(app), value)
        known = self._verified.get(key)
        if known is None:
            verified = self._verify(signing, value, max_age)
            if verified is None:
                return self.session_class()
            data = self.serializer.loads(verified[1])
            plain = data if _PLAIN.issuperset(map(type, data.values())) else None
            known = (*verified, plain)
            with self._lock:
                self._verified[key] = known
                while len(self._verified) > VERIFIED_KEPT:
                    del self._verified[next(iter(self._verified))]
        signed_at, text, plain = known
        age = int(time.time()) - signed_at  # itsdangerous's test, in whole seconds
        if not 0 <= age <= max_age:
            return self.session_class()
        return self.session_class(plain if plain is not None else self.serializer.loads(text))

    def save_session(self, app: Flask, session, response: Response) -> None:
        # ``session.permanent`` would mark the session accessed (hence "Vary: Cookie"): the key
        # is read as the dict's own, as Flask reads it only once it has settled the header.
        permanent = dict.get(session, "_permanent", False)
        if session.modified or (permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            super().save_session(app, session, response)
        elif session.accessed:  # Flask would add only this to a session left as it was
            if "Vary" in response.headers:
                response.vary.add("Cookie")
            else:
                response.headers["Vary"] = "Cookie"

    @staticmethod
    def _verify(signing, value: str, max_age: int) -> tuple[int, str] | None:
        """The cookie's timestamp and JSON text when its signature holds under one of the keys
        (and it is not older than ``max_age``), as ``URLSafeTimedSerializer.loads`` checks it."""
        for signer in signing.iter_unsigners():
            try:
                payload, signed_at = signer.unsign(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                continue
            # As URLSafeSerializerMixin.load_payload, up to the JSON it would parse.
            compressed = payload.startswith(b".")
            data = base64_decode(payload[1:] if compressed else payload)
            if compressed:
                data = zlib.decompress(data)
            return int(signed_at.timestamp()), data.decode("utf-8")
        return None


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
