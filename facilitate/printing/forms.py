from wtforms import SubmitField

from facilitate.i18n import lazy_gettext as _l
from facilitate.text import FlaskForm


class IssueMissingCodesForm(FlaskForm):
    """A bare button: its CSRF token is all there is to check."""

    submit = SubmitField(_l("Issue the missing access codes"))
