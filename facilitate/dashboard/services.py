"""What the dashboard and the room screen show, and the event's stage and countdown."""

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, literal_column, select

from facilitate import policy
from facilitate.audit.services import record
from facilitate.auth.services import (
    PASSWORD_SESSION_COLUMNS,
    password_session,
    polled_password_session,
)
from facilitate.dashboard.versions import event_version
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.kept import Kept
from facilitate.models import Challenge, Event, Membership, Role, Stage, Team, User, _types
from facilitate.models.editions import NationalOrganiser
from facilitate.names import sort_people
from facilitate.programme.screen import announcement_state
from facilitate.workspace.checklists import checklist
from facilitate.workspace.services import work_counts

STAGES = list(Stage)
MIN_MINUTES, MAX_MINUTES = 1, 240


def now() -> datetime:
    """Naive UTC, through the models' clock so that tests can freeze it."""
    return _types.utcnow()


def event_with_roles(slug: str, user_id: int | None) -> tuple[Event | None, list[Role]]:
    """The event and the person's roles there, in one query (see ``policy.remember_roles``)."""
    rows = db.session.execute(
        select(Event, Membership.role)
        .select_from(Event)
        .outerjoin(
            Membership,
            # ``+ 0``: by ``ix_memberships_user_id`` (see _POLLED_BY_SESSION).
            and_(
                Membership.user_id == user_id, Membership.event_id + literal_column("0") == Event.id
            ),
        )
        .where(Event.slug == slug)
    ).all()
    if not rows:
        return None, []
    return rows[0][0], [role for _event, role in rows if role is not None]


_EVENTS, _MEMBERSHIPS = Event.__table__, Membership.__table__
_POLLED = (
    select(_EVENTS.c.id, _EVENTS.c.data_version, _EVENTS.c.edition_id, _MEMBERSHIPS.c.role)
    .select_from(_EVENTS)
    .outerjoin(
        _MEMBERSHIPS,
        and_(  # ``+ 0``: by ``ix_memberships_user_id`` (see _POLLED_BY_SESSION)
            _MEMBERSHIPS.c.user_id == bindparam("user_id"),
            _MEMBERSHIPS.c.event_id + literal_column("0") == _EVENTS.c.id,
        ),
    )
    .where(_EVENTS.c.slug == bindparam("slug"))
)


def polled_event_with_roles(slug: str, user_id: int | None):
    """What a poll needs before it knows whether anything changed: the event's id and data
    version (a row, not an ORM ``Event``: building one costs a poll that finds nothing new a
    third of its time) and the person's roles there, in one query. The policy predicates ask
    it for its ``id`` and ``edition_id`` only (national organisers), as they would an ``Event``."""
    rows = db.session.execute(_POLLED, {"slug": slug, "user_id": user_id}).all()
    if not rows:
        return None, []
    return rows[0], [Role(row.role) for row in rows if row.role is not None]


_USERS, _NATIONAL = User.__table__, NationalOrganiser.__table__
_POLLED_BY_SESSION = (
    select(
        _EVENTS.c.id,
        _EVENTS.c.data_version,
        _EVENTS.c.edition_id,
        _MEMBERSHIPS.c.role,
        *PASSWORD_SESSION_COLUMNS,
        _NATIONAL.c.id.is_not(None).label("national"),
    )
    .select_from(_EVENTS)
    .join(_USERS, _USERS.c.id == bindparam("user_id"))
    .outerjoin(
        _MEMBERSHIPS,
        # The person's few memberships, by ``ix_memberships_user_id``: ``+ 0`` keeps SQLite,
        # which has no statistics, from going through the event's (1,050 rows at edition
        # scale, 0.3 ms) with ``ix_memberships_event_id``.
        and_(
            _MEMBERSHIPS.c.user_id == _USERS.c.id,
            _MEMBERSHIPS.c.event_id + literal_column("0") == _EVENTS.c.id,
        ),
    )
    .outerjoin(  # one row at most: unique (edition, person)
        _NATIONAL,
        and_(_NATIONAL.c.user_id == _USERS.c.id, _NATIONAL.c.edition_id == _EVENTS.c.edition_id),
    )
    .where(_EVENTS.c.slug == bindparam("slug"))
)


def polled_by_password_session(slug: str, allowed):
    """A poll's first read when its person signed in with a password (every organiser's
    screen): the event's id, data version and edition, the person's roles there and their
    session's nonce, in one query, with neither a ``User`` nor an ``Event`` built (Flask-Login
    would read the account in a query of its own, and the national organisers in a third).
    The row when ``allowed(person, event)`` says so (a policy predicate); None when the
    session is not a password session as is, or the rule of password sessions does not let a
    poll answer for the whole account (``polled_password_session``: a nonce that is not the
    account's any more, an unconfirmed email, which opens only the events that invited it),
    there is no such event or the person may not: the poll then asks the usual way
    (``polled_event_with_roles`` after Flask-Login), which answers as it always did."""
    signed_in = password_session()
    if signed_in is None:
        return None
    user_id, nonce = signed_in
    rows = db.session.execute(_POLLED_BY_SESSION, {"slug": slug, "user_id": user_id}).all()
    if not rows or not polled_password_session(rows[0], nonce):
        return None
    polled = rows[0]
    account = policy.PolledAccount(user_id)
    roles = [Role(row.role) for row in rows if row.role is not None]
    policy.remember_polled_roles(account, polled, roles, polled.national)
    return polled if allowed(account, polled) else None


# --- The dashboard ---------------------------------------------------------------------------


@dataclass
class TeamRow:
    team: Team
    challenge: Challenge
    done: int
    total: int
    behind: bool
    facilitators: list[str] = field(default_factory=list)


def is_behind(team_stage: Stage, event_stage: Stage) -> bool:
    return STAGES.index(team_stage) < STAGES.index(event_stage)


def team_rows(event: Event, theme_id: int | None = None) -> list[TeamRow]:
    """Every team of the event (or of one theme) with its progress: three queries whatever the
    number of teams (teams with their challenges, work counts, facilitators)."""
    query = (
        select(Team, Challenge)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(Team.event_id == event.id)
        .order_by(Challenge.number)
    )
    if theme_id is not None:
        query = query.where(Challenge.theme_id == theme_id)
    pairs = db.session.execute(query).all()
    team_ids = [team.id for team, _challenge in pairs]
    counts = work_counts(team_ids)
    names: dict[int, list[str]] = {}
    if team_ids:
        for team_id, name in db.session.execute(
            select(Membership.team_id, User.name)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.event_id == event.id,
                Membership.role == Role.FACILITATOR,
                Membership.team_id.in_(team_ids),
            )
            .order_by(User.id)
        ):
            names.setdefault(team_id, []).append(name)
        names = {team_id: sort_people(group) for team_id, group in names.items()}
    rows = []
    for team, challenge in pairs:
        items = checklist(team, team.stage, counts[team.id])
        rows.append(
            TeamRow(
                team=team,
                challenge=challenge,
                done=sum(item.done for item in items),
                total=len(items),
                behind=is_behind(team.stage, event.stage),
                facilitators=names.get(team.id, []),
            )
        )
    return rows


def _stamp() -> str:
    """This code's and the teams table's own version: a deployment that changes what they show
    must not leave screens with what the previous one rendered."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update((Path(__file__).parent / "templates/dashboard/_teams.html").read_bytes())
    return digest.hexdigest()[:8]


STAMP = _stamp()


def teams_etag(event: Event, theme: str | None) -> str:
    """The teams table's ETag: what it is made of, read before it (``event_version``), in the
    reader's language, for this theme filter (the raw parameter: an unknown theme shows every
    team, as does no theme, under another ETag but the same table)."""
    theme_key = theme if theme and re.fullmatch(r"[0-9]{1,18}", theme) else "all"
    return f"teams-{event_version(event)}-{get_locale()}-{theme_key}-{STAMP}"


RENDERED_KEPT = 32  # teams tables (up to 65 kB each at edition scale)
_rendered: Kept[tuple[int, str], str] = Kept(RENDERED_KEPT)


def rendered_once(event_id: int, etag: str, render: Callable[[], str]) -> str:
    """The teams table under this ETag, rendered once in this process: the ETag says all the
    table is made of, so every page and poll after the first, by any organiser, gets the same
    bytes without its queries and rendering. Each process renders its own; issue 15 may keep
    them in Redis instead."""
    return _rendered.get_or_make((event_id, etag), render)


def room_etag(event: Event) -> str:
    """The room screen's ETag: its state changes only when someone acts (the countdown's
    settings, the stages); ``remaining`` and ``server_now`` while running are left out, so a
    screen that polls gets 304 until then, and keeps counting from ``ends_at``."""
    return f"room-{event_version(event)}-{get_locale()}-{STAMP}"


# --- The event's stage -----------------------------------------------------------------------


def move_event_stage(event: Event, step: int, actor) -> Stage:
    """Move the whole event one stage forward (+1) or back (-1); teams keep their own stage."""
    index = STAGES.index(event.stage) + step
    if step not in (-1, 1) or not 0 <= index < len(STAGES):
        raise DomainError(_("The event cannot move further in that direction."))
    previous, event.stage = event.stage, STAGES[index]
    record(event, actor, "event.stage_moved", **{"from": previous.value, "to": event.stage.value})
    db.session.flush()
    return event.stage


# --- The countdown ---------------------------------------------------------------------------


def _seconds_left(event: Event, at: datetime) -> int:
    if event.timer_ends_at is not None:
        return max(0, math.ceil((event.timer_ends_at - at).total_seconds()))
    return event.timer_remaining or 0


def seconds_left(event: Event) -> int:
    """What the countdown shows now: running or paused."""
    return _seconds_left(event, now())


def start_timer(event: Event, minutes: int) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise DomainError(
            _("Between %(min)d and %(max)d minutes.", min=MIN_MINUTES, max=MAX_MINUTES),
            field="minutes",
        )
    event.timer_duration = minutes * 60
    event.timer_ends_at = now() + timedelta(seconds=event.timer_duration)
    event.timer_remaining = None
    db.session.flush()


def pause_timer(event: Event) -> None:
    if event.timer_ends_at is None:
        raise DomainError(_("The countdown is not running."))
    event.timer_remaining = _seconds_left(event, now())
    event.timer_ends_at = None
    db.session.flush()


def resume_timer(event: Event) -> None:
    if event.timer_ends_at is not None or event.timer_remaining is None:
        raise DomainError(_("The countdown is not paused."))
    event.timer_ends_at = now() + timedelta(seconds=event.timer_remaining)
    event.timer_remaining = None
    db.session.flush()


def reset_timer(event: Event) -> None:
    if event.timer_duration is None:
        raise DomainError(_("No countdown has been started yet."))
    event.timer_ends_at = None
    event.timer_remaining = event.timer_duration
    db.session.flush()


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def format_seconds(seconds: int) -> str:
    """ "9:05", or "1:02:05" past an hour: the way the room screen (and room.js) writes it."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class RoomTeam:
    number: int
    stage: Stage


def room_teams(event: Event) -> list[RoomTeam]:
    """Each team's challenge number and stage, in one query."""
    rows = db.session.execute(
        select(Challenge.number, Team.stage)
        .join(Team, Team.challenge_id == Challenge.id)
        .where(Challenge.event_id == event.id)
        .order_by(Challenge.number)
    )
    return [RoomTeam(number, stage) for number, stage in rows]


def room_state(event: Event, teams: list[RoomTeam]) -> dict:
    """What every room screen shows (its ETag: ``room_etag``)."""
    at = now()
    return {
        "running": event.timer_ends_at is not None,
        "ends_at": _iso(event.timer_ends_at),
        "paused_remaining": event.timer_remaining if event.timer_ends_at is None else None,
        "duration": event.timer_duration,
        "stage": event.stage.value,
        "stage_label": str(event.stage.label),
        "teams": [
            {"number": t.number, "stage": t.stage.value, "label": str(t.stage.label)} for t in teams
        ],
        "remaining": _seconds_left(event, at),
        "server_now": _iso(at),
        "announcement": announcement_state(event),
    }
