"""``flask build-book``: a book built by the command line, where the application's processes
should not build in threads (or to build every book the night after the event)."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.book import builds
from facilitate.book.storage import pdf_path
from facilitate.cli import _url_context, event_or_fail
from facilitate.extensions import db
from facilitate.models import BookStatus, Challenge


@click.command("build-book")
@with_appcontext
@click.argument("event_slug")
@click.option("--challenge", "number", type=int, help="Only this challenge's book.")
@click.option("--language", default="fr", show_default=True, type=click.Choice(["fr", "en"]))
def build_book_command(event_slug: str, number: int | None, language: str):
    """Build the whole book of an event (or one challenge's), unless it is up to date."""
    event = event_or_fail(event_slug)
    challenge = None
    if number is not None:
        challenge = db.session.scalar(
            select(Challenge).where(Challenge.event_id == event.id, Challenge.number == number)
        )
        if challenge is None:
            raise click.ClickException(_("This event has no challenge %(number)d.", number=number))
    with _url_context():
        build = builds.request_build(event, challenge, language, background=False)
        db.session.refresh(build)
    if build.status != BookStatus.DONE:
        raise click.ClickException(build.error or build.status.value)
    click.echo(pdf_path(build))
