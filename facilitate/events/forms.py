from wtforms import (
    DateTimeLocalField,
    Form,
    FormField,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import ColorField, SelectField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from facilitate.forms import ItemList
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import Stage
from facilitate.numbers import database_id
from facilitate.text import FlaskForm
from facilitate.timezones import timezone_choices

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

# Events happen in this century: a date far outside it is a slip of the keyboard, and one near
# the ends of what Python's datetime holds (years 1 and 9999) overflows when moved to UTC or
# copied with its event (a 500).
FIRST_YEAR, LAST_YEAR = 2000, 2099


def plausible_date(_form, field) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _l("Give a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )


SLUG = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    message=_l("Use lower-case letters without accents, digits and hyphens, e.g. rennes-2026."),
)


class ThemeForm(Form):
    id = HiddenField()
    name = StringField(_l("Theme name"), validators=[Optional(), Length(max=200)])
    colour = ColorField(
        _l("Colour"),
        default="#1d4e89",
        validators=[
            Optional(),
            Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Choose a colour such as #1d4e89.")),
        ],
    )


class EventForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the event a name.")), Length(max=200)]
    )
    slug = StringField(
        _l("Identifier in addresses"),
        description=_l(
            "Lower-case letters, digits and hyphens, e.g. rennes-2026. It appears in links and on badges."
        ),
        validators=[DataRequired(_l("Choose an identifier.")), Length(max=80), SLUG],
    )
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    timezone = SelectField(
        _l("Time zone of the venue"),
        choices=timezone_choices,
        default="Europe/Paris",
        description=_l("Times are shown to everyone in the venue's local time."),
    )
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format=DATETIME_FORMAT,
        validators=[DataRequired(_l("Give the date and time the event starts.")), plausible_date],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        format=DATETIME_FORMAT,
        validators=[DataRequired(_l("Give the date and time the event ends.")), plausible_date],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    framing_at = DateTimeLocalField(
        Stage.FRAMING.label, format=DATETIME_FORMAT, validators=[Optional(), plausible_date]
    )
    ideation_at = DateTimeLocalField(
        Stage.IDEATION.label, format=DATETIME_FORMAT, validators=[Optional(), plausible_date]
    )
    prototyping_at = DateTimeLocalField(
        Stage.PROTOTYPING.label, format=DATETIME_FORMAT, validators=[Optional(), plausible_date]
    )
    exhibition_at = DateTimeLocalField(
        Stage.EXHIBITION.label, format=DATETIME_FORMAT, validators=[Optional(), plausible_date]
    )
    themes = ItemList(FormField(ThemeForm), min_entries=0)
    submit = SubmitField(_l("Save"))

    STAGE_FIELDS = {
        Stage.FRAMING: "framing_at",
        Stage.IDEATION: "ideation_at",
        Stage.PROTOTYPING: "prototyping_at",
        Stage.EXHIBITION: "exhibition_at",
    }

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data < self.starts_at.data:
            raise ValidationError(_l("The event must end after it starts."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        previous = None
        for name in self.STAGE_FIELDS.values():
            field = self[name]
            if field.data is None:
                continue
            if (
                self.starts_at.data
                and self.ends_at.data
                and not (self.starts_at.data <= field.data <= self.ends_at.data)
            ):
                field.errors.append(_l("This stage must start during the event."))
                valid = False
            elif previous is not None and field.data < previous:
                field.errors.append(
                    _l("Stages follow each other: this one starts before the previous one.")
                )
                valid = False
            previous = field.data
        for entry in self.themes:
            if entry.form.id.data and database_id(entry.form.id.data) is None:
                # The page writes theme ids itself: this one was changed on the way.
                entry.form.name.errors.append(
                    _l("This theme could not be recognised: reload the page and try again.")
                )
                valid = False
            elif entry.form.id.data and not (entry.form.name.data or "").strip():
                entry.form.name.errors.append(_l("Give this theme a name, or remove it."))
                valid = False
        # The list's errors were gathered before these: gather them again, so that the form's
        # errors (the page title, the summary at the top) count them.
        theme_errors = [entry.errors for entry in self.themes.entries]
        self.themes.errors = theme_errors if any(theme_errors) else []
        return valid


class CloneEventForm(FlaskForm):
    name = StringField(
        _l("Name of the new event"),
        validators=[DataRequired(_l("Give the event a name.")), Length(max=200)],
    )
    slug = StringField(
        _l("Identifier in addresses"),
        validators=[DataRequired(_l("Choose an identifier.")), Length(max=80), SLUG],
    )
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format=DATETIME_FORMAT,
        description=_l(
            "The schedule moves with the start: every stage keeps its place in the programme."
        ),
        validators=[DataRequired(_l("Give the date and time the event starts.")), plausible_date],
    )
    submit = SubmitField(_l("Create the copy"))
