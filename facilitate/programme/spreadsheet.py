"""The programme in and out of a spreadsheet, with the challenges' tools: one row per session,
times at the venue, checked whole before anything is written, and the same table exported back.

A row with the identifier the export wrote updates that session; a row without one creates a
session. An import never deletes: a session missing from the file stays as it is.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from facilitate.audit.services import record
from facilitate.events.forms import FIRST_YEAR, LAST_YEAR
from facilitate.extensions import db
from facilitate.models import Challenge, Event, ProgrammeSession, SessionKind, Stage, Team
from facilitate.models._types import utc_from_local
from facilitate.numbers import whole_number
from facilitate.programme.services import (
    event_sessions,
    follow_stage,
    local,
    overlaps_after_import,
)
from facilitate.spreadsheets.cells import cell
from facilitate.spreadsheets.columns import ColumnReport, header_key, open_table
from facilitate.spreadsheets.preview import RowChange, normalised, text_change
from facilitate.spreadsheets.problems import Problem
from facilitate.timezones import exists_at

COLUMNS = {
    "id": ("Identifiant", "Id", "identifier"),
    "day": ("Jour", "Date", "day", "date"),
    "starts": ("Début", "Heure de début", "Commence", "start", "starts", "begins"),
    "ends": ("Fin", "Heure de fin", "Termine", "end", "ends"),
    "kind": ("Type", "Nature", "Format", "kind", "type"),
    "title": ("Titre", "Intitulé", "Séquence", "title", "session"),
    "room": ("Salle", "Lieu", "room", "place"),
    "speakers": ("Intervenants", "Intervenantes et intervenants", "Intervenant", "speakers"),
    "description": ("Description", "Contenu", "description"),
    "stage": ("Étape", "Étape qui commence", "stage"),
    "team": ("Équipe", "Défi", "team", "challenge"),
}
TEXTS = ("title", "room", "speakers", "description")
LENGTHS = {"title": 200, "room": 120, "speakers": 500, "description": 5000}
DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4})")
TIME = re.compile(r"(\d{1,2})\s*[:hH]\s*(\d{2})?(?::\d{2})?")


def export_headers() -> dict[str, str]:
    return {
        "id": _("Identifier"),
        "day": _("Day"),
        "starts": _("Starts"),
        "ends": _("Ends"),
        "kind": _("Kind"),
        "title": _("Title"),
        "room": _("Room"),
        "speakers": _("Speakers"),
        "description": _("Description"),
        "stage": _("Stage"),
        "team": _("Team"),
    }


# How programmes name each kind, beside its label in either language.
KIND_WORDS = {
    SessionKind.PLENARY: ("Plénière", "Séance plénière"),
    SessionKind.TALK: ("Conférence", "Conférence introductive"),
    SessionKind.SHORT_TALK: ("Mini-conférence", "Mini conférence"),
    SessionKind.TEAMWORK: ("Travail en équipe", "Atelier", "Travail en équipes"),
    SessionKind.EXHIBITION: ("Exposition", "Exposition des prototypes"),
    SessionKind.MEAL: ("Repas", "Déjeuner", "Dîner", "Pause", "Accueil café"),
    SessionKind.DEBRIEF: ("Retour collectif", "Bilan collectif"),
}


def _names(members, words=None) -> dict[str, object]:
    """Each member by its value and its label in French and English, as header_key reads them."""
    names = {header_key(word): member for member, spelt in (words or {}).items() for word in spelt}
    for member in members:
        names[header_key(member.value)] = member
        for language in ("fr", "en"):
            with force_locale(language):
                names[header_key(str(member.label))] = member
    return names


@dataclass
class SessionRow:
    line: int
    session_id: int | None
    # ATTRIBUTES of a session as the row sets them (times in UTC); optional ones only when the
    # file has their column.
    values: dict


@dataclass
class ProgrammeImport:
    rows: list[SessionRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    report: ColumnReport | None = None
    creates: int = 0
    updates: int = 0
    unchanged: int = 0
    changes: list[RowChange] = field(default_factory=list)
    # Sessions of the file that would share their room with another at the same time: said in
    # the preview, never refused (as on the programme's page).
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _day(text: str) -> date | None:
    match = DATE.fullmatch(text.split(" ")[0])
    if match is None:
        return None
    year, month, day = (
        (match[1], match[2], match[3]) if match[1] else (match[6], match[5], match[4])
    )
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return None  # a slip of the keyboard, and years 1 or 9999 overflow in UTC
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _moment(text: str, day: date | None) -> datetime | None:
    """ "9:30", "09h30", "9 h", or a whole "2018-07-10 09:30" (a session past midnight)."""
    parts = text.rsplit(" ", 1) if DATE.match(text) else [text]
    if len(parts) == 2:
        day, text = _day(parts[0]), parts[1]
    match = TIME.fullmatch(text.strip())
    if match is None or day is None:
        return None
    hours, minutes = int(match[1]), int(match[2] or 0)
    if hours > 23 or minutes > 59:
        return None
    return datetime.combine(day, time(hours, minutes))


def check_programme_file(event: Event, data: bytes, filename: str) -> ProgrammeImport:
    """Read and check every row and say what importing it would do; nothing is written."""
    result = ProgrammeImport()
    labels = export_headers()
    opened = open_table(
        data,
        filename,
        aliases=COLUMNS,
        labels=labels,
        required=("day", "starts", "ends", "kind", "title"),
        example=_("Day;Starts;Ends;Kind;Title;Room"),
        no_rows=_("The file has no session below its header line."),
        problems=result.problems,
    )
    if opened is None:
        return result
    result.report = opened.report
    if result.problems:
        return result
    table, columns = opened.table, opened.columns
    headers = {key: table.headers[index] for key, index in columns.items()}
    existing = {s.id: s for s in event_sessions(event)}
    teams = dict(
        db.session.execute(
            select(Challenge.number, Team.id)
            .join(Team, Team.challenge_id == Challenge.id)
            .where(Challenge.event_id == event.id)
        ).all()
    )
    numbers = {team_id: number for number, team_id in teams.items()}
    kinds, stages = _names(SessionKind, KIND_WORDS), _names(Stage)
    seen_ids: dict[int, int] = {}
    stage_lines: dict[Stage, int] = {}
    for line, cells in table.rows:
        problems: list[Problem] = []

        def problem(key: str, message: str, line=line, problems=problems) -> None:
            problems.append(Problem(line, headers[key], message))

        values = {name: cell(cells, columns.get(name)) or None for name in TEXTS}
        if values["title"] is None:
            problem("title", _("the title is empty."))
        for name, limit in LENGTHS.items():
            if values[name] and len(values[name]) > limit:
                problem(name, _("this text is longer than %(n)d characters.", n=limit))
        values["description"] = values["description"] or ""
        kind_text = cell(cells, columns["kind"])
        values["kind"] = kinds.get(header_key(kind_text))
        if values["kind"] is None:
            problem(
                "kind",
                _(
                    "“%(value)s” is not a kind of session: write one of %(kinds)s.",
                    value=kind_text,
                    kinds=", ".join(str(k.label) for k in SessionKind),
                ),
            )
        day = _day(cell(cells, columns["day"]))
        if day is None:
            problem("day", _("write the day as 10/07/2018 or 2018-07-10."))
        starts = _moment(cell(cells, columns["starts"]), day)
        ends = _moment(cell(cells, columns["ends"]), day)
        for key, moment in (("starts", starts), ("ends", ends)):
            if day is not None and moment is None:
                problem(key, _("write the time as 9:30 or 9 h 30."))
        for key, moment in (("starts", starts), ("ends", ends)):
            if moment and not exists_at(moment, event.timezone):
                problem(
                    key,
                    _("this time does not exist at the venue that day (the clocks go forward)."),
                )
                starts = ends = None
        if (
            starts
            and ends
            and utc_from_local(ends, event.timezone) <= utc_from_local(starts, event.timezone)
        ):
            problem("ends", _("the session must end after it starts."))
        if starts and ends:
            values["starts_at"] = utc_from_local(starts, event.timezone)
            values["ends_at"] = utc_from_local(ends, event.timezone)
        stage_text = cell(cells, columns.get("stage"))
        values["stage"] = stages.get(header_key(stage_text)) if stage_text else None
        if stage_text and values["stage"] is None:
            problem("stage", _("“%(value)s” is not a stage.", value=stage_text))
        elif values["stage"] in stage_lines:
            problem(
                "stage",
                _("line %(other)d already starts this stage.", other=stage_lines[values["stage"]]),
            )
        elif values["stage"] is not None:
            stage_lines[values["stage"]] = line
        team_text = cell(cells, columns.get("team"))
        values["team_id"] = teams.get(whole_number(team_text)) if team_text else None
        if team_text and values["team_id"] is None:
            problem("team", _("this event has no challenge “%(value)s”.", value=team_text))
        id_text = cell(cells, columns.get("id"))
        session_id = whole_number(id_text) if id_text else None
        if id_text and session_id not in existing:
            problem(
                "id", _("no session of this event has the identifier “%(value)s”.", value=id_text)
            )
        elif session_id in seen_ids:
            problem(
                "id", _("line %(other)d already has this identifier.", other=seen_ids[session_id])
            )
        elif session_id is not None:
            seen_ids[session_id] = line
        for name, attribute in OPTIONAL.items():
            if name not in columns:
                values.pop(attribute, None)
        result.problems.extend(problems)
        if not problems:
            result.rows.append(SessionRow(line, session_id, values))

    # A stage follows one session: one the file does not update may already hold it.
    for session in existing.values():
        if session.stage in stage_lines and session.id not in seen_ids:
            result.problems.append(
                Problem(
                    stage_lines[session.stage],
                    headers["stage"],
                    _("“%(title)s” already starts this stage.", title=session.title),
                )
            )
    for row in result.rows:
        if row.session_id is None:
            result.creates += 1
            continue
        session = existing[row.session_id]
        changed = _changes(session, row, labels, numbers, event.timezone)
        if changed:
            result.updates += 1
            result.changes.append(RowChange(session.title, changed, row.line))
        else:
            result.unchanged += 1
    result.warnings = overlaps_after_import(existing, result.rows)
    return result


# Model attributes each optional column fills; a column the file lacks leaves them as they are.
OPTIONAL = {
    "room": "room",
    "speakers": "speakers",
    "description": "description",
    "stage": "stage",
    "team": "team_id",
}
ATTRIBUTES = ("kind", "title", "starts_at", "ends_at", *OPTIONAL.values())


def _values_of(session: ProgrammeSession) -> dict:
    return {name: getattr(session, name) for name in ATTRIBUTES}


def _cells(values: dict, numbers: dict[int, int], timezone: str) -> dict:
    """A session's values as the export writes them (and the preview compares them)."""
    start, end = local(values["starts_at"], timezone), local(values["ends_at"], timezone)
    same_day = end.date() == start.date()
    return {
        "day": start.date(),
        "starts": start.strftime("%H:%M"),
        "ends": end.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M"),
        "kind": str(values["kind"].label),
        "title": values["title"],
        "room": values["room"],
        "speakers": values["speakers"],
        "description": normalised(values["description"]),
        "stage": str(values["stage"].label) if values["stage"] else None,
        "team": numbers.get(values["team_id"]),
    }


def _changes(session, row: SessionRow, labels, numbers, timezone):
    """What the row would change, field by field, as the export would write both."""
    old = _cells(_values_of(session), numbers, timezone)
    new = _cells(_values_of(session) | row.values, numbers, timezone)
    names = (
        "day",
        "starts",
        "ends",
        "kind",
        "title",
        *(n for n in OPTIONAL if OPTIONAL[n] in row.values),
    )
    changes = (text_change(labels[n], _text(old[n]), _text(new[n])) for n in names)
    return [change for change in changes if change is not None]


def _text(value) -> str | None:
    if value is None:
        return None
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def import_programme(event: Event, checked: ProgrammeImport, actor=None) -> tuple[int, int]:
    """Write a checked file, all rows or none; returns (created, updated). Flushes, never
    commits; recorded in the event's history."""
    if not checked.ok:
        raise ValueError("import_programme needs a file without problems")
    existing = {s.id: s for s in event_sessions(event)}
    updated = [row for row in checked.rows if row.session_id is not None]
    # Free the stages first: the file may move a stage from one session to another.
    for row in updated:
        if "stage" in row.values:
            existing[row.session_id].stage = None
    db.session.flush()
    created = 0
    for row in checked.rows:
        if row.session_id is None:
            session = ProgrammeSession(event_id=event.id, **row.values)
            db.session.add(session)
            created += 1
        else:
            session = existing[row.session_id]
            for name, value in row.values.items():
                setattr(session, name, value)
        follow_stage(event, session)
    record(event, actor, "programme.imported", created=created, updated=checked.updates)
    db.session.flush()
    return created, checked.updates


def programme_table(event: Event) -> tuple[list[str], list[list]]:
    """Every session, one row each, as the import reads them back."""
    headers = export_headers()
    rows = []
    for session in event_sessions(event):
        numbers = {session.team_id: session.team.challenge.number} if session.team else {}
        cells = _cells(_values_of(session), numbers, event.timezone) | {"id": session.id}
        rows.append([cells[name] for name in headers])
    return list(headers.values()), rows
