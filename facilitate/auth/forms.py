from wtforms import EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from facilitate.i18n import lazy_gettext as _l
from facilitate.text import FlaskForm


class PasswordSignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class AccessCodeForm(FlaskForm):
    code = StringField(
        _l("Access code"),
        description=_l(
            "15 letters and digits, printed on your badge, for example K7QMX-3PAHD-R9TWE."
        ),
        validators=[
            DataRequired(_l("Enter the access code printed on your badge.")),
            Length(max=64),
        ],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in with my code"))


class SignOutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))
