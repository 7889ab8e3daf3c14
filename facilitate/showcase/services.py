"""What the showcase shows, read in a fixed number of queries whatever the number of teams: the
teams on show with their challenge and retained idea, then their photos, then the themes."""

from dataclasses import dataclass, field

from sqlalchemy import select

from facilitate.audit.services import record
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Idea, PrototypeFile, Team, Theme


@dataclass
class Exhibit:
    """One team's work as the public sees it: nothing written by or about a person by name."""

    team: Team
    challenge: Challenge
    retained: Idea | None
    photos: list[PrototypeFile] = field(default_factory=list)


@dataclass
class ThemeGroup:
    theme: Theme | None  # None: the challenges without a theme
    exhibits: list[Exhibit]


def exhibits(event: Event, number: int | None = None) -> list[Exhibit]:
    """The teams on the showcase (only that of challenge ``number`` when given), by challenge
    number, with their consented photos in the order they were added."""
    condition = (Team.event_id == event.id) & Team.on_showcase
    if number is not None:
        condition &= Challenge.number == number
    return exhibits_where(condition)


def exhibits_where(condition) -> list[Exhibit]:
    """The teams that meet ``condition`` (on Team and Challenge), by challenge number, with
    their retained idea and consented photos: two queries whatever their number. The national
    jury reads its nominees' work with it, as the public reads the showcase's."""
    query = (
        select(Team, Challenge, Idea)
        .join(Challenge, Team.challenge_id == Challenge.id)
        .outerjoin(Idea, (Idea.team_id == Team.id) & Idea.retained_at.is_not(None))
        .where(condition)
        .order_by(Challenge.number, Team.id)
    )
    found = [Exhibit(team, challenge, idea) for team, challenge, idea in db.session.execute(query)]
    if not found:
        return found
    by_team = {exhibit.team.id: exhibit for exhibit in found}
    photos = db.session.scalars(
        select(PrototypeFile)
        .where(
            PrototypeFile.team_id.in_(by_team),
            PrototypeFile.is_photo,
            PrototypeFile.consent_confirmed,
        )
        .order_by(PrototypeFile.created_at, PrototypeFile.id)
    )
    for photo in photos:
        by_team[photo.team_id].photos.append(photo)
    return found


def by_theme(event: Event, shown: list[Exhibit]) -> list[ThemeGroup]:
    """The event's themes in its order, each with its teams on show (themes without any are
    left out), then the challenges without a theme."""
    groups = [ThemeGroup(theme, []) for theme in event.themes]
    by_id = {group.theme.id: group for group in groups}
    unthemed = ThemeGroup(None, [])
    for exhibit in shown:
        by_id.get(exhibit.challenge.theme_id, unthemed).exhibits.append(exhibit)
    return [group for group in [*groups, unthemed] if group.exhibits]


def theme_of(event: Event, challenge: Challenge) -> Theme | None:
    return next((theme for theme in event.themes if theme.id == challenge.theme_id), None)


def put_on_showcase(team: Team, shown: bool, actor) -> bool:
    """Show or hide the team's work, noted in the event's history; whether anything changed."""
    if team.on_showcase == shown:
        return False
    team.on_showcase = shown
    action = "team.shown_on_showcase" if shown else "team.hidden_from_showcase"
    record(team.challenge.event, actor, action, number=team.challenge.number)
    return True
