"""Invitations and co-organisers: the rules.

An invitation is bound to an email address, an event and a role. Its link is signed with the
application's secret key (a salt of its own) and carries a random secret of which only a digest
is stored: it works once, for seven days, until cancelled or replaced by a fresh link.

Following the link never sets the password of an account that has one: its owner signs in with
it, then accepts. Nor does it set the password of an account without one that is used outside
the invitation's event (an attendee of other events, a platform organiser): the organisers of one
event see the link, and must not be able to take over what a person has elsewhere. That person
proves the address is theirs with "forgotten password" (a link sent to it), then accepts.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from flask import current_app, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitate.accounts.invitees import (  # noqa: F401  (the routes import them from here)
    TEAM_ROLES_WITH_PASSWORD,
    Invitee,
    InviteeAccount,
    invitees,
    open_invitations,
)
from facilitate.accounts.passwords import check_new_password
from facilitate.audit.services import record
from facilitate.auth.services import normalise_email
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import (
    INVITABLE_ROLES,
    Event,
    Invitation,
    InvitationStatus,
    Membership,
    Role,
    User,
)
from facilitate.models._types import utcnow
from facilitate.people.attendance import attends_elsewhere

INVITATION_SALT = "facilitate.invitation"
INVITATION_LIFETIME = timedelta(days=7)


class LinkProblem(StrEnum):
    """Why an invitation link does not work; each has its own page."""

    INVALID = "invalid"  # forged, mistyped, or of an invitation that no longer exists
    EXPIRED = "expired"
    USED = "used"
    CANCELLED = "cancelled"
    REPLACED = "replaced"  # a fresh link was issued since
    WITHDRAWN = "withdrawn"  # the person no longer attends the event


class InvitationLinkError(Exception):
    def __init__(self, problem: LinkProblem):
        super().__init__(problem.value)
        self.problem = problem


class Step(StrEnum):
    """What following a valid link asks of the person."""

    # No password yet: choose one, and be signed in.
    CHOOSE_PASSWORD = "choose_password"  # noqa: S105  (a step, not a password)
    SIGN_IN = "sign_in"  # the account has a password: sign in with it first
    ACCEPT = "accept"  # signed in as the invited account: confirm
    PROVE_EMAIL = "prove_email"  # an account used elsewhere: set its password by email first
    WRONG_ACCOUNT = "wrong_account"  # signed in as someone else


@dataclass(frozen=True)
class IssuedLink:
    invitation: Invitation
    token: str

    @property
    def url(self) -> str:
        return invitation_url(self.token)


# --- Links


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _issue_secret(invitation: Invitation) -> str:
    secret = secrets.token_urlsafe(24)
    now = utcnow()
    invitation.secret_digest = _digest(secret)
    invitation.issued_at = now
    invitation.expires_at = now + INVITATION_LIFETIME
    invitation.emailed_at = None
    return secret


def _token(invitation: Invitation, secret: str) -> str:
    return _serializer().dumps([invitation.id, secret])


def invitation_url(token: str) -> str:
    """At the public address (BASE_URL), as printed and emailed links are."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + url_for("accounts.follow_invitation", token=token)


def open_invitation(token: str, lock: bool = False) -> Invitation:
    """The pending invitation this link is for; InvitationLinkError otherwise. ``lock`` takes
    the row, for the request that uses it, so that two tabs cannot both use it."""
    max_age = int(INVITATION_LIFETIME.total_seconds())
    try:
        invitation_id, secret = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise InvitationLinkError(LinkProblem.EXPIRED) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise InvitationLinkError(LinkProblem.INVALID) from error
    if not isinstance(invitation_id, int) or not isinstance(secret, str):
        raise InvitationLinkError(LinkProblem.INVALID)
    query = select(Invitation).where(Invitation.id == invitation_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    invitation = db.session.scalar(query)
    if invitation is None:
        raise InvitationLinkError(LinkProblem.INVALID)
    status = invitation.status(utcnow())
    if status == InvitationStatus.ACCEPTED:
        raise InvitationLinkError(LinkProblem.USED)
    if status == InvitationStatus.CANCELLED:
        raise InvitationLinkError(LinkProblem.CANCELLED)
    if not hmac.compare_digest(invitation.secret_digest, _digest(secret)):
        raise InvitationLinkError(LinkProblem.REPLACED)
    if status == InvitationStatus.EXPIRED:
        raise InvitationLinkError(LinkProblem.EXPIRED)
    return invitation


# --- What organisers do


def account_with_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _has_role(user: User, event: Event, role: Role) -> bool:
    return (
        db.session.scalar(
            select(Membership.id)
            .where(
                Membership.user_id == user.id,
                Membership.event_id == event.id,
                Membership.role == role,
            )
            .limit(1)
        )
        is not None
    )


def used_elsewhere(user: User, event: Event) -> bool:
    """Whether the account has anything outside this event that its organisers must not reach:
    a place at another event, or the right to create events."""
    return user.is_organiser or attends_elsewhere(event, user)


def create_invitation(event: Event, role: Role, email: str, name: str, actor) -> IssuedLink:
    """Invite a co-organiser (anyone, by email), or give a facilitator or challenge owner of the
    event who has no password yet a link to choose one."""
    email = normalise_email(email)
    if role not in INVITABLE_ROLES:
        raise DomainError(_("Choose what the person is invited as."), field="role")
    user = account_with_email(email)
    if role == Role.ORGANISER:
        if user is not None and _has_role(user, event, Role.ORGANISER):
            raise DomainError(_("This person already organises the event."), field="email")
        if user is None and not (name or "").strip():
            raise DomainError(_("Give the name of the person you invite."), field="name")
    else:
        if user is None or not _has_role(user, event, role):
            raise DomainError(
                _(
                    "Nobody with this address is %(role)s at this event. Add them to the attendees with this role first.",
                    role=_role_phrase(role),
                ),
                field="email",
            )
        if user.password_hash is not None:
            raise DomainError(_already_has_password(), field="email")
    invitation = Invitation(
        event_id=event.id,
        email=email,
        name=(user.name if user is not None else name.strip())[:200],
        role=role,
        invited_by_id=actor.id,
    )
    secret = _issue_secret(invitation)
    try:
        with db.session.begin_nested():
            db.session.add(invitation)
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(
            _(
                "An invitation is already open for this address: issue a fresh link from the list, or cancel it."
            ),
            field="email",
        ) from error
    record(event, actor, "invitation.created", email=email, role=role.value)
    return IssuedLink(invitation, _token(invitation, secret))


def _already_has_password() -> str:
    return _(
        "This person already has a password and signs in with it. If they forgot it, they use “Forgot your password?” on the sign-in page."
    )


def refresh_invitation(invitation: Invitation, actor) -> IssuedLink:
    """A fresh link for seven days; the previous link stops at once."""
    if not invitation.is_open:
        raise DomainError(_("This invitation has been accepted or cancelled."))
    if invitation.role in TEAM_ROLES_WITH_PASSWORD:
        user = account_with_email(invitation.email)
        if user is not None and user.password_hash is not None:
            raise DomainError(_already_has_password())
    secret = _issue_secret(invitation)
    db.session.flush()
    record(invitation.event, actor, "invitation.refreshed", email=invitation.email)
    return IssuedLink(invitation, _token(invitation, secret))


def cancel_invitation(invitation: Invitation, actor) -> None:
    if not invitation.is_open:
        raise DomainError(_("This invitation has been accepted or cancelled."))
    invitation.cancelled_at = utcnow()
    invitation.cancelled_by_id = actor.id
    db.session.flush()
    record(invitation.event, actor, "invitation.cancelled", email=invitation.email)


def mark_emailed(invitation: Invitation) -> None:
    invitation.emailed_at = utcnow()
    db.session.flush()


def get_invitation(event: Event, invitation_id: int) -> Invitation | None:
    invitation = db.session.get(Invitation, invitation_id)
    return invitation if invitation is not None and invitation.event_id == event.id else None


# --- What the invited person does


def next_step(invitation: Invitation, current_user) -> Step:
    account = account_with_email(invitation.email)
    if current_user.is_authenticated and (account is None or current_user.id != account.id):
        return Step.WRONG_ACCOUNT
    if account is not None and account.password_hash is not None:
        return Step.ACCEPT if current_user.is_authenticated else Step.SIGN_IN
    if account is not None and used_elsewhere(account, invitation.event):
        return Step.PROVE_EMAIL
    return Step.CHOOSE_PASSWORD


def accept_with_new_password(invitation: Invitation, password: str, name: str | None) -> User:
    """For an address without a password: the person chooses theirs. The caller has checked
    the step is CHOOSE_PASSWORD, and holds the invitation's row."""
    account = account_with_email(invitation.email)
    if account is not None and (
        account.password_hash is not None or used_elsewhere(account, invitation.event)
    ):
        raise DomainError(_("This address has an account of its own: sign in to accept."))
    if account is None:
        name = (name or "").strip() or invitation.name
        check_new_password(password, email=invitation.email, name=name)
        account = User(email=invitation.email, name=name[:200])
        db.session.add(account)
    else:
        check_new_password(password, email=account.email, name=account.name)
    account.set_password(password)
    db.session.flush()
    _complete(invitation, account)
    return account


def accept_signed_in(invitation: Invitation, user: User) -> None:
    """The owner of an account with a password, signed in, accepts."""
    if user.email != invitation.email or user.password_hash is None:
        raise DomainError(_("This invitation is for another address."))
    _complete(invitation, user)


def _complete(invitation: Invitation, user: User) -> None:
    event = invitation.event
    if invitation.role == Role.ORGANISER:
        if not _has_role(user, event, Role.ORGANISER):
            db.session.add(Membership(user_id=user.id, event_id=event.id, role=Role.ORGANISER))
    elif not _has_role(user, event, invitation.role):
        raise InvitationLinkError(LinkProblem.WITHDRAWN)
    invitation.used_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    record(event, user, "invitation.accepted", email=invitation.email, role=invitation.role.value)


def _role_phrase(role: Role) -> str:
    return {
        Role.FACILITATOR: _("facilitator"),
        Role.CHALLENGE_OWNER: _("challenge owner"),
        Role.ORGANISER: _("co-organiser"),
    }[role]
