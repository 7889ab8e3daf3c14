"""An edition's challenges and attendees in one workbook, both ways (issue 15).

The workbook has a sheet of challenges and a sheet of attendees, each the per-event export's
columns after a first Site column naming the site's event (its address when two sites share a
name). The import reads both sheets, dispatches each row to the site its Site cell names
(whatever the case and accents), and runs that site's own checks on its rows
(``check_challenge_file``, ``check_attendee_file``), so that every site's rules apply as in its
own import. A row naming no site of the edition stops the whole import: those rows are listed
and nothing is written. The confirmed import writes every site, challenges before attendees, in
the request's one transaction.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.audit.services import record_edition
from facilitate.challenges.export import (
    challenge_headers,
    challenge_rows,
)
from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    ChallengeImport,
    check_challenge_file,
)
from facilitate.extensions import db
from facilitate.models import Edition, Event
from facilitate.people.spreadsheet import (
    AttendeeImport,
    attendee_headers,
    attendee_rows_of,
    check_attendee_file,
    import_attendees,
)
from facilitate.spreadsheets.cells import cell
from facilitate.spreadsheets.columns import match_columns
from facilitate.spreadsheets.problems import MissingSheet, NoSheets, Problem, SpreadsheetError
from facilitate.spreadsheets.reading import read_table
from facilitate.spreadsheets.table import header_key

# The Site column's headers the import knows, in French and English.
SITE_ALIASES = {"site": ("Site", "Site de l’édition", "Edition site", "Événement", "Event")}
# Sheet names the import knows whatever the language of the export (the export names them
# through Babel: "Défis" and "Participants" in French).
CHALLENGE_SHEETS = ("Défis", "Challenges")
ATTENDEE_SHEETS = ("Participants", "Attendees")


def site_events(edition: Edition) -> list[Event]:
    return list(
        db.session.scalars(
            select(Event).where(Event.edition_id == edition.id).order_by(Event.name, Event.id)
        )
    )


def site_key(name: str) -> str:
    """Site names as typed again: "AIX EN PROVENCE" is "Aix-en-Provence" (case, accents,
    spaces and hyphens)."""
    return header_key(name).replace(" ", "")


def site_labels(sites: list[Event]) -> dict[int, str]:
    """What the Site column says of each site: its name, or its address (slug) when another
    site of the edition has the same name, so that each line names one site only."""
    counts: dict[str, int] = {}
    for event in sites:
        counts[site_key(event.name)] = counts.get(site_key(event.name), 0) + 1
    return {
        event.id: event.name if counts[site_key(event.name)] == 1 else event.slug for event in sites
    }


def edition_sheets(edition: Edition) -> list[tuple[str, list[str], Iterator[list]]]:
    """The workbook's sheets (title, headers, rows): each site's export, site after site, its
    rows read when the sheet is written."""
    sites = site_events(edition)
    labels = site_labels(sites)

    site_ids = [event.id for event in sites]

    def challenges():  # one query, and two for the attendees, whatever the number of sites
        rows = challenge_rows(site_ids)
        for event in sites:
            for row in rows.get(event.id, []):
                yield [labels[event.id], *row]

    def attendees():
        for event_id, row in attendee_rows_of(site_ids):
            yield [labels[event_id], *row]

    site = _("Site")
    return [
        (_("Challenges"), [site, *challenge_headers()], challenges()),
        (_("Attendees"), [site, *attendee_headers()], attendees()),
    ]


@dataclass(frozen=True)
class UnknownSite:
    """A row whose Site cell names no site of the edition (or is empty)."""

    sheet: str
    line: int
    value: str


@dataclass
class SiteImport:
    event: Event
    challenges: ChallengeImport | None = None
    attendees: AttendeeImport | None = None

    @property
    def checks(self) -> list:
        return [checked for checked in (self.challenges, self.attendees) if checked is not None]

    @property
    def ok(self) -> bool:
        return all(checked.ok for checked in self.checks)


@dataclass
class EditionImport:
    sites: list[SiteImport] = field(default_factory=list)
    # What stops the workbook as a whole (unreadable, no Site column, no sheet of ours).
    problems: list[Problem] = field(default_factory=list)
    unknown: list[UnknownSite] = field(default_factory=list)
    # Sheets the workbook does not have (its other sheet is imported alone).
    missing_sheets: list[str] = field(default_factory=list)
    # What the shared import page reads: the sections per site say the rest.
    report = None
    changes: tuple = ()

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and not self.unknown
            and bool(self.sites)
            and all(site.ok for site in self.sites)
        )


def check_edition_workbook(edition: Edition, data: bytes, filename: str) -> EditionImport:
    """Read both sheets, dispatch their rows by site and check each site's rows by its own
    rules; nothing is written."""
    result = EditionImport()
    events = site_events(edition)
    # A site by its label (a name two sites share names neither), then by its address.
    labels = site_labels(events)
    by_name = {site_key(labels[event.id]): event for event in events}
    for event in events:
        by_name.setdefault(site_key(event.slug), event)
    sites = {event.id: SiteImport(event) for event in events}
    kinds: list[tuple[str, tuple[str, ...], Callable, str]] = [
        (_("Challenges"), CHALLENGE_SHEETS, check_challenge_file, "challenges"),
        (_("Attendees"), ATTENDEE_SHEETS, check_attendee_file, "attendees"),
    ]
    for title, names, check, attribute in kinds:
        try:
            table = read_table(
                data,
                filename,
                recognise=lambda headers: "site" in match_columns(headers, SITE_ALIASES),
                sheets=(title, *names),
            )
        except MissingSheet as error:
            if not isinstance(error, NoSheets):
                result.missing_sheets.append(title)
                continue
            result.problems.append(Problem(None, None, str(error)))
            return result
        except SpreadsheetError as error:
            result.problems.append(Problem(None, None, str(error)))
            return result
        site_column = match_columns(table.headers, SITE_ALIASES).get("site")
        if site_column is None:
            result.problems.append(
                Problem(
                    None,
                    None,
                    _(
                        "The sheet “%(sheet)s” has no “%(column)s” column: each line must name "
                        "its site.",
                        sheet=table.sheet,
                        column=_("Site"),
                    ),
                )
            )
            continue
        table.read_apart = {
            site_column: _("Site: each line goes to the import of the site it names.")
        }
        rows: dict[int, list[tuple[int, list[str]]]] = {}
        for line, cells in table.rows:
            value = cell(cells, site_column)
            event = by_name.get(site_key(value)) if value else None
            if event is None:
                result.unknown.append(UnknownSite(table.sheet, line, value))
            else:
                rows.setdefault(event.id, []).append((line, cells))
        for event_id, site_rows in rows.items():
            lines = {line for line, _cells in site_rows}
            site_table = replace(
                table,
                rows=site_rows,
                formulas_without_value=[
                    (line, index) for line, index in table.formulas_without_value if line in lines
                ],
            )
            site = sites[event_id]
            setattr(site, attribute, check(site.event, data, filename, table=site_table))
    if len(result.missing_sheets) == len(kinds):
        result.problems.append(
            Problem(
                None,
                None,
                _(
                    "The workbook has no sheet named “%(challenges)s” or “%(attendees)s”: "
                    "export the edition’s workbook to start from its layout.",
                    challenges=_("Challenges"),
                    attendees=_("Attendees"),
                ),
            )
        )
    result.sites = [site for site in sites.values() if site.checks]
    return result


def import_edition_workbook(edition: Edition, checked: EditionImport, actor) -> tuple[int, int]:
    """Every site's rows, challenges before attendees (whose teams are the challenges');
    flushes, never commits. Returns the rows imported: (challenges, attendees). Each site's
    history notes its own import; the edition's notes the rows of each site."""
    challenges = attendees = 0
    per_site = []
    for site in checked.sites:
        counts = {"site": site.event.name, "challenges": 0, "attendees": 0}
        if site.challenges is not None:
            import_challenges(site.event, site.challenges, actor)
            counts["challenges"] = len(site.challenges.rows)
        if site.attendees is not None:
            import_attendees(site.event, site.attendees, actor)
            counts["attendees"] = len(site.attendees.rows)
        challenges += counts["challenges"]
        attendees += counts["attendees"]
        per_site.append(counts)
    record_edition(edition, actor, "workbook.imported", sites=per_site)
    return challenges, attendees


def workbook_hint() -> str:
    return _(
        "A workbook (XLSX or ODS) with a sheet “%(challenges)s” and a sheet “%(attendees)s”, "
        "each with the columns of a site’s own export after a first column “%(site)s” naming "
        "the line’s site. The edition’s export has this layout. Each site’s lines are checked "
        "by that site’s rules; a line naming no site of the edition stops the import.",
        challenges=_("Challenges"),
        attendees=_("Attendees"),
        site=_("Site"),
    )
