"""Challenge sheets in and out of a spreadsheet: the organisers' table of challenges, one row per
challenge, checked whole before anything is written, and the same table exported back.

The export's headers are ones the import recognises, in French and in English, and its list
cells follow ``join_list``: exporting then importing gives every field back unchanged.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitate.audit.services import record
from facilitate.challenges.services import MAX_CHALLENGE_NUMBER
from facilitate.extensions import db
from facilitate.models import LIST_FIELDS, Challenge, Event, Team, Theme
from facilitate.spreadsheets.cells import cell, join_list, split_list
from facilitate.spreadsheets.columns import match_columns
from facilitate.spreadsheets.problems import Problem, SpreadsheetError
from facilitate.spreadsheets.reading import read_table

# Header spellings met in organisers' files; case, accents and punctuation do not matter.
COLUMNS = {
    "number": (
        "Défi",
        "N°",
        "Numéro",
        "Numéro du défi",
        "number",
        "challenge",
        "challenge number",
        "#",
    ),
    "question": ("Question", "Intitulé", "Intitulé du défi", "question", "title"),
    "owner_organisation": (
        "Porteur",
        "Porteur du défi",
        "owner",
        "owner organisation",
        "owner organization",
        "challenge owner",
    ),
    "project_name": ("Projet", "Nom du projet", "project", "project name"),
    "territory": ("Territoire", "territory"),
    "stakes": ("Enjeux", "stakes"),
    "stakeholders": ("Parties prenantes", "stakeholders"),
    "users": ("Usagers", "users"),
    "obstacles": ("Obstacles", "Freins", "obstacles"),
    "levers": ("Leviers", "levers"),
    "theme": ("Thème", "theme"),
    "info_url": (
        "Lien",
        "Plus d'information",
        "Plus d'informations",
        "link",
        "url",
        "more information",
    ),
}
# The fields a file may set, in the sheet's order (the number identifies the challenge).
FIELDS = tuple(name for name in COLUMNS if name != "number")
TEXT_FIELDS = ("question", "owner_organisation", "project_name", "territory", "stakes", "info_url")
# The longest texts the database holds, read from the models.
MAX_LENGTHS = {
    name: Challenge.__table__.c[name].type.length
    for name in TEXT_FIELDS
    if getattr(Challenge.__table__.c[name].type, "length", None)
} | {"theme": Theme.__table__.c.name.type.length}


def export_headers() -> dict[str, str]:
    """The export's header for each column, in the reader's language."""
    return {
        "number": _("Challenge"),
        "question": _("Question"),
        "owner_organisation": _("Challenge owner"),
        "project_name": _("Project"),
        "territory": _("Territory"),
        "stakes": _("Stakes"),
        "stakeholders": _("Stakeholders"),
        "users": _("Users"),
        "obstacles": _("Obstacles"),
        "levers": _("Levers"),
        "theme": _("Theme"),
        "info_url": _("More information"),
    }


@dataclass
class ChallengeRow:
    line: int
    number: int
    question: str
    owner_organisation: str | None = None
    project_name: str | None = None
    territory: str | None = None
    stakes: str | None = None
    stakeholders: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    obstacles: list[str] = field(default_factory=list)
    levers: list[str] = field(default_factory=list)
    # As the event already names it, or as written for a theme the import will create.
    theme: str | None = None
    info_url: str | None = None


@dataclass
class ChallengeImport:
    rows: list[ChallengeRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The fields the file has a column for. A field without a column is left as it is on the
    # challenges the file updates.
    columns: tuple[str, ...] = ()
    # Themes the import will create, as first written in the file.
    new_themes: list[str] = field(default_factory=list)
    # Challenge numbers the import will create, update, or find already as the file says.
    creates: list[int] = field(default_factory=list)
    updates: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


@dataclass
class ChallengeImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    themes_created: list[str] = field(default_factory=list)


def theme_key(name: str) -> str:
    """Theme names match whatever their case or spacing: "mobilités " is "Mobilités"."""
    return " ".join(name.split()).casefold()


def check_challenge_file(event: Event, data: bytes, filename: str) -> ChallengeImport:
    """Read and check every row, and say what importing it would do; nothing is written."""
    result = ChallengeImport()
    try:
        table = read_table(data, filename)
    except SpreadsheetError as error:
        result.problems.append(Problem(None, None, str(error)))
        return result

    columns = match_columns(table.headers, COLUMNS)
    missing = [
        label
        for key, label in (("number", _("Challenge")), ("question", _("Question")))
        if key not in columns
    ]
    if missing:
        result.problems.append(
            Problem(
                None,
                None,
                ngettext(
                    "Missing column: %(missing)s. The first line must name the columns, "
                    "for example: Challenge;Question;Challenge owner;Theme.",
                    "Missing columns: %(missing)s. The first line must name the columns, "
                    "for example: Challenge;Question;Challenge owner;Theme.",
                    len(missing),
                    missing=", ".join(missing),
                ),
            )
        )
        return result
    if not table.rows:
        result.problems.append(
            Problem(None, None, _("The file has no challenge below its header line."))
        )
        return result

    result.columns = tuple(name for name in FIELDS if name in columns)
    headers = {key: table.headers[index] for key, index in columns.items()}
    theme_names = dict(
        db.session.execute(select(Theme.id, Theme.name).where(Theme.event_id == event.id)).all()
    )
    known_themes = {theme_key(name): name for name in theme_names.values()}
    new_themes: dict[str, str] = {}
    seen_numbers: dict[int, int] = {}
    for line, cells in table.rows:
        row, problems = _check_row(line, cells, columns, headers, seen_numbers)
        result.problems.extend(problems)
        if row is None:
            continue
        if row.theme is not None:
            key = theme_key(row.theme)
            if key in known_themes:
                row.theme = known_themes[key]
            else:
                row.theme = new_themes.setdefault(key, row.theme)
        result.rows.append(row)
    result.new_themes = list(new_themes.values())

    existing = {
        challenge.number: challenge
        for challenge in db.session.scalars(
            select(Challenge).where(
                Challenge.event_id == event.id, Challenge.number.in_(list(seen_numbers))
            )
        )
    }
    for row in result.rows:
        challenge = existing.get(row.number)
        if challenge is None:
            result.creates.append(row.number)
        elif _changes(challenge, row, result.columns, theme_names.get(challenge.theme_id)):
            result.updates.append(row.number)
        else:
            result.unchanged.append(row.number)
    return result


def _check_row(line, cells, columns, headers, seen_numbers):
    problems = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(line, headers[key], message))

    number = None
    number_text = cell(cells, columns["number"])
    if not number_text:
        problem("number", _("the challenge number is empty."))
    elif not (
        number_text.isascii()
        and number_text.isdecimal()
        and len(number_text) <= len(str(MAX_CHALLENGE_NUMBER))
        and 0 < int(number_text) <= MAX_CHALLENGE_NUMBER
    ):
        problem("number", _("“%(value)s” is not a challenge number.", value=number_text))
    elif int(number_text) in seen_numbers:
        problem(
            "number",
            _(
                "challenge %(number)d already appears on line %(other)d.",
                number=int(number_text),
                other=seen_numbers[int(number_text)],
            ),
        )
    else:
        number = int(number_text)
        seen_numbers[number] = line

    values: dict = {}
    for name in TEXT_FIELDS:
        values[name] = cell(cells, columns.get(name)) or None
    for name in LIST_FIELDS:
        index = columns.get(name)
        values[name] = split_list(cells[index]) if index is not None and index < len(cells) else []
    values["theme"] = " ".join(cell(cells, columns.get("theme")).split()) or None

    if values["question"] is None:
        problem("question", _("the question is empty."))
    for name, limit in MAX_LENGTHS.items():
        if values[name] is not None and len(values[name]) > limit:
            problem(name, _("this text is longer than %(n)d characters.", n=limit))
    url = values["info_url"]
    if url is not None and len(url) <= MAX_LENGTHS["info_url"] and not _is_web_address(url):
        problem(
            "info_url",
            _("“%(value)s” is not a web address starting with http:// or https://.", value=url),
        )

    if problems or number is None:
        return None, problems
    return ChallengeRow(line=line, number=number, **values), []


def _is_web_address(text: str) -> bool:
    if any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _same(current, new) -> bool:
    """An empty text and no text are the same; so are an empty list and no list."""
    return (current or None) == (new or None)


def _changes(
    challenge: Challenge, row: ChallengeRow, columns, current_theme: str | None
) -> list[str]:
    """The fields the row would change on an existing challenge."""
    changed = [
        name
        for name in columns
        if name != "theme" and not _same(getattr(challenge, name), getattr(row, name))
    ]
    if "theme" in columns and not _same(
        current_theme and theme_key(current_theme), row.theme and theme_key(row.theme)
    ):
        changed.append("theme")
    return changed


def import_challenges(event: Event, checked: ChallengeImport, actor=None) -> ChallengeImportResult:
    """Write a checked file, all rows or none: creates the missing themes, creates the new
    challenges with their team, and gives existing ones (same number) exactly the file's
    values in every column it has. Flushes, never commits; recorded in the event's history.
    """
    if not checked.ok:
        raise ValueError("import_challenges needs a file without problems")
    result = ChallengeImportResult()
    columns = checked.columns

    themes = {
        theme_key(theme.name): theme
        for theme in db.session.scalars(select(Theme).where(Theme.event_id == event.id))
    }
    position = 1 + max((theme.position for theme in themes.values()), default=-1)
    for row in checked.rows:
        if row.theme is not None and theme_key(row.theme) not in themes:
            theme = Theme(event_id=event.id, name=row.theme, position=position)
            db.session.add(theme)
            themes[theme_key(row.theme)] = theme
            result.themes_created.append(row.theme)
            position += 1
    if result.themes_created:
        db.session.flush()  # their ids, for the challenges below

    existing = {
        challenge.number: challenge
        for challenge in db.session.scalars(
            select(Challenge)
            .options(joinedload(Challenge.theme))
            .where(
                Challenge.event_id == event.id,
                Challenge.number.in_([row.number for row in checked.rows]),
            )
        )
    }
    for row in checked.rows:
        values = {name: getattr(row, name) for name in columns}
        if "theme" in columns:
            values["theme"] = themes[theme_key(row.theme)] if row.theme else None
        challenge = existing.get(row.number)
        if challenge is None:
            challenge = Challenge(event_id=event.id, number=row.number, **values)
            challenge.team = Team(event_id=event.id)
            db.session.add(challenge)
            result.created += 1
            continue
        current_theme = challenge.theme.name if challenge.theme else None
        changed = _changes(challenge, row, columns, current_theme)
        for name in changed:
            setattr(challenge, name, values[name])
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1

    record(event, actor, "challenges.imported", created=result.created, updated=result.updated)
    db.session.flush()
    # Challenges and themes were added by their event id: the event's lists must be read again.
    db.session.expire(event, ["challenges", "themes"])
    return result


def challenge_table(event: Event) -> tuple[list[str], list[list]]:
    """Every challenge sheet of the event, one row each, as the import reads them back."""
    headers = export_headers()
    challenges = db.session.scalars(
        select(Challenge)
        .options(joinedload(Challenge.theme))
        .where(Challenge.event_id == event.id)
        .order_by(Challenge.number)
    )
    rows = []
    for challenge in challenges:
        values = {name: getattr(challenge, name) for name in TEXT_FIELDS}
        values |= {name: join_list(getattr(challenge, name) or []) for name in LIST_FIELDS}
        values["number"] = challenge.number
        values["theme"] = challenge.theme.name if challenge.theme else None
        rows.append([values[name] for name in headers])
    return list(headers.values()), rows
