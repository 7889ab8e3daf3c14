"""The vote as the organisers run it: its status, its settings and its results.

Results are one aggregate query, every team of the event with its number of votes, then each
stand's rank overall and within its theme, given in Python (``_ranked``). Ranks are "standard competition" ranks: stands with as
many votes share a rank and the next rank is skipped (1, 1, 3), the rule the reveal screen states.
"""

from dataclasses import dataclass
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, literal_column, select

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.exhibition.ballots import counted_votes, gone_ballots
from facilitate.exhibition.stands import stand_address
from facilitate.extensions import begin_write, db
from facilitate.models import (
    MAX_VOTES_PER_PARTICIPANT,
    Challenge,
    Event,
    Team,
    Theme,
    Vote,
    VoteStatus,
)
from facilitate.people.codes import team_label

_ACTIONS = {
    (VoteStatus.NOT_STARTED, VoteStatus.OPEN): "vote.opened",
    (VoteStatus.OPEN, VoteStatus.CLOSED): "vote.closed",
    (VoteStatus.CLOSED, VoteStatus.OPEN): "vote.reopened",
    (VoteStatus.CLOSED, VoteStatus.REVEALED): "vote.revealed",
}


class VoteStatusError(DomainError):
    """A move the vote cannot make (reveal before closing, reopen after the reveal...)."""

    code = "invalid_transition"


def change_vote_status(event: Event, actor, new_status: VoteStatus) -> VoteStatus:
    """Move the vote; asking for the status it already has changes nothing (a retried request).

    The event's row is locked first: a ballot being written holds it shared, so closing waits for
    ballots in flight and every ballot after the close is refused.
    """
    begin_write()
    current = db.session.execute(
        select(Event.vote_status).where(Event.id == event.id).with_for_update()
    ).scalar_one()
    if current == new_status:
        db.session.rollback()
        return current
    if not current.may_become(new_status):
        db.session.rollback()
        raise VoteStatusError(_transition_refusal(current, new_status))
    event.vote_status = new_status
    record(event, actor, _ACTIONS[(current, new_status)])
    db.session.commit()
    return new_status


def _transition_refusal(current: VoteStatus, wanted: VoteStatus) -> str:
    if current == VoteStatus.REVEALED:
        return _("The results are revealed: the vote cannot change any more.")
    if wanted == VoteStatus.REVEALED:
        return _("Close the vote before revealing the results.")
    if wanted == VoteStatus.CLOSED:
        return _("The vote is not open: there is nothing to close.")
    if wanted == VoteStatus.NOT_STARTED:
        return _("A vote that has started cannot go back to not started.")
    return _(
        "The vote cannot go from “%(current)s” to “%(wanted)s”.",
        current=current.label,
        wanted=wanted.label,
    )


def update_vote_settings(
    event: Event, actor, votes_per_participant: int, own_team_votes_allowed: bool
) -> None:
    """Ballots already cast keep their votes if the number is lowered: nobody loses a vote they
    placed; they only cannot add more until they are under the new number."""
    if not 1 <= votes_per_participant <= MAX_VOTES_PER_PARTICIPANT:
        raise DomainError(
            _(
                "Give each participant between 1 and %(max)d votes.",
                max=MAX_VOTES_PER_PARTICIPANT,
            ),
            field="votes_per_participant",
        )
    changed = []
    if event.votes_per_participant != votes_per_participant:
        event.votes_per_participant = votes_per_participant
        changed.append("votes_per_participant")
    if event.own_team_votes_allowed != own_team_votes_allowed:
        event.own_team_votes_allowed = own_team_votes_allowed
        changed.append("own_team_votes_allowed")
    if changed:
        record(event, actor, "vote.settings_changed", fields=changed)
    db.session.commit()


@dataclass(frozen=True)
class StandResult:
    team_id: int
    stand: int | None
    team_name: str | None
    challenge_number: int
    question: str
    theme_id: int | None
    theme: str | None
    theme_position: int | None
    votes: int
    rank: int
    theme_rank: int

    @cached_property
    def team(self) -> str:
        """The team's name, or "Challenge 3 team": worded when read, which the API never does."""
        return team_label(self.team_name, self.challenge_number)

    @property
    def address(self) -> dict[str, int]:
        return stand_address(self.stand, self.challenge_number)


@dataclass(frozen=True)
class Results:
    status: VoteStatus
    ballots: int
    stands: list[StandResult]  # best first; equal votes by stand number

    def by_theme(self) -> list[tuple[str | None, list[StandResult]]]:
        """The ranking within each theme, themes in the event's order (no theme last)."""
        groups: dict[int | None, list[StandResult]] = {}
        for stand in self.stands:
            groups.setdefault(stand.theme_id, []).append(stand)
        ordered = sorted(
            groups.values(),
            key=lambda rows: (rows[0].theme_id is None, rows[0].theme_position, rows[0].theme_id),
        )
        return [(rows[0].theme, sorted(rows, key=lambda s: s.theme_rank)) for rows in ordered]


def _results_statement():
    """Every team of the event with its votes and the number of ballots, in one statement built
    once (building it cost more than running it on SQLite). The ballots that do not count are
    found once (a common table expression read twice); the tally is materialised, so that
    joining it to the teams reads its rows, not the votes again for each team (which PostgreSQL
    without statistics planned as a nested loop). The ranks and the order are ``_ranked``'s: two
    window functions and three sorts of 70 rows cost PostgreSQL more (planning and execution, a
    fifth of the statement) than Python takes to rank them."""
    event_id = bindparam("event_id")
    gone = gone_ballots(event_id).cte("gone")
    # Grouped by ``team_id + 0``, not the column: SQLite otherwise walked the whole platform's
    # votes along their team index, for the order it groups in (7 ms with 10,000 attendees),
    # rather than reading the event's votes and sorting them (0.1 ms).
    team = (Vote.team_id + literal_column("0")).label("team_id")
    tally = (
        counted_votes(event_id, gone)
        .with_only_columns(team, func.count().label("votes"))
        .group_by(team)
        .cte("tally")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    counted = counted_votes(event_id, gone).subquery("counted")
    ballots = select(func.count(func.distinct(counted.c.ballot_id))).scalar_subquery()
    return (
        select(
            Team.id,
            Team.stand_number,
            Team.name,
            Challenge.number,
            Challenge.question,
            Theme.id,
            Theme.name,
            Theme.position,
            func.coalesce(tally.c.votes, 0),
            ballots,
        )
        .join(Challenge, Challenge.id == Team.challenge_id)
        .outerjoin(Theme, Theme.id == Challenge.theme_id)
        .outerjoin(tally, tally.c.team_id == Team.id)
        .where(Team.event_id == event_id)
    )


_RESULTS = _results_statement()


def _ranked(rows) -> list[StandResult]:
    """The stands best first, equal votes by stand number (stands without a number last), then
    challenge number, then team (two teams of a challenge without stand numbers keep one order);
    with their rank overall and within their theme (the teams of challenges without a theme
    ranked together): standard competition ranks, 1, 1, 3."""
    ordered = sorted(rows, key=lambda row: (-row[8], row[1] is None, row[1] or 0, row[3], row[0]))
    stands = []
    above: dict[int | None, tuple[int, int, int]] = {}  # theme: (stands seen, votes, rank)
    rank, last_votes = 0, None
    for position, row in enumerate(ordered, start=1):
        votes, theme = row[8], row[5]
        if votes != last_votes:
            rank, last_votes = position, votes
        seen, theme_votes, theme_rank = above.get(theme, (0, None, 0))
        if votes != theme_votes:
            theme_rank = seen + 1
        above[theme] = (seen + 1, votes, theme_rank)
        stands.append(StandResult(*row[:9], rank, theme_rank))
    return stands


def results(event: Event) -> Results:
    rows = db.session.execute(_RESULTS, {"event_id": event.id}).all()
    return Results(
        status=event.vote_status, ballots=rows[0][9] if rows else 0, stands=_ranked(rows)
    )
