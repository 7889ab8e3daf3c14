"""The messages this feature sends, as plain text in the language of the request that sends them
(the organiser's for an invitation, the person's own for a reset)."""

from email.message import EmailMessage

from flask_babel import gettext as _

from facilitate.accounts.passwords import RESET_MAX_AGE
from facilitate.i18n import local_time
from facilitate.mail import make_message
from facilitate.models import Invitation, Role, User
from facilitate.timezones import timezone_name


def invitation_email(invitation: Invitation, url: str, inviter: User) -> EmailMessage:
    event = invitation.event
    if invitation.role == Role.ORGANISER:
        subject = _("Invitation to organise “%(event)s”", event=event.name)
        what = _(
            "%(inviter)s invites you to organise “%(event)s” with them on facilitate.",
            inviter=inviter.name,
            event=event.name,
        )
    else:
        subject = _("Your access to “%(event)s”", event=event.name)
        what = _(
            "%(inviter)s, who organises “%(event)s”, invites you to choose your password on facilitate, to accompany your team.",
            inviter=inviter.name,
            event=event.name,
        )
    body = "\n\n".join(
        [
            _("Hello %(name)s,", name=invitation.name),
            what,
            _("Follow this link to accept:"),
            url,
            _(
                "The link works once, until %(moment)s (%(zone)s).",
                moment=local_time(invitation.expires_at, invitation.event.timezone),
                zone=timezone_name(invitation.event.timezone),
            ),
            _(
                "If you did not expect this message, ignore it: nothing happens without you following the link."
            ),
        ]
    )
    return make_message(invitation.email, subject, body + "\n")


def reset_email(user: User, url: str) -> EmailMessage:
    body = "\n\n".join(
        [
            _("Hello %(name)s,", name=user.name),
            _("Someone, probably you, asked to choose a new password for your facilitate account."),
            _("Follow this link to choose it:"),
            url,
            _(
                "The link works once, for %(minutes)d minutes. Choosing a new password signs you out everywhere else.",
                minutes=RESET_MAX_AGE // 60,
            ),
            _("If you did not ask for it, ignore this message: your password stays as it is."),
        ]
    )
    return make_message(user.email, _("Choose a new password"), body + "\n")
