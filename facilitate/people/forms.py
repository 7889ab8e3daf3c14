from wtforms import EmailField, SearchField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from facilitate.forms import ListForm, optional_int
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


class AttendeeListForm(ListForm):
    """The attendee list's search, filters and order (see ``people.attendee_list``); the team
    choices are the event's, set by the view."""

    q = SearchField(_l("Name, organisation or email"), render_kw={"spellcheck": "false"})
    team = SelectField(_l("Team"), default="")
    role = SelectField(
        _l("Role"),
        default="",
        choices=[
            ("", _l("Every role")),
            (Role.PARTICIPANT.value, _l("Participant without a team role")),
            (Role.MEMBER.value, _l("Team member")),
            (Role.FACILITATOR.value, _l("Facilitator")),
            (Role.CHALLENGE_OWNER.value, Role.CHALLENGE_OWNER.label),
        ],
    )
    code = SelectField(
        _l("Access code"),
        default="",
        choices=[("", _l("With or without")), ("issued", _l("Issued")), ("none", _l("None"))],
    )
    badge = SelectField(
        _l("Badge"),
        default="",
        choices=[
            ("", _l("Printed or not")),
            ("printed", _l("Printed")),
            ("not_printed", _l("Not printed yet")),
        ],
    )
    sort = SelectField(
        _l("Order"),
        default="name",
        choices=[
            ("name", _l("By surname")),
            ("organisation", _l("By organisation")),
            ("team", _l("By team")),
        ],
    )
