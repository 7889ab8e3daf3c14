"""``forms.html_params`` writes exactly what WTForms' own ``html_params`` writes, and every widget
of the app uses it (``forms.install_widgets``, from the app factory)."""

import importlib.util

import pytest
import wtforms.fields.core
import wtforms.widgets
import wtforms.widgets.core
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms import (
    BooleanField,
    Form,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from facilitate import forms


def _pristine_wtforms_widgets():
    """WTForms' widgets module as WTForms wrote it, loaded apart from the one the app changed."""
    spec = importlib.util.spec_from_file_location(
        "pristine_wtforms_widgets_core", wtforms.widgets.core.__file__
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WTFORMS = _pristine_wtforms_widgets()

NAMES = st.one_of(
    st.sampled_from(
        ["class_", "for_", "id", "name", "value", "type", "checked", "aria_describedby"]
    ),
    st.from_regex(r"(data_|aria_)?[a-z][a-z0-9_]{0,10}_?", fullmatch=True),
    st.text(min_size=1, max_size=8),  # any text: "<", "&", quotes...
)
TEXT = st.one_of(st.text(max_size=20), st.sampled_from(['"', "'", "<b>&amp;</b>", "a\"b'c<>&"]))
VALUES = st.one_of(
    st.booleans(),
    TEXT,
    TEXT.map(Markup),  # already safe: written as it is, but for its double quotes
    st.integers(),
    st.none(),
    st.floats(allow_nan=False),
)


@given(st.dictionaries(NAMES, VALUES, max_size=8))
def test_the_same_text_as_wtforms(values):
    expected = WTFORMS.html_params(**values)
    written = forms.html_params(**values)
    assert type(written) is Markup
    assert str(written) == str(expected)


def test_the_examples_of_wtforms():
    assert forms.html_params(data_attr="user.name", aria_labeledby="name") == (
        'aria-labeledby="name" data-attr="user.name"'
    )
    assert forms.html_params(checked=True, readonly=False, name="text1", abc="hello") == (
        'abc="hello" checked name="text1"'
    )
    assert forms.html_params(title=Markup('say "hi" <b>')) == 'title="say &quot;hi&quot; <b>"'
    assert forms.html_params() == ""


def test_installed_in_every_widget(app):
    assert wtforms.widgets.core.html_params is forms.html_params
    assert wtforms.widgets.html_params is forms.html_params
    assert wtforms.widgets.core.Input.html_params is forms.html_params
    assert wtforms.widgets.core.Button.html_params is forms.html_params
    flags = wtforms.fields.core.Flags()
    flags.required, flags.maxlength = True, 40
    assert dir(flags) == ["maxlength", "required"]
    assert repr(flags) == "<wtforms.fields.Flags: {maxlength=40, required=True}>"


class _Everything(Form):
    text = StringField("Name <&>", validators=[DataRequired(), Length(max=40)])
    notes = TextAreaField("Notes", render_kw={"rows": 3, "data_x": 'a"b'})
    choice = SelectField("Choice", choices=[("a", "A & a"), ("b", Markup("<i>B</i>"))])
    several = SelectMultipleField("Several", choices=[(1, "one"), (2, "two")], coerce=int)
    grouped = SelectField("Grouped", choices={"G<1>": [("x", "X")], "G2": [("y", "Y")]})
    radio = RadioField("Radio", choices=[("r", "R"), ("s", "S")])
    tick = BooleanField("Tick")
    submit = SubmitField("Save")


def _page(form):
    return "".join(
        f"{f.label(class_='l')}{f(class_='i', aria_invalid='true', hidden=False)}" for f in form
    )


@pytest.mark.filterwarnings("ignore:Passing SelectField choices in a dict")
def test_widgets_write_the_same_page(app, monkeypatch):
    from werkzeug.datastructures import MultiDict  # noqa: PLC0415

    form = _Everything(
        MultiDict(
            [("text", 'Ann "A" <x>'), ("notes", "a\nb & c"), ("choice", "b")]
            + [("several", "2"), ("grouped", "y"), ("radio", "s"), ("tick", "y")]
        )
    )
    ours = _page(form)
    monkeypatch.setattr(wtforms.widgets.core, "html_params", WTFORMS.html_params)
    monkeypatch.setattr(wtforms.widgets, "html_params", WTFORMS.html_params)
    monkeypatch.setattr(
        wtforms.widgets.core.Input, "html_params", staticmethod(WTFORMS.html_params)
    )
    monkeypatch.setattr(
        wtforms.widgets.core.Button, "html_params", staticmethod(WTFORMS.html_params)
    )
    monkeypatch.delattr(wtforms.fields.core.Flags, "__dir__")
    assert _page(form) == ours
    assert 'data-x="a&#34;b"' in ours and "<optgroup" in ours and "required" in ours
