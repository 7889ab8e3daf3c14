"""Who a person is at an event: the roles their memberships give, read once per request, as
an access code or a password session may use them; and the event-wide rules every other part
builds on."""

from flask import abort, g
from flask_login import current_user
from sqlalchemy import bindparam, literal_column, select

from facilitate.extensions import db, login_manager
from facilitate.models import (
    Challenge,
    Event,
    Membership,
    NationalOrganiser,
    Role,
    Team,
)

PREDICATES: dict = {}


def _code_scope(user) -> int | None:
    """The one event an access code's session opens (None: a password session, or nobody)."""
    return getattr(user, "signed_in_event_id", None)


def _reaches(user, event_id: int) -> bool:
    """Whether this session may act at this event at all (see User.reachable_event_ids)."""
    reachable = getattr(user, "reachable_event_ids", None)
    return reachable is None or event_id in reachable


def session_reaches(user, event_id: int) -> bool:
    """For lists that gather rows of several events at once (the follow-up invitations on a
    person's home page): whether this session may show that event's at all."""
    return _reaches(user, event_id)


def _scoped(user, event_id: int, roles) -> frozenset[Role]:
    """An access code opens its own event, as the attendee it was printed for: never another
    event, and never the organiser's rights, even when the same person organises it. A password
    whose email is unconfirmed opens only the events that invited it."""
    if not _reaches(user, event_id):
        return frozenset()
    if _code_scope(user) is None:
        return frozenset(roles)
    return frozenset(roles) - {Role.ORGANISER}


# By ``ix_memberships_user_id``, the person's few memberships: ``+ 0`` keeps SQLite, which has
# no statistics, from reading the whole event's (1,050 at edition scale, 0.4 ms a page) through
# ``ix_memberships_event_id``.
_MEMBERSHIPS = select(Membership.role, Membership.team_id).where(
    Membership.user_id == bindparam("user_id"),
    Membership.event_id + literal_column("0") == bindparam("event_id"),
)


def _memberships(user, event_id: int) -> tuple[tuple[Role, int | None], ...]:
    """The person's memberships at this event, as (role, team id): one query per request, which
    answers both ``roles_in`` and ``roles_in_team`` (a stand or a workspace asks both). Its
    statement is built once: nearly every page asks."""
    cache = g.setdefault("_memberships", {})
    key = (user.id, event_id)
    if key not in cache:
        rows = db.session.execute(_MEMBERSHIPS, {"user_id": user.id, "event_id": event_id})
        cache[key] = tuple(tuple(row) for row in rows)
    return cache[key]


def roles_in(user, event: Event) -> frozenset[Role]:
    """The person's roles at this event, read once per request."""
    if not user.is_authenticated or not _reaches(user, event.id):
        return frozenset()
    cache = g.setdefault("_roles_in_event", {})
    key = (user.id, event.id)
    if key not in cache:
        roles = _scoped(user, event.id, (role for role, _ in _memberships(user, event.id)))
        cache[key] = roles | _national_roles(user, event)
    return cache[key]


def roles_in_team(user, team: Team) -> frozenset[Role]:
    """The person's roles towards this team (member, facilitator, challenge owner), once per
    request, plus ORGANISER when they organise the team's event."""
    if not user.is_authenticated or not _reaches(user, team.event_id):
        return frozenset()
    cache = g.setdefault("_roles_in_team", {})
    key = (user.id, team.id)
    if key not in cache:
        roles = (
            role
            for role, team_id in _memberships(user, team.event_id)
            if team_id == team.id or role == Role.ORGANISER
        )
        # The team's event is already loaded by every page that asks: no query.
        national = _national_roles(user, db.session.get(Event, team.event_id))
        cache[key] = _scoped(user, team.event_id, roles) | national
    return cache[key]


def can_view_event(user, event: Event) -> bool:
    """Event and challenge pages are public, as the programmes of these universities are: a
    challenge is a public question a local authority asks."""
    return True


def can_view_challenge(user, challenge: Challenge) -> bool:
    return can_view_event(user, challenge.event)


def can_manage_event(user, event: Event) -> bool:
    return Role.ORGANISER in roles_in(user, event)


def can_create_events(user) -> bool:
    """A platform right of the account: a session opened with an access code never has it."""
    return bool(
        user.is_authenticated
        and user.is_organiser
        and getattr(user, "reachable_event_ids", None) is None
    )


def can_copy_event(user, event: Event) -> bool:
    """A copy is a new event: it needs the right to create events, on top of organising the
    source (an organiser who may not create events must not make themselves some)."""
    return can_manage_event(user, event) and can_create_events(user)


def can_see_people(user, event: Event) -> bool:
    """Who is in which team is for the people of the event, not the public."""
    return bool(roles_in(user, event))


def require(allowed: bool) -> None:
    """Refuse the request unless allowed: anonymous people are sent to sign in, others get 403."""
    if allowed:
        return
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(403)


def _national_role_counts(user) -> bool:
    """A national role needs a password session with a confirmed address: never a code's."""
    return (
        user.is_authenticated
        and _code_scope(user) is None
        and getattr(user, "reachable_event_ids", None) is None
    )


def _national_editions(user) -> frozenset[int]:
    """The editions the person runs nationally, read once per request."""
    if not _national_role_counts(user):
        return frozenset()
    cache = g.setdefault("_national_editions", {})
    if user.id not in cache:
        cache[user.id] = frozenset(
            db.session.scalars(
                select(NationalOrganiser.edition_id).where(NationalOrganiser.user_id == user.id)
            )
        )
    return cache[user.id]


def _national_roles(user, event: Event | None) -> frozenset[Role]:
    """ORGANISER at a site of an edition the person runs; no query for an event of no edition."""
    if event is None or event.edition_id is None:
        return frozenset()
    return frozenset({Role.ORGANISER}) if runs_edition(user, event.edition_id) else frozenset()


def runs_edition(user, edition_id: int) -> bool:
    return edition_id in _national_editions(user)


def runs_edition_as_read(user, has_row: bool) -> bool:
    """``runs_edition`` for a caller that read the person's national organiser row of the
    edition itself (a poll reads it with what it compares): whether that row counts for this
    session, as ``_national_editions`` decides (never for an access code's). No query."""
    return has_row and _national_role_counts(user)


# --- The JSON API (issue 5). The API asks the predicates above; these only spare it queries and
# say who may hold a token.


def remember_roles(user, event: Event, roles) -> None:
    """The API reads the caller's roles together with the event, in one query: record them as
    ``roles_in`` would have read them, so that the predicates above ask the database no more."""
    g.setdefault("_roles_in_event", {})[(user.id, event.id)] = _scoped(
        user, event.id, roles
    ) | _national_roles(user, event)


class PolledAccount:
    """A password session's account, its email confirmed, as a poll sees it before it knows
    whether anything changed (``dashboard.services.polled_by_password_session``): enough for
    ``roles_in`` and the predicates built on it, without building a ``User``."""

    is_authenticated = True
    code_attendance = None
    signed_in_event_id = None
    reachable_event_ids = None  # a confirmed account's password opens all its events

    def __init__(self, user_id: int):
        self.id = user_id


def remember_polled_roles(account: PolledAccount, event, roles, runs_its_edition: bool) -> None:
    """``remember_roles`` for a poll, whose query also said whether the account runs the
    event's edition nationally: what ``_national_roles`` would have read."""
    national = (
        frozenset({Role.ORGANISER})
        if runs_its_edition and event.edition_id is not None
        else frozenset()
    )
    g.setdefault("_roles_in_event", {})[(account.id, event.id)] = (
        _scoped(account, event.id, roles) | national
    )


def may_hold_api_token(user) -> bool:
    """API tokens are for organisers' scripts: people who may create events or organise one.
    Participants use the access code they already have."""
    if _code_scope(user) is not None:
        return False
    if can_create_events(user):
        return True
    return (
        db.session.scalar(
            select(Membership.id)
            .where(Membership.user_id == user.id, Membership.role == Role.ORGANISER)
            .limit(1)
        )
        is not None
    )
