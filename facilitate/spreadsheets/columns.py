"""Which column of a file fills which field, whatever language or spelling its header uses, and
the column report that says so before anything is imported.

Organisers' files come from their own templates: "Structure porteuse", "Adresse mail",
"Thématique"... A column the import does not recognise is reported as ignored, never dropped
without a word, so that a misspelt header is caught before the data it holds is lost.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from facilitate.spreadsheets.problems import Problem, SpreadsheetError
from facilitate.spreadsheets.reading import read_table
from facilitate.spreadsheets.table import Table, cell_reference, column_letter, header_key


def match_columns(headers: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Which column holds each known field, whatever language or spelling the header uses; the
    first column wins when two name the same field."""
    wanted = {header_key(alias): name for name, names in aliases.items() for alias in names}
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        name = wanted.get(key) if key else None
        if name is not None and name not in found:
            found[name] = index
    return found


@dataclass(frozen=True)
class ReportedColumn:
    """One column of the file: its letter, its header as written, and the field it fills (in
    the reader's language), or why it is ignored."""

    letter: str
    header: str
    field: str | None
    note: str | None = None
    # A column our own export writes for reading only (the follow-up beside the challenges):
    # not imported either, but nothing to check, so not counted in the warning.
    written_for_reading: bool = False

    @property
    def ignored(self) -> bool:
        return self.field is None

    @property
    def unexpected(self) -> bool:
        return self.ignored and not self.written_for_reading


@dataclass
class ColumnReport:
    """What the preview says of the file's shape: which sheet was read and where its header
    line is, then each column and what it fills."""

    columns: list[ReportedColumn]
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    header_line: int = 1

    @property
    def ignored(self) -> list[ReportedColumn]:
        return [column for column in self.columns if column.ignored]

    @property
    def unexpected(self) -> list[ReportedColumn]:
        """The ignored columns worth a warning: what the export writes for reading is not."""
        return [column for column in self.columns if column.unexpected]

    @property
    def where(self) -> str:
        """ "Sheet “Défis” (2nd of 2), header line 3", or only the line for a CSV."""
        if self.sheet is None or len(self.sheet_names) <= 1:
            return _("Header line: line %(line)d.", line=self.header_line)
        return _(
            "Sheet “%(sheet)s” (sheet %(position)d of %(count)d), header line: line %(line)d.",
            sheet=self.sheet,
            position=self.sheet_names.index(self.sheet) + 1,
            count=len(self.sheet_names),
            line=self.header_line,
        )


@dataclass
class OpenedTable:
    """A file read and its columns matched, ready for a feature to check row by row."""

    table: Table
    columns: dict[str, int]
    report: ColumnReport

    def header(self, name: str) -> str | None:
        """A field's column as the file's own header line names it, for problems."""
        index = self.columns.get(name)
        return None if index is None else self.table.headers[index]


def open_table(
    data: bytes,
    filename: str,
    *,
    aliases: dict[str, tuple[str, ...]],
    labels: dict[str, str],
    required: Sequence[str | tuple[str, ...]],
    example: str,
    no_rows: str,
    problems: list[Problem],
    for_reading: dict[str, tuple[str, ...]] | None = None,
    table: Table | None = None,
) -> OpenedTable | None:
    """Read a file, find its header line (below title rows, on the first sheet that has one),
    match its columns, and say in ``problems`` what stops the import as a whole: an unreadable
    file, a required column missing, no row below the header, formulas without a value.

    ``required`` names the fields without which no row can be read; a tuple is a choice (any
    one of them will do). ``labels`` names each field in the reader's language; ``example`` is a header line to
    show when required columns are missing; ``no_rows`` what to say when the file is empty.
    ``for_reading`` holds the headers (by the note to show beside them) that the feature's own
    export writes for reading only: they are left aside without a warning.
    ``table``: the file's table read already (a site's rows of an edition workbook); ``data``
    is not read again.
    Returns None when nothing more can be checked.
    """

    choices = [(names,) if isinstance(names, str) else names for names in required]

    def lacking(columns: dict[str, int]) -> list[str]:
        return [names[0] for names in choices if not any(name in columns for name in names)]

    def recognise(headers: list[str]) -> bool:
        return not lacking(match_columns(headers, aliases))

    try:
        if table is None:
            table = read_table(data, filename, recognise=recognise)
    except SpreadsheetError as error:
        problems.append(Problem(None, None, str(error)))
        return None
    columns = match_columns(table.headers, aliases)
    report = column_report(table, columns, aliases, labels, for_reading or {})
    missing = [labels[name] for name in lacking(columns)]
    if missing:
        problems.append(
            Problem(
                None,
                None,
                ngettext(
                    "Missing column: %(missing)s. A line must name the columns, for example: "
                    "%(example)s.",
                    "Missing columns: %(missing)s. A line must name the columns, for example: "
                    "%(example)s.",
                    len(missing),
                    missing=", ".join(missing),
                    example=example,
                ),
            )
        )
        return None
    opened = OpenedTable(table=table, columns=columns, report=report)
    used = {index: name for name, index in columns.items()}
    for line, index in table.formulas_without_value:
        if index in used:
            problems.append(
                Problem(
                    line,
                    table.headers[index],
                    _(
                        "cell %(cell)s holds a formula saved without its value: recalculate, "
                        "then save the file again (in LibreOffice: Data > Calculate > "
                        "Recalculate Hard; in Excel: Ctrl+Alt+F9).",
                        cell=cell_reference(line, index),
                    ),
                )
            )
    if not table.rows:
        problems.append(Problem(None, None, no_rows))
    return opened


def column_report(
    table: Table,
    columns: dict[str, int],
    aliases: dict[str, tuple[str, ...]],
    labels: dict[str, str],
    for_reading: dict[str, tuple[str, ...]],
) -> ColumnReport:
    used = {index: name for name, index in columns.items()}
    known = {header_key(alias): name for name, names in aliases.items() for alias in names}
    read_only = {
        header_key(header): note for note, headers in for_reading.items() for header in headers
    }
    reported = []
    for index, header in enumerate(table.headers):
        letter = column_letter(index)
        name = used.get(index)
        if name is not None:
            reported.append(ReportedColumn(letter, header, labels.get(name, name)))
            continue
        if index in table.read_apart:
            note = table.read_apart[index]
            reported.append(ReportedColumn(letter, header, None, note, written_for_reading=True))
            continue
        if not header.strip():
            if any(index < len(cells) and cells[index].strip() for _line, cells in table.rows):
                note = _("This column has no header: its cells are not imported.")
                reported.append(ReportedColumn(letter, "", None, note))
            continue
        if header_key(header) in read_only:
            note = read_only[header_key(header)]
            reported.append(ReportedColumn(letter, header, None, note, written_for_reading=True))
            continue
        twin = known.get(header_key(header))
        if twin is not None and twin in columns:
            note = _(
                "Column %(letter)s already fills this field: this one is not imported.",
                letter=column_letter(columns[twin]),
            )
        else:
            note = _("Not a column this import knows: its cells are not imported.")
        reported.append(ReportedColumn(letter, header, None, note))
    return ColumnReport(
        columns=reported,
        sheet=table.sheet,
        sheet_names=table.sheet_names,
        header_line=table.header_line,
    )
