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
from facilitate.models import (
    ApiToken,
    AuditEntry,
    Ballot,
    CalendarFeed,
    DebriefAnswer,
    Dot,
    EditionAuditEntry,
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
)
from facilitate.models._types import utcnow
from facilitate.models.users import new_session_nonce
from facilitate.people.attendance import account_managed_by_event
from facilitate.privacy import followup

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
        of_event(update(DebriefAnswer), event.id)
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
    if plan.whole_account:
        _scrub_edition_histories(user.id)
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
        of_event(update(DebriefAnswer), event.id)
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


# Edition history entries that name a person (``user_id`` and ``name``): national organisers,
# jurors (see ``audit.services.record_edition``).
_EDITION_PERSON_ACTIONS = frozenset(
    {"national.appointed", "national.removed", "juror.appointed", "juror.removed"}
)


def _scrub_edition_histories(user_id: int) -> None:
    """An account erased whole is named by no edition's history any more: the entries stay and
    read "an erased person", as ``_scrub_history`` leaves the event's. An attendance erased
    while the account stays changes no edition's history: being a juror or a national organiser
    belongs to the account, which still holds it in its own name (and a site's organiser, who
    may erase an attendance, has no say over the edition). Matched by ``user_id`` only (an
    edition's entries always have it): another person of the same name keeps theirs."""
    query = select(EditionAuditEntry).where(EditionAuditEntry.action.in_(_EDITION_PERSON_ACTIONS))
    for entry in db.session.scalars(query):
        details = dict(entry.details or {})
        if details.get("user_id") == user_id:
            details.pop("name", None)
            details.pop("user_id", None)
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
