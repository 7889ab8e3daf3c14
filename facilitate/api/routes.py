"""The endpoints of the JSON API, version 1 (documented in the README's "JSON API" section).

Each view authenticates the token, loads the event with the caller's roles in one query, asks
the policy, then calls the exhibition services: the rules live there, written once for the HTML
pages and the API. The ballot's PUT runs a fixed number of statements whatever the number of
stands or voters, and the results are one aggregate query.
"""

from flask import jsonify
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, select

from facilitate import policy
from facilitate.api import bp
from facilitate.api.auth import (
    Caller,
    authenticate,
    per_token_limit,
)
from facilitate.api.bodies import json_object, refuse_large_bodies
from facilitate.api.errors import ApiError
from facilitate.exhibition.ballots import (
    BallotError,
    ballots_cast,
    current_ballot,
    replace_ballot,
    voter_from_memberships,
)
from facilitate.exhibition.stands import stands_of
from facilitate.exhibition.vote import VoteStatusError, change_vote_status, results
from facilitate.extensions import db, limiter
from facilitate.models import Event, Membership, VoteStatus

API_VERSION = 1
# What PATCH /vote accepts: "not_started" is where a vote begins, never where one goes.
_VOTE_MOVES = {status.value: status for status in VoteStatus if status != VoteStatus.NOT_STARTED}

bp.before_request(refuse_large_bodies)

# Built once: every request of the API but the index runs it.
_EVENT_WITH_ROLES = (
    select(Event, Membership.role, Membership.team_id)
    .outerjoin(
        Membership,
        and_(Membership.event_id == Event.id, Membership.user_id == bindparam("user_id")),
    )
    .where(Event.slug == bindparam("slug"))
)


def _event(slug: str, caller: Caller) -> Event:
    return _event_and_memberships(slug, caller)[0]


def _event_and_memberships(slug: str, caller: Caller):
    """The event and the caller's (role, team id) memberships at it, in one query; the policy
    is told the roles."""
    rows = db.session.execute(_EVENT_WITH_ROLES, {"user_id": caller.id, "slug": slug}).all()
    if not rows:
        raise ApiError(
            404, "unknown_event", _("No event has the identifier “%(slug)s”.", slug=slug)
        )
    event = rows[0][0]
    memberships = [(role, team_id) for _event, role, team_id in rows if role is not None]
    policy.remember_roles(caller, event, [role for role, _team_id in memberships])
    return event, memberships


def _vote(event: Event) -> dict:
    return {
        "status": event.vote_status.value,
        "votes_per_participant": event.votes_per_participant,
        "ballots_cast": ballots_cast(event),
    }


def _forbidden(code: str, message: str) -> ApiError:
    return ApiError(403, code, message)


@bp.get("/")
@limiter.exempt
def index():
    """Which API this is; touches no database, so that monitoring (and the benchmark's reference
    rate) measure the application server alone."""
    return {"name": "facilitate", "version": API_VERSION}


@bp.get("/events/<slug>")
@per_token_limit
def event_summary(slug: str):
    caller = authenticate()
    event = _event(slug, caller)
    if not policy.can_view_event(caller, event):
        raise _forbidden("forbidden", _("Your token does not give access to this event."))
    return {
        "slug": event.slug,
        "name": event.name,
        "stage": event.stage.value,
        "vote": _vote(event),
    }


@bp.get("/events/<slug>/stands")
@per_token_limit
def stands(slug: str):
    caller = authenticate()
    event = _event(slug, caller)
    if not policy.can_see_people(caller, event):
        raise _forbidden("forbidden", _("Only the people of this event see its stands."))
    return jsonify(
        [
            {
                "team_id": stand.team_id,
                "stand": stand.stand,
                "team": stand.team,
                "challenge_number": stand.challenge_number,
                "question": stand.question,
                "theme": stand.theme,
            }
            for stand in stands_of(event)
        ]
    )


@bp.get("/events/<slug>/ballot")
@per_token_limit
def ballot(slug: str):
    caller = authenticate()
    event = _event(slug, caller)
    if not policy.can_vote(caller, event):
        raise _forbidden("not_a_participant", _("Only the participants of this event vote."))
    return {"teams": current_ballot(event, caller.id)}


@bp.put("/events/<slug>/ballot")
@per_token_limit
def put_ballot(slug: str):
    """Replace the caller's whole ballot. The same request twice leaves the same votes, so a
    phone on poor Wi-Fi may retry without fear."""
    caller = authenticate()
    event, memberships = _event_and_memberships(slug, caller)
    if not policy.can_vote(caller, event):
        raise _forbidden("not_a_participant", _("Only the participants of this event vote."))
    teams = json_object().get("teams")
    try:
        kept = replace_ballot(event, voter_from_memberships(caller.id, memberships), teams)
    except BallotError as refused:
        raise ApiError(refused.status, refused.code, refused.message) from None
    return {"teams": kept}


@bp.patch("/events/<slug>/vote")
@per_token_limit
def patch_vote(slug: str):
    """Open, close or reveal the vote. Asking for the status it already has changes nothing."""
    caller = authenticate()
    event = _event(slug, caller)
    if not policy.can_run_vote(caller, event):
        raise _forbidden(
            "forbidden", _("Only the organisers of this event open, close and reveal its vote.")
        )
    wanted = json_object().get("status")
    if not isinstance(wanted, str) or wanted not in _VOTE_MOVES:
        raise ApiError(
            422,
            "invalid_status",
            _("The status must be one of: %(statuses)s.", statuses=", ".join(_VOTE_MOVES)),
        )
    try:
        change_vote_status(event, caller, _VOTE_MOVES[wanted])
    except VoteStatusError as refused:
        raise ApiError(409, refused.code, refused.message) from None
    return _vote(event)


@bp.get("/events/<slug>/results")
@per_token_limit
def vote_results(slug: str):
    caller = authenticate()
    event = _event(slug, caller)
    if not policy.can_see_results(caller, event):
        if policy.can_see_people(caller, event):
            raise _forbidden(
                "results_not_revealed",
                _("The results are not revealed yet: the organisers will reveal them."),
            )
        raise _forbidden("forbidden", _("Only the people of this event see its results."))
    outcome = results(event)
    return {
        "status": outcome.status.value,
        "ballots": outcome.ballots,
        "stands": [
            {"team_id": stand.team_id, "votes": stand.votes, "rank": stand.rank}
            for stand in outcome.stands
        ],
    }
