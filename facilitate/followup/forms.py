from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SubmitField, TextAreaField
from wtforms.fields import DateField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from facilitate.forms import WholeNumberField
from facilitate.models import FollowUpStatus
from facilitate.models.followup import UPDATE_TEXT_MAX
from facilitate.text import FlaskForm, has_control_characters


def no_control_characters(form, field):
    """What was typed, before the form's cleaning: a pasted control character is refused with a
    message, rather than taken out without a word, so that the person sees what was sent."""
    if any(has_control_characters(raw) for raw in field.raw_data or ()):
        raise StopValidation(
            _l(
                "This text holds invisible control characters (often pasted from another program): type it again or paste it as plain text."
            )
        )


class StatusField(SelectField):
    def pre_validate(self, form):
        if self.data not in {status.value for status in FollowUpStatus}:
            raise StopValidation(_l("Choose one of the statuses of the list."))


class UpdateForm(FlaskForm):
    happened_on = DateField(
        _l("Day it happened"),
        validators=[InputRequired(_l("Give the day it happened (day, month, year)."))],
    )
    text = TextAreaField(
        _l("What happened"),
        description=_l("A test with users, a decision, a new partner, a new site…"),
        validators=[
            no_control_characters,
            DataRequired(_l("Say what happened.")),
            Length(max=UPDATE_TEXT_MAX, message=_l("At most 4,000 characters.")),
        ],
    )
    status = StatusField(
        _l("Where the prototype stands"),
        choices=[(status.value, status.label) for status in FollowUpStatus],
    )
    progress = WholeNumberField(
        _l("Progress (percent)"),
        description=_l("From 0 to 100: how far the prototype has come towards its use."),
        validators=[
            Optional(),
            NumberRange(0, 100, _l("The progress is a percentage, from 0 to 100.")),
        ],
        render_kw={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"},
    )
    photo = FileField(
        _l("Photo (optional)"),
        description=_l("JPEG, PNG or WebP, at most %(size)s MB."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    consent = BooleanField(_l("The people pictured agreed to this photo being shared."))
    submit = SubmitField(_l("Add the update"))
