"""Ideation rules (DOMAIN.md, stage 2): idea cards, dots to shortlist, one retained idea with the
reason it answers the owner's expectation, and the owner's endorsement or comments.

Plain functions: no request, no rendering. A broken rule raises ``DomainError`` with a message
for the person; the database holds the same invariants (one dot per idea and member, one
retained idea per team), and a race that gets past a check here is turned into the same kind
of refusal, never a server error.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from facilitate.dashboard.versions import of_event
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import Dot, Idea, Membership, Role, Stage, Team, TeamComment
from facilitate.models._types import utcnow
from facilitate.workspace.journal import DOTS_CLOSED, DOTS_REOPENED, IDEA_RETAINED
from facilitate.workspace.services import record_event, touch


def _check_team(team: Team, idea: Idea) -> None:
    if idea.team_id != team.id:
        raise DomainError(_("This idea is not one of this team's ideas."))


def add_idea(team: Team, author, title: str, description: str | None) -> Idea:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the idea a title."), field="title")
    idea = Idea(
        team_id=team.id,
        title=title,
        description=(description or "").strip() or None,
        author_id=author.id,
    )
    db.session.add(idea)
    touch(team)
    db.session.flush()
    return idea


def _dotted_ideas(team: Team, user) -> list[int]:
    """The ideas of this team the person has put a dot on."""
    return list(
        db.session.scalars(
            select(Dot.idea_id).where(Dot.team_id == team.id, Dot.user_id == user.id)
        )
    )


def _lock_member(team: Team, user) -> None:
    """Place one person's dots one at a time (PostgreSQL row lock; SQLite writes one at a
    time anyway), so that two quick clicks cannot both pass the limit."""
    db.session.execute(
        select(Membership.id)
        .where(
            Membership.user_id == user.id,
            Membership.team_id == team.id,
            Membership.role == Role.MEMBER,
        )
        .with_for_update()
    )


def _check_dots_open(team: Team) -> None:
    if team.dots_closed_at is not None:
        raise DomainError(_("The dot vote is closed: dots no longer move."))


def place_dot(team: Team, idea: Idea, user) -> Dot:
    """One dot per idea and member, at most ``event.dots_per_member`` in the team."""
    _check_team(team, idea)
    _check_dots_open(team)
    _lock_member(team, user)
    dotted = _dotted_ideas(team, user)
    if idea.id in dotted:
        raise DomainError(_("You have already placed a dot on this idea."))
    limit = team.challenge.event.dots_per_member
    if len(dotted) >= limit:
        raise DomainError(
            ngettext(
                "You have placed your only dot. Take it back to place it elsewhere.",
                "You have placed all your %(num)d dots. Take one back to place it elsewhere.",
                limit,
            )
        )
    dot = Dot(idea_id=idea.id, user_id=user.id, team_id=team.id)
    try:
        with db.session.begin_nested():
            db.session.add(dot)
    except IntegrityError:
        # The same click arrived twice at once: the unique (idea, user) constraint refused it.
        raise DomainError(_("You have already placed a dot on this idea.")) from None
    touch(team)
    return dot


def remove_dot(team: Team, idea: Idea, user) -> None:
    _check_team(team, idea)
    _check_dots_open(team)
    dot = db.session.scalar(select(Dot).where(Dot.idea_id == idea.id, Dot.user_id == user.id))
    if dot is None:
        raise DomainError(_("You have no dot on this idea any more."))
    db.session.delete(dot)
    touch(team)
    db.session.flush()


def close_dot_vote(team: Team, by) -> None:
    """The facilitator ends the dot vote (a member is absent, or the team has decided): the
    checklist counts the dots as placed, and dots no longer move. Written in the journal."""
    if team.dots_closed_at is not None:
        raise DomainError(_("The dot vote is already closed."))
    team.dots_closed_at = utcnow()
    record_event(team, by, DOTS_CLOSED)
    db.session.flush()


def reopen_dot_vote(team: Team, by) -> None:
    if team.dots_closed_at is None:
        raise DomainError(_("The dot vote is already open."))
    team.dots_closed_at = None
    record_event(team, by, DOTS_REOPENED)
    db.session.flush()


def retain_idea(team: Team, idea: Idea, by, reason: str) -> Idea:
    """Retain one idea with why it answers the owner's expectation; any other retained idea of
    the team stops being retained (and loses its endorsement) in the same transaction."""
    _check_team(team, idea)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why this idea answers the challenge owner's expectation."), field="reason"
        )
    try:
        with db.session.begin_nested():
            # First un-retain, then retain: the partial unique index checks each statement.
            db.session.execute(
                of_event(update(Idea), team.event_id)
                .where(Idea.team_id == team.id, Idea.id != idea.id, Idea.retained_at.is_not(None))
                .values(
                    retained_at=None, retained_reason=None, endorsed_by_id=None, endorsed_at=None
                )
                .execution_options(synchronize_session="fetch"),
            )
            if idea.retained_at is None:
                idea.retained_at = utcnow()
            idea.retained_reason = reason
            db.session.flush()
    except IntegrityError:
        raise DomainError(
            _("Another idea was retained at the same moment. Reload the page and try again.")
        ) from None
    record_event(team, by, IDEA_RETAINED, title=idea.title, reason=reason)
    db.session.flush()
    return idea


def endorse_idea(team: Team, idea: Idea, by) -> Idea:
    """The challenge owner says the retained idea answers their expectation."""
    _check_team(team, idea)
    if idea.retained_at is None:
        raise DomainError(_("Only the retained idea can be endorsed."))
    if idea.endorsed_at is not None:
        raise DomainError(_("This idea is already endorsed."))
    idea.endorsed_by_id = by.id
    idea.endorsed_at = utcnow()
    touch(team)
    db.session.flush()
    return idea


def comment_on_idea(team: Team, idea: Idea, by, body: str) -> TeamComment:
    _check_team(team, idea)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write something first."), field="body")
    comment = TeamComment(
        team_id=team.id, author_id=by.id, stage=Stage.IDEATION, idea_id=idea.id, body=body
    )
    db.session.add(comment)
    touch(team)
    db.session.flush()
    return comment


@dataclass(frozen=True)
class IdeaRow:
    idea: Idea
    dots: int
    mine: bool


@dataclass
class Ideation:
    """What the ideation panel shows, loaded in two queries whatever the number of ideas."""

    ideas: list[IdeaRow]
    dots_used: int
    dots_per_member: int
    dots_closed: bool = False
    comments: dict[int | None, list[TeamComment]] = field(default_factory=dict)

    @property
    def dots_left(self) -> int:
        return max(self.dots_per_member - self.dots_used, 0)

    @property
    def retained(self) -> Idea | None:
        return next((row.idea for row in self.ideas if row.idea.retained_at), None)


def _ideation_statements():
    """The panel's two statements, built once (bindparams for the team and the reader):
    building them, with their subquery and options, cost more than running them."""
    tally = (
        select(
            Dot.idea_id,
            func.count().label("dots"),
            func.sum(case((Dot.user_id == bindparam("user_id"), 1), else_=0)).label("mine"),
        )
        .where(Dot.team_id == bindparam("team_id"))
        .group_by(Dot.idea_id)
        .subquery()
    )
    dots = func.coalesce(tally.c.dots, 0)
    ideas = (
        select(Idea, dots, func.coalesce(tally.c.mine, 0))
        .outerjoin(tally, tally.c.idea_id == Idea.id)
        .options(joinedload(Idea.author), joinedload(Idea.endorsed_by))
        .where(Idea.team_id == bindparam("team_id"))
        .order_by(dots.desc(), Idea.created_at, Idea.id)
    )
    comments = (
        select(TeamComment)
        .options(joinedload(TeamComment.author))
        .where(TeamComment.team_id == bindparam("team_id"), TeamComment.stage == Stage.IDEATION)
        .order_by(TeamComment.created_at, TeamComment.id)
    )
    return ideas, comments


_IDEAS, _COMMENTS = _ideation_statements()


def ideation_context(team: Team, user) -> Ideation:
    user_id = user.id if user.is_authenticated else None
    rows = db.session.execute(_IDEAS, {"team_id": team.id, "user_id": user_id}).all()
    ideas = [IdeaRow(idea, n, bool(mine)) for idea, n, mine in rows]

    comments: dict[int | None, list[TeamComment]] = {}
    for comment in db.session.scalars(_COMMENTS, {"team_id": team.id}):
        comments.setdefault(comment.idea_id, []).append(comment)

    return Ideation(
        ideas=ideas,
        dots_used=sum(row.mine for row in ideas),
        dots_per_member=team.challenge.event.dots_per_member,
        dots_closed=team.dots_closed_at is not None,
        comments=comments,
    )
