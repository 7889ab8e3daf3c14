from wtforms import HiddenField, SubmitField
from wtforms.validators import AnyOf, DataRequired

from facilitate.i18n import lazy_gettext as _l
from facilitate.text import FlaskForm

SHOW, HIDE = "show", "hide"


class ShowcaseForm(FlaskForm):
    """Says what the button asked (show or hide), so that sending it twice changes nothing."""

    choice = HiddenField(validators=[DataRequired(), AnyOf([SHOW, HIDE])])
    submit = SubmitField(_l("Save"))
