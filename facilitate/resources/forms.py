"""The organiser's resource form: a page, a document or both, its group and its stages."""

from flask_wtf.file import FileField
from wtforms import BooleanField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from facilitate.i18n import lazy_gettext as _l
from facilitate.models import Stage
from facilitate.text import FlaskForm

BODY_MAX = 50_000


def _stage(value):
    return value if isinstance(value, Stage) else Stage(value)


def _stripped(value):
    """Spaces alone are no title: the database refuses an empty one."""
    return value.strip() if isinstance(value, str) else value


class ResourceForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_stripped],
        validators=[
            DataRequired(_l("Give the resource a title.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    grouping = StringField(
        _l("Group"),
        description=_l("The heading it is listed under: Roles, Glossary, Methods…"),
        filters=[_stripped],
        validators=[
            DataRequired(_l("Choose the group it is listed under.")),
            Length(max=80, message=_l("At most 80 characters.")),
        ],
    )
    body = TextAreaField(
        _l("Page"),
        description=_l(
            "In Markdown: # heading, **bold**, *italic*, - list, [text](https://address). "
            "HTML is not accepted."
        ),
        validators=[Length(max=BODY_MAX, message=_l("At most 50,000 characters."))],
    )
    document = FileField(
        _l("Document"),
        description=_l("A PDF or an image (JPEG, PNG or WebP), at most %(size)s MB."),
    )
    remove_document = BooleanField(_l("Remove the attached document"))
    stages = SelectMultipleField(
        _l("Show it to teams at these stages"),
        coerce=_stage,
        choices=lambda: [(stage, stage.label) for stage in Stage],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Save the resource"))
