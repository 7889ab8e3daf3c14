"""Accounts, invitations, co-organisers and personal data."""

from facilitate.models import (
    Event,
    Role,
)
from facilitate.policy.roles import can_manage_event, can_view_event, roles_in

PREDICATES: dict = {}


# --- Accounts, invitations and co-organisers. An event's organisers invite its
# co-organisers, and its facilitators and challenge owners who have no password yet; nobody but
# the owner ever sets, resets or changes a password.


def can_manage_invitations(user, event: Event) -> bool:
    """See, create, cancel and refresh the event's invitations."""
    return can_manage_event(user, event)


def can_manage_organisers(user, event: Event) -> bool:
    """See the event's co-organisers and remove one (never the last: see accounts.services)."""
    return can_manage_event(user, event)


def can_change_own_password(user) -> bool:
    """Only someone who signed in to an account with a password, and knows it."""
    return bool(user.is_authenticated and user.password_hash)


# --- Personal data (GDPR). A person takes away what one event holds of them, from a session
# that reaches that event as its attendee (a code reaches one event only); that event's
# organisers erase people and purge the event, and edit what the event tells them about it.


def can_download_own_data(user, event: Event) -> bool:
    """Only an attendee, of this event: a removed or erased person no longer attends it."""
    return Role.PARTICIPANT in roles_in(user, event)


def can_erase_attendees(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_purge_personal_data(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_edit_privacy_notice(user, event: Event) -> bool:
    return can_manage_event(user, event)


def can_read_privacy_notice(user, event: Event) -> bool:
    """Public, as the event's page is: people read it before they sign up."""
    return can_view_event(user, event)


PREDICATES.update(
    {
        "can_download_own_data": can_download_own_data,
        "can_erase_attendees": can_erase_attendees,
        "can_purge_personal_data": can_purge_personal_data,
        "can_edit_privacy_notice": can_edit_privacy_notice,
        "can_read_privacy_notice": can_read_privacy_notice,
    }
)


PREDICATES.update(
    {
        "can_manage_invitations": can_manage_invitations,
        "can_manage_organisers": can_manage_organisers,
        "can_change_own_password": can_change_own_password,
    }
)
