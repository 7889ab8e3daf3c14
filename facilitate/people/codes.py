"""The list of access codes that organisers print on badges or send by mail merge."""

from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.auth.codes import format_access_code
from facilitate.auth.services import issue_access_code, sign_in_url
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User


def team_label(team_name: str | None, challenge_number: int | None) -> str:
    if team_name:
        return team_name
    if challenge_number is None:
        return ""
    return _("Team of challenge %(number)d", number=challenge_number)


def participants_with_teams(event: Event) -> list[tuple[Membership, User, Team | None, int | None]]:
    """Every attendance of the event with the person's account, their team and its challenge
    number, in two queries by the event's index. Not one with an outer join from each
    attendance to its member row: right after a bulk import PostgreSQL's statistics are stale
    and it plans that join as nested loops over every pair of memberships."""
    teams = {
        user_id: (team, number)
        for user_id, team, number in db.session.execute(
            select(Membership.user_id, Team, Challenge.number)
            .join(Team, Team.id == Membership.team_id)
            .outerjoin(Challenge, Challenge.id == Team.challenge_id)
            .where(Membership.event_id == event.id, Membership.role == Role.MEMBER)
        )
    }
    rows = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            Membership.erased_at.is_(None),
        )
        .order_by(Membership.name, Membership.user_id)
    )
    return [(attendance, user, *teams.get(user.id, (None, None))) for attendance, user in rows]


def access_code_table(event: Event, issue_missing: bool = True) -> tuple[list[str], list[list]]:
    """One row per participant, with this event's code; without ``issue_missing``, those who
    have no code are left out (a web page's GET must not change anything)."""
    headers = [
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("Team"),
        _("Challenge"),
        _("Access code"),
        _("Sign-in link"),
    ]
    rows = []
    for attendance, user, team, number in participants_with_teams(event):
        if attendance.access_code is None:
            if not issue_missing:
                continue
            issue_access_code(attendance)
        rows.append(
            [
                attendance.name,
                user.email or "",
                attendance.organisation or "",
                team_label(team.name if team else None, number),
                number if number is not None else "",
                format_access_code(attendance.access_code),
                sign_in_url(attendance.access_code),
            ]
        )
    return headers, rows
