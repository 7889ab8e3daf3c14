"""Editions and their sites."""

from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import (
    Edition,
    Event,
    Membership,
    Role,
)
from facilitate.policy.roles import (
    _code_scope,
    _national_editions,
    can_create_events,
    can_manage_event,
    runs_edition,
)

PREDICATES: dict = {}


# --- Editions and sites (issue 15). An edition groups the sites of one year; its national
# organisers create sites, attach existing events, appoint and remove site organisers, and
# organise every site of the edition with the same rights as its site organisers (they could
# invite themselves anyway; the national team steps in when a site needs it). Site organisers
# organise their own site only and do not see the edition's pages. The national role needs a
# password session with a confirmed address, as creating events does: never an access code.


def can_create_editions(user) -> bool:
    """Whoever may create events may start an edition (and becomes its national organiser)."""
    return can_create_events(user)


def can_view_edition(user, edition: Edition) -> bool:
    """The edition's pages (its sites, their organisers, the national dashboard)."""
    return runs_edition(user, edition.id)


def can_manage_edition(user, edition: Edition) -> bool:
    """Change the edition, create and detach sites, appoint and remove national organisers."""
    return runs_edition(user, edition.id)


def can_view_edition_history(user, edition: Edition) -> bool:
    """The edition's history (who appointed whom, who imported what, the jury's changes): its
    national organisers only, as they are now (a removed one no longer reads it); site
    organisers and jurors keep to their own pages."""
    return runs_edition(user, edition.id)


def can_attach_event(user, edition: Edition, event: Event) -> bool:
    """An existing event joins an edition by a national organiser who also organises it (a
    national organiser must not take over an event nobody gave them)."""
    return can_manage_edition(user, edition) and can_manage_event(user, event)


def runs_any_edition(user) -> bool:
    return bool(_national_editions(user))


def can_view_edition_room(user, edition: Edition) -> bool:
    """The national room screen, projected in every site's plenary: its national organisers and
    the organisers of its sites open it. It names no person: each site's stage, local time and
    counts."""
    if runs_edition(user, edition.id):
        return True
    if not user.is_authenticated or _code_scope(user) is not None:
        return False
    reachable = getattr(user, "reachable_event_ids", None)
    site_ids = db.session.scalars(
        select(Membership.event_id)
        .join(Event, Event.id == Membership.event_id)
        .where(
            Membership.user_id == user.id,
            Membership.role == Role.ORGANISER,
            Event.edition_id == edition.id,
        )
    ).all()
    return any(reachable is None or site_id in reachable for site_id in site_ids)


PREDICATES.update(
    runs_any_edition=runs_any_edition,
    can_view_edition_room=can_view_edition_room,
    can_create_editions=can_create_editions,
    can_view_edition=can_view_edition,
    can_manage_edition=can_manage_edition,
    can_view_edition_history=can_view_edition_history,
)
