"""What national organisers do: editions, their sites and who runs them.

Each site is an ordinary event; its organisers are appointed and removed with the event's own
invitations and co-organisers page (``facilitate.accounts``), which national organisers reach
because they organise every site of their edition (see ``facilitate.policy``)."""

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError

from facilitate.audit.services import record, record_edition
from facilitate.domain import DomainError
from facilitate.events.management import EventDetails, create_event
from facilitate.extensions import begin_write, db
from facilitate.models import (
    Edition,
    Event,
    Membership,
    NationalOrganiser,
    Nomination,
    Role,
    User,
)
from facilitate.models._types import utcnow
from facilitate.names import sort_people
from facilitate.planner import without_team


@dataclass(frozen=True)
class Site:
    event: Event
    organisers: list[User]


# A form sent twice (a double tap, a page sent again) within this time makes one edition.
SENT_AGAIN_WITHIN = timedelta(minutes=2)


# Built once per process: the edition's page runs them at every request.
_EDITION_ID = bindparam("edition_id")
# ``Session.get`` would build its statement again at each request (a request's session starts
# empty: there is no identity map to read first).
_EDITION = select(Edition).where(Edition.id == _EDITION_ID)
_SITES = select(Event).where(Event.edition_id == _EDITION_ID).order_by(Event.name, Event.id)
# An organiser's membership has no team (``team_matches_role``): saying so lets the database
# read each site's organisers alone, as one range of ``ix_memberships_event_role_person``,
# rather than every membership of the site (1,050 at edition scale) to keep the organisers.
_ORGANISER_ROWS = (Membership.role == Role.ORGANISER, without_team(Membership.team_id))
_SITE_ORGANISERS = (
    select(Membership.event_id, User)
    .join(User, User.id == Membership.user_id)
    .join(Event, Event.id == Membership.event_id)
    .where(Event.edition_id == _EDITION_ID, *_ORGANISER_ROWS)
    .order_by(User.id)
)
_NATIONAL_ORGANISERS = (
    select(User)
    .join(NationalOrganiser, NationalOrganiser.user_id == User.id)
    .where(NationalOrganiser.edition_id == _EDITION_ID)
    .order_by(User.id)
)


def edition_by_id(edition_id: int) -> Edition | None:
    return db.session.scalar(_EDITION, {"edition_id": edition_id})


_ATTACHABLE = (
    select(Event)
    .join(Membership, Membership.event_id == Event.id)
    .where(
        Membership.user_id == bindparam("user_id"),
        Membership.role == Role.ORGANISER,
        Event.edition_id.is_(None),
    )
    .order_by(Event.name, Event.id)
)


def create_edition(name: str, year: int, description: str, actor) -> Edition:
    """A new edition, with the person creating it as its first national organiser; the same
    name and year sent again by the same person moments later is that edition, not another."""
    sent_again = db.session.scalar(
        select(Edition)
        .join(NationalOrganiser, NationalOrganiser.edition_id == Edition.id)
        .where(
            NationalOrganiser.user_id == actor.id,
            Edition.name == name.strip(),
            Edition.year == year,
            Edition.created_at >= utcnow() - SENT_AGAIN_WITHIN,
        )
        .limit(1)
    )
    if sent_again is not None:
        return sent_again
    edition = Edition(name=name.strip(), year=year, description=(description or "").strip())
    db.session.add(edition)
    db.session.flush()
    db.session.add(NationalOrganiser(edition_id=edition.id, user_id=actor.id))
    record_edition(edition, actor, "edition.created", name=edition.name, year=edition.year)
    db.session.flush()
    return edition


def update_edition(edition: Edition, name: str, year: int, description: str, actor) -> None:
    """The history notes which fields changed (none: nothing is noted)."""
    new = {"name": name.strip(), "year": year, "description": (description or "").strip()}
    changed = [field for field, value in new.items() if getattr(edition, field) != value]
    for field, value in new.items():
        setattr(edition, field, value)
    if changed:
        record_edition(edition, actor, "edition.updated", fields=changed)
    db.session.flush()


def editions_of(user, through=NationalOrganiser) -> list[Edition]:
    """The editions this person runs (or holds another role in, ``through`` its table, with an
    edition_id and a user_id: the jury's), the latest year first: one query."""
    return list(
        db.session.scalars(
            select(Edition)
            .join(through, through.edition_id == Edition.id)
            .where(through.user_id == user.id)
            .order_by(Edition.year.desc(), Edition.name, Edition.id)
        )
    )


def site_events(edition: Edition) -> list[Event]:
    """The edition's sites in name order: one query."""
    return list(db.session.scalars(_SITES, {"edition_id": edition.id}))


def sites_of(edition: Edition) -> list[Site]:
    """The edition's sites in name order, each with its own organisers: two queries, whatever
    the number of sites."""
    events = site_events(edition)
    organisers: dict[int, list[User]] = {event.id: [] for event in events}
    rows = db.session.execute(_SITE_ORGANISERS, {"edition_id": edition.id})
    for event_id, user in rows:
        organisers[event_id].append(user)
    return [
        Site(event, sort_people(organisers[event.id], key=lambda user: user.name))
        for event in events
    ]


def national_organisers_of(edition: Edition) -> list[User]:
    return sort_people(
        db.session.scalars(_NATIONAL_ORGANISERS, {"edition_id": edition.id}),
        key=lambda user: user.name,
    )


def attachable_events(edition: Edition, user) -> list[Event]:
    """Events of no edition that this person organises (as a site organiser): those they may
    attach."""
    return list(db.session.scalars(_ATTACHABLE, {"user_id": user.id}))


def create_site(edition: Edition, details: EventDetails, actor) -> Event:
    """A new event of the edition. Its creator does not become its site organiser: they
    organise it as a national organiser, and appoint its site organisers by invitation."""
    event = create_event(details, actor, organiser=False)
    event.edition_id = edition.id
    record(event, actor, "edition.site_created", edition=edition.name)
    record_edition(edition, actor, "site.created", site=event.name)
    db.session.flush()
    return event


def attach_event(edition: Edition, event: Event, actor) -> None:
    if event.edition_id is not None:
        raise DomainError(_("This event is already a site of an edition."), field="event")
    event.edition_id = edition.id
    record(event, actor, "edition.site_attached", edition=edition.name)
    record_edition(edition, actor, "site.attached", site=event.name)
    db.session.flush()


def detach_site(edition: Edition, event: Event, actor) -> None:
    """The event goes on alone, with its own organisers: never one that only the national
    organisers run, which nobody would organise any more."""
    if event.edition_id != edition.id:
        raise DomainError(_("This event is not a site of the edition."))
    has_organiser = db.session.scalar(
        select(Membership.id)
        .where(Membership.event_id == event.id, Membership.role == Role.ORGANISER)
        .limit(1)
    )
    if has_organiser is None:
        raise DomainError(
            _("This site has no organiser of its own: invite one before it leaves the edition.")
        )
    event.edition_id = None
    # Its nominees leave the jury too: the edition's jurors, whom national organisers appoint
    # freely, would otherwise keep reading the site's photos shared within the event, and the
    # site's nomination slots would stay taken in any edition it joins later.
    db.session.execute(
        delete(Nomination).where(
            Nomination.edition_id == edition.id, Nomination.event_id == event.id
        )
    )
    record(event, actor, "edition.site_detached", edition=edition.name)
    record_edition(edition, actor, "site.detached", site=event.name)
    db.session.flush()


def appoint_national_organiser(edition: Edition, user_id: int | None, actor) -> User:
    """Among the organisers of the edition's sites: they already have an account and a
    password, given through an invitation."""
    candidates = {user.id: user for user in national_candidates(edition)}
    user = candidates.get(user_id)
    if user is None:
        raise DomainError(_("Choose an organiser of one of the edition’s sites."), field="user_id")
    try:
        # Two national organisers appointing the same person at once: the unique row decides.
        with db.session.begin_nested():
            db.session.add(NationalOrganiser(edition_id=edition.id, user_id=user.id))
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(
            _("This person is already a national organiser."), field="user_id"
        ) from error
    record_edition(edition, actor, "national.appointed", user_id=user.id, name=user.name)
    return user


def national_candidates(edition: Edition) -> list[User]:
    """Organisers of the edition's sites who are not yet national organisers."""
    return site_organisers_with_password(edition, NationalOrganiser)


_CANDIDATES: dict[type, object] = {}  # by the role whose holders are left out


def site_organisers_with_password(edition: Edition, role) -> list[User]:
    """Organisers of the edition's sites with a password, except those who hold ``role`` (a
    model of ``edition_id`` and ``user_id`` rows) in this edition: whom national organisers
    may give an edition's role (national organiser, juror). Its statement is built once."""
    statement = _CANDIDATES.get(role)
    if statement is None:
        already = select(role.user_id).where(role.edition_id == _EDITION_ID)
        statement = _CANDIDATES[role] = (
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .join(Event, Event.id == Membership.event_id)
            .where(
                Event.edition_id == _EDITION_ID,
                *_ORGANISER_ROWS,
                User.id.not_in(already),
                User.password_hash.is_not(None),
            )
            .distinct()
            .order_by(User.id)
        )
    return sort_people(
        db.session.scalars(statement, {"edition_id": edition.id}), key=lambda user: user.name
    )


def remove_national_organiser(edition: Edition, user: User, actor) -> None:
    """Never the last one, whoever asks: the edition's row is locked, so that two national
    organisers removing each other at once cannot both succeed."""
    begin_write()
    db.session.execute(select(Edition.id).where(Edition.id == edition.id).with_for_update())
    count = db.session.scalar(
        select(func.count(NationalOrganiser.id)).where(NationalOrganiser.edition_id == edition.id)
    )
    if count <= 1:
        raise DomainError(
            _("An edition always keeps at least one national organiser: appoint another first.")
        )
    db.session.execute(
        delete(NationalOrganiser).where(
            NationalOrganiser.edition_id == edition.id, NationalOrganiser.user_id == user.id
        )
    )
    record_edition(edition, actor, "national.removed", user_id=user.id, name=user.name)
    db.session.flush()
