"""What checking an attendee file finds: each row read, and the whole file's verdict (problems,
what changes, how rows were matched), shared by the checking, the matching and the writing."""

from collections import Counter
from dataclasses import dataclass, field

from facilitate.models import Role
from facilitate.spreadsheets.columns import ColumnReport
from facilitate.spreadsheets.preview import RowChange
from facilitate.spreadsheets.problems import Problem


@dataclass
class AttendeeRow:
    line: int
    name: str
    email: str | None
    organisation: str | None
    challenge_number: int | None
    # None: the file leaves the person's team role as it is.
    role: Role | None = None
    co_organiser: bool = False
    # The attendance this row updates, and how it was found: "id", "email" or "name".
    attendance_id: int | None = None
    matched_by: str | None = None
    # The last name when the file gives it in a column of its own (lists sort by it).
    family_name: str | None = None


@dataclass
class AttendeeImport:
    rows: list[AttendeeRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    report: ColumnReport | None = None
    # The fields the file has a column for.
    columns: tuple[str, ...] = ()
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    # Rows matched by identifier, email, or name and organisation.
    matched: Counter = field(default_factory=Counter)
    # Identifiers the event does not have (a file from another event): those rows are matched
    # by email or name instead.
    foreign_ids: int = 0
    # Rows that say co-organiser for someone who is not one: told, not granted.
    not_organisers: list[str] = field(default_factory=list)
    # Accounts this event alone manages (no password, no other event): their name follows
    # this event's, and their email may be corrected here (account id -> new email).
    managed_accounts: set[int] = field(default_factory=set)
    email_changes: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)
