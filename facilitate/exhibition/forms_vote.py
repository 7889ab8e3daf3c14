"""The organisers' forms for the vote: moving its status and its settings."""

from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, NumberRange

from facilitate.forms import WholeNumberField
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import MAX_VOTES_PER_PARTICIPANT, VoteStatus
from facilitate.text import FlaskForm


class VoteStatusForm(FlaskForm):
    """The status the organiser asks for, sent by the button they pressed (``name="status"``).
    ``confirmed`` comes from the confirmation page that closing and revealing go through."""

    status = StringField(
        validators=[
            InputRequired(_l("Use one of the vote page's buttons.")),
            AnyOf(
                [status.value for status in VoteStatus],
                message=_l("Use one of the vote page's buttons."),
            ),
        ]
    )
    confirmed = BooleanField()

    @property
    def wanted(self) -> VoteStatus:
        return VoteStatus(self.status.data)


class VoteSettingsForm(FlaskForm):
    votes_per_participant = WholeNumberField(
        _l("Votes per participant"),
        description=_l(
            "From 1 to %(max)d, one per stand. Lowering it during the vote takes no vote away: "
            "people keep the votes they have given.",
            max=MAX_VOTES_PER_PARTICIPANT,
        ),
        validators=[
            InputRequired(_l("Give a number of votes.")),
            NumberRange(
                min=1,
                max=MAX_VOTES_PER_PARTICIPANT,
                message=_l("Between %(min)d and %(max)d votes."),
            ),
        ],
    )
    own_team_votes_allowed = BooleanField(
        _l("Allow votes for one's own team"),
        description=_l("Unless you tick this box, nobody can vote for their own team's stand."),
    )
    submit = SubmitField(_l("Save the settings"))
