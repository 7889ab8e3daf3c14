"""What a book holds: every challenge of the event with its team's work, gathered in a fixed
number of queries whatever the number of challenges, and the fingerprint that says whether a
built PDF still shows the data as it is.

Only what may leave the event goes in: photos whose pictured people agreed, names of people who
agreed (privacy.public_names), visitors' feedback without its authors, and the vote's result
once the organisers revealed it.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from facilitate.exhibition.vote import results
from facilitate.extensions import db
from facilitate.models import (
    BookOrder,
    BookSettings,
    Challenge,
    Dot,
    Event,
    FeedbackEntry,
    Idea,
    Persona,
    PrototypeFile,
    Team,
    User,
    VoteStatus,
)
from facilitate.models._types import utcnow
from facilitate.privacy.public_names import PublicNames, team_people

# Raised when the book's layout or wording changes, so that every cached PDF is built again.
BOOK_FORMAT = 1


@dataclass
class PersonaText:
    name: str
    role: str | None
    needs: str | None
    pains: str | None


@dataclass
class IdeaText:
    title: str
    description: str | None
    dots: int


@dataclass
class RetainedIdea:
    title: str
    description: str | None
    reason: str | None
    endorsed: bool
    # The endorsing owner's name, only if they agreed to be named.
    endorsed_by: str | None


@dataclass
class VisitorFeedback:
    liked: str | None
    could_be_better: str | None
    question: str | None


@dataclass
class VoteResult:
    votes: int
    rank: int
    stands: int


@dataclass
class Chapter:
    """One challenge in the book: its sheet and its team's work, stage by stage."""

    challenge_id: int
    number: int
    question: str
    owner_organisation: str | None
    project_name: str | None
    territory: str | None
    stakes: str | None
    stakeholders: list[str]
    users: list[str]
    obstacles: list[str]
    levers: list[str]
    info_url: str | None
    theme: str | None
    theme_colour: str | None
    theme_position: int | None
    team_name: str | None
    stand_number: int | None
    people: dict[str, PublicNames] = field(default_factory=dict)
    working_question: str | None = None
    framing: dict[str, list[str]] = field(default_factory=dict)
    existing_solutions: str | None = None
    personas: list[PersonaText] = field(default_factory=list)
    ideas: list[IdeaText] = field(default_factory=list)
    retained: RetainedIdea | None = None
    prototype_kind: str | None = None
    prototype_summary: str | None = None
    prototype_tests: str | None = None
    test_plan: str | None = None
    photos: list[str] = field(default_factory=list)  # storage names, oldest first
    test_notes: list[str] = field(default_factory=list)
    visitor_feedback: list[VisitorFeedback] = field(default_factory=list)
    pitch: str | None = None
    vote: VoteResult | None = None
    team_id: int | None = None


@dataclass
class Book:
    event_name: str
    venue: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    opening: str
    closing: str
    order: str
    chapters: list[Chapter]

    # Each chapter's digest by challenge id, worked out once and shared with the books of one
    # challenge made from this one: the organisers' page checks 71 books against the data.
    _digests: dict[int, str] = field(default_factory=dict, repr=False, compare=False)

    def for_challenge(self, challenge_id: int) -> "Book":
        """The book of one challenge: its chapter alone, without the event's texts."""
        chapters = [c for c in self.chapters if c.challenge_id == challenge_id]
        return Book(
            self.event_name,
            self.venue,
            self.starts_at,
            self.ends_at,
            "",
            "",
            "",
            chapters,
            self._digests,
        )

    def fingerprint(self, language: str) -> str:
        """Changes whenever anything the PDF would show changes (or its language, or format)."""
        header = [
            BOOK_FORMAT,
            language,
            self.event_name,
            self.venue,
            self.starts_at,
            self.ends_at,
            self.opening,
            self.closing,
            self.order,
        ]
        return _digest([header, [self._digest_of(chapter) for chapter in self.chapters]])

    def _digest_of(self, chapter: Chapter) -> str:
        if chapter.challenge_id not in self._digests:
            self._digests[chapter.challenge_id] = _digest(chapter)
        return self._digests[chapter.challenge_id]


def _plain(value):
    """What JSON cannot write by itself: the book's dataclasses as their fields, dates as text."""
    return vars(value) if hasattr(value, "__dataclass_fields__") else str(value)


def _digest(value) -> str:
    content = json.dumps(value, default=_plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


def settings_of(event: Event) -> BookSettings:
    """The event's book settings (a new, unsaved row when the organisers wrote none yet)."""
    found = db.session.scalar(select(BookSettings).where(BookSettings.event_id == event.id))
    return found or BookSettings(event_id=event.id, opening="", closing="", order=BookOrder.NUMBER)


def gather(event: Event, settings: BookSettings | None = None) -> Book:
    """The whole event's book, in the organisers' order (``settings``: the event's, if read)."""
    settings = settings or settings_of(event)
    challenges = db.session.scalars(
        select(Challenge)
        .where(Challenge.event_id == event.id)
        .options(joinedload(Challenge.theme), joinedload(Challenge.team))
    ).all()
    chapters = {c.id: _chapter(c) for c in challenges}
    by_team = {ch.team_id: ch for ch in chapters.values() if ch.team_id is not None}
    _add_work(by_team)
    if event.vote_status == VoteStatus.REVEALED:
        _add_vote(event, by_team)
    ordered = sorted(chapters.values(), key=_ORDERS[settings.order])
    return Book(
        event_name=event.name,
        venue=event.venue,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        opening=settings.opening or "",
        closing=settings.closing or "",
        order=settings.order.value,
        chapters=ordered,
    )


_ORDERS = {
    BookOrder.NUMBER: lambda c: c.number,
    BookOrder.THEME: lambda c: (c.theme_position is None, c.theme_position or 0, c.number),
    BookOrder.STAND: lambda c: (c.stand_number is None, c.stand_number or 0, c.number),
}


def _chapter(challenge: Challenge) -> Chapter:
    team: Team | None = challenge.team
    theme = challenge.theme
    chapter = Chapter(
        challenge_id=challenge.id,
        number=challenge.number,
        question=challenge.question,
        owner_organisation=challenge.owner_organisation,
        project_name=challenge.project_name,
        territory=challenge.territory,
        stakes=challenge.stakes,
        stakeholders=list(challenge.stakeholders or []),
        users=list(challenge.users or []),
        obstacles=list(challenge.obstacles or []),
        levers=list(challenge.levers or []),
        info_url=challenge.info_url,
        theme=theme.name if theme else None,
        theme_colour=theme.colour if theme else None,
        theme_position=theme.position if theme else None,
        team_name=team.name if team else None,
        stand_number=team.stand_number if team else None,
    )
    if team is None:
        return chapter
    chapter.team_id = team.id
    chapter.working_question = team.working_question
    chapter.framing = {
        name: list(value)
        for name in ("stakeholders", "users", "obstacles", "levers")
        if (value := getattr(team, f"framing_{name}"))
    }
    chapter.existing_solutions = team.existing_solutions
    chapter.prototype_kind = team.prototype_kind.value if team.prototype_kind else None
    chapter.prototype_summary = team.prototype_summary
    chapter.prototype_tests = team.prototype_tests
    chapter.test_plan = team.test_plan
    chapter.pitch = team.pitch
    return chapter


def _add_work(by_team: dict[int, Chapter]) -> None:
    """Personas, ideas, photos, feedback and people of every team: one query each, reading
    columns rather than whole rows (an edition's teams hold thousands of them)."""
    team_ids = list(by_team)
    if not team_ids:
        return
    for team_id, *persona in db.session.execute(
        select(Persona.team_id, Persona.name, Persona.role, Persona.needs, Persona.pains)
        .where(Persona.team_id.in_(team_ids))
        .order_by(Persona.position, Persona.id)
    ):
        by_team[team_id].personas.append(PersonaText(*persona))
    _add_ideas(by_team, team_ids)
    for team_id, storage_name in db.session.execute(
        select(PrototypeFile.team_id, PrototypeFile.storage_name)
        .where(
            PrototypeFile.team_id.in_(team_ids),
            PrototypeFile.is_photo.is_(True),
            PrototypeFile.consent_confirmed.is_(True),
        )
        .order_by(PrototypeFile.created_at, PrototypeFile.id)
    ):
        by_team[team_id].photos.append(storage_name)
    for team_id, at_exhibition, body, *answers in db.session.execute(
        select(
            FeedbackEntry.team_id,
            FeedbackEntry.at_exhibition,
            FeedbackEntry.body,
            FeedbackEntry.liked,
            FeedbackEntry.could_be_better,
            FeedbackEntry.question,
        )
        .where(FeedbackEntry.team_id.in_(team_ids))
        .order_by(FeedbackEntry.created_at, FeedbackEntry.id)
    ):
        if at_exhibition:
            by_team[team_id].visitor_feedback.append(VisitorFeedback(*answers))
        elif body:
            by_team[team_id].test_notes.append(body)
    for team_id, roles in team_people(team_ids).items():
        by_team[team_id].people = {role.value: names for role, names in roles.items()}


def _add_ideas(by_team: dict[int, Chapter], team_ids: list[int]) -> None:
    dots = select(Dot.idea_id, func.count().label("dots")).group_by(Dot.idea_id).subquery()
    dot_count = func.coalesce(dots.c.dots, 0)
    rows = db.session.execute(
        select(
            Idea.team_id,
            Idea.title,
            Idea.description,
            dot_count,
            Idea.retained_at,
            Idea.retained_reason,
            Idea.endorsed_at,
            User.name,
            User.names_consent,
        )
        .outerjoin(dots, dots.c.idea_id == Idea.id)
        .outerjoin(User, User.id == Idea.endorsed_by_id)
        .where(Idea.team_id.in_(team_ids))
        .order_by(dot_count.desc(), Idea.created_at, Idea.id)
    )
    for (
        team_id,
        title,
        description,
        dots_on_it,
        retained_at,
        reason,
        endorsed_at,
        name,
        consent,
    ) in rows:
        chapter = by_team[team_id]
        chapter.ideas.append(IdeaText(title, description, dots_on_it))
        if retained_at is not None:
            chapter.retained = RetainedIdea(
                title=title,
                description=description,
                reason=reason,
                endorsed=endorsed_at is not None,
                endorsed_by=name if endorsed_at is not None and consent is True else None,
            )


def _add_vote(event: Event, by_team: dict[int, Chapter]) -> None:
    found = results(event)
    for stand in found.stands:
        if stand.team_id in by_team:
            by_team[stand.team_id].vote = VoteResult(stand.votes, stand.rank, len(found.stands))


def save_settings(event: Event, opening: str, closing: str, order: str) -> BookSettings:
    """Record the organisers' texts and order (the form checked them); flushes."""
    settings = settings_of(event)
    settings.opening = opening.strip()
    settings.closing = closing.strip()
    settings.order = BookOrder(order)
    settings.updated_at = utcnow()
    db.session.add(settings)
    db.session.flush()
    return settings
