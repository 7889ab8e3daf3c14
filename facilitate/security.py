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

from flask import Flask
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

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        secure = environ.get("wsgi.url_scheme") in _SECURE_SCHEMES
        added = HTTPS_HEADERS if secure else HEADERS

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = [
                (name, flag_cookie(value, secure) if name.lower() == "set-cookie" else value)
                for name, value in headers
            ]
            headers.extend(header for header in added if header[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
    if app.config["PROXY_FIX"]:
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
