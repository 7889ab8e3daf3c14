from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from facilitate.extensions import db
from facilitate.models import Challenge, Event


def get_challenge_or_404(slug: str, number: int) -> Challenge:
    challenge = db.session.scalar(
        select(Challenge)
        .join(Challenge.event)
        .options(contains_eager(Challenge.event), joinedload(Challenge.theme))
        .where(Event.slug == slug, Challenge.number == number)
    )
    if challenge is None:
        abort(404)
    return challenge
