"""What organisers do to challenge sheets: create, edit, delete (and undo), assign owners."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.forms import clean_items
from facilitate.models import (
    LIST_FIELDS,
    SHEET_FIELDS,
    AuditEntry,
    Challenge,
    Event,
    FollowUp,
    FollowUpUpdate,
    Membership,
    PrototypeFile,
    Role,
    Team,
    Theme,
    User,
)
from facilitate.models._types import utcnow
from facilitate.names import sort_people
from facilitate.workspace import uploads


@dataclass
class SheetData:
    number: int
    question: str
    owner_organisation: str | None = None
    project_name: str | None = None
    territory: str | None = None
    stakes: str | None = None
    stakeholders: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    obstacles: list[str] = field(default_factory=list)
    levers: list[str] = field(default_factory=list)
    info_url: str | None = None
    theme_id: int | None = None


def _normalised(data: SheetData) -> dict:
    values = {}
    for name in SHEET_FIELDS:
        value = getattr(data, name)
        if name in LIST_FIELDS:
            values[name] = clean_items(value)
        else:
            values[name] = (value or "").strip() or None
    if not values["question"]:
        raise DomainError(_("The question is required."), field="question")
    return values


def _check_number_free(event: Event, number: int, challenge: Challenge | None = None) -> None:
    taken = db.session.scalar(
        select(Challenge.id).where(Challenge.event_id == event.id, Challenge.number == number)
    )
    if taken is not None and (challenge is None or taken != challenge.id):
        raise DomainError(
            _("Challenge %(number)d already exists in this event.", number=number), field="number"
        )


def _check_theme(event: Event, theme_id: int | None) -> None:
    if (
        theme_id is not None
        and db.session.scalar(
            select(Theme.id).where(Theme.id == theme_id, Theme.event_id == event.id)
        )
        is None
    ):
        raise DomainError(_("Choose one of this event's themes."), field="theme_id")


def create_challenge(event: Event, data: SheetData, actor) -> Challenge:
    _check_number_free(event, data.number)
    _check_theme(event, data.theme_id)
    challenge = Challenge(
        event_id=event.id, number=data.number, theme_id=data.theme_id, **_normalised(data)
    )
    challenge.team = Team(event_id=event.id)
    db.session.add(challenge)
    db.session.flush()
    record(event, actor, "challenge.created", number=challenge.number)
    return challenge


def update_challenge(challenge: Challenge, data: SheetData, actor) -> list[str]:
    event = challenge.event
    _check_number_free(event, data.number, challenge)
    _check_theme(event, data.theme_id)
    values = {"number": data.number, "theme_id": data.theme_id, **_normalised(data)}
    changed = [name for name, value in values.items() if getattr(challenge, name) != value]
    for name in changed:
        setattr(challenge, name, values[name])
    if changed:
        db.session.flush()
        record(event, actor, "challenge.updated", number=challenge.number, fields=changed)
    return changed


@dataclass
class WhatIsLost:
    """What deleting a challenge takes with it, to say so before the organiser confirms."""

    members: int = 0
    facilitators: int = 0
    owners: int = 0
    # Gone for good: undoing the deletion brings back the sheet and the team, not these.
    follow_up_updates: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.members or self.facilitators or self.owners or self.follow_up_updates)


def what_deleting_loses(challenge: Challenge) -> WhatIsLost:
    counts = dict(
        db.session.execute(
            select(Membership.role, func.count())
            .join(Team, Team.id == Membership.team_id)
            .where(Team.challenge_id == challenge.id)
            .group_by(Membership.role)
        ).all()
    )
    return WhatIsLost(
        members=counts.get(Role.MEMBER, 0),
        facilitators=counts.get(Role.FACILITATOR, 0),
        owners=counts.get(Role.CHALLENGE_OWNER, 0),
        follow_up_updates=db.session.scalar(
            select(func.count(FollowUpUpdate.id))
            .join(FollowUp, FollowUp.id == FollowUpUpdate.follow_up_id)
            .where(FollowUp.challenge_id == challenge.id)
        ),
    )


def delete_challenge(challenge: Challenge, actor) -> AuditEntry:
    """Delete the sheet and its team; the history keeps a snapshot to undo it."""
    event = challenge.event
    team = challenge.team
    snapshot = {
        "number": challenge.number,
        "theme": challenge.theme.name if challenge.theme else None,
        "team_name": team.name if team else None,
        "sheet": {name: getattr(challenge, name) for name in SHEET_FIELDS},
        "memberships": [
            {"user_id": m.user_id, "role": m.role.value, "name": m.user.name}
            for m in (team.memberships if team else [])
        ],
    }
    entry = record(event, actor, "challenge.deleted", number=challenge.number, snapshot=snapshot)
    # The team's work goes with it, and undoing brings back the sheet and the people, not the
    # work: its files (prototype photos, follow-up photos) go from the disk once committed.
    uploads.remove_after_commit(db.session, _stored_files_of(challenge))
    db.session.delete(challenge)
    db.session.flush()
    return entry


def _stored_files_of(challenge: Challenge) -> list[str]:
    team_files = select(PrototypeFile.storage_name).join(Team, Team.id == PrototypeFile.team_id)
    news_photos = (
        select(FollowUpUpdate.storage_name)
        .join(FollowUp, FollowUp.id == FollowUpUpdate.follow_up_id)
        .where(FollowUpUpdate.storage_name.is_not(None))
    )
    return list(
        db.session.scalars(
            team_files.where(Team.challenge_id == challenge.id).union_all(
                news_photos.where(FollowUp.challenge_id == challenge.id)
            )
        )
    )


def restore_challenge(entry: AuditEntry, actor) -> list[str]:
    """Undo a deletion from the history: the sheet, its theme if it still exists, its team and
    the people who were in it, those still at the event and not placed elsewhere since. Returns
    who could not come back, and why, for the organiser to read."""
    if entry.action != "challenge.deleted" or entry.restored_at is not None:
        raise DomainError(_("This change cannot be undone, or has been already."))
    event = entry.event
    snapshot = entry.details["snapshot"]
    _check_number_free(event, snapshot["number"])
    theme_id = db.session.scalar(
        select(Theme.id).where(Theme.event_id == event.id, Theme.name == snapshot["theme"])
    )
    challenge = Challenge(
        event_id=event.id, number=snapshot["number"], theme_id=theme_id, **snapshot["sheet"]
    )
    challenge.team = Team(event_id=event.id, name=snapshot["team_name"])
    db.session.add(challenge)
    db.session.flush()
    placed_elsewhere = set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.event_id == event.id, Membership.role == Role.MEMBER
            )
        )
    )
    # Only people who still attend the event come back: someone removed since stays removed.
    attending = dict(
        db.session.execute(
            select(Membership.user_id, Membership.name).where(
                Membership.event_id == event.id,
                Membership.role == Role.PARTICIPANT,
                Membership.erased_at.is_(None),
                Membership.user_id.in_([m["user_id"] for m in snapshot["memberships"]]),
            )
        ).all()
    )
    not_restored = []
    for m in snapshot["memberships"]:
        role = Role(m["role"])
        name = attending.get(m["user_id"]) or m.get("name") or _("a former attendee")
        if m["user_id"] not in attending:
            not_restored.append(_("%(name)s (no longer attends the event)", name=name))
            continue
        if role == Role.MEMBER and m["user_id"] in placed_elsewhere:
            not_restored.append(_("%(name)s (now in another team)", name=name))
            continue
        db.session.add(
            Membership(
                user_id=m["user_id"], event_id=event.id, team_id=challenge.team.id, role=role
            )
        )
    entry.restored_at = utcnow()
    db.session.flush()
    record(
        event,
        actor,
        "challenge.restored",
        number=challenge.number,
        not_restored=len(not_restored),
    )
    return not_restored


def add_owner(challenge: Challenge, user: User, actor) -> None:
    """A challenge owner sits with the team: a membership of the challenge's team."""
    team = challenge.team
    exists = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.team_id == team.id,
            Membership.role == Role.CHALLENGE_OWNER,
        )
    )
    if exists is not None:
        raise DomainError(
            _("%(name)s already owns this challenge.", name=user.name), field="user_id"
        )
    db.session.add(
        Membership(
            user_id=user.id, event_id=challenge.event_id, team_id=team.id, role=Role.CHALLENGE_OWNER
        )
    )
    db.session.flush()
    record(challenge.event, actor, "challenge.owner_added", number=challenge.number, name=user.name)


def remove_owner(challenge: Challenge, user: User, actor) -> None:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.team_id == challenge.team.id,
            Membership.role == Role.CHALLENGE_OWNER,
        )
    )
    if membership is not None:
        db.session.delete(membership)
        db.session.flush()
        record(
            challenge.event,
            actor,
            "challenge.owner_removed",
            number=challenge.number,
            name=user.name,
        )


def challenge_owners(challenge: Challenge) -> list[User]:
    """The challenge's owners in name order (``facilitate.names``)."""
    return sort_people(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == challenge.team.id, Membership.role == Role.CHALLENGE_OWNER)
            .order_by(User.id)
        ),
        key=lambda user: user.name,
    )
