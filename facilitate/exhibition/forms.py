"""Forms of the stands, the stand page and the ballot page. The rules (distinct numbers, how
many votes, whose stand) are the services'; these forms only check the shape of what was typed."""

from wtforms import (
    BooleanField,
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from facilitate.exhibition.stands import FEEDBACK_MAX, Stand
from facilitate.forms import WholeNumberField, int_choice
from facilitate.i18n import lazy_gettext as _l
from facilitate.text import FlaskForm
from facilitate.urls import safe_next_url

STAND_NUMBER_MAX = 9999
PLACE_MAX = 200


def _text(value):
    """Browsers send CRLF line ends; what is stored keeps LF."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


# --- Organisers: stand numbers and places ------------------------------------------------------


class StandsForm(FlaskForm):
    """One number and one place per team, named ``number_<team id>`` and ``place_<team id>``:
    built for the event's teams by ``stands_form``."""

    submit = SubmitField(_l("Save the stands"))

    team_ids: list[int] = []

    def number(self, team_id: int):
        return self[f"number_{team_id}"]

    def place(self, team_id: int):
        return self[f"place_{team_id}"]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        by_number: dict[int, list] = {}
        for team_id in self.team_ids:
            field = self.number(team_id)
            if field.data is not None and not field.errors:
                by_number.setdefault(field.data, []).append(field)
        for number, fields in by_number.items():
            if len(fields) > 1:
                valid = False
                for field in fields:
                    field.errors.append(
                        _l("Stand %(number)d is given to more than one team.", number=number)
                    )
        return valid

    def submitted(self) -> dict[int, tuple[int | None, str | None]]:
        """What to save, for the teams this form was posted with: a team created after the
        page was opened keeps its number (the service leaves out teams it is not given)."""
        return {
            team_id: (self.number(team_id).data, self.place(team_id).data or None)
            for team_id in self.team_ids
            if self.number(team_id).raw_data
        }


def _stand_number(form, field):
    """One clear message for anything but a whole number from 1 (not WTForms' own as well)."""
    if field.data is None or not 1 <= field.data <= STAND_NUMBER_MAX:
        field.errors[:] = []
        raise StopValidation(_l("A whole number from 1 to 9,999."))


def stands_form(stands: list[Stand], submitted: bool = False) -> StandsForm:
    """The stands form for these teams, filled from the request when ``submitted``, otherwise
    with their current numbers and places."""

    class EventStandsForm(StandsForm):
        pass

    for stand in stands:
        setattr(
            EventStandsForm,
            f"number_{stand.team_id}",
            WholeNumberField(
                _l("Stand number"),
                # A text box, so that what was typed comes back with its error (a number box
                # drops "abc"); phones still show digits.
                widget=TextInput(),
                validators=[Optional(), _stand_number],
            ),
        )
        setattr(
            EventStandsForm,
            f"place_{stand.team_id}",
            StringField(
                _l("Location"),
                filters=[_text],
                validators=[
                    Optional(),
                    Length(max=PLACE_MAX, message=_l("At most 200 characters.")),
                ],
            ),
        )
    EventStandsForm.team_ids = [stand.team_id for stand in stands]
    if submitted:
        return EventStandsForm()
    data = {}
    for stand in stands:
        data[f"number_{stand.team_id}"] = stand.stand
        data[f"place_{stand.team_id}"] = stand.place or ""
    return EventStandsForm(formdata=None, data=data)


class NumberStandsForm(FlaskForm):
    """Stand N for challenge N; ``confirmed`` once the organiser has seen what changes."""

    confirmed = HiddenField(default="")
    submit = SubmitField(_l("Number the stands by challenge"))


# --- Visitors: feedback at a stand ------------------------------------------------------------


def _answer(label, description=None):
    return TextAreaField(
        label,
        description=description,
        filters=[_text],
        validators=[
            Optional(),
            Length(max=FEEDBACK_MAX, message=_l("At most 2,000 characters.")),
        ],
    )


class ShownForTeam:
    """A stand's forms post to its stand number and carry the id of the team they were shown
    for: if the organisers renumber the stands meanwhile, nothing goes to another team."""

    team = HiddenField()

    def shown_for(self) -> int | None:
        value = (self.team.data or "").strip()
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


class StandFeedbackForm(ShownForTeam, FlaskForm):
    liked = _answer(_l("What I liked"))
    could_be_better = _answer(_l("What could be better"))
    question = _answer(_l("A question for the team"))
    anonymous = BooleanField(
        _l("Don't show my name"),
        description=_l(
            "Your feedback will be signed “Anonymous visitor”, for the team and the organisers alike."
        ),
    )
    submit = SubmitField(_l("Send my feedback"))


# --- Votes ------------------------------------------------------------------------------------


class VoteForm(ShownForTeam, FlaskForm):
    """Give this stand one of my votes, or take it back. ``next`` is the page to come back to
    (the stand, the list of stands or my ballot)."""

    action = HiddenField(validators=[AnyOf(("give", "withdraw"))])
    next = HiddenField()

    def next_url(self, default: str) -> str:
        return safe_next_url(self.next.data, default)


class BallotForm(FlaskForm):
    """The whole ballot at once: one checkbox per stand I may vote for."""

    teams = SelectMultipleField(
        _l("My votes"),
        coerce=int_choice,
        # Whether a stand may be chosen is the ballot's rule: the service says why not.
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Save my ballot"))
