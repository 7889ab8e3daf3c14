"""The exhibition ballot: the one place that reads and writes a participant's votes.

The HTML pages (give or withdraw one vote, change the whole ballot) and the JSON API (replace
the ballot) all come here, so the rules are written once:

- votes are accepted only while the vote is open;
- a ballot holds at most the event's ``votes_per_participant`` votes, one per stand;
- never for the voter's own team, unless the organisers allow it;
- only teams of the event.

Every write runs the same fixed statements in one transaction that first locks the event's row
(shared) and the voter's ballot row, whatever the number of stands or voters. Closing the vote
takes the event's row exclusively, so a ballot is either counted before the close or refused
after it; two phones of the same person take turns on the ballot row, and a retried request finds
its votes already there and writes nothing. On SQLite the transaction takes the database's write
lock when it begins, which serialises writers the same way.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, delete, func, insert, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from facilitate.domain import DomainError
from facilitate.extensions import begin_write, db
from facilitate.models import (
    MAX_VOTES_PER_PARTICIPANT,
    Ballot,
    Event,
    Membership,
    Role,
    Team,
    Vote,
    VoteStatus,
)
from facilitate.models._types import utcnow
from facilitate.planner import without_team

# The largest id the database holds (PostgreSQL's INTEGER): a larger number is no team, and
# asking the database about it would overflow its driver.
MAX_ID = 2**31 - 1


class BallotError(DomainError):
    """A ballot was refused. ``code`` is the API's error code; ``status`` its HTTP status."""

    def __init__(self, code: str, message: str, status: int = 422):
        super().__init__(message)
        self.code = code
        self.status = status


# The statements of the voting path, built once on the tables: building an ORM statement costs
# more than running it, and ORM-enabled INSERT and DELETE take the slower bulk path.
_memberships, _teams = Membership.__table__, Team.__table__
_events, _ballots, _votes = Event.__table__, Ballot.__table__, Vote.__table__
_ROLES_AND_TEAMS = select(_memberships.c.role, _memberships.c.team_id).where(
    _memberships.c.user_id == bindparam("user_id"),
    _memberships.c.event_id == bindparam("event_id"),
)
_KNOWN_TEAMS = select(_teams.c.id).where(
    _teams.c.event_id == bindparam("event_id"),
    _teams.c.id.in_(bindparam("team_ids", expanding=True)),
)
# SQLite: the transaction already holds the database's write lock (begin_write), so a plain
# read of the status is as good as PostgreSQL's shared lock below.
_EVENT_STATUS = select(_events.c.vote_status, _events.c.votes_per_participant).where(
    _events.c.id == bindparam("event_id")
)
_BALLOT_VOTES = (
    select(_votes.c.team_id, _votes.c.slot)
    .where(_votes.c.ballot_id == bindparam("ballot_id"))
    .order_by(_votes.c.created_at, _votes.c.slot)
)
_DELETE_VOTES = delete(_votes).where(
    _votes.c.ballot_id == bindparam("ballot_id"),
    _votes.c.team_id.in_(bindparam("team_ids", expanding=True)),
)
_INSERT_VOTES = insert(_votes)


# SQLite: create the ballot if needed, in one statement.
_new_ballot = sqlite_insert(_ballots).values(
    event_id=bindparam("event_id"), user_id=bindparam("user_id"), created_at=bindparam("now")
)
_UPSERT_BALLOT_SQLITE = _new_ballot.on_conflict_do_update(
    index_elements=[_ballots.c.event_id, _ballots.c.user_id],
    set_={"user_id": _new_ballot.excluded.user_id},
).returning(_ballots.c.id)

# PostgreSQL: the event's shared lock, its status and the ballot's upsert (only while open) in
# one round trip. The same as the two statements SQLite runs: the CTE takes the lock first, and
# after waiting for a close it reads the row as the close left it.
_OPEN_BALLOT_PG = text(
    """
    WITH event AS (
        SELECT vote_status, votes_per_participant FROM events WHERE id = :event_id FOR SHARE
    ), ballot AS (
        INSERT INTO ballots (event_id, user_id, created_at)
        SELECT :event_id, :user_id, :now FROM event WHERE event.vote_status = 'open'
        ON CONFLICT (event_id, user_id) DO UPDATE SET user_id = EXCLUDED.user_id
        RETURNING id
    )
    SELECT event.vote_status, event.votes_per_participant, ballot.id
    FROM event LEFT JOIN ballot ON true
    """
)


@dataclass(frozen=True)
class Voter:
    """What the rules need to know about the person voting: read in one query."""

    user_id: int
    may_vote: bool
    team_ids: frozenset[int]


def voter(event: Event, user) -> Voter:
    """Every attendee (participant) of the event votes; organisers who are not attendees don't."""
    if not user.is_authenticated:
        return Voter(user_id=0, may_vote=False, team_ids=frozenset())
    rows = db.session.execute(_ROLES_AND_TEAMS, {"user_id": user.id, "event_id": event.id}).all()
    return voter_from_memberships(user.id, rows)


def voter_from_memberships(user_id: int, memberships: Iterable[tuple[Role, int | None]]) -> Voter:
    """The voter from their (role, team id) memberships at the event, for a caller that read
    them already (the API reads them with the event)."""
    memberships = list(memberships)
    return Voter(
        user_id=user_id,
        may_vote=any(role == Role.PARTICIPANT for role, _team in memberships),
        team_ids=frozenset(team_id for _role, team_id in memberships if team_id is not None),
    )


# The stands, a stand and my ballot run it at every request: built once.
_CURRENT_BALLOT = (
    select(Vote.team_id)
    .join(Ballot, Ballot.id == Vote.ballot_id)
    .where(Ballot.event_id == bindparam("event_id"), Ballot.user_id == bindparam("user_id"))
    .order_by(Vote.created_at, Vote.slot)
)


def current_ballot(event: Event, user_id: int) -> list[int]:
    """The team ids of the person's votes, in the order they were given."""
    return list(db.session.scalars(_CURRENT_BALLOT, {"event_id": event.id, "user_id": user_id}))


def attendees(event_id):
    """The accounts of the event's participants (an erased attendance is still an attendance).
    A participant belongs to no team: saying so names the rows of the index on (event, role,
    person) where the team is empty, read as a range of the index whatever the planner knows
    (SQLite and a freshly filled PostgreSQL have no statistics)."""
    return select(Membership.user_id).where(
        Membership.event_id == event_id,
        Membership.role == Role.PARTICIPANT,
        without_team(Membership.team_id),
    )


def gone_ballots(event_id):
    """The event's ballots whose voter is no longer one of its participants: removing someone
    from the event takes their ballot out of the count (and bringing them back from the history
    puts it back), without deleting it. Usually none. ``NOT IN`` an uncorrelated subquery: the
    participants are read once into a hash (PostgreSQL's hashed subplan, SQLite's ephemeral
    index), rather than each ballot looked up in the attendances, which PostgreSQL without
    statistics did as a nested loop (4 ms of its CPU a request at 1,050 ballots)."""
    return select(Ballot.id).where(
        Ballot.event_id == event_id, Ballot.user_id.not_in(attendees(event_id))
    )


def counted_votes(event_id, gone=None):
    """The votes that count: the event's votes (read by its index, without the ballots) but those
    of the ballots in ``gone_ballots``. ``event_id`` may be a bound parameter, for a statement
    built once; ``gone`` a common table expression of ``gone_ballots``, for a statement that
    reads the counted votes twice."""
    gone_ids = gone_ballots(event_id) if gone is None else select(gone.c.id)
    return select(Vote.team_id, Vote.ballot_id).where(
        Vote.event_id == event_id, Vote.ballot_id.not_in(gone_ids)
    )


# How many people have at least one vote that counts: the ballots among the counted votes.
_counted = counted_votes(bindparam("event_id")).subquery("counted")
_BALLOTS_CAST = select(func.count(func.distinct(_counted.c.ballot_id)))


def ballots_cast(event: Event) -> int:
    """How many people have at least one vote: all participants may see this before the reveal."""
    return db.session.scalar(_BALLOTS_CAST, {"event_id": event.id})


# --- Checks that need no lock ------------------------------------------------------------------


def _check_shape(team_ids: list, event_limit: int) -> list[int]:
    if not isinstance(team_ids, list) or not all(
        isinstance(t, int) and not isinstance(t, bool) for t in team_ids
    ):
        raise BallotError("invalid_ballot", _("A ballot is a list of team numbers (team_id)."))
    if not all(0 < t <= MAX_ID for t in team_ids):
        raise BallotError("unknown_team", _("One of these numbers is no stand of this event."))
    if len(set(team_ids)) != len(team_ids):
        raise BallotError(
            "duplicate_team", _("A ballot may vote only once for each stand: remove the repeat.")
        )
    if len(team_ids) > MAX_VOTES_PER_PARTICIPANT:
        raise BallotError("too_many_votes", _ballot_too_big(event_limit))
    return team_ids


def _ballot_too_big(limit: int) -> str:
    return ngettext(
        "A ballot holds at most %(num)d vote.", "A ballot holds at most %(num)d votes.", limit
    )


def _too_many(limit: int) -> str:
    return ngettext(
        "You have %(num)d vote: withdraw it before giving it to another stand.",
        "You have %(num)d votes: withdraw one before giving it to another stand.",
        limit,
    )


def _own_teams(event: Event, person: Voter) -> frozenset[int]:
    """The teams this person may not give a vote to: their own, unless the organisers allow it.
    That every team is one of the event's is the database's to say (a vote's team and event are
    one foreign key): see ``_unknown_team_error``."""
    return frozenset() if event.own_team_votes_allowed else person.team_ids


def _own_team_error() -> BallotError:
    return BallotError("own_team", _("You cannot vote for your own team's stand."))


def _unknown_team_error(event_id: int, team_ids: list[int]) -> BallotError:
    """The refusal of votes the database turned down: name the teams that are not the event's
    (or were deleted meanwhile)."""
    known = set(db.session.scalars(_KNOWN_TEAMS, {"event_id": event_id, "team_ids": team_ids}))
    if unknown := sorted(set(team_ids) - known):
        return BallotError(
            "unknown_team",
            _(
                "No team of this event has the number (team_id) %(ids)s.",
                ids=", ".join(map(str, unknown)),
            ),
        )
    return BallotError("unknown_team", _("One of these stands no longer exists. Reload the page."))


def _check_may_vote(person: Voter) -> None:
    if not person.may_vote:
        raise BallotError(
            "not_a_participant", _("Only the participants of this event vote."), status=403
        )


# --- Writing -------------------------------------------------------------------------------------


def replace_ballot(event: Event, person: Voter, team_ids: list) -> list[int]:
    """Put exactly these votes on the person's ballot (the API's PUT). Repeating it is harmless."""
    _check_may_vote(person)
    team_ids = _check_shape(team_ids, event.votes_per_participant)
    return _write(
        event.id, person.user_id, lambda _current, _limit: team_ids, _own_teams(event, person)
    )


def give_vote(event: Event, person: Voter, team_id: int) -> list[int]:
    """Add one vote for this stand; a double tap finds it already given and changes nothing."""
    _check_may_vote(person)
    if team_id in _own_teams(event, person):
        raise _own_team_error()

    def add(current: list[int], limit: int) -> list[int]:
        if team_id in current:
            return current
        if len(current) >= limit:
            raise BallotError("too_many_votes", _too_many(limit))
        return [*current, team_id]

    return _write(event.id, person.user_id, add, _own_teams(event, person))


def withdraw_vote(event: Event, person: Voter, team_id: int) -> list[int]:
    """Take back the vote for this stand, if there is one."""
    _check_may_vote(person)
    return _write(
        event.id,
        person.user_id,
        lambda current, _limit: [t for t in current if t != team_id],
        frozenset(),
    )


def _open_ballot(event_id: int, user_id: int) -> tuple[VoteStatus, int, int | None]:
    """The vote's status and limit, read under the event's shared lock, and the voter's ballot
    (created if needed, its row locked) when the vote is open; None otherwise."""
    parameters = {"event_id": event_id, "user_id": user_id, "now": utcnow()}
    if db.session.get_bind().dialect.name == "postgresql":
        status, limit, ballot_id = db.session.execute(_OPEN_BALLOT_PG, parameters).one()
        return VoteStatus(status), limit, ballot_id
    status, limit = db.session.execute(_EVENT_STATUS, {"event_id": event_id}).one()
    if status != VoteStatus.OPEN:
        return status, limit, None
    return status, limit, db.session.execute(_UPSERT_BALLOT_SQLITE, parameters).scalar_one()


def _write(
    event_id: int,
    user_id: int,
    change: Callable[[list[int], int], list[int]],
    own_teams: frozenset[int],
) -> list[int]:
    """Apply ``change`` to the ballot under the locks. Rules judge what the ballot *gains*: votes
    already placed stay valid when the organisers lower the limit or forbid own-team votes
    later, and can always be withdrawn."""
    added: list[int] = []
    begin_write()
    try:
        status, limit, ballot_id = _open_ballot(event_id, user_id)
        if ballot_id is None:
            raise BallotError("vote_not_open", vote_not_open_message(status), status=409)
        slots = dict(db.session.execute(_BALLOT_VOTES, {"ballot_id": ballot_id}).all())
        current = list(slots)
        wanted = change(current, limit)
        removed = [t for t in current if t not in wanted]
        added = [t for t in wanted if t not in slots]
        if added and len(wanted) > limit:
            raise BallotError("too_many_votes", _ballot_too_big(limit))
        if own_teams.intersection(added):
            raise _own_team_error()
        if removed:
            db.session.execute(_DELETE_VOTES, {"ballot_id": ballot_id, "team_ids": removed})
        if added:
            free = [
                s
                for s in range(1, MAX_VOTES_PER_PARTICIPANT + 1)
                if s not in {slots[t] for t in current if t not in removed}
            ]
            now = utcnow()
            db.session.execute(
                _INSERT_VOTES,
                [
                    {
                        "ballot_id": ballot_id,
                        "event_id": event_id,
                        "team_id": team_id,
                        "slot": slot,
                        "created_at": now,
                    }
                    for team_id, slot in zip(added, free, strict=False)
                ],
            )
        db.session.commit()
    except BallotError:
        db.session.rollback()
        raise
    except IntegrityError:
        # A team that is not the event's (or was deleted meanwhile): nothing was written.
        db.session.rollback()
        raise _unknown_team_error(event_id, added) from None
    return [t for t in current if t not in removed] + added


def vote_not_open_message(status: VoteStatus) -> str:
    if status == VoteStatus.NOT_STARTED:
        return _("The vote has not opened yet: the organisers will open it during the exhibition.")
    return _("The vote is closed: ballots can no longer be changed.")
