"""Friendly error pages, in the reader's language; never a stack trace.

Unhandled exceptions reach the 500 page through Flask, which logs them first. A database that
cannot be reached (PostgreSQL restarting, its connection lost mid-request) answers 503 "try again
in a moment" instead: the request in flight is lost, the next one gets a fresh connection
(``pool_pre_ping`` tests each pooled connection before use). Under ``/api/``
the same errors are answered in JSON (see ``facilitate.api.errors``): a script must never have to
parse an HTML page, and routing errors (404, 405) reach only this application-wide handler.
"""

from flask import Flask, current_app, g, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from facilitate.api.errors import http_error_response, is_api_request
from facilitate.extensions import db

_PAGES = {
    400: (_l("This request could not be understood"), _l("Please go back and try again.")),
    403: (
        _l("You may not see this page"),
        _l(
            "Your account does not give access to this page. If you think it should, ask the event's organisers."
        ),
    ),
    404: (
        _l("Page not found"),
        _l("The address may be mistyped, or the page may have moved or been deleted."),
    ),
    405: (_l("This action is not possible here"), _l("Please go back and use the page's buttons.")),
    413: (_l("This file is too large"), _l("Please send a smaller file.")),
    429: (
        _l("Too many attempts"),
        _l("For your security, please wait a minute before trying again."),
    ),
    503: (
        _l("The service is unavailable for a moment"),
        _l(
            "Please try again in a minute. If you were sending a form, check afterwards whether it was saved."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l(
            "Nothing you did caused this. Please try again in a moment; what was already saved is kept."
        ),
    ),
}
_CSRF = (
    _l("This form has expired"),
    _l("For your security, forms expire. Please go back, reload the page and send it again."),
)


def _render(status: int, title, message):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def handle_http_error(error: HTTPException):
    if is_api_request():
        return http_error_response(error)
    if isinstance(error, CSRFError):
        return _render(400, *_CSRF)
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    title, message = _PAGES.get(status, _PAGES[500 if status >= 500 else 400])
    return _render(status, title, message)


# Seconds a client is asked to wait when the database cannot be reached: a restart's length.
RETRY_AFTER_UNREACHABLE_DATABASE = 30


def handle_unreachable_database(error: DBAPIError):
    """A lost or refused database connection: 503 with Retry-After, logged without the stack
    trace (the cause is outside the code). Other database errors stay 500s, with theirs."""
    if not isinstance(error, OperationalError) and not error.connection_invalidated:
        raise error
    current_app.logger.warning("Database unreachable: %s", str(error).splitlines()[0])
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()  # the connection is gone: the pool replaces it
    # The page is drawn as for someone signed out: showing the person's name would read it from
    # the database that just failed (the rollback expired what was loaded).
    g._login_user = current_app.login_manager.anonymous_user()
    unavailable = ServiceUnavailable(retry_after=RETRY_AFTER_UNREACHABLE_DATABASE)
    response = current_app.make_response(handle_http_error(unavailable))
    response.headers["Retry-After"] = str(RETRY_AFTER_UNREACHABLE_DATABASE)
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DBAPIError, handle_unreachable_database)
