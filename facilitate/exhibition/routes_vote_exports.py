"""The vote's results and every stand's feedback as spreadsheets (CSV for French Excel, XLSX,
ODS), streamed, for the organisers: the prize list, and what each team takes home from the
exhibition."""

from collections.abc import Iterator
from datetime import UTC
from zoneinfo import ZoneInfo

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import func, select, tuple_

from facilitate.events.services import get_managed_event_or_404
from facilitate.exhibition import bp
from facilitate.exhibition.vote import results
from facilitate.extensions import db
from facilitate.models import Challenge, Event, FeedbackEntry, Team, User
from facilitate.people.codes import team_label
from facilitate.spreadsheets.writing import spreadsheet_download
from facilitate.timezones import timezone_name, utc_offset

FORMATS = ("csv", "xlsx", "ods")
# Feedback entries read from the database at a time.
_CHUNK_ROWS = 500
# Where the teams without a stand number sort: after every stand.
_NO_STAND = 2**31 - 1


def results_table(event: Event) -> tuple[list[str], list[list]]:
    """One row per stand, best first; ties share a rank (1, 1, 3)."""
    headers = [
        _("Rank"),
        _("Stand"),
        _("Team"),
        _("Challenge"),
        _("Theme"),
        _("Rank in the theme"),
        _("Votes"),
    ]
    rows = [
        [s.rank, s.stand, s.team, s.challenge_number, s.theme, s.theme_rank, s.votes]
        for s in results(event).stands
    ]
    return headers, rows


def feedback_table(event: Event) -> tuple[list[str], Iterator[list]]:
    """Every feedback entry of the event's teams, stand by stand, oldest first, read
    ``_CHUNK_ROWS`` at a time (``_feedback_rows``). Dates are the venue's wall-clock time, as the organisers lived them. Anonymous feedback is
    signed "Anonymous visitor" here too: its author asked that nobody see their name."""
    headers = [
        _("Stand"),
        _("Team"),
        _("Challenge"),
        _("At the exhibition"),
        _("What I liked"),
        _("Could be better"),
        _("Question"),
        _("Note"),
        _("Written by"),
        _(
            "Date (%(zone)s, %(offset)s)",
            zone=timezone_name(event.timezone),
            offset=utc_offset(event.timezone, event.starts_at),
        ),
    ]
    return headers, _feedback_rows(event)


def _feedback_rows(event: Event) -> Iterator[list]:
    """``_CHUNK_ROWS`` entries a query, each chunk starting after the last one's sort key
    (keyset pagination): a single query while an event has fewer entries, as before. Not one
    query read through a server-side cursor: a streamed CSV is read after the request's
    teardown has closed its session and ended the transaction, which closes such a cursor."""
    zone = ZoneInfo(event.timezone)
    order = (
        func.coalesce(Team.stand_number, _NO_STAND),
        Challenge.number,
        FeedbackEntry.created_at,
        FeedbackEntry.id,
    )
    query = (
        select(
            *order,
            Team.stand_number,
            Team.name,
            Challenge.number,
            FeedbackEntry.at_exhibition,
            FeedbackEntry.liked,
            FeedbackEntry.could_be_better,
            FeedbackEntry.question,
            FeedbackEntry.body,
            User.name,
            FeedbackEntry.anonymous,
            FeedbackEntry.created_at,
        )
        .join(Team, Team.id == FeedbackEntry.team_id)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .outerjoin(User, User.id == FeedbackEntry.author_id)
        .where(Team.event_id == event.id)
        .order_by(*order)
        .limit(_CHUNK_ROWS)
    )
    chunk = db.session.execute(query).all()
    while chunk:
        yield from _feedback_cells(zone, (row[len(order) :] for row in chunk))
        if len(chunk) < _CHUNK_ROWS:
            return
        after = tuple_(*order) > tuple_(*chunk[-1][: len(order)])
        chunk = db.session.execute(query.where(after)).all()


def _feedback_cells(zone: ZoneInfo, rows) -> Iterator[list]:
    yes, no, anonymous_visitor = _("Yes"), _("No"), _("Anonymous visitor")
    for (
        stand,
        name,
        number,
        at_exhibition,
        liked,
        could_be_better,
        question,
        body,
        author,
        anonymous,
        created_at,
    ) in rows:
        yield [
            stand,
            team_label(name, number),
            number,
            yes if at_exhibition else no,
            liked,
            could_be_better,
            question,
            body or None,
            anonymous_visitor if anonymous else author,
            created_at.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None, microsecond=0),
        ]


@bp.get("/events/<slug>/organise/vote/results.<fmt>")
def export_results(slug: str, fmt: str):
    event = get_managed_event_or_404(slug)
    if fmt not in FORMATS:
        abort(404)
    headers, rows = results_table(event)
    return spreadsheet_download(
        headers, rows, fmt, f"{event.slug}-resultats-vote", _("Vote results")
    )


@bp.get("/events/<slug>/organise/vote/feedback.<fmt>")
def export_feedback(slug: str, fmt: str):
    event = get_managed_event_or_404(slug)
    if fmt not in FORMATS:
        abort(404)
    headers, rows = feedback_table(event)
    return spreadsheet_download(
        headers, rows, fmt, f"{event.slug}-retours-stands", _("Stand feedback")
    )
