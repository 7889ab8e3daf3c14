"""Challenge sheets in and out of a spreadsheet: the organisers' table of challenges, one row per
challenge, checked whole before anything is written, and the same table exported back.

The export's headers are ones the import recognises, in French and in English, and its list
cells follow ``join_list``: exporting then importing gives every field back unchanged.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitate.challenges.services import MAX_CHALLENGE_NUMBER
from facilitate.extensions import db
from facilitate.models import LIST_FIELDS, Challenge, Event, Theme
from facilitate.spreadsheets.cells import cell, split_list
from facilitate.spreadsheets.columns import ColumnReport, open_table
from facilitate.spreadsheets.preview import (
    FieldChange,
    RowChange,
    list_change,
    text_change,
)
from facilitate.spreadsheets.problems import Problem
from facilitate.spreadsheets.reading import Table

# Header spellings met in organisers' files; case, accents and punctuation do not matter.
FOLLOW_UP_HEADERS = (
    "Follow-up: status",
    "Follow-up: progress (%)",
    "Follow-up: last update",
    "Suivi : statut",
    "Suivi : avancement (%)",
    "Suivi : dernière nouvelle",
)

COLUMNS = {
    "number": (
        "Défi",
        "N°",
        "Numéro",
        "Numéro du défi",
        "N° du défi",
        "number",
        "challenge",
        "challenge number",
        "#",
    ),
    "question": (
        "Question",
        "Intitulé",
        "Intitulé du défi",
        "Libellé du défi",
        "question",
        "title",
    ),
    "owner_organisation": (
        "Porteur",
        "Porteuse",
        "Porteur du défi",
        "Structure porteuse",
        "Structure",
        "owner",
        "owner organisation",
        "owner organization",
        "challenge owner",
    ),
    "project_name": ("Projet", "Nom du projet", "project", "project name"),
    "territory": ("Territoire", "territory"),
    "stakes": ("Enjeux", "Enjeu", "stakes"),
    "stakeholders": ("Parties prenantes", "Acteurs", "stakeholders"),
    "users": ("Usagers", "Public cible", "Publics cibles", "Public", "users", "target users"),
    "obstacles": ("Obstacles", "Freins", "obstacles"),
    "levers": ("Leviers", "Leviers d'action", "levers"),
    "theme": ("Thème", "Thématique", "theme"),
    "theme_colour": (
        "Couleur du thème",
        "Couleur",
        "theme colour",
        "theme color",
        "colour",
        "color",
    ),
    "info_url": (
        "Lien",
        "Pour en savoir plus",
        "En savoir plus",
        "Plus d'information",
        "Plus d'informations",
        "link",
        "url",
        "more information",
    ),
}
# The fields a file may set on a challenge, in the sheet's order (the number identifies the
# challenge; the theme's colour belongs to the theme).
FIELDS = tuple(name for name in COLUMNS if name not in ("number", "theme_colour"))
TEXT_FIELDS = ("question", "owner_organisation", "project_name", "territory", "stakes", "info_url")
# The longest texts the database holds, read from the models.
MAX_LENGTHS = {
    name: Challenge.__table__.c[name].type.length
    for name in TEXT_FIELDS
    if getattr(Challenge.__table__.c[name].type, "length", None)
} | {"theme": Theme.__table__.c.name.type.length}
COLOUR = re.compile(r"#?([0-9a-fA-F]{6})")


def export_headers() -> dict[str, str]:
    """The export's header for each column, in the reader's language; the preview names the
    fields the same way."""
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
        "theme_colour": _("Theme colour"),
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
    report: ColumnReport | None = None
    # Themes the import will create, as first written in the file.
    new_themes: list[str] = field(default_factory=list)
    # The colour the file gives each theme (by ``theme_key``); a theme it gives none keeps its own.
    theme_colours: dict[str, str] = field(default_factory=dict)
    # Challenge numbers the import will create, update, or find already as the file says.
    creates: list[int] = field(default_factory=list)
    updates: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    # What changes, challenge by challenge and theme by theme.
    changes: list[RowChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def theme_key(name: str) -> str:
    """Theme names match whatever their case or spacing: "mobilités " is "Mobilités"."""
    return " ".join(name.split()).casefold()


def check_challenge_file(
    event: Event, data: bytes, filename: str, table: Table | None = None
) -> ChallengeImport:
    """Read and check every row, and say what importing it would do; nothing is written.
    ``table``: the rows read already (one site's of an edition workbook)."""
    result = ChallengeImport()
    labels = export_headers()
    opened = open_table(
        data,
        filename,
        aliases=COLUMNS,
        labels=labels,
        required=("number", "question"),
        example=_("Challenge;Question;Challenge owner;Theme"),
        no_rows=_("The file has no challenge below its header line."),
        problems=result.problems,
        for_reading={
            _(
                "Follow-up, written by the export for reading: it is recorded on the "
                "follow-up pages, not imported."
            ): FOLLOW_UP_HEADERS
        },
        table=table,
    )
    if opened is None:
        return result
    result.report = opened.report
    if result.problems:
        return result
    table, columns = opened.table, opened.columns

    result.columns = tuple(name for name in FIELDS if name in columns)
    headers = {key: table.headers[index] for key, index in columns.items()}
    themes = {
        theme_key(theme.name): theme
        for theme in db.session.scalars(select(Theme).where(Theme.event_id == event.id))
    }
    new_themes: dict[str, str] = {}
    colour_lines: dict[str, int] = {}
    seen_numbers: dict[int, int] = {}
    for line, cells in table.rows:
        row, problems = _check_row(line, cells, columns, headers, seen_numbers)
        colour, colour_problem = _check_colour(cell(cells, columns.get("theme_colour")))
        if colour_problem:
            problems.append(Problem(line, headers["theme_colour"], colour_problem))
        elif colour and row is not None and row.theme is None:
            problems.append(
                Problem(line, headers["theme_colour"], _("a colour needs a theme on its line."))
            )
        elif colour and row is not None:
            key = theme_key(row.theme)
            if result.theme_colours.setdefault(key, colour) != colour:
                problems.append(
                    Problem(
                        line,
                        headers["theme_colour"],
                        _(
                            "line %(other)d gives this theme another colour (%(colour)s).",
                            other=colour_lines[key],
                            colour=result.theme_colours[key],
                        ),
                    )
                )
            colour_lines.setdefault(key, line)
        result.problems.extend(problems)
        if row is None or problems:
            continue
        if row.theme is not None:
            key = theme_key(row.theme)
            if key in themes:
                row.theme = themes[key].name
            else:
                row.theme = new_themes.setdefault(key, row.theme)
        result.rows.append(row)
    result.new_themes = list(new_themes.values())

    existing = {
        challenge.number: challenge
        for challenge in db.session.scalars(
            select(Challenge)
            .options(joinedload(Challenge.theme))
            .where(Challenge.event_id == event.id, Challenge.number.in_(list(seen_numbers)))
        )
    }
    for row in result.rows:
        challenge = existing.get(row.number)
        if challenge is None:
            result.creates.append(row.number)
            continue
        changed = _changes(challenge, row, result.columns, labels)
        if changed:
            result.updates.append(row.number)
            result.changes.append(
                RowChange(_("Challenge %(number)d", number=row.number), changed, row.line)
            )
        else:
            result.unchanged.append(row.number)
    for key, colour in result.theme_colours.items():
        theme = themes.get(key)
        change = theme and text_change(labels["theme_colour"], theme.colour, colour)
        if change:
            result.changes.append(RowChange(_("Theme “%(name)s”", name=theme.name), [change]))
    return result


def _check_colour(text: str) -> tuple[str | None, str | None]:
    """A theme's colour as "#1d4e89", whatever the case or the "#"; or what is wrong."""
    if not text:
        return None, None
    match = COLOUR.fullmatch(text.strip())
    if match is None:
        return None, _(
            "“%(value)s” is not a colour: write it as six hexadecimal digits, such as #1d4e89.",
            value=text,
        )
    return "#" + match.group(1).lower(), None


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


def _changes(challenge: Challenge, row: ChallengeRow, columns, labels) -> list[FieldChange]:
    """What the row would change on an existing challenge, field by field. Texts are compared
    as ``normalised``: an export read back changes nothing."""
    changes = []
    for name in columns:
        if name == "theme":
            current = challenge.theme.name if challenge.theme else None
            if (current and theme_key(current)) != (row.theme and theme_key(row.theme)):
                changes.append(text_change(labels[name], current, row.theme))
        elif name in LIST_FIELDS:
            changes.append(list_change(labels[name], getattr(challenge, name), getattr(row, name)))
        else:
            changes.append(text_change(labels[name], getattr(challenge, name), getattr(row, name)))
    return [change for change in changes if change is not None]
