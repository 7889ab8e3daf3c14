"""Team work rules shared by the workspace views (and, later, the JSON API)."""

from dataclasses import dataclass
from functools import cache

from flask import abort, g
from sqlalchemy import bindparam, case, func, literal, select, union_all
from sqlalchemy.orm import contains_eager

from facilitate.extensions import db
from facilitate.models import (
    Challenge,
    Dot,
    Event,
    FeedbackEntry,
    Idea,
    JournalEntry,
    Membership,
    Persona,
    PrototypeFile,
    Role,
    Stage,
    Team,
)
from facilitate.models._types import utcnow
from facilitate.workspace import photos, uploads
from facilitate.workspace.checklists import ChecklistItem, checklist
from facilitate.workspace.journal import STAGE_CHANGED, journal_text
from facilitate.workspace.uploads import FileType

STAGES = list(Stage)


@cache
def _team_statement():
    """Built once, the slug and number as parameters: building it cost more than running it."""
    return (
        select(Team)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .join(Event, Event.id == Team.event_id)
        .options(contains_eager(Team.challenge).contains_eager(Challenge.event))
        .where(Event.slug == bindparam("slug"), Challenge.number == bindparam("number"))
    )


def get_team_or_404(slug: str, number: int) -> Team:
    """The team of challenge ``number`` with its challenge and event, in one query."""
    team = db.session.scalar(_team_statement(), {"slug": slug, "number": number})
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
    # The team's own notes from testing its prototype (not visitors' feedback at the stand).
    test_notes: int = 0
    # The team's members, and those of them who have placed their dots (see ``members_dotted``).
    members: int = 0
    members_dotted: int = 0


def _members_dotted(team_ids):
    """Per team, the members who have placed their dots: as many as the event gives each
    member, or one per idea when the team has fewer ideas than that (and at least one).

    Each member's dots are counted through the membership's own row (an index lookup), so that
    the only join of two groupings left is with the ideas per team (one row a team): joining the
    dots per member to the members grouped apart cost PostgreSQL about 90 ms a request at 1,050
    people before it had statistics on the tables (bench/pages.py, dashboard)."""
    mine = (
        select(Dot.team_id, Membership.event_id, func.count().label("n"))
        .join(
            Membership,
            (Membership.team_id == Dot.team_id)
            & (Membership.user_id == Dot.user_id)
            & (Membership.role == Role.MEMBER),
        )
        .where(Dot.team_id.in_(team_ids))
        .group_by(Dot.team_id, Dot.user_id, Membership.event_id)
        .subquery()
    )
    ideas = (
        select(Idea.team_id, func.count().label("n"))
        .where(Idea.team_id.in_(team_ids))
        .group_by(Idea.team_id)
        .subquery()
    )
    needed = case((Event.dots_per_member < ideas.c.n, Event.dots_per_member), else_=ideas.c.n)
    return (
        select(mine.c.team_id.label("team_id"), func.count().label("n"))
        .join(ideas, ideas.c.team_id == mine.c.team_id)
        .join(Event, Event.id == mine.c.event_id)
        .where(mine.c.n >= needed)
        .group_by(mine.c.team_id)
    )


@cache
def _work_counts_statement():
    """The counting query, built once: building its nine subqueries cost 5 ms of CPU a
    request, ten times what running it costs (bench/pages.py, team workspace). The teams are
    a parameter, expanded at each execution."""
    team_ids = bindparam("team_ids", expanding=True)

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
        "test_notes": per_team(FeedbackEntry, FeedbackEntry.at_exhibition.is_(False)),
        "members": per_team(Membership, Membership.role == Role.MEMBER),
        "members_dotted": _members_dotted(team_ids),
    }
    counted = [
        select(sub.c.team_id, sub.c.n, literal(kind).label("kind"))
        for kind, sub in ((kind, query.subquery()) for kind, query in kinds.items())
    ]
    return union_all(*counted)


def work_counts(team_ids: list[int]) -> dict[int, WorkCounts]:
    """For each team, how much of each kind of work exists: one query whatever the teams."""
    if not team_ids:
        return {}
    rows = db.session.execute(_work_counts_statement(), {"team_ids": list(team_ids)}).all()
    values: dict[int, dict[str, int]] = {team_id: {} for team_id in team_ids}
    for team_id, n, kind in rows:
        values[team_id][kind] = n
    return {team_id: WorkCounts(**v) for team_id, v in values.items()}


# Built once, as the other statements every workspace page runs.
_RETAINED_IDEA = select(Idea).where(
    Idea.team_id == bindparam("team_id"), Idea.retained_at.is_not(None)
)


def retained_idea(team: Team) -> Idea | None:
    """The team's retained idea (at most one), read once per request: the ideation summary,
    the poster's summary and the exhibition panel all show it."""
    known = g.setdefault("_retained_idea", {})
    if team.id not in known:
        known[team.id] = db.session.scalar(_RETAINED_IDEA, {"team_id": team.id})
    return known[team.id]


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


def add_persona(
    team: Team, author, name: str, role: str | None, needs: str | None, pains: str | None
) -> Persona:
    """A persona at the end of the team's list."""
    position = db.session.scalar(select(func.count(Persona.id)).where(Persona.team_id == team.id))
    persona = Persona(
        team_id=team.id,
        name=name.strip(),
        role=(role or "").strip() or None,
        needs=(needs or "").strip() or None,
        pains=(pains or "").strip() or None,
        position=position,
        author_id=author.id,
    )
    db.session.add(persona)
    touch(team)
    return persona


def add_test_note(team: Team, author, body: str) -> FeedbackEntry:
    """What testers said, as the team noted it (visitors' feedback at the stand is another
    thing: ``exhibition.stands.add_exhibition_feedback``)."""
    entry = FeedbackEntry(team_id=team.id, author_id=author.id, body=body)
    db.session.add(entry)
    touch(team)
    return entry


def add_prototype_file(
    team: Team,
    uploader,
    data: bytes,
    file_type: FileType,
    filename: str | None,
    consent: bool,
    public: bool = False,
) -> PrototypeFile:
    """Store a checked file (a photo upright and without its metadata) and record it; the file
    is removed again if the record cannot be written. ``public``: the people pictured also
    agreed to the photo being on the public showcase. Raises ``photos.PhotoError``."""
    if file_type.is_image:
        data = photos.clean(data, file_type)
    storage_name = uploads.store(data, file_type)
    try:
        row = PrototypeFile(
            team_id=team.id,
            uploader_id=uploader.id,
            original_name=uploads.display_name(filename),
            content_type=file_type.content_type,
            size_bytes=len(data),
            storage_name=storage_name,
            is_photo=file_type.is_image,
            consent_confirmed=bool(file_type.is_image and consent),
            public_consent=bool(file_type.is_image and consent and public),
        )
        db.session.add(row)
        touch(team)
        db.session.flush()
    except BaseException:
        db.session.rollback()
        uploads.remove(storage_name)
        raise
    return row


def file_of_team_or_404(team: Team, file_id: int) -> PrototypeFile:
    """A prototype file, only through its own team: another team's id is a 404."""
    row = db.session.get(PrototypeFile, file_id)
    if row is None or row.team_id != team.id:
        abort(404)
    return row
