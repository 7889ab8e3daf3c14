"""The endpoints of the JSON API, version 1 (documented in the README's "JSON API" section).

Each view finds the caller and the event with the caller's roles in one query (its token), asks
the policy, then calls the exhibition services: the rules live there, written once for the HTML
pages and the API. The ballot's PUT runs a fixed number of statements whatever the number of
stands or voters, and the results are one aggregate query.
"""

from flask import jsonify
from flask_babel import gettext as _

from facilitate import policy
from facilitate.api import bp
from facilitate.api.auth import (
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
from facilitate.extensions import limiter
from facilitate.followup.services import challenges_of, export_fields, follow_ups_of
from facilitate.models import Event, VoteStatus

API_VERSION = 1
# What PATCH /vote accepts: "not_started" is where a vote begins, never where one goes.
_VOTE_MOVES = {status.value: status for status in VoteStatus if status != VoteStatus.NOT_STARTED}

bp.before_request(refuse_large_bodies)


def _event(slug: str):
    """The caller and the event, in one query (see ``authenticate``); the policy is told the
    caller's roles, so that it asks the database nothing more."""
    found = authenticate(slug)
    if found.event is None:
        raise ApiError(
            404, "unknown_event", _("No event has the identifier “%(slug)s”.", slug=slug)
        )
    policy.remember_roles(found.caller, found.event, [role for role, _team in found.memberships])
    return found.caller, found.event, found.memberships


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
    caller, event, _memberships = _event(slug)
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
    caller, event, _memberships = _event(slug)
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
    caller, event, _memberships = _event(slug)
    if not policy.can_vote(caller, event):
        raise _forbidden("not_a_participant", _("Only the participants of this event vote."))
    return {"teams": current_ballot(event, caller.id)}


@bp.put("/events/<slug>/ballot")
@per_token_limit
def put_ballot(slug: str):
    """Replace the caller's whole ballot. The same request twice leaves the same votes, so a
    phone on poor Wi-Fi may retry without fear."""
    caller, event, memberships = _event(slug)
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
    caller, event, _memberships = _event(slug)
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
    caller, event, _memberships = _event(slug)
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


@bp.get("/events/<slug>/challenges")
@per_token_limit
def challenges(slug: str):
    """The event's challenges with what became of them (the same fields as the challenges'
    spreadsheet export, read by the same function): two queries."""
    caller, event, _memberships = _event(slug)
    if not policy.can_read_follow_up(caller, event):
        raise _forbidden("forbidden", _("Only the people of this event see its follow-up."))
    follow_ups = follow_ups_of(event)
    listed = []
    for challenge in challenges_of(event):
        fields = export_fields(follow_ups.get(challenge.id))
        listed.append(
            {
                "number": challenge.number,
                "question": challenge.question,
                "project_name": challenge.project_name,
                "owner_organisation": challenge.owner_organisation,
                "follow_up": {
                    "status": fields.status,
                    "status_label": fields.status_label or None,
                    "progress": fields.progress,
                    "last_update_on": (
                        fields.last_update_on.isoformat() if fields.last_update_on else None
                    ),
                },
            }
        )
    return jsonify(listed)
