"""What one event holds of a person, for them to take away ("Télécharger mes données"):
only that event, only them, nothing anyone else wrote."""

import io
import json
import zipfile
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.i18n import local_time
from facilitate.models import (
    Ballot,
    Challenge,
    DebriefAnswer,
    Dot,
    Event,
    FeedbackEntry,
    Idea,
    JournalEntry,
    Membership,
    Persona,
    PrototypeFile,
    Role,
    Team,
    TeamComment,
    User,
    Vote,
)
from facilitate.models._types import utcnow
from facilitate.privacy import followup
from facilitate.workspace import uploads
from facilitate.workspace.journal import journal_text


def own_attendance(event: Event, user) -> Membership | None:
    """The attendance the person's session reaches at this event: the one a code opened, or
    their attendance there for a password session."""
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            Membership.erased_at.is_(None),
        )
    )


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def personal_data(event: Event, user: User) -> dict:
    """Everything this event holds that is the person's: their account's name and email, their
    attendance, and what they wrote and did here. Nothing of anyone else (not even the titles of
    others' ideas they put a dot on), nothing of their other events, and no access code (a key,
    not information about them)."""
    attendance = own_attendance(event, user)
    if attendance is None:
        raise DomainError(_("You do not attend this event."))
    teams = select(Team.id).where(Team.event_id == event.id).scalar_subquery()
    number_of = dict(
        db.session.execute(
            select(Team.id, Challenge.number)
            .join(Challenge, Challenge.id == Team.challenge_id)
            .where(Team.event_id == event.id)
        ).all()
    )
    team_roles = db.session.execute(
        select(Membership.role, Membership.team_id).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role != Role.PARTICIPANT,
        )
    ).all()

    def authored(model, column=None):
        column = column if column is not None else model.author_id
        return db.session.scalars(
            select(model).where(model.team_id.in_(teams), column == user.id).order_by(model.id)
        ).all()

    ballot = db.session.scalar(
        select(Ballot).where(Ballot.event_id == event.id, Ballot.user_id == user.id)
    )
    votes = (
        db.session.execute(
            select(Vote.team_id, Vote.slot, Vote.created_at, Team.stand_number)
            .join(Team, Team.id == Vote.team_id)
            .where(Vote.ballot_id == ballot.id)
            .order_by(Vote.slot)
        ).all()
        if ballot
        else []
    )
    debrief = db.session.scalar(
        select(DebriefAnswer).where(
            DebriefAnswer.event_id == event.id, DebriefAnswer.user_id == user.id
        )
    )
    return {
        "about": _(
            "Your personal data at the event “%(event)s”, as facilitate holds it on %(date)s.",
            event=event.name,
            date=local_time(utcnow(), event.timezone),
        ),
        "event": {"name": event.name, "identifier": event.slug},
        "account": {
            "name": user.name,
            "email": user.email,
            # Their answer about their name in the books of the challenges (None: not asked yet).
            "names_consent": user.names_consent,
        },
        "attendance": {
            "name": attendance.name,
            "family_name": attendance.family_name,
            "organisation": attendance.organisation,
            "roles": [Role.PARTICIPANT.value] + [role.value for role, _team in team_roles],
            "teams": [
                {"role": role.value, "challenge": number_of.get(team_id)}
                for role, team_id in team_roles
                if team_id is not None
            ],
        },
        "ideas": [
            {
                "challenge": number_of.get(idea.team_id),
                "title": idea.title,
                "description": idea.description,
                "created_at": _when(idea.created_at),
                "retained": idea.retained_at is not None,
            }
            for idea in authored(Idea)
        ],
        "ideas_endorsed": [
            {"challenge": number_of.get(idea.team_id), "endorsed_at": _when(idea.endorsed_at)}
            for idea in authored(Idea, Idea.endorsed_by_id)
        ],
        "personas": [
            {
                "challenge": number_of.get(p.team_id),
                "name": p.name,
                "role": p.role,
                "needs": p.needs,
                "pains": p.pains,
            }
            for p in authored(Persona)
        ],
        "comments": [
            {
                "challenge": number_of.get(c.team_id),
                "stage": c.stage.value,
                "body": c.body,
                "created_at": _when(c.created_at),
            }
            for c in authored(TeamComment)
        ],
        "journal": [
            {
                "challenge": number_of.get(j.team_id),
                "stage": j.stage.value,
                "body": journal_text(j),
                "created_at": _when(j.created_at),
            }
            for j in authored(JournalEntry)
        ],
        "feedback": [
            {
                "challenge": number_of.get(f.team_id),
                "at_exhibition": f.at_exhibition,
                "anonymous": f.anonymous,
                "body": f.body or None,
                "liked": f.liked,
                "could_be_better": f.could_be_better,
                "question": f.question,
                "created_at": _when(f.created_at),
            }
            for f in authored(FeedbackEntry)
        ],
        "dots": [
            {"challenge": number_of.get(d.team_id), "created_at": _when(d.created_at)}
            for d in db.session.scalars(
                select(Dot).where(Dot.team_id.in_(teams), Dot.user_id == user.id)
            )
        ],
        "ballot": (
            {
                "created_at": _when(ballot.created_at),
                "votes": [
                    {
                        "challenge": number_of.get(team_id),
                        "stand": stand,
                        "slot": slot,
                        "created_at": _when(created_at),
                    }
                    for team_id, slot, created_at, stand in votes
                ],
            }
            if ballot
            else None
        ),
        "debrief": (
            {
                "scores": debrief.scores,
                "keep": debrief.keep,
                "change": debrief.change,
                "name_shown_to_organisers": debrief.show_name,
            }
            if debrief
            else None
        ),
        "files": [
            {
                "challenge": number_of.get(f.team_id),
                "name": f.original_name,
                "content_type": f.content_type,
                "size_bytes": f.size_bytes,
                "is_photo": f.is_photo,
                "created_at": _when(f.created_at),
                "in_archive": _archive_name(f),
            }
            for f in authored(PrototypeFile, PrototypeFile.uploader_id)
        ],
        "follow_up_updates": followup.own_updates(event, user, _when),
    }


def _archive_name(row: PrototypeFile) -> str:
    extension = row.storage_name.rsplit(".", 1)[-1]
    return f"files/{row.id}-{uploads.download_name(row.original_name, extension)}"


DATA_FILE = "data.json"


def data_archive(event: Event, user: User) -> bytes:
    """The person's data as a ZIP: ``data.json``, the files they uploaded at this event and the
    photos of their follow-up updates. A file missing from the disk is listed with
    ``"in_archive": null``."""
    data = personal_data(event, user)
    stored = {
        _archive_name(row): row.storage_name
        for row in db.session.scalars(
            select(PrototypeFile).where(
                PrototypeFile.team_id.in_(
                    select(Team.id).where(Team.event_id == event.id).scalar_subquery()
                ),
                PrototypeFile.uploader_id == user.id,
            )
        )
    } | followup.own_photos(event, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        photos = [item for item in data["follow_up_updates"] if item["in_archive"]]
        for item in data["files"] + photos:
            path = uploads.path_of(stored[item["in_archive"]])
            try:
                with open(path, "rb") as f:
                    archive.writestr(item["in_archive"], f.read())
            except (OSError, TypeError):
                item["in_archive"] = None
        archive.writestr(DATA_FILE, json.dumps(data, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def record_download(event: Event, user) -> None:
    record(event, user, "data.downloaded")
