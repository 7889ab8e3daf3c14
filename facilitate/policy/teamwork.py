"""The team workspace, the exhibition and its vote, stand feedback."""

from facilitate.models import (
    Event,
    Role,
    Team,
    VoteStatus,
)
from facilitate.policy.roles import (
    can_copy_event,
    can_create_events,
    can_manage_event,
    can_see_people,
    can_view_challenge,
    can_view_event,
    roles_in,
    roles_in_team,
)

PREDICATES: dict = {}


# --- The team workspace (issue 4). Members and the team's facilitator edit; challenge owners
# comment and endorse; the event's other people read; organisers do everything.


def can_read_workspace(user, team: Team) -> bool:
    return bool(roles_in_team(user, team)) or can_see_people(user, team.challenge.event)


def can_edit_workspace(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.MEMBER, Role.FACILITATOR, Role.ORGANISER})


def can_comment_on_workspace(user, team: Team) -> bool:
    return bool(
        roles_in_team(user, team)
        & {Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER, Role.ORGANISER}
    )


def can_place_dots(user, team: Team) -> bool:
    """Dots are the members' vote among their own ideas."""
    return Role.MEMBER in roles_in_team(user, team)


def can_close_dot_vote(user, team: Team) -> bool:
    """The facilitator ends the team's dot vote (organisers may stand in for them)."""
    return bool(roles_in_team(user, team) & {Role.FACILITATOR, Role.ORGANISER})


def can_retain_idea(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.FACILITATOR, Role.ORGANISER})


def can_endorse_idea(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.CHALLENGE_OWNER, Role.ORGANISER})


def can_move_team_stage(user, team: Team) -> bool:
    return bool(roles_in_team(user, team) & {Role.FACILITATOR, Role.ORGANISER})


# --- The exhibition (issue 5). Stands are for the event's people; attendees vote and leave
# feedback; organisers run the vote and see results before anyone else.


def can_visit_stand(user, team: Team) -> bool:
    return can_see_people(user, team.challenge.event)


def can_vote(user, event: Event) -> bool:
    """Every attendee votes (members, facilitators and owners are attendees too)."""
    return Role.PARTICIPANT in roles_in(user, event)


def can_leave_feedback(user, team: Team) -> bool:
    """Visitors tell a team what they think; the team's own people record theirs in the
    workspace instead."""
    return can_see_people(user, team.challenge.event) and not (
        roles_in_team(user, team) - {Role.ORGANISER}
    )


def can_run_vote(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_see_results(user, event: Event) -> bool:
    """Organisers always (the page warns them); the event's people once revealed."""
    if can_manage_event(user, event):
        return True
    return event.vote_status == VoteStatus.REVEALED and can_see_people(user, event)


# --- Stand feedback (deliverable 9). What visitors tell a team is for the team: its members, its
# facilitator, its challenge owner and the event's organisers read it (in the workspace and the
# exports); the event's other people, who may read the rest of the workspace, do not.


def can_read_feedback(user, team: Team) -> bool:
    return bool(
        roles_in_team(user, team)
        & {Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER, Role.ORGANISER}
    )


PREDICATES.update(
    {
        "can_view_event": can_view_event,
        "can_view_challenge": can_view_challenge,
        "can_manage_event": can_manage_event,
        "can_create_events": can_create_events,
        "can_copy_event": can_copy_event,
        "can_see_people": can_see_people,
        "can_read_workspace": can_read_workspace,
        "can_edit_workspace": can_edit_workspace,
        "can_comment_on_workspace": can_comment_on_workspace,
        "can_place_dots": can_place_dots,
        "can_close_dot_vote": can_close_dot_vote,
        "can_retain_idea": can_retain_idea,
        "can_endorse_idea": can_endorse_idea,
        "can_move_team_stage": can_move_team_stage,
        "can_visit_stand": can_visit_stand,
        "can_vote": can_vote,
        "can_leave_feedback": can_leave_feedback,
        "can_run_vote": can_run_vote,
        "can_see_results": can_see_results,
        "can_read_feedback": can_read_feedback,
    }
)
