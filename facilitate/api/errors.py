"""Every refusal of the API has the same shape, ``{"error": {"code", "message"}}``: a stable code
for scripts, and a message in the reader's language (Accept-Language) for people. Never HTML, never
a stack trace, whatever went wrong and wherever: the application's error handler sends every
error under ``/api/`` here, including the routing errors (404, 405) that no view saw.
"""

from flask import Response, jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from facilitate.extensions import db

API_PREFIX = "/api/"

# RFC 6750: the scheme the client should use, and why the token it sent was refused.
BEARER_CHALLENGE = 'Bearer realm="facilitate"'
INVALID_TOKEN_CHALLENGE = 'Bearer realm="facilitate", error="invalid_token"'  # noqa: S105


class ApiError(HTTPException):
    """A refusal with its status, code and message. An ``HTTPException``, so that Flask hands it to
    the application's error handler like any other HTTP error, with its status."""

    def __init__(self, status: int, code: str, message, headers: dict | None = None):
        super().__init__(description=str(message))
        self.code = status
        self.api_code = code
        self.message = str(message)
        self.extra_headers = headers or {}


# The errors Flask, Werkzeug and Flask-Limiter raise themselves, as the API names them.
_HTTP_ERRORS = {
    400: ("bad_request", _l("This request could not be understood.")),
    401: ("unauthorized", _l("This request needs a valid token: Authorization: Bearer <token>.")),
    403: ("forbidden", _l("Your token does not give access to this.")),
    404: ("not_found", _l("There is nothing at this address of the API. Check the path.")),
    405: ("method_not_allowed", _l("This address of the API does not accept this method.")),
    413: ("too_large", _l("The request is too large.")),
    415: ("unsupported_media_type", _l("Send the request body as JSON.")),
    429: ("rate_limited", _l("Too many requests. Wait a moment before trying again.")),
    500: (
        "server_error",
        _l(
            "Something went wrong on our side. Please try again in a moment; what was saved is kept."
        ),
    ),
    503: ("unavailable", _l("The service is unavailable for a moment. Please try again shortly.")),
}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def error_response(status: int, code: str, message, headers: dict | None = None) -> Response:
    response = jsonify({"error": {"code": code, "message": str(message)}})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = BEARER_CHALLENGE
    return response


def http_error_response(error: HTTPException) -> Response:
    """JSON for any HTTP error raised while serving the API, ours or the framework's."""
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    if isinstance(error, ApiError):
        return error_response(status, error.api_code, error.message, error.extra_headers)
    code, message = _HTTP_ERRORS.get(status) or _HTTP_ERRORS[500 if status >= 500 else 400]
    # Keep what the error tells the client besides its body (Allow on a 405, Retry-After...).
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return error_response(status, code, message, headers)
