"""What the printable documents show, each loaded in a fixed number of queries."""

from dataclasses import dataclass
from functools import lru_cache

import segno
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import Row, select
from sqlalchemy.orm import joinedload

from facilitate.audit.services import record
from facilitate.auth.codes import format_access_code
from facilitate.auth.services import issue_access_code, sign_in_url
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team
from facilitate.names import sort_people
from facilitate.people.codes import AttendeeRoles, attendee_roles, attending, team_label
from facilitate.printing.batches import (
    BADGES_PER_BATCH,
    Batches,
    as_shown,
    digest,
    marks_field,
    note_printed,
)

# Letting segno try its eight masks and keep the best costs about 5 ms a code, so 5 s for a
# thousand badges; any fixed mask gives a valid code that phones read as well, in about 1 ms.
QR_MASK = 0

BADGES_PER_PAGE = 10  # 2 columns x 5 rows of 85 x 54 mm cards on A4 (see badges.css)


@dataclass(frozen=True)
class TeamChoice:
    id: int
    label: str


@dataclass(frozen=True)
class Badge:
    name: str
    organisation: str
    team: str
    # "Animateur ou animatrice", "Organisateur ou organisatrice"...; empty for a member.
    role: str
    challenge_number: int | None
    access_code: str  # dashed, as people type it
    qr_code: Markup


@dataclass(frozen=True)
class BadgeSelection:
    """The badges an organiser prints: everyone's, one team's, one role's (``AttendeeRoles.keys``:
    facilitators print on another colour), only those not yet printed, or any combination."""

    team_id: int | None = None
    role: str | None = None
    not_printed: bool = False

    def holds(self, attendance, roles: AttendeeRoles) -> bool:
        """``attendance``: anything with its ``access_code`` and ``badge_printed_at``."""
        return (
            attendance.access_code is not None
            and (self.team_id is None or self.team_id in roles.team_ids)
            and (self.role is None or self.role in roles.keys)
            and not (self.not_printed and attendance.badge_printed_at is not None)
        )


@dataclass(frozen=True)
class BadgeBatch:
    """One batch of a selection of badges, and what the page says of the selection."""

    badges: list[Badge]
    batches: Batches
    # Badges of the selection (every batch) never marked printed, or changed since.
    not_printed: int
    # Participants of the whole event who have no access code yet, hence no badge.
    without_code: int
    # The batch's badges as "mark as printed" names them (see batches.marks_field).
    marks: str


def event_challenges(event: Event) -> list[Challenge]:
    """Every challenge of the event with its theme, by number, in one query."""
    return list(
        db.session.scalars(
            select(Challenge)
            .options(joinedload(Challenge.theme))
            .where(Challenge.event_id == event.id)
            .order_by(Challenge.number)
        )
    )


def team_choices(event: Event) -> list[TeamChoice]:
    """The event's teams, by challenge number, to print one team's badges."""
    rows = db.session.execute(
        select(Team.id, Team.name, Challenge.number)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(Team.event_id == event.id)
        .order_by(Challenge.number)
    )
    return [TeamChoice(team_id, team_label(name, number)) for team_id, name, number in rows]


def qr_code_svg(url: str, label: str) -> Markup:
    """The link as an inline SVG QR code, black on transparent, sized by CSS, named for
    screen readers."""
    # Trusted: segno wrote this markup from the link alone, and escaped the title.
    named = Markup('<svg role="img" aria-label="{}" ').format(label)
    return Markup(_drawn_qr_code(url, label)).replace(Markup("<svg "), named, 1)  # noqa: S704


# A code is drawn once per process and then reused: badges and posters are printed again and
# again with the same links (1,050 badges took about 0.9 s a request when each was drawn anew).
# A renewed access code is another link, hence another drawing; the oldest are forgotten first.
QR_CODES_KEPT = 4096


@lru_cache(maxsize=QR_CODES_KEPT)
def _drawn_qr_code(url: str, label: str) -> str:
    return segno.make(url, error="m", micro=False, mask=QR_MASK).svg_inline(
        scale=1, dark="#000", omitsize=True, svgclass="badge__qr-code", lineclass=None, title=label
    )


def role_choices() -> list[tuple[str, str]]:
    """The roles badges can be printed for, as (value of the ``role`` filter, label)."""
    return [
        (Role.FACILITATOR.value, str(Role.FACILITATOR.label)),
        (Role.CHALLENGE_OWNER.value, str(Role.CHALLENGE_OWNER.label)),
        (Role.ORGANISER.value, str(Role.ORGANISER.label)),
        (Role.MEMBER.value, str(Role.MEMBER.label)),
    ]


def badge_digest(name: str | None, organisation: str | None, access_code: str | None) -> str:
    """What a badge prints that, when it changes, makes the printed badge out of date (the
    same fields as Membership._printed_details)."""
    return digest(name, organisation, access_code)


def badge_batch(event: Event, selection: BadgeSelection, asked: int | None = None) -> BadgeBatch:
    """The batch ``asked`` (from 1; the nearest when out of range) of the badges of the event's
    participants who have an access code and are in ``selection``, by surname; a person with
    several roles or teams is under each.

    Two queries whatever the number of participants: their roles (``attendee_roles``), then
    their attendances, as columns (the batch is known only once the whole selection is sorted
    by surname, so every row is read: the fewer columns, the less work for the database). Only
    the batch's badges are drawn. Needs a request, to build the sign-in links."""
    roles = attendee_roles(event)
    people = [(row, roles.get(row.user_id, AttendeeRoles())) for row in _attendances(event)]
    chosen = [(row, held) for row, held in people if selection.holds(row, held)]
    batches = Batches.of(len(chosen), BADGES_PER_BATCH, asked)
    shown = batches.cut(chosen)
    return BadgeBatch(
        badges=[_badge(row, held) for row, held in shown],
        batches=batches,
        not_printed=sum(1 for row, _held in chosen if row.badge_printed_at is None),
        without_code=sum(1 for row, _held in people if not row.access_code),
        marks=marks_field(
            (row.id, badge_digest(row.name, row.organisation, row.access_code))
            for row, _held in shown
        ),
    )


def _attendances(event: Event) -> list[Row]:
    """The event's attendances, by surname, with what a badge prints: one query."""
    rows = db.session.execute(
        select(
            Membership.id,
            Membership.user_id,
            Membership.name,
            Membership.family_name,
            Membership.organisation,
            Membership.access_code,
            Membership.badge_printed_at,
        )
        .where(*attending(event))
        .order_by(Membership.user_id)
    )
    return sort_people(rows, key=lambda row: row.name, family=lambda row: row.family_name)


def _badge(attendance: Row, roles: AttendeeRoles) -> Badge:
    """``attendance``: a row of ``_attendances``."""
    first = roles.parts[0] if roles.parts else None
    return Badge(
        name=attendance.name,
        organisation=attendance.organisation or "",
        team=roles.team_line,
        role=roles.label,
        challenge_number=None if roles.in_several_teams or first is None else first.number,
        access_code=format_access_code(attendance.access_code),
        qr_code=qr_code_svg(
            sign_in_url(attendance.access_code),
            _("QR code to sign in as %(name)s", name=attendance.name),
        ),
    )


def mark_badges_printed(event: Event, actor, marks: dict[int, str]) -> tuple[int, int]:
    """Note the badges named by ``marks`` (attendance id → ``badge_digest``, as the batch's page
    showed them) as printed now. A badge whose name, organisation or code changed since the page
    was shown is out of date and left as it is, as is one of another event or erased. Returns
    how many were marked, and how many of ``marks`` were not.

    Two queries whatever the batch: the rows are read under lock (on SQLite, a POST holds the
    write lock already), so that a new code cannot slip between the check and the mark."""
    rows = db.session.execute(
        select(Membership.id, Membership.name, Membership.organisation, Membership.access_code)
        .where(
            Membership.id.in_(marks),
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            Membership.erased_at.is_(None),
            Membership.access_code.is_not(None),
        )
        .with_for_update()
    ).all()
    current = as_shown(rows, marks, badge_digest)
    note_printed(event, actor, Membership.badge_printed_at, current, "badges.printed")
    return len(current), len(marks) - len(current)


def issue_missing_codes(event: Event, actor) -> int:
    """Give an access code for this event to each participant of the event who has none; codes
    already printed stay valid. Returns how many were issued.

    The rows are locked, so that two organisers clicking together cannot give one person two
    successive codes (on PostgreSQL the second waits, then finds nobody left without a code).
    """
    people = db.session.scalars(
        select(Membership)
        .where(
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            Membership.access_code.is_(None),
            Membership.erased_at.is_(None),
        )
        .with_for_update()
    ).all()
    for attendance in people:
        issue_access_code(attendance)
    if people:
        record(event, actor, "codes.issued", count=len(people))
    db.session.flush()
    return len(people)
