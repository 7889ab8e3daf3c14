"""Team work rules shared by the workspace views (and, later, the JSON API)."""

from dataclasses import dataclass

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import contains_eager

from facilitate.extensions import db
from facilitate.models import (
    Challenge,
    Dot,
    Event,
    FeedbackEntry,
    Idea,
    JournalEntry,
    Persona,
    PrototypeFile,
    Stage,
    Team,
)
from facilitate.models._types import utcnow
from facilitate.workspace.journal import STAGE_CHANGED, journal_text

STAGES = list(Stage)


def get_team_or_404(slug: str, number: int) -> Team:
    """The team of challenge ``number`` with its challenge and event, in one query."""
    team = db.session.scalar(
        select(Team)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .join(Event, Event.id == Team.event_id)
        .options(contains_eager(Team.challenge).contains_eager(Challenge.event))
        .where(Event.slug == slug, Challenge.number == number)
    )
    if team is None:
        abort(404)
    return team


@dataclass(frozen=True)
class WorkCounts:
    personas: int = 0
    ideas: int = 0
    dots: int = 0
    retained: int = 0
    endorsed: int = 0
    files: int = 0
    feedback: int = 0


def work_counts(team_ids: list[int]) -> dict[int, WorkCounts]:
    """For each team, how much of each kind of work exists: one query whatever the teams."""
    if not team_ids:
        return {}

    def per_team(model, *conditions):
        return (
            select(model.team_id.label("team_id"), func.count().label("n"))
            .where(model.team_id.in_(team_ids), *conditions)
            .group_by(model.team_id)
        )

    kinds = {
        "personas": per_team(Persona),
        "ideas": per_team(Idea),
        "dots": per_team(Dot),
        "retained": per_team(Idea, Idea.retained_at.is_not(None)),
        "endorsed": per_team(Idea, Idea.endorsed_at.is_not(None)),
        "files": per_team(PrototypeFile),
        "feedback": per_team(FeedbackEntry),
    }
    counted = [
        select(sub.c.team_id, sub.c.n, literal(kind).label("kind"))
        for kind, sub in ((kind, query.subquery()) for kind, query in kinds.items())
    ]
    rows = db.session.execute(union_all(*counted)).all()
    values: dict[int, dict[str, int]] = {team_id: {} for team_id in team_ids}
    for team_id, n, kind in rows:
        values[team_id][kind] = n
    return {team_id: WorkCounts(**v) for team_id, v in values.items()}


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool


def checklist(team: Team, stage: Stage, counts: WorkCounts) -> list[ChecklistItem]:
    """What each stage should produce (DOMAIN.md): a guide for the team, never a lock."""
    items = {
        Stage.FRAMING: [
            (_l("The working question is written"), bool(team.working_question)),
            (
                _l("Stakeholders, users, obstacles and levers are reviewed"),
                any(
                    getattr(team, f"framing_{name}") is not None
                    for name in ("stakeholders", "users", "obstacles", "levers")
                ),
            ),
            (_l("At least one persona"), counts.personas > 0),
            (_l("What already exists is noted"), bool(team.existing_solutions)),
        ],
        Stage.IDEATION: [
            (_l("At least three ideas"), counts.ideas >= 3),
            (_l("Members have placed their dots"), counts.dots > 0),
            (_l("An idea is retained, with why it answers the owner"), counts.retained > 0),
            (_l("The challenge owner endorsed it"), counts.endorsed > 0),
        ],
        Stage.PROTOTYPING: [
            (_l("What the prototype is"), bool(team.prototype_kind and team.prototype_summary)),
            (_l("What it tests"), bool(team.prototype_tests)),
            (_l("A test plan"), bool(team.test_plan)),
            (_l("Photos or files"), counts.files > 0),
            (_l("Feedback from tests"), counts.feedback > 0),
        ],
        Stage.EXHIBITION: [
            (_l("A pitch"), bool(team.pitch)),
            (
                _l("The retained idea and the prototype summary for the poster"),
                counts.retained > 0 and bool(team.prototype_summary),
            ),
        ],
    }[stage]
    return [ChecklistItem(str(label), done) for label, done in items]


def touch(team: Team) -> None:
    team.last_activity_at = utcnow()


def write_journal(team: Team, author, body: str) -> JournalEntry:
    """A person's entry, in their own words."""
    entry = JournalEntry(team_id=team.id, author_id=_author_id(author), stage=team.stage, body=body)
    db.session.add(entry)
    touch(team)
    return entry


def record_event(team: Team, author, kind: str, **params) -> JournalEntry:
    """An automatic entry: its kind and parameters, told in each reader's language when shown.
    The body keeps the text as told to its author, for whoever reads the table without the app."""
    entry = JournalEntry(
        team_id=team.id,
        author_id=_author_id(author),
        stage=team.stage,
        automatic=True,
        kind=kind,
        params=params,
    )
    entry.body = journal_text(entry) or kind
    db.session.add(entry)
    touch(team)
    return entry


def _author_id(author) -> int | None:
    return author.id if author is not None and author.is_authenticated else None


def move_team_stage(team: Team, target: Stage, actor) -> list[ChecklistItem]:
    """Open the gate to another stage (next or back). An incomplete checklist is returned for a
    warning, never a refusal: the facilitator knows the room."""
    if target == team.stage:
        return []
    unfinished = []
    if STAGES.index(target) > STAGES.index(team.stage):
        counts = work_counts([team.id])[team.id]
        unfinished = [item for item in checklist(team, team.stage, counts) if not item.done]
    previous = team.stage
    team.stage = target
    record_event(team, actor, STAGE_CHANGED, old=previous.value, new=target.value)
    db.session.flush()
    return unfinished


def file_of_team_or_404(team: Team, file_id: int) -> PrototypeFile:
    """A prototype file, only through its own team: another team's id is a 404."""
    row = db.session.get(PrototypeFile, file_id)
    if row is None or row.team_id != team.id:
        abort(404)
    return row
