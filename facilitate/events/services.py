from dataclasses import dataclass

from flask import abort
from flask_login import current_user
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import load_only

from facilitate import policy
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, Theme


@dataclass(frozen=True)
class ThemeGroup:
    theme: Theme | None  # None: challenges not yet given a theme
    challenges: list[Challenge]


# Every page of an event starts here: the statement is built once, not at each request.
_EVENT_BY_SLUG = select(Event).where(Event.slug == bindparam("slug"))


def get_event_or_404(slug: str) -> Event:
    event = db.session.scalar(_EVENT_BY_SLUG, {"slug": slug})
    if event is None:
        abort(404)
    return event


def get_managed_event_or_404(slug: str) -> Event:
    """The event, if the signed-in person organises it: every organiser page starts here."""
    event = get_event_or_404(slug)
    policy.require(policy.can_manage_event(current_user, event))
    return event


_events, _challenges = Event.__table__, Challenge.__table__
# The home page's list, built once: the columns its cards show, each event's challenges counted
# by their index on the event (not a GROUP BY over every challenge of the platform).
_EVENT_LIST = select(
    _events.c.id,
    _events.c.slug,
    _events.c.name,
    _events.c.venue,
    _events.c.starts_at,
    _events.c.ends_at,
    _events.c.timezone,
    select(func.count())
    .where(_challenges.c.event_id == _events.c.id)
    .scalar_subquery()
    .label("challenge_count"),
).order_by(_events.c.starts_at.desc().nulls_last(), _events.c.name)


def list_events() -> list:
    """Every event (what its card shows: ``slug``, ``name``, ``venue``, ``starts_at``,
    ``ends_at``, ``timezone``) with its number of challenges, newest first, in one query."""
    return db.session.execute(_EVENT_LIST).all()


# What a challenge's card shows (the event page's list, its own challenge).
_CARD = load_only(
    Challenge.number, Challenge.question, Challenge.owner_organisation, Challenge.theme_id
)


# The event page's two lists and its own challenge, built once (README, "Every request pays
# little by design"): building them cost more than running them.
_THEMES = (
    select(Theme).where(Theme.event_id == bindparam("event_id")).order_by(Theme.position, Theme.id)
)
_CHALLENGE_CARDS = (
    select(Challenge)
    .options(_CARD)
    .where(Challenge.event_id == bindparam("event_id"))
    .order_by(Challenge.number)
)
_OWN_CHALLENGE = (
    select(Challenge)
    .options(_CARD)
    .join(Team, Team.challenge_id == Challenge.id)
    .join(Membership, Membership.team_id == Team.id)
    .where(
        Membership.user_id == bindparam("user_id"),
        Membership.event_id == bindparam("event_id"),
        Membership.role.in_((Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER)),
    )
    .order_by(Challenge.number)
    .limit(1)
)


def challenges_by_theme(event: Event) -> list[ThemeGroup]:
    """The event's challenges grouped by theme, in the themes' order then by number.

    Two queries whatever the number of challenges: the themes, then the challenges, with only
    what their cards show (the sheets' JSON lists cost a fifth of the page at 70 challenges).
    """
    themes = db.session.scalars(_THEMES, {"event_id": event.id}).all()
    challenges = db.session.scalars(_CHALLENGE_CARDS, {"event_id": event.id}).all()
    by_theme: dict[int | None, list[Challenge]] = {}
    for challenge in challenges:
        by_theme.setdefault(challenge.theme_id, []).append(challenge)
    groups = [ThemeGroup(t, by_theme[t.id]) for t in themes if t.id in by_theme]
    if None in by_theme:
        groups.append(ThemeGroup(None, by_theme[None]))
    return groups


def own_challenge(user, event: Event) -> Challenge | None:
    """The challenge a signed-in person works on at this event, to put it first on the page."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(_OWN_CHALLENGE, {"user_id": user.id, "event_id": event.id})
