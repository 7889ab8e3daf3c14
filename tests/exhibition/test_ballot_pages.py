"""Voting from the stand page, the list of stands and my ballot: the ballot's rules are the
service's (tests/test_ballots.py); here, that the pages call it, show its refusals clearly and
change nothing then, never count a double tap twice, and read in a fixed number of queries."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.models import Membership, Role, Team, Vote, VoteStatus
from tests.exhibition.conftest import organiser_of
from tests.factories import sign_in, stand_path


@pytest.fixture
def vote(make):
    """An open vote over five numbered stands (3 votes each); the voter is in team 1."""
    event = make.event(challenges=5, themes=2, vote_status=VoteStatus.OPEN)
    teams = [c.team for c in event.challenges]
    for team in teams:
        team.stand_number = team.challenge.number
    teams[1].stand_place = "Hall B"
    voter = make.participant(event, team=teams[0])
    return event, teams, voter


def placed(event, user) -> list[int]:
    return ballots.current_ballot(event, user.id)


def vote_count(event) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Vote).where(Vote.event_id == event.id)
    )


def cast(client, event, team: Team, action: str = "give", **extra):
    return client.post(stand_path(team, "/vote"), data={"action": action, **extra})


def followed(client, response) -> str:
    assert response.status_code == 303, response.status_code
    return unescape(client.get(response.headers["Location"]).text)


# --- Giving and withdrawing from the stand page -------------------------------------------------


def test_a_vote_from_the_stand_page_counts_once_however_often_it_is_sent(client, vote):
    event, teams, voter = vote
    sign_in(client, voter)
    first = cast(client, event, teams[1])
    assert first.headers["Location"] == stand_path(teams[1])
    assert "Your vote for “Challenge 2 team” is counted." in followed(client, first)
    # A double tap, a retry on a flaky network: still one vote.
    assert cast(client, event, teams[1]).status_code == 303
    assert cast(client, event, teams[1]).status_code == 303
    assert placed(event, voter) == [teams[1].id]
    assert vote_count(event) == 1
    assert ballots.ballots_cast(event) == 1


def test_the_stand_page_shows_my_vote_and_what_is_left(client, vote):
    event, teams, voter = vote
    sign_in(client, voter)
    url = stand_path(teams[1])
    page = unescape(client.get(url).text)
    assert "The vote is open." in page
    assert "3 votes left of 3" in page
    assert 'name="action" value="give"' in page
    assert "Give this stand one of my votes</button>" in page

    cast(client, event, teams[1])
    page = unescape(client.get(url).text)
    assert "2 votes left of 3" in page
    assert "This stand has one of your votes." in page
    assert 'name="action" value="withdraw"' in page
    assert 'name="action" value="give"' not in page


def test_withdrawing_takes_the_vote_back_and_a_retry_changes_nothing(client, vote):
    event, teams, voter = vote
    ballots.replace_ballot(event, ballots.voter(event, voter), [teams[1].id, teams[2].id])
    sign_in(client, voter)
    response = cast(client, event, teams[1], "withdraw")
    assert "Your vote for “Challenge 2 team” is withdrawn." in followed(client, response)
    assert cast(client, event, teams[1], "withdraw").status_code == 303
    assert placed(event, voter) == [teams[2].id]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (VoteStatus.NOT_STARTED, "The vote has not opened yet"),
        (VoteStatus.CLOSED, "The vote is closed: ballots can no longer be changed."),
        (VoteStatus.REVEALED, "The vote is closed: ballots can no longer be changed."),
    ],
)
def test_no_vote_changes_unless_the_vote_is_open(client, vote, status, message):
    event, teams, voter = vote
    ballots.replace_ballot(event, ballots.voter(event, voter), [teams[2].id])
    event.vote_status = status
    db.session.flush()
    sign_in(client, voter)
    for team, action in ((teams[1], "give"), (teams[2], "withdraw")):
        page = followed(client, cast(client, event, team, action))
        assert re.search(r'class="flash flash--error">' + re.escape(message), page)
    assert placed(event, voter) == [teams[2].id]
    # And the page offers no vote button meanwhile.
    stand = client.get(stand_path(teams[1])).text
    assert 'name="action"' not in stand


def test_no_votes_left_is_refused_and_said(client, vote):
    event, teams, voter = vote
    three = [teams[1].id, teams[2].id, teams[3].id]
    ballots.replace_ballot(event, ballots.voter(event, voter), three)
    sign_in(client, voter)
    page = followed(client, cast(client, event, teams[4]))
    assert (
        '"flash flash--error">You have 3 votes: withdraw one before giving it to another stand.'
        in page
    )
    assert placed(event, voter) == three
    stand = unescape(client.get(stand_path(teams[4])).text)
    assert "You have placed all your votes." in stand
    assert 'name="action" value="give"' not in stand


def test_my_own_teams_stand_is_refused(client, vote):
    event, teams, voter = vote
    sign_in(client, voter)
    page = followed(client, cast(client, event, teams[0]))
    assert "You cannot vote for your own team's stand." in page
    assert placed(event, voter) == []
    stand = unescape(client.get(stand_path(teams[0])).text)
    assert "This is your own team's stand" in stand
    assert 'name="action" value="give"' not in stand


def test_own_team_votes_when_the_organisers_allow_them(client, vote):
    event, teams, voter = vote
    event.own_team_votes_allowed = True
    db.session.flush()
    sign_in(client, voter)
    cast(client, event, teams[0])
    assert placed(event, voter) == [teams[0].id]


def test_the_page_to_come_back_to_stays_on_this_site(client, vote):
    event, teams, voter = vote
    sign_in(client, voter)
    mine = f"/events/{event.slug}/my-ballot"
    assert cast(client, event, teams[1], next=mine).headers["Location"] == mine
    response = cast(client, event, teams[2], next="https://evil.example/")
    assert response.headers["Location"] == stand_path(teams[2])


@pytest.mark.parametrize("data", [{}, {"action": "twice"}, {"action": ""}])
def test_a_malformed_vote_is_refused(client, vote, data):
    event, teams, voter = vote
    sign_in(client, voter)
    response = client.post(stand_path(teams[1], "/vote"), data=data)
    assert response.status_code == 400
    assert vote_count(event) == 0


def test_a_team_of_another_event_cannot_be_voted_for_here(client, make, vote):
    event, _teams, voter = vote
    other = make.event(challenges=1, vote_status=VoteStatus.OPEN)
    sign_in(client, voter)
    stranger = other.challenges[0].team
    assert stranger.id > len(event.challenges)  # no stand number here: an old poster's id
    # Neither its id nor its stand number here leads to another event's team.
    assert client.post(f"/events/{event.slug}/stands/{stranger.id}/vote").status_code == 404
    stranger.stand_number = 1
    response = client.post(
        f"/events/{event.slug}/stands/1/vote", data={"action": "give", "team": stranger.id}
    )
    assert response.status_code == 303
    assert vote_count(event) == vote_count(other) == 0


# --- Who may vote -------------------------------------------------------------------------------

VOTER_PAGES = [
    ("post", "{stand}/vote"),
    ("get", "/events/{slug}/my-ballot"),
    ("post", "/events/{slug}/my-ballot"),
]


def _url(url, event, teams):
    return url.format(slug=event.slug, stand=stand_path(teams[1]))


@pytest.mark.parametrize(("method", "url"), VOTER_PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, vote, method, url):
    event, teams, _voter = vote
    response = getattr(client, method)(_url(url, event, teams), data={"action": "give"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    assert vote_count(event) == 0


@pytest.mark.parametrize(("method", "url"), VOTER_PAGES)
def test_people_of_another_event_may_not_vote(client, make, vote, method, url):
    event, teams, _voter = vote
    sign_in(client, make.participant(make.event(vote_status=VoteStatus.OPEN)))
    data = {"action": "give", "teams": [teams[1].id]}
    assert getattr(client, method)(_url(url, event, teams), data=data).status_code == 403
    assert vote_count(event) == 0


@pytest.mark.parametrize(("method", "url"), VOTER_PAGES)
def test_organisers_who_do_not_attend_do_not_vote(client, make, vote, method, url):
    event, teams, _voter = vote
    sign_in(client, organiser_of(make, event))
    data = {"action": "give", "teams": [teams[1].id]}
    assert getattr(client, method)(_url(url, event, teams), data=data).status_code == 403
    assert vote_count(event) == 0
    # They still see the stands, without vote buttons.
    stand = client.get(stand_path(teams[1])).text
    assert stand.count('name="action"') == 0


# --- The list of stands -----------------------------------------------------------------------


def test_the_stands_list_in_number_order_with_my_votes(client, make, vote):
    event, teams, voter = vote
    teams[0].stand_number, teams[4].stand_number = 9, None
    db.session.flush()
    ballots.replace_ballot(event, ballots.voter(event, voter), [teams[2].id])
    sign_in(client, voter)
    page = unescape(client.get(f"/events/{event.slug}/stands").text)
    order = [int(n) for n in re.findall(r'class="stand-card__where">Stand (\d+)', page)]
    assert order == [2, 3, 4, 9]
    assert "Stand 2 · Hall B" in page
    assert "Teams without a stand number yet" in page
    assert "Theme: Theme " in page
    assert teams[2].challenge.question in page
    cards = page.split('<li class="stand-card')[1:]
    voted = [card for card in cards if "You voted for this stand" in card]
    assert len(voted) == 1 and stand_path(teams[2]) in voted[0]
    assert f'href="/events/{event.slug}/my-ballot"' in page


def test_the_stands_list_is_for_the_events_people(client, make, vote):
    event, _teams, _voter = vote
    response = client.get(f"/events/{event.slug}/stands")
    assert response.status_code == 302
    sign_in(client, make.participant(make.event()))
    assert client.get(f"/events/{event.slug}/stands").status_code == 403


def test_list_and_ballot_pages_run_a_fixed_number_of_queries(client, make, count_queries):
    counts = {}
    for count in (3, 60):
        event = make.event(challenges=count, themes=4, vote_status=VoteStatus.OPEN)
        teams = [c.team for c in event.challenges]
        for team in teams:
            team.stand_number = team.challenge.number
        voter = make.participant(event, team=teams[0])
        for other in range(count):
            person = make.participant(event)
            ballots.replace_ballot(event, ballots.voter(event, person), [teams[other].id])
        ballots.replace_ballot(event, ballots.voter(event, voter), [teams[1].id, teams[2].id])
        client.post("/sign-out")
        sign_in(client, voter)
        urls = [f"/events/{event.slug}/stands", f"/events/{event.slug}/my-ballot"]
        for url in urls:
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            counts.setdefault(url.rsplit("/", 1)[1], []).append(len(queries))
    # User, event, roles, stands, voter, ballot (+ ballots cast on my ballot).
    assert counts == {"stands": [6, 6], "my-ballot": [7, 7]}, counts


# --- My ballot ----------------------------------------------------------------------------------


def test_my_ballot_shows_my_votes_what_is_left_and_how_many_voted(client, make, vote):
    event, teams, voter = vote
    ballots.replace_ballot(event, ballots.voter(event, voter), [teams[3].id])
    other = make.participant(event)
    ballots.replace_ballot(event, ballots.voter(event, other), [teams[1].id])
    sign_in(client, voter)
    page = unescape(client.get(f"/events/{event.slug}/my-ballot").text)
    assert "The vote is open." in page
    assert "2 votes left of 3" in page
    assert "2 ballots cast so far." in page
    mine = page.split('id="placed-title"')[1].split("</section>")[0]
    assert "Challenge 4 team" in mine and "Stand 4" in mine
    assert mine.count('value="withdraw"') == 1
    assert f'value="/events/{event.slug}/my-ballot"' in mine
    # Every stand but my own team's, mine ticked; at most three.
    boxes = re.findall(r'<input type="checkbox" name="teams" value="(\d+)"[^>]*>', page)
    assert [int(b) for b in boxes] == [t.id for t in teams[1:]]
    assert re.search(rf'value="{teams[3].id}"[^>]* checked', page)
    assert "Tick at most 3 stands" in page
    for team_id in boxes:
        assert f'<label for="teams-{team_id}">' in page


def test_my_ballot_offers_my_own_team_when_allowed(client, vote):
    event, teams, voter = vote
    event.own_team_votes_allowed = True
    db.session.flush()
    sign_in(client, voter)
    page = client.get(f"/events/{event.slug}/my-ballot").text
    assert f'name="teams" value="{teams[0].id}"' in page


def test_changing_the_whole_ballot_at_once(client, vote):
    event, teams, voter = vote
    ballots.replace_ballot(event, ballots.voter(event, voter), [teams[1].id])
    sign_in(client, voter)
    url = f"/events/{event.slug}/my-ballot"
    wanted = [teams[2].id, teams[4].id]
    response = client.post(url, data={"teams": wanted})
    assert response.headers["Location"] == url
    assert "Your ballot is saved." in followed(client, response)
    assert sorted(placed(event, voter)) == sorted(wanted)
    # The same ballot sent again (a retry) changes nothing.
    first = db.session.execute(select(Vote.id, Vote.team_id).order_by(Vote.id)).all()
    assert client.post(url, data={"teams": wanted}).status_code == 303
    assert db.session.execute(select(Vote.id, Vote.team_id).order_by(Vote.id)).all() == first
    # An empty ballot withdraws every vote.
    assert client.post(url, data={}).status_code == 303
    assert placed(event, voter) == []


@pytest.mark.parametrize(
    ("pick", "status", "message"),
    [
        (lambda t: [t[1].id, t[2].id, t[3].id, t[4].id], 422, "A ballot holds at most 3 votes."),
        (lambda t: [t[0].id], 422, "You cannot vote for your own team's stand."),
        (lambda t: [999_999], 422, "No team of this event has the number (team_id) 999999."),
    ],
)
def test_a_refused_ballot_is_explained_and_changes_nothing(client, vote, pick, status, message):
    event, teams, voter = vote
    ballots.replace_ballot(event, ballots.voter(event, voter), [teams[4].id])
    sign_in(client, voter)
    response = client.post(f"/events/{event.slug}/my-ballot", data={"teams": pick(teams)})
    assert response.status_code == status
    page = unescape(response.text)
    assert message in page
    assert 'role="alert"' in page
    assert "<title>Error:" in page
    assert 'aria-describedby="teams-error"' in page
    assert placed(event, voter) == [teams[4].id]


def test_a_malformed_ballot_is_refused(client, vote):
    event, teams, voter = vote
    sign_in(client, voter)
    response = client.post(f"/events/{event.slug}/my-ballot", data={"teams": ["deux"]})
    assert response.status_code == 400
    assert placed(event, voter) == []


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (VoteStatus.NOT_STARTED, "The vote has not opened yet: the organisers will open it"),
        (VoteStatus.CLOSED, "The vote is closed: ballots can no longer be changed."),
    ],
)
def test_my_ballot_when_the_vote_is_not_open(client, vote, status, message):
    event, teams, voter = vote
    ballots.replace_ballot(event, ballots.voter(event, voter), [teams[1].id])
    event.vote_status = status
    db.session.flush()
    sign_in(client, voter)
    url = f"/events/{event.slug}/my-ballot"
    page = unescape(client.get(url).text)
    assert message in page
    assert 'name="teams"' not in page and 'name="action"' not in page
    assert "Challenge 2 team" in page  # what I placed stays visible
    response = client.post(url, data={"teams": [teams[2].id]})
    assert response.status_code == 409
    assert message in unescape(response.text).split('role="alert"')[1]
    assert placed(event, voter) == [teams[1].id]


def test_facilitators_who_attend_vote_but_not_for_their_team(client, make, vote):
    event, teams, _voter = vote
    facilitator = make.participant(event)
    db.session.add(Membership(user=facilitator, event=event, team=teams[2], role=Role.FACILITATOR))
    db.session.flush()
    sign_in(client, facilitator)
    page = client.get(f"/events/{event.slug}/my-ballot").text
    assert f'name="teams" value="{teams[2].id}"' not in page
    assert f'name="teams" value="{teams[0].id}"' in page
