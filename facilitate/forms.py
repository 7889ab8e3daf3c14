"""Form pieces shared by features.

Lists (themes, a sheet's stakeholders...) are edited without JavaScript: each item has move
up, move down and remove buttons, and an "add" button appends an empty item. These buttons
submit the whole form with a ``list_action``; the view applies it to the submitted data and
shows the form again, unsaved, with everything typed so far kept. Only "Save" writes.
"""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import request
from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField

from facilitate.i18n import lazy_gettext as _l

_ACTION = re.compile(r"^(?P<field>[a-z_]+):(?:(?P<index>\d+):(?P<op>up|down|remove)|add)$")


class WholeNumberField(IntegerField):
    """An integer field that refuses numbers too long to mean anything: WTForms' NumberRange
    turns the value into a float and overflows on a few hundred digits (a 500)."""

    MAX_DIGITS = 12

    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > self.MAX_DIGITS:
            self.data = None
            raise ValueError(gettext("Enter a whole number."))
        super().process_formdata(valuelist)


class ConfirmForm(FlaskForm):
    """A bare button for actions that need only CSRF protection (microblog's EmptyForm)."""

    submit = SubmitField(_l("Confirm"))


def optional_int(value):
    """For a select whose first choice is "none": the empty value means None."""
    return int(value) if value not in (None, "", "None") else None


def list_action() -> str | None:
    return request.form.get("list_action") or None


def apply_list_action(data: dict, action: str, list_fields: tuple[str, ...], blank) -> bool:
    """Apply "stakeholders:2:up", "themes:0:remove" or "levers:add" to the form's data.

    Returns False for an action that does not name one of ``list_fields`` or an existing item,
    which the view treats as a plain re-display.
    """
    match = _ACTION.match(action)
    if not match or match["field"] not in list_fields:
        return False
    items = list(data.get(match["field"]) or [])
    if match["index"] is None:
        items.append(blank(match["field"]))
    else:
        i = int(match["index"])
        if i >= len(items):
            return False
        if match["op"] == "remove":
            del items[i]
        elif match["op"] == "up" and i > 0:
            items[i - 1], items[i] = items[i], items[i - 1]
        elif match["op"] == "down" and i < len(items) - 1:
            items[i + 1], items[i] = items[i], items[i + 1]
    data[match["field"]] = items
    return True


def clean_items(items: list[str] | None) -> list[str]:
    """A list as stored: trimmed items, empty ones dropped, order kept."""
    return [item.strip() for item in items or [] if item and item.strip()]


def to_local_input(moment: datetime | None, timezone: str) -> datetime | None:
    """A stored UTC moment as the wall-clock time a datetime-local field shows at the venue."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
