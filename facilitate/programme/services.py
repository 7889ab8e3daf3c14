"""The programme's rules: saving a session (and the planned stage that follows it), reading the
programme by day and by room, flagging overlaps, and the announcements shown on room screens.

Times come in as wall-clock times at the venue and are stored in UTC, as planned stages are.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import (
    Announcement,
    Challenge,
    Event,
    PlannedStage,
    ProgrammeSession,
    SessionKind,
    Stage,
    Team,
    _types,
)
from facilitate.timezones import exists_at

# An announcement stays on the screens this long unless an organiser dismisses it first.
ANNOUNCEMENT_LIFETIME = timedelta(minutes=10)
ANNOUNCEMENT_LENGTH = 280


def now() -> datetime:
    """Naive UTC, through the models' clock, so that tests can move it."""
    return _types.utcnow()


def local(moment: datetime, timezone: str) -> datetime:
    """A stored UTC moment as the venue's wall-clock time (naive)."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


@dataclass
class SessionDetails:
    """A session as the organiser typed it: times at the venue."""

    kind: SessionKind
    title: str
    starts_at: datetime  # venue's wall clock
    ends_at: datetime  # venue's wall clock
    room: str | None = None
    speakers: str | None = None
    description: str = ""
    stage: Stage | None = None
    team_number: int | None = None  # the challenge number of the team, None: everyone


def session_fields(session: ProgrammeSession, timezone: str) -> dict:
    """What the history compares: the session's values, times at the venue."""
    return {
        "kind": session.kind.value,
        "title": session.title,
        "starts_at": local(session.starts_at, timezone).isoformat(timespec="minutes"),
        "ends_at": local(session.ends_at, timezone).isoformat(timespec="minutes"),
        "room": session.room,
        "speakers": session.speakers,
        "description": session.description,
        "stage": session.stage.value if session.stage else None,
        "team_id": session.team_id,
    }


def check_times(starts_at: datetime, ends_at: datetime, timezone: str) -> None:
    """Venue wall-clock times that exist there, the end after the start once both are in UTC
    (an end typed after a start can come before it across a change of clocks)."""
    for name, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not exists_at(moment, timezone):
            raise DomainError(
                _(
                    "%(time)s does not exist at the venue that day (the clocks go forward): choose another time.",
                    time=moment.strftime("%H:%M"),
                ),
                field=name,
            )
    if _types.utc_from_local(ends_at, timezone) <= _types.utc_from_local(starts_at, timezone):
        raise DomainError(
            _("The session must end after it starts: check the end time."), field="ends_at"
        )


def team_for(event: Event, number: int | None) -> Team | None:
    if number is None:
        return None
    team = db.session.scalar(
        select(Team)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(Challenge.event_id == event.id, Challenge.number == number)
    )
    if team is None:
        raise DomainError(_("This event has no challenge %(number)d.", number=number), "team")
    return team


def save_session(
    event: Event, session: ProgrammeSession | None, details: SessionDetails, actor
) -> ProgrammeSession:
    """Create or change a session. A session ending before it starts is refused; one that
    overlaps another in its room is saved (the programme page flags it). A session carrying a
    stage moves that stage's planned start to its own start."""
    check_times(details.starts_at, details.ends_at, event.timezone)
    team = team_for(event, details.team_number)
    if details.stage is not None:
        other = db.session.scalar(
            select(ProgrammeSession).where(
                ProgrammeSession.event_id == event.id, ProgrammeSession.stage == details.stage
            )
        )
        if other is not None and other is not session:
            raise DomainError(
                _(
                    "The %(stage)s stage already follows “%(title)s”: a stage follows one session.",
                    stage=details.stage.label,
                    title=other.title,
                ),
                "stage",
            )
    created = session is None
    before = None if created else session_fields(session, event.timezone)
    if created:
        session = ProgrammeSession(event_id=event.id)
        db.session.add(session)
    session.kind = details.kind
    session.title = details.title.strip()
    session.starts_at = _types.utc_from_local(details.starts_at, event.timezone)
    session.ends_at = _types.utc_from_local(details.ends_at, event.timezone)
    session.room = (details.room or "").strip() or None
    session.speakers = (details.speakers or "").strip() or None
    session.description = (details.description or "").strip()
    session.stage = details.stage
    session.team_id = team.id if team else None
    after = session_fields(session, event.timezone)
    if created:
        record(event, actor, "session.created", title=session.title)
    else:
        changed = [name for name in after if after[name] != before[name]]
        if changed:
            record(event, actor, "session.updated", title=session.title, fields=changed)
    follow_stage(event, session)
    db.session.flush()
    return session


def follow_stage(event: Event, session: ProgrammeSession) -> None:
    """The planned start of the session's stage is the session's start."""
    if session.stage is None:
        return
    planned = db.session.scalar(
        select(PlannedStage).where(
            PlannedStage.event_id == event.id, PlannedStage.stage == session.stage
        )
    )
    if planned is None:
        db.session.add(
            PlannedStage(event_id=event.id, stage=session.stage, starts_at=session.starts_at)
        )
    else:
        planned.starts_at = session.starts_at
    db.session.expire(event, ["planned_stages"])


def delete_session(event: Event, session: ProgrammeSession, actor) -> None:
    """Remove a session; the history keeps what it was. A stage it carried keeps its start."""
    record(
        event,
        actor,
        "session.deleted",
        title=session.title,
        snapshot=session_fields(session, event.timezone),
    )
    db.session.delete(session)
    db.session.flush()


def get_session_or_none(event: Event, session_id: int) -> ProgrammeSession | None:
    return db.session.scalar(
        select(ProgrammeSession).where(
            ProgrammeSession.event_id == event.id, ProgrammeSession.id == session_id
        )
    )


def event_sessions(
    event: Event, team_ids: list[int] | None = None, ending_after: datetime | None = None
) -> list[ProgrammeSession]:
    """Every session of the event in order, with its team's challenge, in three queries. With
    ``team_ids``, only the sessions for everyone and those of these teams (a person's own); with
    ``ending_after``, only those not over by then (a screen's)."""
    query = (
        select(ProgrammeSession)
        .options(selectinload(ProgrammeSession.team).selectinload(Team.challenge))
        .where(ProgrammeSession.event_id == event.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.room, ProgrammeSession.id)
    )
    if ending_after is not None:
        query = query.where(ProgrammeSession.ends_at > ending_after)
    if team_ids is not None:
        query = query.where(
            ProgrammeSession.team_id.is_(None) | ProgrammeSession.team_id.in_(team_ids)
        )
    return list(db.session.scalars(query))


@dataclass
class Day:
    day: date
    sessions: list[ProgrammeSession] = field(default_factory=list)


def by_day(sessions: list[ProgrammeSession], timezone: str) -> list[Day]:
    """Sessions grouped by the venue's calendar day (a session after midnight UTC in La Réunion
    still belongs to its evening)."""
    days: dict[date, Day] = {}
    for session in sessions:
        day = local(session.starts_at, timezone).date()
        days.setdefault(day, Day(day)).sessions.append(session)
    return list(days.values())


def overlapping(sessions: list[ProgrammeSession]) -> dict[int, list[ProgrammeSession]]:
    """For each session that shares its room with another at the same time, the others: flagged
    on the organiser's pages, never refused (a plenary may run over into a break on purpose)."""
    clashes: dict[int, list[ProgrammeSession]] = {}
    by_room: dict[str, list[ProgrammeSession]] = {}
    for session in sessions:
        if session.room:
            by_room.setdefault(session.room.casefold(), []).append(session)
    for group in by_room.values():
        group.sort(key=lambda s: s.starts_at)
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if second.starts_at >= first.ends_at:
                    break
                clashes.setdefault(first.id, []).append(second)
                clashes.setdefault(second.id, []).append(first)
    return clashes


@dataclass(frozen=True)
class _Planned:
    """A session as the programme would hold it once a file is imported."""

    id: object
    title: str
    room: str | None
    starts_at: datetime
    ends_at: datetime
    line: int | None


_PLANNED_FIELDS = ("title", "room", "starts_at", "ends_at")


def overlaps_after_import(existing: dict[int, ProgrammeSession], rows) -> list[str]:
    """For each line of an imported file (spreadsheet.SessionRow: ``line``, ``session_id``,
    ``values``) whose session would overlap another in its room, another line or a session the
    programme already has, a sentence saying which (the preview's warnings)."""
    planned = {
        s.id: _Planned(s.id, *(getattr(s, name) for name in _PLANNED_FIELDS), None)
        for s in existing.values()
    }
    for row in rows:
        key = row.session_id if row.session_id is not None else f"line {row.line}"
        old = existing.get(row.session_id)
        values = {name: getattr(old, name, None) for name in _PLANNED_FIELDS} | row.values
        planned[key] = _Planned(key, *(values[name] for name in _PLANNED_FIELDS), row.line)
    clashes = overlapping(list(planned.values()))
    flagged = sorted(
        (p for p in planned.values() if p.line is not None and p.id in clashes),
        key=lambda p: p.line,
    )
    return [
        _(
            "Line %(line)d: “%(title)s” overlaps another session in its room: %(others)s.",
            line=p.line,
            title=p.title,
            others=", ".join(other.title for other in clashes[p.id]),
        )
        for p in flagged
    ]


def room_names(sessions: list[ProgrammeSession]) -> list[str]:
    """The rooms the programme uses, as first written, in alphabetical order."""
    names: dict[str, str] = {}
    for session in sessions:
        if session.room:
            names.setdefault(session.room.casefold(), session.room)
    return sorted(names.values(), key=str.casefold)


def in_room(sessions: list[ProgrammeSession], room: str) -> list[ProgrammeSession]:
    key = room.casefold()
    return [s for s in sessions if s.room and s.room.casefold() == key]


# --- Announcements on the room screens --------------------------------------------------------


# Built once per process: the organiser's page and the screens ask at every view.
_CURRENT_ANNOUNCEMENT = (
    select(Announcement)
    .where(
        Announcement.event_id == bindparam("event_id"),
        Announcement.dismissed_at.is_(None),
        Announcement.expires_at > bindparam("now"),
    )
    .order_by(Announcement.posted_at.desc(), Announcement.id.desc())
    .limit(1)
)


def current_announcement(event: Event) -> Announcement | None:
    """The latest announcement neither dismissed nor expired."""
    return db.session.scalar(_CURRENT_ANNOUNCEMENT, {"event_id": event.id, "now": now()})


def post_announcement(event: Event, text: str, actor) -> Announcement:
    """Show a message on every screen of the event, replacing the one shown, for ten minutes."""
    text = " ".join((text or "").split())
    if not text:
        raise DomainError(_("Write the announcement first."), "text")
    if len(text) > ANNOUNCEMENT_LENGTH:
        raise DomainError(
            _("An announcement holds %(n)d characters at most.", n=ANNOUNCEMENT_LENGTH), "text"
        )
    moment = now()
    for shown in db.session.scalars(
        select(Announcement).where(
            Announcement.event_id == event.id, Announcement.dismissed_at.is_(None)
        )
    ):
        shown.dismissed_at = moment
    announcement = Announcement(
        event_id=event.id,
        text=text,
        posted_at=moment,
        expires_at=moment + ANNOUNCEMENT_LIFETIME,
        posted_by_id=actor.id if actor is not None and actor.is_authenticated else None,
    )
    db.session.add(announcement)
    record(event, actor, "announcement.posted", text=text)
    db.session.flush()
    return announcement


def dismiss_announcement(event: Event, actor) -> None:
    announcement = current_announcement(event)
    if announcement is None:
        raise DomainError(_("No announcement is on the screens."))
    announcement.dismissed_at = now()
    record(event, actor, "announcement.dismissed", text=announcement.text)
    db.session.flush()


def copy_programme(source: Event, copy: Event, moved, team_ids: dict[int, int]) -> int:
    """The source's sessions for its copy (events.management.clone_event), each moved by
    ``moved`` as the copy's planned stages are, so that a stage still starts with its session;
    a team's own session goes to the copy's team of the same challenge. Speakers are people, and
    a copy holds none: next year's organisers name their own."""
    sessions = db.session.scalars(
        select(ProgrammeSession)
        .where(ProgrammeSession.event_id == source.id)
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    ).all()
    for session in sessions:
        db.session.add(
            ProgrammeSession(
                event_id=copy.id,
                kind=session.kind,
                title=session.title,
                starts_at=moved(session.starts_at),
                ends_at=moved(session.ends_at),
                room=session.room,
                description=session.description,
                stage=session.stage,
                team_id=team_ids.get(session.team_id),
            )
        )
    db.session.flush()
    return len(sessions)
