"""What every response tells the browser to protect its reader: security headers and cookie flags.

Both are added to the response as it leaves the application (a small WSGI middleware), so that
nothing escapes them: pages, error pages, static files, the JSON API, redirects, and cookies set
by any part of the app (Flask's session is saved after every ``after_request`` hook has run).

- ``Content-Security-Policy``: scripts and styles only from our own files, never inline (no
  ``<script>`` blocks, no ``on*=`` handlers, no ``style=`` attributes in the templates); no
  plugins; the pages may not be framed, and forms post only to us.
- ``Referrer-Policy: same-origin``: badge links (``/c/<code>``) carry sign-in codes and must
  never reach another site in a ``Referer``. Not ``no-referrer``: over HTTPS, Flask-WTF refuses
  a form whose ``Referer`` is missing or from another site.
- ``Strict-Transport-Security`` only over HTTPS, for a year (not for subdomains: they may be
  another service's).
- Cookies are ``HttpOnly`` and ``SameSite=Lax`` always, ``Secure`` when the request came over
  HTTPS. Plain HTTP (development, tests on 127.0.0.1) keeps working.

Behind a reverse proxy that ends TLS, the app learns that the request came over HTTPS (and from
whom) from its ``X-Forwarded-*`` headers, trusted for ``PROXY_FIX`` proxies only. ProxyFix must
wrap what is here, so that this sees the scheme the proxy reported.
"""

import threading

import flask_wtf.csrf
from flask import Flask
from flask.globals import _cv_app, _cv_request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",  # QR codes are inline <svg>, photos come from us: no data: needed
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),  # frame-ancestors, for browsers that predate it
)
HTTPS_HEADERS = (*HEADERS, ("Strict-Transport-Security", "max-age=31536000"))

_SECURE_SCHEMES = frozenset({"https", "wss"})  # what Werkzeug's request.is_secure accepts


def flag_cookie(set_cookie: str, secure: bool) -> str:
    """A ``Set-Cookie`` value with the flags it lacks: ``HttpOnly``, ``SameSite=Lax``, and
    ``Secure`` over HTTPS. A flag already there (``SameSite=Strict``) is kept."""
    present = {part.split("=", 1)[0].strip().lower() for part in set_cookie.split(";")[1:]}
    if "httponly" not in present:
        set_cookie += "; HttpOnly"
    if "samesite" not in present:
        set_cookie += "; SameSite=Lax"
    if secure and "secure" not in present:
        set_cookie += "; Secure"
    return set_cookie


class SecurityHeaders:
    """WSGI middleware: the headers above on every response (unless a view set its own value),
    and flagged cookies."""

    # Each header with its name in lower case, compared with the response's.
    _ADDED = {
        secure: tuple((name.lower(), (name, value)) for name, value in headers)
        for secure, headers in ((False, HEADERS), (True, HTTPS_HEADERS))
    }

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        secure = environ.get("wsgi.url_scheme") in _SECURE_SCHEMES
        added = self._ADDED[secure]

        def start(status, headers, exc_info=None):
            present = set()
            flagged = []
            for header in headers:
                lower = header[0].lower()
                present.add(lower)
                if lower == "set-cookie":
                    header = (header[0], flag_cookie(header[1], secure))
                flagged.append(header)
            flagged.extend(header for lower, header in added if lower not in present)
            return start_response(status, flagged, exc_info)

        return self.wsgi_app(environ, start)


# Flask-WTF's CSRF token: a random secret kept in the session, signed (with a timestamp) for
# each page anew: itsdangerous builds its serializer and signs, a tenth of a millisecond of
# every page (every page has a form: the language switch, "Sign out"). The tokens never expire
# here (``WTF_CSRF_TIME_LIMIT`` is None: the session bounds them), so the signed token of a
# session's secret is kept and given again: the same value, as valid as a new one.
_flask_wtf_generate_csrf = flask_wtf.csrf.generate_csrf
SIGNED_TOKENS_KEPT = 4096
_signed_tokens: dict[tuple, str] = {}  # oldest first
_signed_tokens_lock = threading.Lock()


def generate_csrf(secret_key=None, token_key=None) -> str:
    """``flask_wtf.csrf.generate_csrf`` (the same token for the whole request, in ``g``), with
    each session's token signed once per process while tokens do not expire. The request's
    context is read once, not through Flask's proxies at each use."""
    context = _cv_request.get(None)
    if context is None:  # as Flask-WTF would fail, outside a request
        return _flask_wtf_generate_csrf(secret_key, token_key)
    app = context.app
    config = app.config
    namespace = _cv_app.get().g.__dict__  # flask.g's
    field_name = token_key or config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    token = namespace.get(field_name)
    if token is not None or field_name in namespace:
        return token
    raw = context.session.get(field_name)
    if config.get("WTF_CSRF_TIME_LIMIT") is not None or not isinstance(raw, str):
        return _flask_wtf_generate_csrf(secret_key, token_key)
    key = (secret_key or config.get("WTF_CSRF_SECRET_KEY") or app.secret_key, field_name, raw)
    token = _signed_tokens.get(key)
    if token is None:
        token = _flask_wtf_generate_csrf(secret_key, token_key)
        with _signed_tokens_lock:
            _signed_tokens[key] = token
            while len(_signed_tokens) > SIGNED_TOKENS_KEPT:
                del _signed_tokens[next(iter(_signed_tokens))]
    else:
        namespace[field_name] = token
    return token


def init_app(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
    if app.config["PROXY_FIX"]:
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def init_csrf(app: Flask) -> None:
    """After ``csrf.init_app``: forms (through Flask-WTF's module) and templates
    (``csrf_token()``) get their token from ``generate_csrf`` above; and Flask-WTF's check
    before every request looks at the method first."""
    flask_wtf.csrf.generate_csrf = generate_csrf
    app.jinja_env.globals["csrf_token"] = generate_csrf
    hooks = app.before_request_funcs.setdefault(None, [])
    for i, hook in enumerate(hooks):
        if getattr(hook, "__name__", "") == "csrf_protect" and hook.__module__ == "flask_wtf.csrf":
            hooks[i] = _checking_methods_first(hook, app)


def _checking_methods_first(csrf_protect, app: Flask):
    """Flask-WTF's ``csrf_protect``, which looks up whether the view is exempt before it looks at
    the method: for a GET (most requests) it ends with nothing to check either way."""

    def csrf_protect_unsafe_methods():
        if _cv_request.get().request.method not in app.config["WTF_CSRF_METHODS"]:
            return None
        return csrf_protect()

    return csrf_protect_unsafe_methods
