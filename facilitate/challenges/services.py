from flask import abort
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, joinedload

from facilitate.extensions import db
from facilitate.models import Challenge, Event

# Challenge numbers are small; a huge one in a URL must be a 404, not a database overflow.
MAX_CHALLENGE_NUMBER = 100_000

# Every team page and workspace page runs this: built once, not at each request.
_CHALLENGE_BY_NUMBER = (
    select(Challenge)
    .join(Challenge.event)
    .options(contains_eager(Challenge.event), joinedload(Challenge.theme))
    .where(Event.slug == bindparam("slug"), Challenge.number == bindparam("number"))
)


def get_challenge_or_404(slug: str, number: int) -> Challenge:
    if not 0 < number <= MAX_CHALLENGE_NUMBER:
        abort(404)
    challenge = db.session.scalar(_CHALLENGE_BY_NUMBER, {"slug": slug, "number": number})
    if challenge is None:
        abort(404)
    return challenge
