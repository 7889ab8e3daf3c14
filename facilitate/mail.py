"""Email through the SMTP server named by the MAIL_* settings (see config.py), with the standard
library only. Without MAIL_SERVER nothing is ever sent and ``mail_enabled`` says so, so that pages
can offer another way (a link to copy, a QR code to print).
"""

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

from flask import current_app

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int
    use_tls: bool
    use_ssl: bool
    username: str | None
    password: str | None
    sender: str
    timeout: float

    @classmethod
    def from_config(cls, config) -> "MailSettings":
        host = urlsplit(config["BASE_URL"]).hostname or "localhost"
        return cls(
            server=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            use_tls=bool(config["MAIL_USE_TLS"]),
            use_ssl=bool(config["MAIL_USE_SSL"]),
            username=config["MAIL_USERNAME"] or None,
            password=config["MAIL_PASSWORD"] or None,
            sender=config["MAIL_FROM"] or f"facilitate <noreply@{host}>",
            timeout=float(config["MAIL_TIMEOUT"]),
        )


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def make_message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the platform's sender (UTF-8, quoted-printable as needed)."""
    settings = MailSettings.from_config(current_app.config)
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or None
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=domain)
    # Tells mail servers and out-of-office robots not to answer a machine.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def _deliver(settings: MailSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    try:
        if settings.use_ssl:
            smtp = smtplib.SMTP_SSL(
                settings.server, settings.port, timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.server, settings.port, timeout=settings.timeout)
        with smtp:
            if settings.use_tls and not settings.use_ssl:
                smtp.starttls(context=context)
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(str(error)) from error


def send(message: EmailMessage) -> None:
    """Hand the message to the SMTP server now; raises MailError if it cannot."""
    _deliver(MailSettings.from_config(current_app.config), message)


def send_in_background(message: EmailMessage) -> None:
    """Hand the message over from another thread, so that the request takes the same time
    whether or not a message was sent (a "forgotten password" page must not reveal, by its
    speed, that an account exists). Failures are logged."""
    settings = MailSettings.from_config(current_app.config)

    def deliver():
        try:
            _deliver(settings, message)
        except MailError:
            log.exception("Could not send a message to %s", message["To"])

    threading.Thread(target=deliver, name="facilitate-mail", daemon=True).start()
