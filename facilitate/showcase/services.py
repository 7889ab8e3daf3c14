"""What the showcase shows, read in a fixed number of queries whatever the number of teams: the
teams on show with their challenge and retained idea, then their photos, then the themes.

An edition's showcase (issue 15) reads the same way across all its sites at once: the themes
of the sites meet by name, as people would group them ("Santé" at Cluny is "sante" at Rennes)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import load_only

from facilitate.audit.services import record
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Idea, PrototypeFile, Team, Theme
from facilitate.search import fold


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


def exhibits(events: Event | Iterable[Event], number: int | None = None) -> list[Exhibit]:
    """The teams on the showcase of the event (or of several, an edition's sites) (only that of
    challenge ``number`` when given), by challenge number, with the photos that may be public
    in the order they were added."""
    event_ids = [events.id] if isinstance(events, Event) else [event.id for event in events]
    if number is None:
        return _with_photos(_OF_EVENTS, {"event_ids": event_ids}, _SHOWN_PHOTOS)
    return _with_photos(_OF_NUMBER, {"event_ids": event_ids, "number": number}, _SHOWN_PHOTOS)


def exhibits_where(condition) -> list[Exhibit]:
    """The teams that meet ``condition`` (on Team and Challenge), by challenge number, with
    their retained idea and the photos the people pictured agreed to see published: two queries
    whatever their number. The national jury reads its nominees' work with this too: jurors
    come from outside the event, so a photo shared within it only is not for them."""
    return _with_photos(_exhibits(condition), {}, _PHOTOS)


def _exhibits(condition, *options):
    return (
        select(Team, Challenge, Idea)
        .options(*options)
        .join(Challenge, Team.challenge_id == Challenge.id)
        .outerjoin(Idea, (Idea.team_id == Team.id) & Idea.retained_at.is_not(None))
        .where(condition)
        .order_by(Challenge.number, Team.event_id, Team.id)
    )


def _photos(*options):
    shown = [PrototypeFile.is_photo, PrototypeFile.consent_confirmed, PrototypeFile.public_consent]
    return (
        select(PrototypeFile)
        .options(*options)
        .where(PrototypeFile.team_id.in_(bindparam("team_ids", expanding=True)), *shown)
        .order_by(PrototypeFile.created_at, PrototypeFile.id)
    )


# The showcase's statements, built once per process, reading only what its pages show (the
# challenges' sheets and the teams' other texts stay in the database; reading anything else
# raises rather than loading it row by row).
_SHOWN = (
    load_only(
        Team.id,
        Team.event_id,
        Team.challenge_id,
        Team.name,
        Team.prototype_kind,
        Team.prototype_summary,
        raiseload=True,
    ),
    load_only(
        Challenge.id,
        Challenge.event_id,
        Challenge.number,
        Challenge.question,
        Challenge.owner_organisation,
        Challenge.theme_id,
        raiseload=True,
    ),
    load_only(Idea.id, Idea.team_id, Idea.title, Idea.retained_reason, raiseload=True),
)
_ON_SHOW = Team.event_id.in_(bindparam("event_ids", expanding=True)) & Team.on_showcase
_OF_EVENTS = _exhibits(_ON_SHOW, *_SHOWN)
_OF_NUMBER = _exhibits(_ON_SHOW & (Challenge.number == bindparam("number")), *_SHOWN)
_SHOWN_PHOTOS = _photos(load_only(PrototypeFile.id, PrototypeFile.team_id, raiseload=True))
_PHOTOS = _photos()


def _with_photos(query, parameters: dict, photos_query) -> list[Exhibit]:
    rows = db.session.execute(query, parameters)
    found = [Exhibit(team, challenge, idea) for team, challenge, idea in rows]
    if not found:
        return found
    by_team = {exhibit.team.id: exhibit for exhibit in found}
    for photo in db.session.scalars(photos_query, {"team_ids": list(by_team)}):
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


_THEMES_OF_SITES = (
    select(Theme)
    .where(Theme.event_id.in_(bindparam("event_ids", expanding=True)))
    .order_by(Theme.position, Theme.id)
)


def by_theme_across(sites: list[Event], shown: list[Exhibit]) -> list[ThemeGroup]:
    """The sites' themes merged by name (case, accents and spaces aside), in the order the sites
    list them, each with the teams on show of every site (site by site), then the challenges
    without a theme.
    A group carries the first site's spelling and colour of its theme. Reads the sites' themes
    in one query."""
    site_ids = [site.id for site in sites]
    themes = db.session.scalars(_THEMES_OF_SITES, {"event_ids": site_ids}).all()
    rank = {site_id: i for i, site_id in enumerate(site_ids)}
    groups: dict[str, ThemeGroup] = {}
    group_of_theme: dict[int, ThemeGroup] = {}
    for theme in sorted(themes, key=lambda theme: rank[theme.event_id]):
        group = groups.setdefault(fold(theme.name), ThemeGroup(theme, []))
        group_of_theme[theme.id] = group
    unthemed = ThemeGroup(None, [])
    for exhibit in sorted(shown, key=lambda e: (rank[e.team.event_id], e.challenge.number)):
        group_of_theme.get(exhibit.challenge.theme_id, unthemed).exhibits.append(exhibit)
    return [group for group in [*groups.values(), unthemed] if group.exhibits]


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


@dataclass
class PhotoCount:
    public: int
    total: int


def photo_count(team: Team) -> PhotoCount:
    """How many of the team's photos the showcase shows (or would), of all its photos: what the
    facilitator reads before putting the team there. One query."""
    public, total = db.session.execute(
        select(
            func.count(case((PrototypeFile.public_consent, 1))),
            func.count(PrototypeFile.id),
        ).where(PrototypeFile.team_id == team.id, PrototypeFile.is_photo)
    ).one()
    return PhotoCount(public, total)
