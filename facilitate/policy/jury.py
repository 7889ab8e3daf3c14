"""The national jury of an edition."""

from flask import g
from sqlalchemy import bindparam, select

from facilitate.extensions import db
from facilitate.models import Edition, Event, Juror, Nomination, Team
from facilitate.policy.editions import can_manage_edition, can_view_edition_room
from facilitate.policy.roles import _code_scope, can_manage_event

PREDICATES: dict = {}


# --- The national jury (issue 15, item 3). National organisers define the rubric, appoint and
# remove jurors, follow the scoring and reveal the totals; a site's organisers (and national
# ones) nominate up to two of its teams. A juror needs a password session and sees only the
# nominees and their work (the photos agreed to be public among it), never the rest of a site: being a
# juror gives no role at any event. Scores change until the reveal; then the totals are shown
# to the national organisers, the jurors and the sites' organisers.


# Built once per process: a juror's every page asks.
_JUROR_EDITIONS = select(Juror.edition_id).where(Juror.user_id == bindparam("user_id"))


def _juror_editions(user) -> frozenset[int]:
    if (
        not user.is_authenticated
        or _code_scope(user) is not None
        or getattr(user, "reachable_event_ids", None) is not None
    ):
        return frozenset()
    cache = g.setdefault("_juror_editions", {})
    if user.id not in cache:
        cache[user.id] = frozenset(db.session.scalars(_JUROR_EDITIONS, {"user_id": user.id}))
    return cache[user.id]


def is_juror(user, edition: Edition) -> bool:
    return edition.id in _juror_editions(user)


def sits_on_any_jury(user) -> bool:
    return bool(_juror_editions(user))


def can_manage_jury(user, edition: Edition) -> bool:
    return can_manage_edition(user, edition)


def can_nominate(user, event: Event) -> bool:
    return event.edition_id is not None and can_manage_event(user, event)


def can_read_nominees(user, edition: Edition) -> bool:
    """The nominees and their work: the jurors, and the national organisers who follow them."""
    return is_juror(user, edition) or can_manage_jury(user, edition)


def can_score(user, edition: Edition) -> bool:
    return is_juror(user, edition) and edition.jury_revealed_at is None


def can_see_jury_results(user, edition: Edition) -> bool:
    """Progress and totals for the national organisers; the totals, once revealed, for the
    jurors and the sites' organisers too."""
    if can_manage_jury(user, edition):
        return True
    if edition.jury_revealed_at is None:
        return False
    return is_juror(user, edition) or can_view_edition_room(user, edition)


def judges_team(user, team: Team) -> bool:
    """A juror of an edition that nominated this team (its public photos are theirs to see)."""
    editions = _juror_editions(user)
    if not editions:
        return False
    return (
        db.session.scalar(
            select(Nomination.id).where(
                Nomination.team_id == team.id, Nomination.edition_id.in_(editions)
            )
        )
        is not None
    )


PREDICATES.update(
    is_juror=is_juror,
    sits_on_any_jury=sits_on_any_jury,
    can_manage_jury=can_manage_jury,
    can_nominate=can_nominate,
    can_score=can_score,
    can_read_nominees=can_read_nominees,
    can_see_jury_results=can_see_jury_results,
)
