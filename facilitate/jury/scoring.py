"""The jurors' scores and what they add up to.

A nominee's total is the sum, over the rubric's criteria, of the mean of the jurors' scores on
that criterion: a nominee that a juror has not scored yet is not penalised, and a total reads on
the rubric's own scale (at most 5 per criterion). Totals are exact fractions, so that ties are
ties; ranks are "standard competition" ranks, as the sites' votes rank (1, 1, 3)."""

from dataclasses import dataclass, field
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, func, select

from facilitate.audit.services import record_edition
from facilitate.domain import DomainError
from facilitate.exhibition.ranking import ordinal
from facilitate.extensions import begin_write, db
from facilitate.models import (
    HIGHEST_SCORE,
    LOWEST_SCORE,
    Challenge,
    Edition,
    Event,
    Juror,
    JuryComment,
    JuryCriterion,
    JuryScore,
    Nomination,
    Team,
)
from facilitate.models._types import utcnow
from facilitate.showcase.services import Exhibit, exhibits_where

# Built once per process: a juror's page and the jury's run them at every request.
_EDITION_ID = bindparam("edition_id")
_NOMINATIONS = (
    select(Nomination, Event)
    .join(Event, Event.id == Nomination.event_id)
    .where(Nomination.edition_id == _EDITION_ID)
    .order_by(Event.name, Event.id, Nomination.slot)
)
_NOMINEE_NAMES = (
    select(Nomination.id, Team.name, Challenge.number, Event.name)
    .join(Team, Team.id == Nomination.team_id)
    .join(Challenge, Challenge.id == Team.challenge_id)
    .join(Event, Event.id == Nomination.event_id)
    .where(Nomination.edition_id == _EDITION_ID)
    .order_by(Event.name, Event.id, Nomination.slot)
)
_JUROR = select(Juror).where(Juror.edition_id == _EDITION_ID, Juror.user_id == bindparam("user_id"))
# A juror's own, found by the edition and the person: no query for the ``Juror`` row first.
_HIS_JUROR_ROW = (Juror.edition_id == _EDITION_ID) & (Juror.user_id == bindparam("user_id"))
_JUROR_SCORES = (
    select(JuryScore.nomination_id, JuryScore.criterion_id, JuryScore.score)
    .join(Juror, Juror.id == JuryScore.juror_id)
    .where(_HIS_JUROR_ROW)
)
_JUROR_COMMENTS = (
    select(JuryComment.nomination_id, JuryComment.body)
    .join(Juror, Juror.id == JuryComment.juror_id)
    .where(_HIS_JUROR_ROW)
)
_JUROR_COUNT = select(func.count(Juror.id)).where(Juror.edition_id == _EDITION_ID)
_SCORED = (
    select(JuryScore.nomination_id, func.count(func.distinct(JuryScore.juror_id)))
    .join(Nomination, Nomination.id == JuryScore.nomination_id)
    .where(Nomination.edition_id == _EDITION_ID)
    .group_by(JuryScore.nomination_id)
)


@dataclass
class Nominee:
    nomination: Nomination
    site: Event
    exhibit: Exhibit
    scores: dict[int, int] = field(default_factory=dict)  # a juror's, by criterion id
    comment: str = ""


def nominees(edition: Edition) -> list[Nominee]:
    """The edition's nominees by site then slot, each with its work as the showcase shows it
    (retained idea, prototype, pitch, the photos agreed to be public): three queries."""
    rows = db.session.execute(_NOMINATIONS, {"edition_id": edition.id}).all()
    if not rows:
        return []
    exhibits = {
        exhibit.team.id: exhibit
        for exhibit in exhibits_where(Team.id.in_([n.team_id for n, _site in rows]))
    }
    return [Nominee(nomination, site, exhibits[nomination.team_id]) for nomination, site in rows]


@dataclass(frozen=True)
class NomineeName:
    nomination_id: int
    team_name: str | None
    number: int  # the challenge's
    site_name: str


def nominee_names(edition: Edition) -> list[NomineeName]:
    """The nominees as the jury's page lists them, in ``nominees``' order, without their work:
    one query of columns."""
    rows = db.session.execute(_NOMINEE_NAMES, {"edition_id": edition.id})
    return [NomineeName(*row) for row in rows]


def juror_of(edition: Edition, user) -> Juror | None:
    return db.session.scalar(_JUROR, {"edition_id": edition.id, "user_id": user.id})


def with_juror_scores(found: list[Nominee], edition: Edition, user) -> list[Nominee]:
    """Each nominee with what this person, a juror of the edition, gave it so far: two
    queries."""
    by_id = {nominee.nomination.id: nominee for nominee in found}
    juror = {"edition_id": edition.id, "user_id": user.id}
    for nomination_id, criterion_id, score in db.session.execute(_JUROR_SCORES, juror):
        if nomination_id in by_id:
            by_id[nomination_id].scores[criterion_id] = score
    for nomination_id, body in db.session.execute(_JUROR_COMMENTS, juror):
        if nomination_id in by_id:
            by_id[nomination_id].comment = body
    return found


def save_scores(
    edition: Edition,
    juror: Juror,
    nomination: Nomination,
    criteria: list[JuryCriterion],
    given: dict[int, int],
    comment: str,
) -> None:
    """A juror's scores of one nominee, one per criterion, replacing theirs; refused once the
    results are revealed (the edition's row is locked, as revealing locks it)."""
    begin_write()
    revealed = db.session.execute(
        select(Edition.jury_revealed_at).where(Edition.id == edition.id).with_for_update()
    ).scalar_one()
    if revealed is not None:
        raise DomainError(_("The jury’s results are revealed: scores are final."))
    for criterion in criteria:
        score = given.get(criterion.id)
        if score is None or not LOWEST_SCORE <= score <= HIGHEST_SCORE:
            raise DomainError(
                _(
                    "Give “%(criterion)s” a score from %(lowest)d to %(highest)d.",
                    criterion=criterion.name,
                    lowest=LOWEST_SCORE,
                    highest=HIGHEST_SCORE,
                ),
                field=f"criterion_{criterion.id}",
            )
    db.session.execute(
        delete(JuryScore).where(
            JuryScore.juror_id == juror.id, JuryScore.nomination_id == nomination.id
        )
    )
    db.session.add_all(
        JuryScore(
            juror_id=juror.id,
            nomination_id=nomination.id,
            criterion_id=criterion.id,
            score=given[criterion.id],
        )
        for criterion in criteria
    )
    row = db.session.scalar(
        select(JuryComment).where(
            JuryComment.juror_id == juror.id, JuryComment.nomination_id == nomination.id
        )
    )
    if row is None:
        row = JuryComment(juror_id=juror.id, nomination_id=nomination.id)
        db.session.add(row)
    row.body = (comment or "").strip()
    db.session.flush()


def progress(edition: Edition) -> tuple[int, dict[int, int]]:
    """The number of jurors, and by nomination id how many of them scored it: two queries."""
    jurors = db.session.scalar(_JUROR_COUNT, {"edition_id": edition.id})
    scored = dict(db.session.execute(_SCORED, {"edition_id": edition.id}).all())
    return jurors, scored


@dataclass
class Standing:
    nominee: NomineeName
    means: dict[int, Fraction]  # by criterion id
    total: Fraction
    rank: int = 0
    place: str = ""  # "2e", "2e ex æquo"


def standings(edition: Edition, found: list[NomineeName]) -> list[Standing]:
    """The nominees best first with their mean per criterion and their total: one query."""
    sums: dict[int, dict[int, Fraction]] = {nominee.nomination_id: {} for nominee in found}
    rows = db.session.execute(
        select(JuryScore.nomination_id, JuryScore.criterion_id, func.sum(JuryScore.score))
        .add_columns(func.count(JuryScore.id))
        .join(Nomination, Nomination.id == JuryScore.nomination_id)
        .where(Nomination.edition_id == edition.id)
        .group_by(JuryScore.nomination_id, JuryScore.criterion_id)
    )
    for nomination_id, criterion_id, total, count in rows:
        if nomination_id in sums:
            sums[nomination_id][criterion_id] = Fraction(int(total), int(count))
    ranked = sorted(
        (
            Standing(
                nominee,
                sums[nominee.nomination_id],
                sum(sums[nominee.nomination_id].values(), Fraction(0)),
            )
            for nominee in found
        ),
        key=lambda standing: -standing.total,
    )
    tied_counts: dict[Fraction, int] = {}
    for standing in ranked:
        tied_counts[standing.total] = tied_counts.get(standing.total, 0) + 1
    for position, standing in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        standing.rank = previous.rank if previous and previous.total == standing.total else position
        text = ordinal(standing.rank)
        standing.place = (
            _("%(ordinal)s (tied)", ordinal=text) if tied_counts[standing.total] > 1 else text
        )
    return ranked


def reveal(edition: Edition, actor) -> None:
    """Once: the history notes the first reveal only (a second click changes nothing)."""
    begin_write()
    db.session.execute(select(Edition.id).where(Edition.id == edition.id).with_for_update())
    if edition.jury_revealed_at is None:
        edition.jury_revealed_at = utcnow()
        record_edition(edition, actor, "jury.revealed")
    db.session.flush()
