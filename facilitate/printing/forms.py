from flask_wtf import FlaskForm
from wtforms import SubmitField

from facilitate.i18n import lazy_gettext as _l


class IssueMissingCodesForm(FlaskForm):
    """A bare button: its CSRF token is all there is to check."""

    submit = SubmitField(_l("Issue the missing access codes"))
