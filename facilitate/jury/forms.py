from markupsafe import Markup, escape
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from facilitate.forms import WholeNumberField, int_choice, optional_int
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import HIGHEST_SCORE, LOWEST_SCORE
from facilitate.text import FlaskForm

# Where the jury's forms are drawn, refused or as first shown (``facilitate/rendered_forms.py``).
FORMS_TEMPLATE = "jury/_forms.html"


class CriterionForm(FlaskForm):
    name = StringField(
        _l("Criterion"),
        validators=[DataRequired(_l("Give the criterion a name.")), Length(max=200)],
    )
    position = WholeNumberField(
        _l("Order"),
        validators=[
            InputRequired(_l("Give the criterion’s place in the rubric.")),
            # The column is a 32-bit integer: a larger order would be a 500 on PostgreSQL.
            NumberRange(min=1, max=500, message=_l("Between 1 and 500.")),
        ],
    )
    submit = SubmitField(_l("Save"))


class NewCriterionForm(FlaskForm):
    name = StringField(
        _l("New criterion"),
        validators=[DataRequired(_l("Give the criterion a name.")), Length(max=200)],
    )
    submit = SubmitField(_l("Add the criterion"))


class JurorForm(FlaskForm):
    user_id = SelectField(_l("Site organiser"), coerce=optional_int, validators=[Optional()])
    email = StringField(
        _l("Or the address of an account"),
        description=_l("Any person with an account and a password."),
        validators=[Optional(), Length(max=254)],
    )
    submit = SubmitField(_l("Appoint as juror"))


class NominateForm(FlaskForm):
    team = SelectField(
        _l("Team"),
        coerce=int_choice,
        validators=[DataRequired(_l("Choose the team to nominate."))],
    )
    submit = SubmitField(_l("Nominate"))


class ScoresForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save my scores"))


def scores_form_class(criteria) -> type[ScoresForm]:
    """One 1–5 choice a criterion: checked again by the domain (``save_scores``), which says
    which criterion a missing or impossible score belongs to. Made once per request: a juror's
    page holds one form per nominee."""

    class Form(ScoresForm):
        pass

    for criterion in criteria:
        setattr(
            Form,
            f"criterion_{criterion.id}",
            RadioField(
                criterion.name,
                choices=[(str(n), str(n)) for n in range(LOWEST_SCORE, HIGHEST_SCORE + 1)],
                validate_choice=False,
                validators=[Optional()],
            ),
        )
    return Form


def score_choices(field) -> Markup:
    """A score's 1–5 choices as WTForms' widgets draw them (ids "<field>-0"…), each an item of
    the scale's list, without the widgets: 300 of them (12 nominees, 5 criteria) cost the
    juror's page most of its time."""
    name, field_id = escape(field.name), escape(field.id)
    return Markup(  # noqa: S704  (escaped above; the values are the field's own digits)
        "".join(
            f'<li><input{" checked" if field.data == value else ""} id="{field_id}-{i}" '
            f'name="{name}" type="radio" value="{escape(value)}"> '
            f'<label for="{field_id}-{i}">{escape(label)}</label></li>'
            for i, (value, label) in enumerate(field.choices)
        )
    )


def scores_form(criteria, prefix: str, data: dict | None = None, formdata=None, form_class=None):
    form_class = form_class or scores_form_class(criteria)
    if formdata is None:
        return form_class(formdata=None, prefix=prefix, data=data or {})
    return form_class(prefix=prefix)
