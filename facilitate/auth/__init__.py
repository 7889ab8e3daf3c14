"""Signing in and out: email and password for organisers and facilitators, a personal access
code (typed, or from the QR code on a badge) for participants."""

import threading
from urllib.parse import urlsplit

import flask_login.utils
from flask import Blueprint, Flask, flash, redirect, request, session, url_for
from flask.globals import _cv_app, _cv_request
from flask_login.utils import _create_identifier

from facilitate.auth.services import load_user_from_session_id
from facilitate.extensions import login_manager
from facilitate.i18n import lazy_gettext
from facilitate.urls import safe_next_url

bp = Blueprint("auth", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user_from_session_id)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.unauthorized_handler(_send_to_sign_in)
    login_manager._session_identifier_generator = session_identifier
    flask_login.utils._get_user = signed_in_user  # behind current_user and its context processor


def signed_in_user():
    """Flask-Login's ``_get_user`` (what ``current_user`` stands for, loaded once a request),
    reading the request's globals directly where Flask-Login goes through Flask's proxies three
    times: every ``current_user.…`` in the views and the policy asks."""
    context = _cv_request.get(None)
    if context is None:
        return None
    namespace = _cv_app.get().g.__dict__
    if "_login_user" not in namespace:
        context.app.login_manager._load_user()
    return namespace["_login_user"]


IDENTIFIERS_KEPT = 4096  # browsers: (address, user agent) and their identifier, oldest first
_identifiers: dict[tuple, str] = {}
_identifiers_lock = threading.Lock()


def session_identifier() -> str:
    """Flask-Login's identifier of the browser (session protection: a SHA-512 of its address
    and user agent, computed at every request), kept per process for each address and user
    agent it is computed from."""
    environ = request.environ
    key = (environ.get("HTTP_X_FORWARDED_FOR", request.remote_addr), environ.get("HTTP_USER_AGENT"))
    identifier = _identifiers.get(key)
    if identifier is None:
        identifier = _create_identifier()
        with _identifiers_lock:
            _identifiers[key] = identifier
            while len(_identifiers) > IDENTIFIERS_KEPT:
                del _identifiers[next(iter(_identifiers))]
    return identifier


def _send_to_sign_in():
    """Someone signed out (a session expired, a phone that scanned a poster) asked for a page
    or sent a form: after signing in, bring them back to the page they were on. A form's
    address only accepts POST, so for a form it is the page that showed the form."""
    if request.method in ("GET", "HEAD"):
        back = request.full_path.rstrip("?")
    else:
        referrer = urlsplit(request.referrer or "")
        same_site = referrer.netloc == request.host
        back = (
            (referrer.path + (f"?{referrer.query}" if referrer.query else ""))
            if same_site
            else None
        )
    flash(login_manager.login_message, login_manager.login_message_category)
    back = safe_next_url(back, None)
    if back:
        remember_way_back(back)
    return redirect(url_for(login_manager.login_view, next=back or None))


# The page to return to after signing in, kept in the session too: a participant sent to sign
# in from a stand often scans their badge's QR code, which opens the badge's own sign-in link
# (auth.code_link) in place of the sign-in page and its ``next``.
WAY_BACK = "way_back"


WAY_BACK_MAX = 1000  # characters: a session cookie holds about 4,000 in all


def remember_way_back(target: str | None) -> None:
    """Remember this page (None: forget the one remembered, as a sign-in opened afresh does).
    An address too long for the session cookie is not remembered: a crafted link must not make
    the cookie too large for browsers to keep (and sign-in fail)."""
    if target and len(target) <= WAY_BACK_MAX:
        session[WAY_BACK] = target
    else:
        session.pop(WAY_BACK, None)


def way_back(asked: str | None) -> str | None:
    """Where to go once signed in: the page the form carried, else the one remembered (only
    ever a path on this site). Forgotten once used."""
    remembered = session.pop(WAY_BACK, None)
    return safe_next_url(asked, None) or safe_next_url(remembered, None)


from facilitate.auth import routes  # noqa: E402, F401  (registers the views on bp)
