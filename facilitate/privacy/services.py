"""Personal data (GDPR): what a person may take away, what an organiser erases, and what an
event tells its attendees.

An event's organisers erase what *their event* knows of a person: the attendance's name,
organisation and access code, and the person's name on what they wrote there. What the event
did stays: ballots still count, ideas, comments, photos and feedback stay with the team,
without a name. The account (email, name, password) goes too only when that event alone knows
it (``account_managed_by_event``); otherwise the event's records move to an anonymous account
of their own, so that the person's account keeps nothing of this event and nothing of their
other events changes.
"""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import joinedload

from facilitate.audit.services import record
from facilitate.book.storage import discard_books
from facilitate.dashboard.versions import of_event
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.i18n import local_time
from facilitate.models import (
    ApiToken,
    AuditEntry,
    Ballot,
    CalendarFeed,
    Challenge,
    DebriefAnswer,
    Dot,
    Event,
    FeedbackEntry,
    Idea,
    Invitation,
    JournalEntry,
    Membership,
    Persona,
    PrivacyNotice,
    PrototypeFile,
    Role,
    Team,
    TeamComment,
    User,
    Vote,
)
from facilitate.models._types import utcnow
from facilitate.models.users import new_session_nonce
from facilitate.people.attendance import account_managed_by_event
from facilitate.privacy import followup
from facilitate.workspace import uploads
from facilitate.workspace.journal import journal_text

# Team roles: an erased person leaves their team (the work stays).
_TEAM_ROLES = (Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER)
# What a person wrote or did at an event, by the column naming them.
_AUTHORED = (
    (Idea, Idea.author_id),
    (Idea, Idea.endorsed_by_id),
    (TeamComment, TeamComment.author_id),
    (JournalEntry, JournalEntry.author_id),
    (FeedbackEntry, FeedbackEntry.author_id),
    (PrototypeFile, PrototypeFile.uploader_id),
    (Persona, Persona.author_id),
)
# History entries that name an attendee (``name``, sometimes ``user_id`` and a snapshot).
_PERSON_ACTIONS = frozenset(
    {
        "attendee.added",
        "attendee.updated",
        "attendee.removed",
        "attendee.restored",
        "attendee.placed",
        "attendee.unplaced",
        "code.regenerated",
        "code.revoked",
        "challenge.owner_added",
        "challenge.owner_removed",
    }
)
# History entries that name an invited person by email (``email``, ``role``).
_INVITATION_ACTIONS = frozenset(
    {"invitation.created", "invitation.refreshed", "invitation.cancelled"}
)
DEFAULT_RETENTION_MONTHS = 6


# --- Erasing a person -------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing this person will do, for the confirmation page: whether their account goes
    too (this event alone knows it) and whether they keep organising the event."""

    whole_account: bool
    organises: bool


def _organises(event: Event, user: User) -> bool:
    return (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.event_id == event.id,
                Membership.role == Role.ORGANISER,
            )
        )
        is not None
    )


def erasure_plan(event: Event, user: User) -> ErasurePlan:
    """The account is this event's to erase only when nobody else relies on it: no password
    (nobody owns it), no other event, no right to create events, not organising this one."""
    organises = _organises(event, user)
    whole = not organises and not user.is_organiser and account_managed_by_event(event, user)
    return ErasurePlan(whole_account=whole, organises=organises)


def erase_attendee(event: Event, attendance: Membership, actor, *, history: bool = True) -> None:
    """Erase what this event knows of the person; see the module's docstring. Their code here,
    and the sessions opened with it, stop at once. Cannot be undone."""
    if attendance.event_id != event.id or attendance.role != Role.PARTICIPANT:
        raise DomainError(_("This person does not attend the event."))
    if attendance.erased_at is not None:
        raise DomainError(_("This person's data has already been erased."))
    user = attendance.user
    plan = erasure_plan(event, user)
    name, email = attendance.name, user.email
    _unname_work(event, user)
    followup.forget_person(event, user)
    # Nothing ties the account to the event any more, not even a calendar's secret address.
    db.session.execute(
        delete(CalendarFeed).where(
            CalendarFeed.event_id == event.id, CalendarFeed.user_id == user.id
        )
    )
    # Their debrief answer keeps counting, never again with their name.
    db.session.execute(
        update(DebriefAnswer)
        .where(DebriefAnswer.event_id == event.id, DebriefAnswer.user_id == user.id)
        .values(show_name=False)
        .execution_options(synchronize_session=False)
    )
    if not plan.organises:
        # Their actions here (accepting an invitation...) stay, by nobody named.
        db.session.execute(
            update(AuditEntry)
            .where(AuditEntry.event_id == event.id, AuditEntry.actor_id == user.id)
            .values(actor_id=None)
        )
    db.session.execute(
        delete(Invitation).where(
            Invitation.event_id == event.id,
            Invitation.role != Role.ORGANISER,
            or_(Invitation.accepted_by_id == user.id, Invitation.email == (email or "")),
        )
    )
    db.session.execute(
        of_event(delete(Membership), event.id).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role.in_(_TEAM_ROLES),
        )
    )
    if plan.whole_account:
        holder = user
        _anonymise_account(user)
    else:
        holder = _anonymous_holder(event, user)
        attendance.user = holder
    attendance.name = None
    attendance.organisation = None
    attendance.access_code = None
    attendance.code_nonce = new_session_nonce()  # ends the sessions opened with the code
    attendance.erased_at = utcnow()
    discard_books(event)
    db.session.flush()
    if history:
        _scrub_history(event, user_ids={user.id, holder.id}, names={name}, emails={email})
        record(event, actor, "attendee.erased", whole_account=plan.whole_account)


def _unname_work(event: Event, user: User) -> None:
    """What they wrote at this event stays with the team, without their name."""
    teams = select(Team.id).where(Team.event_id == event.id).scalar_subquery()
    for model, column in _AUTHORED:
        db.session.execute(
            of_event(update(model), event.id)
            .where(model.team_id.in_(teams), column == user.id)
            .values({column.key: None})
            .execution_options(synchronize_session=False)
        )


def _anonymise_account(user: User) -> None:
    user.name = ""
    user.email = None
    user.password_hash = None
    user.email_confirmed_at = None
    user.end_sessions()
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


def _anonymous_holder(event: Event, user: User) -> User:
    """A nameless account, nobody's, for what this event keeps of the person: their ballot
    (which keeps counting), their dots and their debrief answer. Their own account keeps nothing
    of this event."""
    holder = User(name="", email=None)
    db.session.add(holder)
    db.session.flush()
    db.session.execute(
        update(Ballot)
        .where(Ballot.event_id == event.id, Ballot.user_id == user.id)
        .values(user_id=holder.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(DebriefAnswer)
        .where(DebriefAnswer.event_id == event.id, DebriefAnswer.user_id == user.id)
        .values(user_id=holder.id)
        .execution_options(synchronize_session=False)
    )
    teams = select(Team.id).where(Team.event_id == event.id).scalar_subquery()
    db.session.execute(
        of_event(update(Dot), event.id)
        .where(Dot.team_id.in_(teams), Dot.user_id == user.id)
        .values(user_id=holder.id)
        .execution_options(synchronize_session=False)
    )
    return holder


def _scrub_history(
    event: Event,
    user_ids: set[int] = frozenset(),
    names: set[str | None] = frozenset(),
    emails: set[str | None] = frozenset(),
    everyone: bool = False,
) -> None:
    """Take the erased people's names, emails and snapshots out of the event's history. The
    entries stay (what was done, when, by whom) and read "an erased person"; a removal whose
    snapshot is gone can no longer be undone. Entries naming someone by name only are matched
    by that exact name."""
    names, emails = {n for n in names if n}, {e for e in emails if e}
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.event_id == event.id,
            AuditEntry.action.in_(
                _PERSON_ACTIONS | _INVITATION_ACTIONS | {"codes.reissued_by_upgrade"}
            ),
        )
    )
    for entry in entries:
        details = dict(entry.details or {})
        if entry.action in _PERSON_ACTIONS:
            hit = everyone or details.get("user_id") in user_ids or details.get("name") in names
            keys = ("name", "user_id", "snapshot")
        elif entry.action in _INVITATION_ACTIONS:
            hit = details.get("role") != Role.ORGANISER.value and (
                everyone or details.get("email") in emails
            )
            keys = ("email",)
        else:
            kept = [] if everyone else [n for n in details.get("names", []) if n not in names]
            hit = kept != details.get("names", [])
            keys = ()
            details["names"] = kept
        if hit:
            for key in keys:
                details.pop(key, None)
            details["erased"] = True
            entry.details = details


# --- Purging an event -------------------------------------------------------------------------


def has_ended(event: Event, now: datetime | None = None) -> bool:
    return event.ends_at is not None and event.ends_at <= (now or utcnow())


def attendances_to_erase(event: Event) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.user))
            .where(
                Membership.event_id == event.id,
                Membership.role == Role.PARTICIPANT,
                Membership.erased_at.is_(None),
            )
            .order_by(Membership.id)
        )
    )


def erasable_count(event: Event) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            Membership.erased_at.is_(None),
        )
    )


def purge_personal_data(event: Event, actor, *, force: bool = False) -> int:
    """Erase every attendance of the event, as ``erase_attendee`` does one, once the event is
    over; the challenge sheets, the teams' work and photos, ballots and results stay. Returns
    how many people were erased."""
    if not force and not has_ended(event):
        if event.ends_at is None:
            raise DomainError(
                _("The event has no end date: set it first, so that nobody purges it too early.")
            )
        raise DomainError(_("The event has not ended yet: its attendees still need their data."))
    attendances = attendances_to_erase(event)
    for attendance in attendances:
        erase_attendee(event, attendance, actor, history=False)
    db.session.execute(
        delete(Invitation).where(Invitation.event_id == event.id, Invitation.role != Role.ORGANISER)
    )
    _scrub_history(event, everyone=True)
    record(event, actor, "event.purged", count=len(attendances))
    db.session.flush()
    return len(attendances)


# --- A person's own data ----------------------------------------------------------------------


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


# --- The event's privacy notice ---------------------------------------------------------------


@dataclass
class NoticeDetails:
    controller: str
    contact_email: str | None
    retention_months: int
    details: str


def notice_of(event: Event) -> PrivacyNotice | None:
    return db.session.scalar(select(PrivacyNotice).where(PrivacyNotice.event_id == event.id))


def save_notice(event: Event, data: NoticeDetails, actor) -> PrivacyNotice:
    notice = notice_of(event)
    if notice is None:
        notice = PrivacyNotice(event_id=event.id)
        db.session.add(notice)
    changed = [
        field
        for field in ("controller", "contact_email", "retention_months", "details")
        if getattr(notice, field) != getattr(data, field)
    ]
    for field in changed:
        setattr(notice, field, getattr(data, field))
    if changed:
        notice.updated_at = utcnow()
        notice.updated_by_id = actor.id if actor is not None else None
        db.session.flush()
        record(event, actor, "privacy.notice_updated", fields=changed)
    return notice
