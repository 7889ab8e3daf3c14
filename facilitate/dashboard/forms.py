from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from facilitate.dashboard.services import MAX_MINUTES, MIN_MINUTES
from facilitate.forms import WholeNumberField, optional_int
from facilitate.i18n import lazy_gettext as _l
from facilitate.text import FlaskForm


class ThemeFilterForm(FlaskForm):
    """A GET form: nothing changes, so no CSRF token."""

    class Meta:
        csrf = False

    theme = SelectField(_l("Theme"), coerce=optional_int, validate_choice=True)
    submit = SubmitField(_l("Filter"))


class TimerStartForm(FlaskForm):
    minutes = WholeNumberField(
        _l("Duration in minutes"),
        description=_l("From 1 to 240 minutes."),
        validators=[
            InputRequired(_l("Give a number of minutes.")),
            NumberRange(
                min=MIN_MINUTES,
                max=MAX_MINUTES,
                message=_l("Between %(min)d and %(max)d minutes."),
            ),
        ],
    )
    submit = SubmitField(_l("Start the countdown"))
