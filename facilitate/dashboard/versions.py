"""Each event's data version: a number that changes whenever something the dashboard or the room
screen shows may have changed, so that their polls answer 304 after reading one column of the
event's row, instead of rendering the page and hashing it (issue 13, item 5).

Nobody has to remember to bump it. The session's flushes note which events the rows they write
belong to (an idea names its team, a team its event...), and just before the transaction
commits, one UPDATE gives those events a new version (a random number: see the model), in the
same transaction: the version and the data it stands for are committed together, so a poll
that reads the version first never pairs a new version with old data. It is the outermost
transaction's last statement (a savepoint's commit waits for it): the row lock it takes on the
event is held for the commit only, by a transaction that waits for no other lock afterwards,
so it cannot deadlock. A write that goes around the flush (an ``update()`` or ``delete()`` run
through the session on a watched table) names its event with ``of_event``; one that does not
changes every event's version, as nothing says which event it was about.

It errs on the side of changing: any write to a watched table counts, even of a column the
screens do not show. A needless change costs one render; a missed one leaves a stale screen.
When the dashboard or the room screen starts showing something new, add its table below
(tests/test_dashboard_versions.py changes every source once).

Issue 15 (several processes, a shared cache): ``event_version`` and ``_bump`` are the two
places to change, to read and replace a value kept in Redis instead of the column.
"""

import secrets
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, or_, select, true, update
from sqlalchemy.orm import Session

from facilitate.models import (
    Announcement,
    Challenge,
    DebriefAnswer,
    Dot,
    Event,
    FeedbackEntry,
    Idea,
    Membership,
    Persona,
    ProgrammeSession,
    PrototypeFile,
    Team,
    Theme,
    User,
)

# What the dashboard (teams, their stage, checklist, facilitators, last activity; themes for
# the filter) and the room screen (stage, countdown, teams' stages, the organisers'
# announcement) are made of, by how a row names its event. People's names count through their
# memberships. An announcement's expiry is no write: the screens hide it themselves.
# The programme's screens compare the version too (facilitate/programme/routes_screen.py: its
# sessions are here for them), and the book keeps its fingerprints on it
# (facilitate/book/builds.py): what the book shows is read from these tables only, besides its
# settings (compared as they are) and the vote's result (revealed for good: no ballot after).
# The debrief's answers gathered are kept per version (facilitate/debrief/routes_organise.py).
_BY_EVENT_ID = (Theme, Challenge, Team, Membership, Announcement, ProgrammeSession, DebriefAnswer)
_BY_TEAM_ID = (Persona, Idea, Dot, PrototypeFile, FeedbackEntry)
WATCHED_TABLES = frozenset(
    model.__tablename__ for model in (Event, User, *_BY_EVENT_ID, *_BY_TEAM_ID)
)

_PENDING = "facilitate.changed_events"  # in Session.info, until the transaction ends


@dataclass
class _Changes:
    event_ids: set[int] = field(default_factory=set)
    team_ids: set[int] = field(default_factory=set)
    user_ids: set[int] = field(default_factory=set)
    every_event: bool = False


def event_version(event: Event) -> int:
    """The event's data version, read with its row: no query of its own."""
    return event.data_version


def _changes(session: Session) -> _Changes:
    changes = session.info.get(_PENDING)
    if changes is None:
        changes = session.info[_PENDING] = _Changes()
    return changes


def _value(obj, name: str, deleted: bool):
    """A column's value without loading a deleted row (None when it was never loaded)."""
    loaded = inspect(obj).dict
    if name in loaded or deleted:
        return loaded.get(name)
    return getattr(obj, name)


@sa_event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush_context) -> None:
    """After a flush, ``new``, ``dirty`` and ``deleted`` still hold what it wrote."""
    changes = _changes(session)
    deleted = session.deleted
    # ``dirty`` also holds objects whose attributes were set to the values they had.
    changed = (obj for obj in session.dirty if session.is_modified(obj, include_collections=False))
    for obj in chain(session.new, changed, deleted):
        gone = obj in deleted
        if isinstance(obj, Event):
            key, found = changes.event_ids, obj.id
        elif isinstance(obj, _BY_EVENT_ID):
            key, found = changes.event_ids, _value(obj, "event_id", gone)
        elif isinstance(obj, _BY_TEAM_ID):
            key, found = changes.team_ids, _value(obj, "team_id", gone)
        elif isinstance(obj, User):
            if gone:  # its memberships go with it, maybe by the database's cascade
                changes.every_event = True
            elif _names_changed(obj):
                changes.user_ids.add(obj.id)
            continue
        else:
            continue
        if found is None:
            changes.every_event = True
        else:
            key.add(found)


def _names_changed(user: User) -> bool:
    """A person's name, or their consent to it being shown outside the event (the book shows
    the names of those who agreed: facilitate/book/builds.py keys its fingerprints on the
    version)."""
    attrs = inspect(user).attrs
    return attrs.name.history.has_changes() or attrs.names_consent.history.has_changes()


def of_event(statement, event_id: int):
    """A bulk UPDATE, DELETE or INSERT on a watched table, said to concern one event only: its
    version alone changes, not every event's (which would also lock every event's row)."""
    return statement.execution_options(**{_OF_EVENT: event_id})


_OF_EVENT = "facilitate_of_event"


@sa_event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    """An UPDATE, DELETE or INSERT run through the session: its rows are not known, unless the
    statement names its event (``of_event``)."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in WATCHED_TABLES:
            event_id = state.execution_options.get(_OF_EVENT)
            changes = _changes(state.session)
            if event_id is None:
                changes.every_event = True
            else:
                changes.event_ids.add(event_id)


@sa_event.listens_for(Session, "before_commit")
def _bump_before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outermost commit will
        return
    session.flush()  # what the commit would flush, noted first
    changes = session.info.pop(_PENDING, None)
    if changes is not None:
        _bump(session, changes)


@sa_event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    """A rolled-back transaction changed nothing (a nested one's notes stay: harmless)."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _bump(session: Session, changes: _Changes) -> None:
    events = Event.__table__
    if changes.every_event:
        which = true()
    else:
        conditions = []
        if changes.event_ids:
            conditions.append(events.c.id.in_(sorted(changes.event_ids)))
        if changes.team_ids:
            teams = select(Team.event_id).where(Team.id.in_(sorted(changes.team_ids)))
            conditions.append(events.c.id.in_(teams))
        if changes.user_ids:
            people = select(Membership.event_id).where(
                Membership.user_id.in_(sorted(changes.user_ids))
            )
            conditions.append(events.c.id.in_(people))
        if not conditions:
            return
        which = or_(*conditions)
    # Through the connection: the session's own statement hook must not see it.
    session.connection().execute(
        update(events).where(which).values(data_version=secrets.randbits(62))
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Event):
            session.expire(obj, ["data_version"])
