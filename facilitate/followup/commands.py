"""``flask --app facilitate send-follow-up-reminders``: meant to run once a day (a cron line or
a systemd timer). Running it twice, or late, sends nothing twice (see reminders.py)."""

from datetime import datetime

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from facilitate.followup.reminders import send_reminders
from facilitate.mail import mail_enabled
from facilitate.models._types import utcnow


@click.command("send-follow-up-reminders")
@with_appcontext
@click.option(
    "--now",
    "now_text",
    hidden=True,
    help="The moment to act as if it were (UTC, ISO 8601): for tests and catching up.",
)
def send_follow_up_reminders_command(now_text):
    """Email the challenge owners and team members whose event ended 3 or 6 months ago."""
    from facilitate.cli import _url_context

    if not mail_enabled():
        raise click.ClickException(
            _(
                "No mail server is configured (MAIL_SERVER): no reminder sent. People still see the invitation on their own page."
            )
        )
    try:
        now = datetime.fromisoformat(now_text).replace(tzinfo=None) if now_text else utcnow()
    except ValueError as error:
        raise click.ClickException(_("This moment is not a date and time.")) from error
    with _url_context():
        report = send_reminders(now)
    click.echo(ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", report.sent))
    if report.failed:
        raise click.ClickException(
            ngettext(
                "%(num)d reminder could not be sent; it will be tried again on the next run.",
                "%(num)d reminders could not be sent; they will be tried again on the next run.",
                report.failed,
            )
        )


COMMANDS = (send_follow_up_reminders_command,)
