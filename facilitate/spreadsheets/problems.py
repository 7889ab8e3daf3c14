"""What is wrong with an imported file, said so that the organiser finds it in their spreadsheet."""

from dataclasses import dataclass

from flask_babel import gettext as _

# Rows looked at, in each sheet, for the header line: title rows and notes come before it. Where
# a header line further down would not be found, nor an error about one.
HEADER_SEARCH_ROWS = 20


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is meant for the organiser."""


@dataclass(frozen=True)
class Problem:
    """Something to fix in an imported file, located as the organiser will look for it.

    ``line`` is the row number their spreadsheet program shows (None: the file as a whole);
    ``column`` is the column's header as written in the file (None: the whole line).
    """

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if not self.column:
            return _("Line %(line)d: %(message)s", line=self.line, message=self.message)
        return _(
            "Line %(line)d, column “%(column)s”: %(message)s",
            line=self.line,
            column=self.column,
            message=self.message,
        )


def encrypted_file() -> str:
    """Said of any workbook protected by a password, whatever its format."""
    return _(
        "This file is protected by a password: save it without a password in Excel or LibreOffice, then send it again."
    )


class MissingSheet(SpreadsheetError):
    """The workbook has no sheet of the names asked for."""


class NoSheets(MissingSheet):
    """A CSV file, asked for a sheet of a workbook."""


def not_a_spreadsheet() -> str:
    return _(
        "This file is not a spreadsheet. Please send an XLSX, ODS or CSV file (Excel, LibreOffice)."
    )


def invalid_workbook(kind: str) -> str:
    """Said of a damaged workbook, or of something else under a workbook's name."""
    return _("This file is not a valid %(format)s workbook.", format=kind.upper())
