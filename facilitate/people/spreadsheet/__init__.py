"""The attendee list as a spreadsheet, both ways: everything checked first, then all rows written
or none. The command line and the organisers' web pages share this code.

The export writes what the import reads back unchanged: an identifier (the attendance's), the
name and organisation this event prints, the email, the role and the team's challenge number.
A row is matched to someone the event has by that identifier, then by email, then, for people
without an email, by name and organisation; the preview says which. A person's account stays
theirs (see ``people/attendance.py``): this file changes this event's record of them, and the
account's email only where the event alone manages the account.
"""

from facilitate.people.spreadsheet.checking import AttendeeImport, AttendeeRow, check_attendee_file
from facilitate.people.spreadsheet.columns import COLUMNS, ROLE_WORDS, export_headers, role_words
from facilitate.people.spreadsheet.describe import (
    KnownPeople,
    describe_attendee_import,
    known_people,
)
from facilitate.people.spreadsheet.writing import (
    ImportResult,
    attendee_headers,
    attendee_rows,
    attendee_rows_of,
    attendee_table,
    import_attendees,
)

__all__ = [
    "COLUMNS",
    "ROLE_WORDS",
    "AttendeeImport",
    "AttendeeRow",
    "ImportResult",
    "KnownPeople",
    "attendee_headers",
    "attendee_rows",
    "attendee_rows_of",
    "attendee_table",
    "check_attendee_file",
    "describe_attendee_import",
    "export_headers",
    "import_attendees",
    "known_people",
    "role_words",
]
