"""The challenges as a table: what the export writes, in the columns the import reads back,
then each challenge's follow-up for reading."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitate.challenges.spreadsheet import TEXT_FIELDS, export_headers
from facilitate.extensions import db
from facilitate.followup.services import export_fields
from facilitate.models import LIST_FIELDS, Challenge, Event, FollowUp
from facilitate.spreadsheets.cells import join_list
from facilitate.spreadsheets.preview import (
    normalised,
)

# What the export writes after the sheet, for reading (the import leaves it aside, quietly):
# in the reader's language when exported, recognised in either when imported.
FOLLOW_UP_EXPORT_HEADERS = (
    _l("Follow-up: status"),
    _l("Follow-up: progress (%)"),
    _l("Follow-up: last update"),
)


def challenge_table(event: Event) -> tuple[list[str], list[list]]:
    """Every challenge sheet of the event, one row each, as the import reads them back, then
    what became of its prototype (follow-up columns, which the import leaves aside): one
    query."""
    return challenge_headers(), challenge_rows([event.id]).get(event.id, [])


def challenge_rows(event_ids: list[int]) -> dict[int, list[list]]:
    """``challenge_table``'s rows of several events (an edition's sites) by event id, in one
    query whatever their number."""
    headers = export_headers()
    rows: dict[int, list[list]] = {}
    for challenge, follow_up in db.session.execute(
        select(Challenge, FollowUp)
        .options(joinedload(Challenge.theme))
        .outerjoin(FollowUp, FollowUp.challenge_id == Challenge.id)
        .where(Challenge.event_id.in_(event_ids))
        .order_by(Challenge.event_id, Challenge.number)
    ):
        values = {name: normalised(getattr(challenge, name)) for name in TEXT_FIELDS}
        values |= {name: join_list(getattr(challenge, name) or []) for name in LIST_FIELDS}
        values["number"] = challenge.number
        values["theme"] = challenge.theme.name if challenge.theme else None
        values["theme_colour"] = challenge.theme.colour if challenge.theme else None
        fields = export_fields(follow_up)
        rows.setdefault(challenge.event_id, []).append(
            [values[name] for name in headers]
            + [fields.status_label or None, fields.progress, fields.last_update_on]
        )
    return rows


def challenge_headers() -> list[str]:
    """The headers of ``challenge_table``, in the reader's language."""
    follow_up_headers = [str(header) for header in FOLLOW_UP_EXPORT_HEADERS]
    return list(export_headers().values()) + follow_up_headers
