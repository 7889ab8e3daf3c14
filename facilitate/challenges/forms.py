from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from facilitate.challenges.services import MAX_CHALLENGE_NUMBER
from facilitate.forms import ItemList, WholeNumberField, optional_int
from facilitate.i18n import lazy_gettext as _l
from facilitate.text import FlaskForm


def _item():
    return StringField(validators=[Optional(), Length(max=500)])


class ChallengeForm(FlaskForm):
    number = WholeNumberField(
        _l("Challenge number"),
        validators=[
            InputRequired(_l("Give the challenge a number.")),
            NumberRange(min=1, max=MAX_CHALLENGE_NUMBER, message=_l("Use a whole number from 1.")),
        ],
    )
    question = TextAreaField(
        _l("Question"),
        description=_l("Usually “Comment… ?”: the question the team will work on."),
        validators=[InputRequired(_l("The question is required.")), Length(max=1000)],
    )
    theme_id = SelectField(_l("Theme"), coerce=optional_int, validate_choice=True)
    owner_organisation = StringField(
        _l("Challenge owner (organisation)"), validators=[Optional(), Length(max=200)]
    )
    project_name = StringField(_l("Project"), validators=[Optional(), Length(max=200)])
    territory = TextAreaField(_l("Territory"), validators=[Optional(), Length(max=2000)])
    stakes = TextAreaField(_l("Stakes"), validators=[Optional(), Length(max=5000)])
    stakeholders = ItemList(_item())
    users = ItemList(_item())
    obstacles = ItemList(_item())
    levers = ItemList(_item())
    info_url = StringField(
        _l("Link to more information"),
        validators=[
            Optional(),
            Length(max=500),
            Regexp(
                r"^https?://\S+$",
                message=_l("Give a web address starting with https:// or http://."),
            ),
        ],
    )
    submit = SubmitField(_l("Save"))


class OwnerForm(FlaskForm):
    user_id = SelectField(_l("Attendee"), coerce=optional_int, validate_choice=True)
    submit = SubmitField(_l("Add as challenge owner"))
