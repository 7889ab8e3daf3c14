"""Who may do what. Every view and template asks here; nothing else decides.

Predicates take the person first (a signed-in ``User`` or Flask-Login's anonymous user) and the
object second, and only answer: loading and refusing is ``require``'s job.
"""

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from facilitate.extensions import db, login_manager
from facilitate.models import Challenge, Event, Membership, Role


def roles_in(user, event: Event) -> frozenset[Role]:
    """The person's roles at this event, read once per request."""
    if not user.is_authenticated:
        return frozenset()
    cache = g.setdefault("_roles_in_event", {})
    key = (user.id, event.id)
    if key not in cache:
        rows = db.session.scalars(
            select(Membership.role).where(
                Membership.user_id == user.id, Membership.event_id == event.id
            )
        )
        cache[key] = frozenset(rows)
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
    return bool(user.is_authenticated and user.is_organiser)


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


# The names templates use to hide what a person may not do.
TEMPLATE_PREDICATES = {
    "can_view_event": can_view_event,
    "can_view_challenge": can_view_challenge,
    "can_manage_event": can_manage_event,
    "can_create_events": can_create_events,
    "can_see_people": can_see_people,
}


def init_app(app) -> None:
    """Templates ask the same predicates as views, to hide what a person may not do."""
    app.jinja_env.globals.update(TEMPLATE_PREDICATES)
