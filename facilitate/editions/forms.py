from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from facilitate.forms import WholeNumberField, int_choice
from facilitate.i18n import lazy_gettext as _l
from facilitate.models.editions import FIRST_EDITION_YEAR, LAST_EDITION_YEAR
from facilitate.text import FlaskForm


class EditionForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("For example: Université de l’innovation publique territoriale"),
        validators=[DataRequired(_l("Give the edition a name.")), Length(max=200)],
    )
    year = WholeNumberField(
        _l("Year"),
        validators=[
            InputRequired(_l("Give the year of the edition.")),
            NumberRange(
                FIRST_EDITION_YEAR,
                LAST_EDITION_YEAR,
                message=_l(
                    "Give a year between %(first)d and %(last)d.",
                    first=FIRST_EDITION_YEAR,
                    last=LAST_EDITION_YEAR,
                ),
            ),
        ],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class AttachForm(FlaskForm):
    event = SelectField(
        _l("Event you organise"),
        coerce=int_choice,
        validate_choice=True,
        validators=[DataRequired(_l("Choose the event to add."))],
    )
    submit = SubmitField(_l("Add it as a site"))


class AppointForm(FlaskForm):
    user_id = SelectField(
        _l("Site organiser"),
        coerce=int_choice,
        validators=[DataRequired(_l("Choose an organiser of one of the edition’s sites."))],
    )
    submit = SubmitField(_l("Make them a national organiser"))
