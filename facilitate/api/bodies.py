"""Reading request bodies: a JSON object, small, or a 400/413 that says what is wrong.

The rules about what the object holds (a ballot, a vote status) are the domain's; this module
only makes sure there is an object to give it.
"""

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from facilitate.api.errors import ApiError

# A ballot or a status change is a few dozen bytes: anything this large is a mistake or abuse,
# refused before it is read.
MAX_BODY_BYTES = 64 * 1024


def refuse_large_bodies() -> None:
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise ApiError(
            413,
            "too_large",
            _("The request body is too large: at most %(kb)d KB.", kb=MAX_BODY_BYTES // 1024),
        )


def json_object() -> dict:
    """The body as a JSON object. The Content-Type is not insisted on, so that a quick curl
    without ``-H 'Content-Type: application/json'`` works; the bearer token, not a cookie,
    authenticates, so this opens no door to cross-site forms."""
    try:
        body = request.get_json(force=True, silent=False)
    except BadRequest:
        raise ApiError(400, "invalid_json", _("The request body is not valid JSON.")) from None
    except RecursionError:
        # Python's JSON parser recurses once per bracket: "[[[[...]]]]" a thousand deep
        # exhausts the stack before it is read. No ballot or status is nested like that.
        raise ApiError(
            400,
            "invalid_json",
            _("The request body is nested too deeply: a ballot or a status is a flat object."),
        ) from None
    if not isinstance(body, dict):
        raise ApiError(
            400,
            "not_an_object",
            _("The request body must be a JSON object, between braces { }."),
        )
    return body
