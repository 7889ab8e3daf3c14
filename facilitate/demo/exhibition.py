"""Move the demo to the exhibition (day 3), so that an organiser can rehearse the vote and the
reveal: every team at its stand with a pitch, the event at the exhibition, the vote open, some
ballots cast and some feedback left at the stands. Through the same functions as the views."""

import random
from dataclasses import dataclass

from sqlalchemy import select

from facilitate.dashboard.services import STAGES, move_event_stage
from facilitate.demo.people import Cast, casts
from facilitate.demo.teamwork import bring_prototype
from facilitate.exhibition import ballots
from facilitate.exhibition.stands import add_exhibition_feedback
from facilitate.exhibition.vote import change_vote_status
from facilitate.extensions import db
from facilitate.models import Event, Idea, Membership, Role, Stage, User, VoteStatus
from facilitate.workspace import ideas as ideation
from facilitate.workspace.services import move_team_stage

# The share of attendees who have voted when the rehearsal starts, and the stands visited.
VOTERS = 0.6
FEEDBACK_PER_STAND = 3
FEEDBACK = (
    ("Très concret, on voit tout de suite l’usage.", "Préciser le coût.", "Qui le porte après ?"),
    ("Le prototype est clair et bien présenté.", "", "Avez-vous testé avec des usagers ?"),
    ("L’idée est simple et utile.", "Le pitch est un peu long.", ""),
    ("Bravo pour les tests sur place.", "Penser aux personnes sans smartphone.", ""),
    ("", "La signalétique pourrait être plus lisible.", "Combien de temps pour le déployer ?"),
)


@dataclass(frozen=True)
class ExhibitionReport:
    opened_now: bool  # False: the vote had already been opened, left as it was
    status: VoteStatus
    ballots: int
    feedback: int


def move_to_exhibition(event: Event, organiser, data: dict) -> ExhibitionReport:
    people = casts(event)
    for number, cast in sorted(people.items()):
        _finish_team(cast, data["teams"].get(str(number), {}))
    while STAGES.index(event.stage) < STAGES.index(Stage.EXHIBITION):
        move_event_stage(event, 1, organiser)
    db.session.commit()
    if event.vote_status != VoteStatus.NOT_STARTED:
        return ExhibitionReport(False, event.vote_status, 0, 0)
    change_vote_status(event, organiser, VoteStatus.OPEN)
    feedback = _leave_feedback(event, people)
    cast_ballots = _cast_ballots(event, people)
    return ExhibitionReport(True, VoteStatus.OPEN, cast_ballots, feedback)


def _finish_team(cast: Cast, plan: dict) -> None:
    """A team still behind retains its favourite idea and describes its prototype, as teams do
    on the morning of day 3, then opens the gates up to the exhibition."""
    team = cast.team
    if team.stage == Stage.EXHIBITION:
        return
    retained = db.session.scalar(
        select(Idea).where(Idea.team_id == team.id, Idea.retained_at.is_not(None))
    )
    if retained is None and plan:
        favourite = db.session.scalar(
            select(Idea).where(Idea.team_id == team.id).order_by(Idea.id).limit(1)
        )
        if favourite is not None:
            retained = ideation.retain_idea(team, favourite, cast.facilitator, plan["reason"])
    if retained is not None and retained.endorsed_at is None and cast.owners:
        ideation.endorse_idea(team, retained, cast.owners[0])
    if plan and not team.prototype_summary:
        bring_prototype(team, plan)
    if plan and not team.pitch:
        team.pitch = plan["pitch"]
    while team.stage != Stage.EXHIBITION:
        move_team_stage(team, STAGES[STAGES.index(team.stage) + 1], cast.facilitator)


def _leave_feedback(event: Event, people: dict[int, Cast]) -> int:
    """A few visitors from other teams at each stand (the service commits each one)."""
    rng = random.Random("rennes-2018-feedback")
    visitors = [m for cast in people.values() for m in cast.members]
    left = 0
    for _number, cast in sorted(people.items()):
        others = [v for v in visitors if v not in cast.members]
        for visitor in rng.sample(others, FEEDBACK_PER_STAND):
            liked, better, question = rng.choice(FEEDBACK)
            add_exhibition_feedback(
                cast.team, visitor, liked, better, question, anonymous=rng.random() < 0.2
            )
            left += 1
    return left


def _cast_ballots(event: Event, people: dict[int, Cast]) -> int:
    """Ballots for part of the attendees, some stands liked more than others, so that the
    results have a clear order to reveal. Each ballot commits, as a phone's would."""
    rng = random.Random("rennes-2018-ballots")
    teams = [cast.team.id for _number, cast in sorted(people.items())]
    # Stand popularity: a few favourites, a long tail.
    weights = [rng.choice((1, 2, 3, 6)) for _ in teams]
    attendees = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.event_id == event.id, Membership.role == Role.PARTICIPANT)
        .order_by(Membership.id)
    ).all()
    cast_now = 0
    for user in rng.sample(attendees, int(len(attendees) * VOTERS)):
        person = ballots.voter(event, user)
        choosable = [
            (t, w) for t, w in zip(teams, weights, strict=True) if t not in person.team_ids
        ]
        wanted = min(rng.randint(1, event.votes_per_participant), len(choosable))
        chosen: list[int] = []
        while len(chosen) < wanted:
            team_id = rng.choices([t for t, _ in choosable], [w for _, w in choosable])[0]
            if team_id not in chosen:
                chosen.append(team_id)
        ballots.replace_ballot(event, person, chosen)
        cast_now += 1
    return cast_now
