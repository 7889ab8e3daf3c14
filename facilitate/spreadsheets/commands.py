"""The imports from the command line: the same checks, column report and preview as the web
pages, printed; nothing is written when a row has a problem, or with ``--dry-run``."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    check_challenge_file,
)
from facilitate.cli import event_or_fail
from facilitate.extensions import db
from facilitate.people.spreadsheet import (
    check_attendee_file,
    describe_attendee_import,
    import_attendees,
)


def _preview(checked, file: Path, lines: list[str]) -> None:
    """The column report and what will change, or every problem (then stop)."""
    report = checked.report
    if report is not None:
        click.echo(report.where)
        for column in report.columns:
            if column.ignored:
                click.echo(f"  {column.letter} “{column.header}”: {column.note}", err=True)
            else:
                click.echo(f"  {column.letter} “{column.header}” → {column.field}")
    if checked.problems:
        for problem in checked.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            ngettext(
                "Nothing imported: %(num)d problem in %(file)s.",
                "Nothing imported: %(num)d problems in %(file)s.",
                len(checked.problems),
                file=file.name,
            )
        )
    for line in lines:
        click.echo(line)
    for change in checked.changes:
        click.echo(f"  {change}")


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_DRY_RUN = click.option(
    "--dry-run", is_flag=True, help="Check the file and show what would change; write nothing."
)


@click.command("import-participants")
@with_appcontext
@click.argument("event_slug")
@click.argument("file", type=_FILE)
@_DRY_RUN
def import_participants_command(event_slug, file: Path, dry_run: bool):
    """Import attendees from an ODS, XLSX or CSV file (name; optional identifier, email,
    organisation, role, challenge).

    Every row is checked first; if any row has a problem, each is listed and nothing is imported.
    """
    event = event_or_fail(event_slug)
    checked = check_attendee_file(event, file.read_bytes(), file.name)
    _preview(checked, file, describe_attendee_import(event, checked) if checked.ok else [])
    if dry_run:
        return
    result = import_attendees(event, checked)
    db.session.commit()
    click.echo(
        ngettext(
            "%(num)d attendee imported into %(event)s.",
            "%(num)d attendees imported into %(event)s.",
            len(checked.rows),
            event=event.name,
        )
    )
    click.echo(_("New accounts: %(num)d", num=result.created))
    click.echo(_("Already known (updated): %(num)d", num=result.updated))
    click.echo(_("Placed in a team: %(num)d", num=result.placed))


@click.command("import-challenges")
@with_appcontext
@click.argument("event_slug")
@click.argument("file", type=_FILE)
@_DRY_RUN
def import_challenges_command(event_slug, file: Path, dry_run: bool):
    """Import challenge sheets from an ODS, XLSX or CSV file (one row per challenge: number and
    question, optional owner, theme and its colour, lists...).

    Every row is checked first; if any row has a problem, each is listed and nothing is imported.
    """
    event = event_or_fail(event_slug)
    checked = check_challenge_file(event, file.read_bytes(), file.name)
    _preview(checked, file, [])
    if dry_run:
        return
    result = import_challenges(event, checked)
    db.session.commit()
    click.echo(
        _(
            "Import done. Challenges created: %(created)d; updated: %(updated)d.",
            created=result.created,
            updated=result.updated,
        )
    )


COMMANDS = (import_participants_command, import_challenges_command)
