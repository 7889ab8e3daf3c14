"""What organisers do to an event as a whole: create, edit (themes, schedule), clone."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.events.theme_colours import next_theme_colour
from facilitate.extensions import db
from facilitate.models import (
    SHEET_FIELDS,
    Challenge,
    Event,
    Membership,
    PlannedStage,
    ProgrammeSession,
    Role,
    Stage,
    Team,
    Theme,
)
from facilitate.models._types import utc_from_local
from facilitate.programme.services import copy_programme
from facilitate.resources.services import copy_resources


@dataclass
class ThemeRow:
    id: int | None
    name: str
    colour: str | None


@dataclass
class EventDetails:
    """An event as the organiser types it: times are wall-clock times at the venue."""

    name: str
    slug: str
    venue: str | None
    timezone: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    themes: list[ThemeRow] = field(default_factory=list)
    stage_starts: dict[Stage, datetime | None] = field(default_factory=dict)


_EVENT_FIELDS = ("name", "slug", "venue", "timezone", "starts_at", "ends_at", "description")


# Words the addresses use after /events/: an event cannot be called that.
RESERVED_SLUGS = {"new"}


def _check_slug_free(slug: str, event: Event | None = None) -> None:
    if slug in RESERVED_SLUGS:
        raise DomainError(_("This identifier is reserved; choose another one."), field="slug")
    taken = db.session.scalar(select(Event.id).where(Event.slug == slug))
    if taken is not None and (event is None or taken != event.id):
        raise DomainError(_("Another event already uses this identifier."), field="slug")


def _apply(event: Event, details: EventDetails) -> list[str]:
    """Copy the details onto the event; the names of what changed, for the history."""
    changed = []
    values = {
        "name": details.name.strip(),
        "slug": details.slug,
        "venue": (details.venue or "").strip() or None,
        "timezone": details.timezone,
        "starts_at": utc_from_local(details.starts_at, details.timezone),
        "ends_at": utc_from_local(details.ends_at, details.timezone),
        "description": (details.description or "").strip(),
    }
    for name in _EVENT_FIELDS:
        if getattr(event, name) != values[name]:
            setattr(event, name, values[name])
            changed.append(name)
    if _apply_themes(event, details.themes):
        changed.append("themes")
    if _apply_schedule(event, details.stage_starts, details.timezone):
        changed.append("schedule")
    return changed


def _apply_themes(event: Event, rows: list[ThemeRow]) -> bool:
    rows = [r for r in rows if r.name.strip()]
    names = [r.name.strip().casefold() for r in rows]
    if len(set(names)) != len(names):
        raise DomainError(_("Two themes have the same name."), field="themes")
    existing = {t.id: t for t in event.themes}
    kept_ids = {r.id for r in rows if r.id in existing}
    changed = False
    for theme in list(event.themes):
        if theme.id not in kept_ids:
            # Its challenges stay, without a theme.
            db.session.execute(
                Challenge.__table__.update()
                .where(Challenge.theme_id == theme.id)
                .values(theme_id=None)
            )
            event.themes.remove(theme)
            changed = True
    db.session.flush()  # free the names of removed themes before renaming others
    for position, row in enumerate(rows):
        theme = existing.get(row.id)
        colour = row.colour
        if theme is None:
            theme = Theme(name=row.name.strip())
            colour = colour or next_theme_colour(
                [r.colour for r in rows] + [t.colour for t in event.themes]
            )
            event.themes.append(theme)
            changed = True
        new = (row.name.strip(), colour or None, position)
        if (theme.name, theme.colour, theme.position) != new:
            theme.name, theme.colour, theme.position = new
            changed = True
    event.themes.sort(key=lambda t: t.position)
    return changed


def _apply_schedule(event: Event, starts: dict[Stage, datetime | None], timezone: str) -> bool:
    """The stages' planned starts. A stage that follows a session of the programme starts with
    it (programme.services.follow_stage): the session is the truth, so a new start given here
    moves the session (keeping its length), and a stage tied to one keeps a start."""
    planned = {p.stage: p for p in event.planned_stages}
    sessions = {}
    if event.id is not None:  # a new event has no programme yet
        sessions = {
            s.stage: s
            for s in db.session.scalars(
                select(ProgrammeSession).where(
                    ProgrammeSession.event_id == event.id, ProgrammeSession.stage.is_not(None)
                )
            )
        }
    changed = False
    for stage in Stage:
        local = starts.get(stage)
        current = planned.get(stage)
        session = sessions.get(stage)
        if local is None:
            if session is not None:
                raise DomainError(
                    _(
                        "This stage starts with the session “%(title)s” of the programme: move "
                        "that session, or take the stage off it, instead.",
                        title=session.title,
                    ),
                    field=f"{stage.value}_at",
                )
            if current is not None:
                event.planned_stages.remove(current)
                changed = True
            continue
        moment = utc_from_local(local, timezone)
        if current is None:
            event.planned_stages.append(PlannedStage(stage=stage, starts_at=moment))
            changed = True
        elif current.starts_at != moment:
            current.starts_at = moment
            changed = True
        else:
            continue
        if session is not None and session.starts_at != moment:
            session.ends_at = moment + (session.ends_at - session.starts_at)
            session.starts_at = moment
    return changed


def create_event(details: EventDetails, actor, organiser: bool = True) -> Event:
    """A new event, with the person creating it as its first organiser (unless a national
    organiser creates a site: see editions.services.create_site)."""
    _check_slug_free(details.slug)
    event = Event(slug=details.slug, name=details.name, timezone=details.timezone)
    db.session.add(event)
    _apply(event, details)
    db.session.flush()
    if organiser:
        db.session.add(Membership(user_id=actor.id, event_id=event.id, role=Role.ORGANISER))
    record(event, actor, "event.created", name=event.name)
    db.session.flush()
    return event


def update_event(event: Event, details: EventDetails, actor) -> list[str]:
    _check_slug_free(details.slug, event)
    changed = _apply(event, details)
    if changed:
        record(event, actor, "event.updated", fields=changed)
    db.session.flush()
    return changed


def clone_event(source: Event, name: str, slug: str, starts_at_local: datetime, actor) -> Event:
    """Same themes, challenge sheets, schedule and programme, moved to the new start; no people,
    no work."""
    _check_slug_free(slug)
    shift = utc_from_local(starts_at_local, source.timezone) - (source.starts_at or datetime.min)
    if source.starts_at is None:
        shift = timedelta(0)

    def moved(moment):
        return None if moment is None else moment + shift

    copy = Event(
        slug=slug,
        name=name.strip(),
        venue=source.venue,
        timezone=source.timezone,
        starts_at=utc_from_local(starts_at_local, source.timezone),
        ends_at=moved(source.ends_at),
        description=source.description,
    )
    copy.themes = [Theme(name=t.name, colour=t.colour, position=t.position) for t in source.themes]
    copy.planned_stages = [
        PlannedStage(stage=p.stage, starts_at=moved(p.starts_at)) for p in source.planned_stages
    ]
    db.session.add(copy)
    db.session.flush()
    theme_ids = {old.id: new.id for old, new in zip(source.themes, copy.themes, strict=True)}
    sheets = db.session.scalars(select(Challenge).where(Challenge.event_id == source.id)).all()
    new_teams = {}
    for sheet in sheets:
        challenge = Challenge(
            event_id=copy.id,
            number=sheet.number,
            theme_id=theme_ids.get(sheet.theme_id),
            **{f: getattr(sheet, f) for f in SHEET_FIELDS},
        )
        challenge.team = new_teams[sheet.number] = Team(event_id=copy.id)
        db.session.add(challenge)
    db.session.add(Membership(user_id=actor.id, event_id=copy.id, role=Role.ORGANISER))
    copy_resources(source, copy)
    db.session.flush()
    old_teams = db.session.execute(
        select(Team.id, Challenge.number)
        .join(Challenge, Team.challenge_id == Challenge.id)
        .where(Team.event_id == source.id)
    )
    team_ids = {team_id: new_teams[number].id for team_id, number in old_teams}
    sessions = copy_programme(source, copy, moved, team_ids)
    record(
        copy, actor, "event.cloned", source=source.slug, challenges=len(sheets), sessions=sessions
    )
    record(source, actor, "event.copied", copy=copy.slug)
    return copy
