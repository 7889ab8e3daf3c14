"""Who organises an event: the co-organisers' list, and removing one (never the last).
Adding one is an invitation (see ``accounts.services``)."""

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, func, select

from facilitate.audit.services import record
from facilitate.dashboard.versions import of_event
from facilitate.domain import DomainError
from facilitate.extensions import begin_write, db
from facilitate.models import Event, Membership, Role, User
from facilitate.names import sort_people

# Built once: building a statement cost more than running it.
_ORGANISERS = (
    select(User)
    .join(Membership, Membership.user_id == User.id)
    .where(Membership.event_id == bindparam("event_id"), Membership.role == Role.ORGANISER)
    .order_by(User.id)
)


def organisers_of(event: Event) -> list[User]:
    """The event's organisers in name order (``facilitate.names``)."""
    return sort_people(
        db.session.scalars(_ORGANISERS, {"event_id": event.id}), key=lambda user: user.name
    )


def remove_organiser(event: Event, user: User, actor) -> None:
    """Take the organiser role away; never from the last organiser, whoever asks, unless the
    event is a site of an edition, whose national organisers organise it still. The event's
    row is locked, so that two organisers removing each other at once cannot both succeed
    (SQLite: the write lock, taken before counting)."""
    begin_write()
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    count = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.event_id == event.id, Membership.role == Role.ORGANISER
        )
    )
    if count <= 1 and event.edition_id is None:
        raise DomainError(
            _("An event always keeps at least one organiser: invite another one first.")
        )
    db.session.execute(
        of_event(delete(Membership), event.id).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role == Role.ORGANISER,
        )
    )
    db.session.flush()
    record(event, actor, "organiser.removed", name=user.name)
