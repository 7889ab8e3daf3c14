from wtforms import EmailField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from facilitate.forms import WholeNumberField
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import MAX_RETENTION_MONTHS
from facilitate.text import FlaskForm


class NoticeForm(FlaskForm):
    controller = StringField(
        _l("Who is responsible for the data"),
        description=_l("The local authority or body that runs the event, e.g. “Ville de Rennes”."),
        validators=[DataRequired(_l("Say who is responsible for the data.")), Length(max=200)],
    )
    contact_email = EmailField(
        _l("Contact email for personal data"),
        description=_l("Where attendees write to see, correct or erase their data."),
        validators=[Optional(), Email(_l("This email address is not valid.")), Length(max=254)],
        render_kw={"spellcheck": "false"},
    )
    retention_months = WholeNumberField(
        _l("Months the data is kept after the event"),
        description=_l("Then the organisers purge the attendees' personal data."),
        validators=[
            DataRequired(_l("Give a number of months.")),
            NumberRange(
                1,
                MAX_RETENTION_MONTHS,
                _l("Between 1 and %(max)d months.", max=MAX_RETENTION_MONTHS),
            ),
        ],
    )
    details = TextAreaField(
        _l("Anything else attendees should know"),
        description=_l(
            "Optional: photos, who else receives the data, the data protection officer."
        ),
        validators=[Optional(), Length(max=5000)],
    )
    submit = SubmitField(_l("Save"))


class PurgeForm(FlaskForm):
    """Typing the event's identifier, as code hosts ask before deleting a repository: a click
    can be a slip, typing cannot."""

    confirmation = StringField(
        _l("Type the event's identifier to confirm"),
        validators=[DataRequired(_l("Type the event's identifier to confirm."))],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Purge the personal data"))

    def __init__(self, *args, expected: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected

    def validate_confirmation(self, field):
        if (field.data or "").strip().lower() != self.expected.lower():
            raise ValidationError(_l("This is not the event's identifier: nothing was purged."))


class NamesConsentForm(FlaskForm):
    consent = RadioField(
        _l("May your name appear in the books of the challenges?"),
        choices=[
            ("yes", _l("Yes, my name may appear")),
            ("no", _l("No, count me without my name")),
        ],
        # WTForms' own "Not a valid choice" says nothing of what to do (and its French has a
        # straight apostrophe): one message for no answer and for an impossible one.
        validate_choice=False,
        validators=[
            InputRequired(_l("Say whether your name may appear: yes or no.")),
            AnyOf(("yes", "no"), _l("Say whether your name may appear: yes or no.")),
        ],
    )
    submit = SubmitField(_l("Save my answer"))
