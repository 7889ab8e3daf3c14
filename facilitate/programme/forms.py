from wtforms import DateTimeLocalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from facilitate.events.forms import DATETIME_FORMAT, plausible_date
from facilitate.forms import optional_int
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import SessionKind, Stage
from facilitate.programme.services import ANNOUNCEMENT_LENGTH
from facilitate.text import FlaskForm


def _optional_stage(value):
    return None if value in (None, "", "None") else Stage(value)


def _kind(value):
    return value if isinstance(value, SessionKind) else SessionKind(value)


class SessionForm(FlaskForm):
    kind = SelectField(_l("Kind"), coerce=_kind, validate_choice=True)
    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Give the session a title.")), Length(max=200)],
    )
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format=DATETIME_FORMAT,
        validators=[
            InputRequired(_l("Give the date and time the session starts.")),
            plausible_date,
        ],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(_l("Give the date and time the session ends.")), plausible_date],
    )
    room = StringField(
        _l("Room"),
        description=_l("Each room has its own page and its own screen."),
        validators=[Optional(), Length(max=120)],
    )
    speakers = StringField(_l("Speakers"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    stage = SelectField(
        _l("Stage that starts with this session"),
        coerce=_optional_stage,
        validate_choice=True,
        description=_l("The stage’s planned start then follows this session."),
    )
    team = SelectField(_l("For"), coerce=optional_int, validate_choice=True)
    submit = SubmitField(_l("Save"))

    def set_choices(self, team_numbers: list[int]) -> None:
        self.kind.choices = [(kind.value, kind.label) for kind in SessionKind]
        self.stage.choices = [("", _l("None"))] + [(s.value, s.label) for s in Stage]
        self.team.choices = [("", _l("Everyone"))] + [
            (n, _l("The team of challenge %(number)d", number=n)) for n in team_numbers
        ]


class AnnouncementForm(FlaskForm):
    text = TextAreaField(
        _l("Announcement"),
        description=_l(
            "Shown on every screen of the event for ten minutes, or until you take it down."
        ),
        validators=[
            InputRequired(_l("Write the announcement first.")),
            Length(max=ANNOUNCEMENT_LENGTH),
        ],
    )
    submit = SubmitField(_l("Show on the screens"))
