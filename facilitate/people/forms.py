from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from facilitate.forms import optional_int
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import Role
from facilitate.text import FlaskForm


class AttendeeForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the person's name.")), Length(max=200)],
        description=_l(
            "First name then surname, as the badge prints it. Lists file people by surname: "
            "the last word with its particles (de La Tour, Le Goff), or the words in capitals "
            "(Jean DUPONT, Marie MARTIN DUPONT)."
        ),
    )
    email = EmailField(
        _l("Email address"),
        validators=[Optional(), Email(_l("This email address is not valid.")), Length(max=254)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role in a team"),
        choices=[
            (Role.MEMBER.value, _l("Team member")),
            (Role.FACILITATOR.value, _l("Facilitator")),
            (Role.CHALLENGE_OWNER.value, Role.CHALLENGE_OWNER.label),
        ],
        default=Role.MEMBER.value,
    )
    team_id = SelectField(
        _l("Team"),
        coerce=optional_int,
        validate_choice=True,
        description=_l(
            "A member or facilitator may have no team yet; a challenge owner needs one."
        ),
    )
    submit = SubmitField(_l("Save"))
