"""Commands for people who run the platform: ``flask --app facilitate <command>``."""

import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_migrate import upgrade
from sqlalchemy import select

from facilitate.accounts.passwords import check_new_password
from facilitate.api.auth import TokenError, issue_api_token
from facilitate.auth.services import AccountError, create_organiser
from facilitate.backup import BackupError, create_backup, restore_backup
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import Event, Membership, Role
from facilitate.people.codes import access_code_table
from facilitate.privacy.services import (
    erasable_count,
    has_ended,
    purge_personal_data,
)
from facilitate.spreadsheets.writing import write_csv
from facilitate.workspace.photos import clean_stored_photos


def event_or_fail(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(_("No event has the identifier “%(slug)s”.", slug=slug))
    return event


def _url_context():
    """Links printed outside a request (badges, CSV) point at the configured public address."""
    base = urlsplit(current_app.config["BASE_URL"])
    return current_app.test_request_context(
        "/", base_url=f"{base.scheme}://{base.netloc}{base.path.rstrip('/')}"
    )


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the database, or bring it up to date, with the migrations."""
    upgrade()
    click.echo(_("The database is up to date."))


@click.command("create-organiser")
@with_appcontext
@click.argument("email")
@click.option(
    "--password", help="Password to set; a random one is generated and printed if omitted."
)
@click.option("--name", help="Name shown in the interface.")
@click.option("--event", "event_slug", help="Also make them an organiser of this event.")
def create_organiser_command(email, password, name, event_slug):
    """Create an organiser account (or promote an existing one) who may then create events."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        if not generated:
            # The same rules as a password chosen in the browser.
            check_new_password(password, email=email, name=name)
        user = create_organiser(email, password, name=name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    if event_slug:
        event = event_or_fail(event_slug)
        exists = db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.event_id == event.id,
                Membership.role == Role.ORGANISER,
            )
        )
        if exists is None:
            db.session.add(Membership(user=user, event=event, role=Role.ORGANISER))
    db.session.commit()
    click.echo(_("Organiser account ready: %(email)s", email=user.email))
    if generated:
        click.echo(_("Password: %(password)s", password=password))


@click.command("create-token")
@with_appcontext
@click.argument("email")
def create_token_command(email):
    """Create a JSON API token for an organiser and print it, once: only its digest is kept.

    The token alone goes to standard output, so that a script can capture it; the explanation
    goes to standard error.
    """
    try:
        user, token = issue_api_token(email)
    except TokenError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(
        _(
            "API token for %(email)s. It is shown only this once: keep it like a password.",
            email=user.email,
        ),
        err=True,
    )
    click.echo(token)


@click.command("export-codes")
@with_appcontext
@click.argument("event_slug")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: standard output).",
)
def export_codes_command(event_slug, output: Path | None):
    """Write the participants' access codes and sign-in links as CSV, for badges and mail merge."""
    event = event_or_fail(event_slug)
    with _url_context():
        headers, rows = access_code_table(event)
    db.session.commit()  # codes issued to people who had none
    data = write_csv(headers, rows)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        click.echo(
            ngettext(
                "%(num)d participant written to %(file)s.",
                "%(num)d participants written to %(file)s.",
                len(rows),
                file=output,
            ),
            err=True,
        )


@click.command("clean-photos")
@with_appcontext
def clean_photos_command():
    """Remove the metadata (GPS position, device, date...) of the prototype photos stored before
    uploads were cleaned, and turn them upright. Safe to run again: clean photos are left as
    they are."""
    report = clean_stored_photos()
    db.session.commit()  # sizes brought in line with the cleaned files
    click.echo(
        ngettext(
            "%(num)d photo cleaned: its metadata removed, turned upright.",
            "%(num)d photos cleaned: their metadata removed, turned upright.",
            report.cleaned,
        )
    )
    click.echo(
        ngettext(
            "%(num)d photo was already clean.",
            "%(num)d photos were already clean.",
            report.already_clean,
        )
    )
    for row, reason in report.failed:
        click.echo(
            _(
                "Not cleaned: “%(name)s” (file %(id)d, stored as %(storage)s): %(reason)s",
                name=row.original_name,
                id=row.id,
                storage=row.storage_name,
                reason=reason,
            ),
            err=True,
        )
    if report.failed:
        raise click.ClickException(
            ngettext(
                "%(num)d photo could not be cleaned, and is not served: its team may delete it from the workspace and add a sound copy.",
                "%(num)d photos could not be cleaned, and are not served: their teams may delete them from the workspace and add sound copies.",
                len(report.failed),
            )
        )


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path):
    """Write the database and the uploaded files into one archive (.tar.gz), with a manifest of
    row counts and checksums. Safe while the app is serving."""
    try:
        manifest = create_backup(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        _(
            "Backup written to %(file)s (tables: %(tables)d, rows: %(rows)d, uploaded files: "
            "%(uploads)d).",
            file=file,
            tables=len(manifest["row_counts"]),
            rows=sum(manifest["row_counts"].values()),
            uploads=len(manifest["files"]) - 1,
        )
    )


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(file: Path, force: bool):
    """Restore an archive written by ``backup`` into an empty instance, then run the migrations.

    The archive's checksums are verified before anything is changed."""
    try:
        report = restore_backup(file, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(_("Rows per table, restored / in the archive:"))
    for table, count in report.counts.items():
        click.echo(f"  {table}: {count} / {report.expected[table]}")
    click.echo(_("Uploaded files restored: %(num)d", num=report.uploads))
    if report.mismatches:
        raise click.ClickException(
            _(
                "Restored, but these tables do not hold as many rows as the archive says: "
                "%(tables)s",
                tables=", ".join(report.mismatches),
            )
        )
    click.echo(_("Restored; the database is at migration %(revision)s.", revision=report.revision))


@click.command("purge-personal-data")
@with_appcontext
@click.argument("event_slug")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--force", is_flag=True, help="Purge even though the event has not ended.")
def purge_personal_data_command(event_slug, yes: bool, force: bool):
    """Erase the personal data of every attendee of an event that is over (names,
    organisations, access codes, accounts only this event used); the teams' work, ballots and
    results stay, without names. Cannot be undone."""
    event = event_or_fail(event_slug)
    if not force and not has_ended(event):
        raise click.ClickException(
            _(
                "“%(name)s” has not ended (or has no end date): nothing was purged. "
                "Add --force to purge it anyway.",
                name=event.name,
            )
        )
    count = erasable_count(event)
    if not yes:
        click.confirm(
            ngettext(
                "Erase for good the personal data of %(num)d attendee of “%(name)s”?",
                "Erase for good the personal data of %(num)d attendees of “%(name)s”?",
                count,
                name=event.name,
            ),
            abort=True,
        )
    try:
        erased = purge_personal_data(event, None, force=force)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(ngettext("%(num)d attendee erased.", "%(num)d attendees erased.", erased))


def init_app(app: Flask) -> None:
    # Imported here: the import commands use this module's helpers.
    from facilitate.book.commands import build_book_command
    from facilitate.demo.commands import COMMANDS as DEMO_COMMANDS
    from facilitate.followup.commands import COMMANDS as FOLLOW_UP_COMMANDS
    from facilitate.spreadsheets.commands import COMMANDS as SPREADSHEET_COMMANDS

    for command in (
        *SPREADSHEET_COMMANDS,
        *DEMO_COMMANDS,
        *FOLLOW_UP_COMMANDS,
        init_db_command,
        create_organiser_command,
        create_token_command,
        export_codes_command,
        clean_photos_command,
        backup_command,
        restore_command,
        purge_personal_data_command,
        build_book_command,
    ):
        app.cli.add_command(command)
