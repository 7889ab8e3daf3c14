"""The ways into the exhibition a person is offered without a QR code: on the event page and on
their team's workspace (where a participant lands after signing in, and works). Which of them
show is decided here, once, for every page (templates call ``exhibition_links``)."""

from dataclasses import dataclass

from facilitate import policy
from facilitate.exhibition import bp
from facilitate.models import Event, Stage, VoteStatus


@dataclass(frozen=True)
class ExhibitionLinks:
    stands: bool  # the list of stands: during the exhibition
    my_ballot: bool  # my ballot: while the vote is open, for those who vote
    results: bool  # the results: once revealed

    def __bool__(self) -> bool:
        return self.stands or self.my_ballot or self.results


NONE = ExhibitionLinks(stands=False, my_ballot=False, results=False)


@bp.app_template_global()
def exhibition_links(user, event: Event) -> ExhibitionLinks:
    """The exhibition is for the event's people. Its stands are listed from the moment the
    event reaches the exhibition stage (or the vote starts, whatever the stage) and stay listed
    after it; the ballot only while the vote is open; the results once revealed (organisers see
    them earlier from the vote page, not from here)."""
    if not policy.can_see_people(user, event):
        return NONE
    status = event.vote_status
    return ExhibitionLinks(
        stands=event.stage == Stage.EXHIBITION or status != VoteStatus.NOT_STARTED,
        my_ballot=status == VoteStatus.OPEN and policy.can_vote(user, event),
        results=status == VoteStatus.REVEALED and policy.can_see_results(user, event),
    )
