"""Participants find the exhibition without a QR code: the event page and their team's
workspace link the stands during the exhibition, their ballot while the vote is open and the
results once revealed; one rule (exhibition/links.py) for both pages."""

import pytest

from facilitate.exhibition.links import exhibition_links
from facilitate.models import Stage, VoteStatus
from tests.exhibition.conftest import organiser_of
from tests.factories import sign_in

# (stage, vote status) -> (stands, my ballot, results) for a participant.
PHASES = [
    (Stage.PROTOTYPING, VoteStatus.NOT_STARTED, (False, False, False)),
    (Stage.EXHIBITION, VoteStatus.NOT_STARTED, (True, False, False)),
    (Stage.PROTOTYPING, VoteStatus.OPEN, (True, True, False)),
    (Stage.EXHIBITION, VoteStatus.OPEN, (True, True, False)),
    (Stage.EXHIBITION, VoteStatus.CLOSED, (True, False, False)),
    (Stage.EXHIBITION, VoteStatus.REVEALED, (True, False, True)),
]


def _links(page: str, slug: str) -> tuple[bool, bool, bool]:
    return tuple(
        f'href="/events/{slug}/{path}"' in page for path in ("stands", "my-ballot", "results")
    )


@pytest.mark.parametrize(("stage", "vote_status", "shown"), PHASES)
def test_the_event_page_and_the_workspace_link_the_exhibition_by_phase(
    client, make, stage, vote_status, shown
):
    event = make.event(challenges=2, stage=stage, vote_status=vote_status)
    team = event.challenges[0].team
    assert _links(client.get(f"/events/{event.slug}").text, event.slug) == (False,) * 3
    sign_in(client, make.participant(event, team=team))
    event_page = client.get(f"/events/{event.slug}").text
    workspace = client.get(f"/events/{event.slug}/teams/1/workspace").text
    assert _links(event_page, event.slug) == shown
    assert _links(workspace, event.slug) == shown
    assert ('id="exhibition-title"' in event_page) is any(shown)
    assert ('id="workspace-exhibition-title"' in workspace) is any(shown)


def test_the_people_of_another_event_are_offered_nothing(app, make):
    event = make.event(stage=Stage.EXHIBITION, vote_status=VoteStatus.REVEALED)
    stranger = make.participant(make.event())
    with app.test_request_context():
        assert not exhibition_links(stranger, event)


def test_organisers_who_do_not_vote_get_no_ballot_and_results_only_once_revealed(app, make):
    event = make.event(stage=Stage.EXHIBITION, vote_status=VoteStatus.CLOSED)
    organiser = organiser_of(make, event)
    with app.test_request_context():
        links = exhibition_links(organiser, event)
        assert (links.stands, links.my_ballot, links.results) == (True, False, False)
    event.vote_status = VoteStatus.REVEALED
    with app.test_request_context():
        assert exhibition_links(organiser, event).results
