"""Form pieces shared by features.

Lists (themes, a sheet's stakeholders...) are edited without JavaScript: each item has move
up, move down and remove buttons, and an "add" button appends an empty item. These buttons
submit the whole form with a ``list_action``; the view applies it to the submitted data and
shows the form again, unsaved, with everything typed so far kept. Only "Save" writes.
"""

import re
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import wtforms.fields.core
import wtforms.widgets
import wtforms.widgets.core
from flask import request
from flask_babel import gettext
from markupsafe import Markup, escape
from wtforms import FieldList, IntegerField, SubmitField
from wtforms.widgets import Select
from wtforms.widgets.core import clean_key

from facilitate.i18n import lazy_gettext as _l
from facilitate.numbers import MAX_DIGITS, is_whole_number, whole_number
from facilitate.text import FlaskForm

# Lists hold a few dozen items at most: an item number has at most this many digits.
MAX_INDEX_DIGITS = 3
_ACTION = re.compile(
    rf"(?P<field>[a-z_]+):(?:(?P<index>[0-9]{{1,{MAX_INDEX_DIGITS}}}):(?P<op>up|down|remove)|add)"
)


class WholeNumberField(IntegerField):
    """An integer field that takes digits 0 to 9 only (see ``whole_number``), and refuses
    numbers too long to mean anything: WTForms' NumberRange turns the value into a float and
    overflows on a few hundred digits (a 500)."""

    MAX_DIGITS = MAX_DIGITS

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = whole_number(valuelist[0], max_digits=self.MAX_DIGITS)
        if self.data is None:
            if is_whole_number(valuelist[0]):
                raise ValueError(gettext("This number is too large."))
            raise ValueError(gettext("Enter a whole number, with the digits 0 to 9."))


class ItemList(FieldList):
    """A list of items named ``<list>-<n>``, reading only item numbers the page could have
    written: WTForms' own FieldList turns any ``str.isdigit()`` text into int(), so that
    ``stakeholders-²`` or a 5,000-digit item number is a 500. Other names are ignored, as any
    name the form does not know."""

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        separator = getattr(self, "_field_separator", "-")
        for key in formdata:
            if key.startswith(prefix):
                text = key[offset:].split(separator, 1)[0]
                if text.isascii() and text.isdecimal() and len(text) <= MAX_INDEX_DIGITS:
                    yield int(text)


class ConfirmForm(FlaskForm):
    """A bare button for actions that need only CSRF protection (microblog's EmptyForm)."""

    submit = SubmitField(_l("Confirm"))


def int_choice(value) -> int:
    """The ``coerce`` of a select whose values are ids: digits 0 to 9 only (ValueError
    otherwise, which WTForms reports as an invalid choice)."""
    if isinstance(value, int):
        return value
    number = whole_number(value)
    if number is None:
        raise ValueError(value)
    return number


def optional_int(value):
    """For a select whose first choice is "none": the empty value means None."""
    return None if value in (None, "", "None") else int_choice(value)


def list_action() -> str | None:
    return request.form.get("list_action") or None


def apply_list_action(data: dict, action: str, list_fields: tuple[str, ...], blank) -> bool:
    """Apply "stakeholders:2:up", "themes:0:remove" or "levers:add" to the form's data.

    Returns False for an action that does not name one of ``list_fields`` or an existing item
    (a page older than the list, or a made-up request): the view shows the form again as it
    was sent, with ``refuse_list_action``'s message.
    """
    match = _ACTION.fullmatch(action)
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


def refuse_list_action(form: FlaskForm) -> None:
    form.form_errors.append(
        _l(
            "This button does not match the list any more: nothing was changed. Check the list and try again."
        )
    )


def clean_items(items: list[str] | None) -> list[str]:
    """A list as stored: trimmed items, empty ones dropped, order kept."""
    return [item.strip() for item in items or [] if item and item.strip()]


def to_local_input(moment: datetime | None, timezone: str) -> datetime | None:
    """A stored UTC moment as the wall-clock time a datetime-local field shows at the venue."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


@lru_cache(maxsize=512)
def _key(name: str) -> str:
    """An attribute's name as WTForms writes it (``class_`` as ``class``, ``aria_label`` as
    ``aria-label``), escaped as its ``Markup`` join escapes it. Names come from the code."""
    return str(escape(clean_key(name)))


# markupsafe's escape of text, by ``str.translate`` (in C): no ``Markup`` made for each value.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def _value(value) -> str:
    if type(value) is str:
        return value.translate(_ESCAPES)
    return str.replace(escape(value), '"', "&quot;")  # Markup, lazy text, numbers, None


def html_params(**values) -> Markup:
    """WTForms' ``html_params``, the same text, without a ``Markup.format`` per attribute
    (through ``string.Formatter``, in Python): a third of a page with a form. Attributes in
    the order of their names; ``True`` writes the bare name, ``False`` nothing; every value
    escaped, double quotes of ``Markup`` values too (``tests/test_html_params.py``)."""
    return Markup(  # noqa: S704  (every name and value escaped)
        " ".join(
            _key(k) if v is True else f'{_key(k)}="{_value(v)}"'
            for k, v in sorted(values.items())
            if v is not False
        )
    )


def _flags_dir(flags) -> list[str]:
    return list(vars(flags))


def install_widgets() -> None:
    """Every WTForms widget and label of the app writes its attributes with ``html_params``
    above: the module's function (text areas, selects, options, lists), the one ``Input`` and
    ``Button`` keep as their own, and the package's (labels). And a field's flags list the
    flags set on it alone (widgets look them up with ``dir()`` at each field: Python's lists
    every method of the class too, and sorts them). Once, from the app factory."""
    wtforms.widgets.core.html_params = html_params
    wtforms.widgets.html_params = html_params
    wtforms.widgets.core.Input.html_params = staticmethod(html_params)
    wtforms.widgets.core.Button.html_params = staticmethod(html_params)
    wtforms.fields.core.Flags.__dir__ = _flags_dir


class ListSelect(Select):
    """WTForms' select with the same HTML, its options written without ``html_params`` nor a
    ``Choice`` each (a fifth of the time): a list's filters offer every team of an edition,
    on every page of the list. For choices given as (value, label) pairs, as lists give them."""

    def __call__(self, field, **kwargs):
        choices = field.choices
        if not isinstance(choices, list) or any(len(c) != 2 for c in choices):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        coerce, data = field.coerce, field.data
        for value, label in choices:
            selected = " selected" if coerce(value) == data else ""
            html.append(f'<option{selected} value="{escape(value)}">{escape(label)}</option>')
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704  (every value escaped above)


_LIST_SELECT = ListSelect()


class ListForm(FlaskForm):
    """A list's search, filters and order, read from the query string: a GET form, so no CSRF
    token. A value it does not know (an old link, a team since deleted, a typed address) is set
    aside with a message saying so, and the list shows without that filter: never a 500."""

    class Meta:
        csrf = False

        def render_field(self, field, render_kw):
            # A SelectField's own single choice (a multiple one keeps WTForms' widget).
            if type(field.widget) is Select and not field.widget.multiple:
                field.widget = _LIST_SELECT
            return super().render_field(field, render_kw)

    def read(self) -> bool:
        """Validate; every field refused goes back to its default, with a message of its own
        unless it was left empty (``?sort=``). True when every value was understood."""
        if self.validate():
            return True
        understood = True
        for f in self:
            if not f.errors:
                continue
            value = f.raw_data[0] if f.raw_data else ""
            f.data = f.default
            f.errors = []
            if str(value).strip():
                understood = False
                f.errors.append(
                    gettext(
                        "“%(value)s” is not a choice of “%(field)s”: the list is shown without it.",
                        value=str(value)[:40],
                        field=f.label.text,
                    )
                )
        return understood

    def args(self) -> dict[str, str]:
        """The values that differ from the defaults, for the links of the list's pages: one
        address for one list."""
        return {f.name: f.data for f in self if f.data and f.data != f.default}
