"""Stands: where each team shows its prototype, and what visitors tell it there."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.exc import DataError, IntegrityError

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import Challenge, Event, FeedbackEntry, Team, Theme
from facilitate.people.codes import team_label

FEEDBACK_MAX = 2000


def stand_address(stand_number: int | None, challenge_number: int) -> dict[str, int]:
    """The ``url_for`` arguments of a stand's pages (``exhibition.stand`` and the pages under
    it): its stand number, or while it has none, its challenge's number."""
    if stand_number is not None:
        return {"number": stand_number}
    return {"challenge": challenge_number}


@dataclass(frozen=True)
class Stand:
    team_id: int
    stand: int | None
    place: str | None
    team: str
    challenge_number: int
    question: str
    theme: str | None

    @property
    def address(self) -> dict[str, int]:
        """Where its stand page lives (``url_for('exhibition.stand', slug=..., **address)``)."""
        return stand_address(self.stand, self.challenge_number)


# The stands list and my ballot run it at every request: built once.
_STANDS = (
    select(
        Team.id,
        Team.stand_number,
        Team.stand_place,
        Team.name,
        Challenge.number,
        Challenge.question,
        Theme.name,
    )
    .join(Challenge, Challenge.id == Team.challenge_id)
    .outerjoin(Theme, Theme.id == Challenge.theme_id)
    .where(Team.event_id == bindparam("event_id"))
    .order_by(Team.stand_number.is_(None), Team.stand_number, Challenge.number)
)


def stands_of(event: Event) -> list[Stand]:
    """Every team of the event, numbered stands first in their order, in one query."""
    rows = db.session.execute(_STANDS, {"event_id": event.id}).all()
    return [
        Stand(
            team_id=team_id,
            stand=stand,
            place=place,
            team=team_label(name, number),
            challenge_number=number,
            question=question,
            theme=theme,
        )
        for team_id, stand, place, name, number, question, theme in rows
    ]


def save_stands(event: Event, actor, wanted: dict[int, tuple[int | None, str | None]]) -> int:
    """Give teams their stand number and place: ``wanted`` maps a team id to both. Numbers must
    be distinct; refused as a whole otherwise. Returns how many teams changed."""
    numbers = [number for number, _place in wanted.values() if number is not None]
    if any(number < 1 for number in numbers):
        raise DomainError(_("A stand number is a whole number from 1."))
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise DomainError(
            _(
                "Two teams cannot share stand %(numbers)s.",
                numbers=", ".join(map(str, repeated)),
            )
        )
    # Two organisers saving at once take turns (the event's row is locked; on SQLite a writing
    # request holds the write lock already), so a swap never meets another's half-done swap.
    event_id = event.id
    db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())
    teams = {
        team.id: team for team in db.session.scalars(select(Team).where(Team.event_id == event_id))
    }
    if unknown := set(wanted) - set(teams):
        raise DomainError(
            _(
                "These teams are not part of this event: %(ids)s.",
                ids=", ".join(map(str, sorted(unknown))),
            )
        )
    # A team left out of ``wanted`` keeps its number.
    taken = {t.stand_number for t in teams.values() if t.id not in wanted and t.stand_number}
    if clash := sorted(n for n, _place in wanted.values() if n in taken):
        raise DomainError(
            _("Stand %(numbers)s is already another team's.", numbers=", ".join(map(str, clash)))
        )
    changed = [
        team_id
        for team_id, (number, place) in wanted.items()
        if (teams[team_id].stand_number, teams[team_id].stand_place)
        != (number, (place or "").strip() or None)
    ]
    # Numbers may move between teams (a swap): free them all first, for the unique constraint.
    for team_id in changed:
        teams[team_id].stand_number = None
    db.session.flush()
    for team_id in changed:
        number, place = wanted[team_id]
        teams[team_id].stand_number = number
        teams[team_id].stand_place = (place or "").strip() or None
    if changed:
        record(event, actor, "stands.changed", count=len(changed))
    try:
        db.session.commit()
    except (IntegrityError, DataError):
        db.session.rollback()
        raise DomainError(
            _("These stand numbers could not be saved. Reload the page and try again.")
        ) from None
    return len(changed)


def number_by_challenge(event: Event, actor) -> int:
    """The usual plan: stand N is the team of challenge N."""
    rows = db.session.execute(
        select(Team.id, Challenge.number, Team.stand_place)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(Team.event_id == event.id)
    ).all()
    return save_stands(event, actor, {team_id: (number, place) for team_id, number, place in rows})


def add_exhibition_feedback(
    team: Team, author, liked: str, could_be_better: str, question: str, anonymous: bool = False
) -> FeedbackEntry:
    """A visitor's answers at the stand; they reach the team's workspace with its test results.
    ``anonymous``: the author is recorded but their name is shown to nobody."""
    texts = [(text or "").strip() for text in (liked, could_be_better, question)]
    if not any(texts):
        raise DomainError(_("Write at least one of the three answers."))
    entry = FeedbackEntry(
        team_id=team.id,
        author_id=author.id,
        at_exhibition=True,
        body="",
        liked=texts[0] or None,
        could_be_better=texts[1] or None,
        question=texts[2] or None,
        anonymous=bool(anonymous),
    )
    db.session.add(entry)
    db.session.commit()
    return entry
