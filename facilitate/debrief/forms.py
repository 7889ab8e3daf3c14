"""The debrief's forms: the attendee's answers (one group of radio buttons per part of the
event, made for the event's parts) and the organiser's list of parts."""

import hashlib
from functools import lru_cache

from markupsafe import Markup, escape
from wtforms import BooleanField, HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from facilitate.debrief.services import SCORES, TEXT_MAX
from facilitate.i18n import lazy_gettext as _l
from facilitate.text import FlaskForm

NO_OPINION = ""


class AnswerForm(FlaskForm):
    keep = TextAreaField(
        _l("What should we keep?"),
        validators=[Optional(), Length(max=TEXT_MAX, message=_l("At most 2,000 characters."))],
    )
    change = TextAreaField(
        _l("What should we change?"),
        validators=[Optional(), Length(max=TEXT_MAX, message=_l("At most 2,000 characters."))],
    )
    show_name = BooleanField(_l("Show my name to the organisers with my answers"))
    submit = SubmitField(_l("Send my answers"))

    def parts_changed(self) -> bool:
        """Whether the organisers changed the parts since this page was sent: the scores are
        matched to the parts by position, so a part inserted meanwhile would move each score
        to the part before it. The next sending is taken (the page now shows the new parts)."""
        if self.parts_digest.data in (self._digest, None, ""):  # none sent: not from the page
            return False
        self.parts_digest.data = self._digest
        return True

    def score_fields(self):
        return [self[f"score_{i}"] for i in range(self._part_count)]

    def scores(self, parts: list[str]) -> dict[str, int]:
        return {
            part: int(f.data)
            for part, f in zip(parts, self.score_fields(), strict=True)
            if f.data and f.data != NO_OPINION
        }

    def score_fieldsets(self) -> Markup:
        """The groups of radio buttons, one per part, written here rather than by WTForms'
        widgets in the template (a dozen parts of six choices cost the page 2 ms there): the
        same HTML, each value escaped, each choice checked as WTForms would."""
        groups = []
        for score in self.score_fields():
            choices = []
            for i, (value, label) in enumerate(score.choices):
                option = escape(f"{score.id}-{i}")
                checked = "checked " if score.data == value else ""
                choices.append(
                    f'<li><input {checked}id="{option}" name="{escape(score.name)}" type="radio"'
                    f' value="{escape(value)}"> <label for="{option}">{escape(label)}</label></li>'
                )
            groups.append(
                f'<fieldset class="debrief-scale" id="{escape(score.id)}"'
                ' aria-describedby="scale-hint">\n'
                f"<legend>{escape(score.label.text)}</legend>\n"
                '<ul class="debrief-scale__choices">\n'
                + "\n".join(choices)
                + "\n</ul>\n</fieldset>"
            )
        return Markup("\n".join(groups))  # noqa: S704  (every value escaped above)


def answer_form(parts: list[str], **kwargs) -> AnswerForm:
    """A form with one score per part of this event's questionnaire."""
    return _answer_form_class(tuple(parts))(**kwargs)


@lru_cache(maxsize=256)
def _answer_form_class(parts: tuple[str, ...]) -> type[AnswerForm]:
    """The form's class for these parts, made once per process and list of parts (making a
    class of a dozen fields cost the page 0.3 ms at each request)."""
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    class EventAnswerForm(AnswerForm):
        _part_count = len(parts)
        _digest = digest
        parts_digest = HiddenField(default=digest)

    choices = [(str(s), str(s)) for s in SCORES] + [(NO_OPINION, _l("No opinion"))]
    for i, part in enumerate(parts):
        setattr(
            EventAnswerForm,
            f"score_{i}",
            RadioField(part, choices=choices, default=NO_OPINION, validators=[Optional()]),
        )
    return EventAnswerForm


class PartsForm(FlaskForm):
    parts = TextAreaField(
        _l("Parts of the event to rate"),
        description=_l("One per line, at most 12."),
        validators=[InputRequired(_l("Name at least one part of the event."))],
    )
    submit = SubmitField(_l("Save the parts"))
