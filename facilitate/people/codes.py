"""The list of access codes that organisers print on badges or send by mail merge."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.auth.codes import format_access_code
from facilitate.auth.services import issue_access_code, sign_in_url
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from facilitate.names import sort_people
from facilitate.people.management import TEAM_ROLES


def team_label(team_name: str | None, challenge_number: int | None) -> str:
    if team_name:
        return team_name
    if challenge_number is None:
        return ""
    return _("Challenge %(number)d team", number=challenge_number)


@dataclass(frozen=True)
class AttendeeRoles:
    """What a badge and the codes list say of a person's part in the event: their team role
    (member, facilitator or challenge owner) and whether they organise it."""

    team_role: Role | None = None
    organiser: bool = False

    @property
    def key(self) -> str:
        """For filtering badges: "organiser", "facilitator", "challenge_owner" or "member"."""
        if self.organiser:
            return Role.ORGANISER.value
        return (self.team_role or Role.MEMBER).value

    @property
    def label(self) -> str:
        """ "Animateur ou animatrice", "Organisateur ou organisatrice"...; empty for a member,
        whose team says enough."""
        roles = [self.team_role] if self.team_role not in (None, Role.MEMBER) else []
        if self.organiser:
            roles.append(Role.ORGANISER)
        return ", ".join(str(role.label) for role in roles)


def participants_with_teams(
    event: Event,
) -> list[tuple[Membership, User, Team | None, int | None, AttendeeRoles]]:
    """Every attendance of the event with the person's account, their team (whatever their
    role in it), its challenge number and their roles, in two queries by the event's index.
    Not one with outer joins from each attendance to its other memberships: right after a bulk
    import PostgreSQL's statistics are stale and it plans such joins as nested loops over every
    pair of memberships."""
    teams: dict[int, tuple[Team | None, int | None]] = {}
    roles: dict[int, AttendeeRoles] = {}
    for user_id, role, team, number in db.session.execute(
        select(Membership.user_id, Membership.role, Team, Challenge.number)
        .outerjoin(Team, Team.id == Membership.team_id)
        .outerjoin(Challenge, Challenge.id == Team.challenge_id)
        .where(
            Membership.event_id == event.id,
            Membership.role.in_((*TEAM_ROLES, Role.ORGANISER)),
        )
    ):
        current = roles.get(user_id, AttendeeRoles())
        if role == Role.ORGANISER:
            roles[user_id] = AttendeeRoles(current.team_role, organiser=True)
        else:
            roles[user_id] = AttendeeRoles(role, current.organiser)
            teams[user_id] = (team, number)
    rows = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            Membership.erased_at.is_(None),
        )
        .order_by(Membership.user_id)
    )
    return [
        (attendance, user, *teams.get(user.id, (None, None)), roles.get(user.id, AttendeeRoles()))
        for attendance, user in sort_people(
            rows, key=lambda row: row[0].name, family=lambda row: row[0].family_name
        )
    ]


def access_code_table(event: Event, issue_missing: bool = True) -> tuple[list[str], list[list]]:
    """One row per participant, with this event's code; without ``issue_missing``, those who
    have no code are left out (a web page's GET must not change anything)."""
    headers = [
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("Role"),
        _("Team"),
        _("Challenge"),
        _("Access code"),
        _("Sign-in link"),
    ]
    rows = []
    for attendance, user, team, number, roles in participants_with_teams(event):
        if attendance.access_code is None:
            if not issue_missing:
                continue
            issue_access_code(attendance)
        rows.append(
            [
                attendance.name,
                user.email or "",
                attendance.organisation or "",
                roles.label,
                team_label(team.name if team else None, number),
                number if number is not None else "",
                format_access_code(attendance.access_code),
                sign_in_url(attendance.access_code),
            ]
        )
    return headers, rows
