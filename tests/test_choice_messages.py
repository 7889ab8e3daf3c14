"""A choice that is not among those offered (nothing picked on a radio list, or a choice the
page offered but no longer does, such as a team nominated twice) says what to do, in the
reader's language, instead of WTForms' "N'est pas un choix valide."."""

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired

from facilitate.text import FlaskForm


class ChoiceForm(FlaskForm):
    class Meta:
        csrf = False

    team = SelectField(choices=[("1", "Équipe 1")])
    answer = RadioField(choices=[("yes", "Oui"), ("no", "Non")])


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Choisissez l’une des options proposées."),
        ("en", "Choose one of the options offered."),
    ],
)
def test_a_choice_not_offered_says_what_to_do(app, language, message):
    with app.test_request_context(headers={"Accept-Language": language}):
        form = ChoiceForm(formdata=MultiDict({"team": "2"}))
        assert not form.validate()
    assert form.errors == {"team": [message], "answer": [message]}


def test_a_value_that_is_not_even_a_choice_says_the_same(app):
    class Numbered(FlaskForm):
        class Meta:
            csrf = False

        team = SelectField(choices=[(1, "Équipe 1")], coerce=int)

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        form = Numbered(formdata=MultiDict({"team": "pas un nombre"}))
        assert not form.validate()
    assert form.errors == {"team": ["Choisissez l’une des options proposées."]}


def test_wtforms_other_messages_keep_their_translation(app):
    class Required(FlaskForm):
        class Meta:
            csrf = False

        name = StringField(validators=[DataRequired()])

    with app.test_request_context(headers={"Accept-Language": "fr"}):
        form = Required(formdata=MultiDict({}))
        assert not form.validate()
    assert form.errors == {"name": ["Ce champ est requis."]}
