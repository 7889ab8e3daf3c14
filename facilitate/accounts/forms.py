from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from facilitate.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import Role
from facilitate.text import FlaskForm

_NEW_PASSWORD_HINT = _l(
    "At least 12 characters. Not a common password, nor your name or email address. A few words that only you would put together are easy to remember and hard to guess."
)


def _new_password_field():
    return PasswordField(
        _l("New password"),
        description=_NEW_PASSWORD_HINT,
        validators=[DataRequired(_l("Choose a password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "new-password", "data-password-hint": str(MIN_LENGTH)},
    )


def _confirm_field():
    return PasswordField(
        _l("The new password again"),
        validators=[
            DataRequired(_l("Type the new password a second time.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class InvitationForm(FlaskForm):
    role = SelectField(
        _l("Invited as"),
        choices=[
            (Role.ORGANISER.value, _l("Co-organiser of the event")),
            (Role.FACILITATOR.value, _l("Facilitator (already an attendee)")),
            (Role.CHALLENGE_OWNER.value, _l("Challenge owner (already an attendee)")),
        ],
        default=Role.ORGANISER.value,
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter the email address of the person you invite.")),
            Email(_l("This email address is not valid.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    name = StringField(
        _l("Name"),
        description=_l("For a person who has no account yet; they may correct it."),
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField(_l("Create the invitation"))


class QuickInvitationForm(FlaskForm):
    """The one-click invitation of a facilitator or challenge owner from the list."""

    role = HiddenField()
    email = HiddenField()
    submit = SubmitField(_l("Create a link"))


class ChoosePasswordForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(_l("Give your name.")), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    password = _new_password_field()
    confirm = _confirm_field()
    submit = SubmitField(_l("Choose this password"))


class ResetPasswordForm(FlaskForm):
    password = _new_password_field()
    confirm = _confirm_field()
    submit = SubmitField(_l("Choose this password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field()
    confirm = _confirm_field()
    submit = SubmitField(_l("Change my password"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Send me a link"))
