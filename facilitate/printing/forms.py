from wtforms import HiddenField, SubmitField, ValidationError

from facilitate.i18n import lazy_gettext as _l
from facilitate.printing.batches import read_marks
from facilitate.text import FlaskForm


class IssueMissingCodesForm(FlaskForm):
    """A bare button: its CSRF token is all there is to check."""

    submit = SubmitField(_l("Issue the missing access codes"))


class MarkPrintedForm(FlaskForm):
    """ "Mark as printed" under a batch of badges or posters: the documents the page showed, as
    ``batches.marks_field`` names them, so that what is marked is what was on paper."""

    marks = HiddenField()

    def validate_marks(self, field) -> None:
        if read_marks(field.data) is None:
            raise ValidationError("malformed")  # the view says what to do

    @property
    def marked(self) -> dict[int, str]:
        return read_marks(self.marks.data) or {}
