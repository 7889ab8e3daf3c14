import re

from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from facilitate.i18n import lazy_gettext as _l
from facilitate.models import MAX_BOOK_TEXT, BookOrder
from facilitate.text import FlaskForm

# What the application never keeps (facilitate.text cleans it away): in a book's text, where a
# pasted character would vanish silently, the organiser is told instead. Line breaks of any
# system (CR, vertical tab, form feed) are fine.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _no_control_characters(form, field):
    typed = field.raw_data[0] if field.raw_data else ""
    if isinstance(typed, str) and _CONTROLS.search(typed):
        raise ValidationError(
            _l(
                "This text holds invisible control characters (often pasted from a PDF): "
                "remove them, or type the text again."
            )
        )


def _book_text(label, description):
    return TextAreaField(
        label,
        description=description,
        validators=[
            _no_control_characters,
            Length(
                max=MAX_BOOK_TEXT,
                message=_l(
                    "At most %(max)d characters: shorten this text.",
                    max=MAX_BOOK_TEXT,
                ),
            ),
        ],
        render_kw={"rows": 8},
    )


class BookSettingsForm(FlaskForm):
    opening = _book_text(
        _l("Opening text"),
        _l("Opens the whole book, before the challenges. Leave a blank line between paragraphs."),
    )
    closing = _book_text(_l("Closing text"), _l("Closes the whole book, after the challenges."))
    order = SelectField(
        _l("Order of the challenges"),
        choices=[
            (BookOrder.NUMBER.value, _l("By challenge number")),
            (BookOrder.THEME.value, _l("By theme, then number")),
            (BookOrder.STAND.value, _l("By stand number")),
        ],
    )
    submit = SubmitField(_l("Save the book’s texts and order"))
