from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from facilitate.forms import ItemList
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import Team
from facilitate.text import FlaskForm
from facilitate.workspace.blank_forms import register
from facilitate.workspace.conflicts import form_with_bases

FRAMING_LISTS = ("stakeholders", "users", "obstacles", "levers")
FRAMING_FIELDS = ("working_question", "existing_solutions", *FRAMING_LISTS)


def _item():
    # No label of its own: the list names each item (macros/lists.html).
    return StringField(label="", validators=[Optional(), Length(max=500)])


class FramingForm(FlaskForm):
    """The team's framing; each field carries the fingerprint it had when shown (conflicts.py)."""

    working_question = TextAreaField(
        _l("Working question"),
        description=_l("The team's own wording of the challenge: “Comment… ?”"),
        validators=[Optional(), Length(max=1000)],
    )
    existing_solutions = TextAreaField(
        _l("What already exists"), validators=[Optional(), Length(max=5000)]
    )
    stakeholders = ItemList(_item())
    users = ItemList(_item())
    obstacles = ItemList(_item())
    levers = ItemList(_item())
    base_working_question = HiddenField()
    base_existing_solutions = HiddenField()
    base_stakeholders = HiddenField()
    base_users = HiddenField()
    base_obstacles = HiddenField()
    base_levers = HiddenField()
    submit = SubmitField(_l("Save the framing"))


class PersonaForm(FlaskForm):
    name = StringField(
        _l("Persona's name"),
        validators=[DataRequired(_l("Give the persona a name.")), Length(max=200)],
    )
    role = StringField(_l("Who they are"), validators=[Optional(), Length(max=200)])
    needs = TextAreaField(_l("Needs"), validators=[Optional(), Length(max=2000)])
    pains = TextAreaField(_l("Pains"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add the persona"))


class JournalForm(FlaskForm):
    body = TextAreaField(
        _l("New journal entry"),
        validators=[
            DataRequired(_l("Write something first.")),
            Length(max=2000, message=_l("At most 2,000 characters.")),
        ],
    )
    submit = SubmitField(_l("Add to the journal"))


register("persona", PersonaForm)
register("journal", JournalForm)


class StageForm(FlaskForm):
    stage = HiddenField(validators=[DataRequired()])
    submit = SubmitField()


def stored_framing(team: Team, name: str):
    """A framing field as the team has it."""
    if name in FRAMING_LISTS:
        value = getattr(team, f"framing_{name}")
        # The team's lists start from the sheet's until the team saves its own.
        return list(value) if value is not None else list(getattr(team.challenge, name) or [])
    return getattr(team, name) or ""


def framing_values(team: Team) -> dict:
    return {name: stored_framing(team, name) for name in FRAMING_FIELDS}


def framing_form(team: Team) -> FramingForm:
    """The framing as stored, each field with the fingerprint it is shown with."""
    return form_with_bases(FramingForm, framing_values(team))


register("framing", FramingForm, build=lambda values: form_with_bases(FramingForm, values))


PUBLIC, EVENT_ONLY = "public", "event"


class PublicConsentForm(FlaskForm):
    """Says what the button asked (public, or within the event only), so that sending it twice
    changes nothing."""

    choice = HiddenField(validators=[DataRequired(), AnyOf([PUBLIC, EVENT_ONLY])])
