from wtforms import BooleanField, HiddenField, SearchField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from facilitate.forms import ListForm, WholeNumberField, optional_int
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import Stage
from facilitate.numbers import whole_number
from facilitate.text import FlaskForm


class PlaceForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=optional_int, validate_choice=True)
    submit = SubmitField(_l("Place"))


class PlacementForm(FlaskForm):
    min_size = WholeNumberField(
        _l("Smallest team"),
        default=8,
        validators=[
            InputRequired(_l("Give a number.")),
            NumberRange(min=1, max=500, message=_l("Between 1 and 500.")),
        ],
    )
    max_size = WholeNumberField(
        _l("Largest team"),
        default=16,
        validators=[
            InputRequired(_l("Give a number.")),
            NumberRange(min=1, max=500, message=_l("Between 1 and 500.")),
        ],
    )
    keep_existing = BooleanField(_l("Keep people already placed in their team"), default=True)
    seed = HiddenField(default="0")
    fingerprint = HiddenField()
    submit = SubmitField(_l("Propose a placement"))

    def validate_max_size(self, field):
        if self.min_size.data and field.data is not None and field.data < self.min_size.data:
            raise ValidationError(_l("The largest team cannot be smaller than the smallest."))

    def validate_seed(self, field):
        if self.seed_number is None:
            raise ValidationError(_l("Invalid proposal; please start again."))

    @property
    def seed_number(self) -> int | None:
        """The proposal's draw, as the page wrote it: digits 0 to 9 (None for anything else)."""
        seed = whole_number(self.seed.data or "0")
        return seed if seed is not None and seed >= 0 else None


class TeamListForm(ListForm):
    """The teams page's search, filters and order (see ``teams.overview``); the theme choices
    are the event's, set by the view."""

    q = SearchField(
        _l("Challenge number, question, team or person"), render_kw={"spellcheck": "false"}
    )
    theme = SelectField(_l("Theme"), default="")
    stage = SelectField(
        _l("Stage"),
        default="",
        choices=[("", _l("Every stage")), *((stage.value, stage.label) for stage in Stage)],
    )
    facilitator = SelectField(
        _l("Facilitation"),
        default="",
        choices=[
            ("", _l("With or without a facilitator")),
            ("with", _l("With a facilitator")),
            ("without", _l("Without a facilitator")),
        ],
    )
    sort = SelectField(
        _l("Order"),
        default="number",
        choices=[
            ("number", _l("By challenge number")),
            ("members", _l("Fewest members first")),
            ("stage", _l("Least advanced first")),
        ],
    )
