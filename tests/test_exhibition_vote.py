"""The organisers' vote page: its status moves (with the confirmation closing and revealing ask
for), its settings, who may use it, and a fixed number of queries whatever the event's size."""

import html
import re

import pytest
from sqlalchemy import select

from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.models import AuditEntry, Event, VoteStatus
from tests.factories import sign_in

EN = {"Accept-Language": "en"}


@pytest.fixture
def event(make):
    return make.event(challenges=4, themes=2)


@pytest.fixture
def organiser(client, make, event):
    person = make.organiser(event)
    db.session.commit()
    sign_in(client, person)
    return person


def _status(event) -> VoteStatus:
    db.session.expire_all()
    return db.session.scalar(select(Event.vote_status).where(Event.id == event.id))


def _set_status(event, status: VoteStatus) -> None:
    event.vote_status = status
    db.session.commit()


def _post_status(client, event, status, confirmed=False, headers=EN):
    data = {"status": status}
    if confirmed:
        data["confirmed"] = "y"
    return client.post(f"/events/{event.slug}/organise/vote/status", data=data, headers=headers)


def _buttons(html: str) -> list[str]:
    """The status buttons' values, in page order."""
    return re.findall(r'<button type="submit" name="status" value="([a-z_]+)"', html)


def _vote_actions(event) -> list[str]:
    return db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.event_id == event.id, AuditEntry.action.like("vote.%"))
        .order_by(AuditEntry.id)
    ).all()


# --- Who may use it ------------------------------------------------------------------------------

ORGANISER_REQUESTS = [
    ("get", "/events/{slug}/organise/vote", None),
    ("post", "/events/{slug}/organise/vote/status", {"status": "open"}),
    ("post", "/events/{slug}/organise/vote/settings", {"votes_per_participant": "5"}),
    ("get", "/events/{slug}/organise/vote/results.csv", None),
    ("get", "/events/{slug}/organise/vote/results.xlsx", None),
    ("get", "/events/{slug}/organise/vote/feedback.csv", None),
    ("get", "/events/{slug}/organise/vote/feedback.xlsx", None),
    ("get", "/events/{slug}/reveal", None),
]


@pytest.mark.parametrize(("method", "path", "data"), ORGANISER_REQUESTS)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("participant", 403), ("member", 403), ("other organiser", 403)],
)
def test_only_the_event_s_organisers_run_the_vote(
    client, make, event, method, path, data, who, expected
):
    other = make.event()
    people = {
        "participant": make.participant(event),
        "member": make.participant(event, team=event.challenges[0].team),
        "other organiser": make.organiser(other),
    }
    db.session.commit()
    if who != "anonymous":
        sign_in(client, people[who])
    response = getattr(client, method)(path.format(slug=event.slug), data=data)
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/sign-in")
    db.session.refresh(event)
    assert event.vote_status == VoteStatus.NOT_STARTED
    assert event.votes_per_participant == 3


def test_the_hub_shows_the_vote_status_and_links_to_the_exhibition_pages(client, event, organiser):
    _set_status(event, VoteStatus.OPEN)
    response = client.get(f"/events/{event.slug}/organise", headers=EN)
    assert response.status_code == 200
    assert "Exhibition and vote" in response.text
    assert "Vote: open" in response.text
    for path in ("organise/stands", "organise/stands/posters", "organise/vote", "reveal"):
        assert f'href="/events/{event.slug}/{path}"' in response.text


# --- The status, move by move --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label", "buttons", "words"),
    [
        (VoteStatus.NOT_STARTED, "Not started", ["open"], "participants cannot vote yet"),
        (VoteStatus.OPEN, "Open", ["closed"], "participants are giving and changing their votes"),
        (VoteStatus.CLOSED, "Closed", ["open", "revealed"], "ballots can no longer change"),
        (VoteStatus.REVEALED, "Results revealed", [], "everyone at the event can see them"),
    ],
)
def test_the_page_says_where_the_vote_is_and_offers_only_the_possible_moves(
    client, event, organiser, status, label, buttons, words
):
    _set_status(event, status)
    response = client.get(f"/events/{event.slug}/organise/vote", headers=EN)
    assert response.status_code == 200
    assert f'data-status="{status.value}">{label}</span>' in response.text
    assert words in response.text
    assert _buttons(response.text) == buttons


def test_the_buttons_read_as_a_french_organiser_expects(client, event, organiser):
    response = client.get(f"/events/{event.slug}/organise/vote")
    assert ">Ouvrir le vote</button>" in response.text
    _set_status(event, VoteStatus.OPEN)
    assert ">Clore le vote</button>" in client.get(f"/events/{event.slug}/organise/vote").text
    _set_status(event, VoteStatus.CLOSED)
    text = client.get(f"/events/{event.slug}/organise/vote").text
    assert ">Rouvrir le vote</button>" in text
    assert ">Dévoiler les résultats</button>" in text


def test_opening_happens_at_once_and_a_repeated_post_is_harmless(client, event, organiser):
    response = _post_status(client, event, "open")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/events/{event.slug}/organise/vote#vote-status-title"
    )
    assert _status(event) == VoteStatus.OPEN
    page = client.get(f"/events/{event.slug}/organise/vote", headers=EN)
    assert "The vote is open: participants can vote from their phones." in page.text

    again = _post_status(client, event, "open")
    assert again.status_code == 303
    assert _status(event) == VoteStatus.OPEN
    page = client.get(f"/events/{event.slug}/organise/vote", headers=EN)
    assert "Nothing changed: the vote was already “Open”." in page.text
    assert _vote_actions(event) == ["vote.opened"]


@pytest.mark.parametrize(
    ("start", "wanted", "question"),
    [
        (VoteStatus.OPEN, "closed", "Close the vote now?"),
        (VoteStatus.CLOSED, "revealed", "Reveal the results now?"),
    ],
)
def test_closing_and_revealing_ask_first_and_change_nothing_until_confirmed(
    client, event, organiser, start, wanted, question
):
    _set_status(event, start)
    response = _post_status(client, event, wanted)
    assert response.status_code == 200
    assert f"<h1>{question}</h1>" in response.text
    assert 'name="confirmed" value="y"' in response.text
    assert _buttons(response.text) == [wanted]
    assert f'href="/events/{event.slug}/organise/vote"' in response.text  # the way back
    assert _status(event) == start
    assert _vote_actions(event) == []

    done = _post_status(client, event, wanted, confirmed=True)
    assert done.status_code == 303
    assert _status(event) == VoteStatus(wanted)
    assert len(_vote_actions(event)) == 1


def test_the_whole_life_of_a_vote_through_the_page(client, make, event, organiser):
    voter = make.participant(event)
    db.session.commit()
    _post_status(client, event, "open")
    ballots.replace_ballot(event, ballots.voter(event, voter), [event.challenges[1].team.id])
    _post_status(client, event, "closed", confirmed=True)
    _post_status(client, event, "open")  # reopened: closed too early
    _post_status(client, event, "closed", confirmed=True)
    _post_status(client, event, "revealed", confirmed=True)
    assert _status(event) == VoteStatus.REVEALED
    assert _vote_actions(event) == [
        "vote.opened",
        "vote.closed",
        "vote.reopened",
        "vote.closed",
        "vote.revealed",
    ]
    page = client.get(f"/events/{event.slug}/organise/vote", headers=EN)
    assert "1 ballot cast." in page.text
    assert "Nothing more to do: the vote is over." in page.text


@pytest.mark.parametrize(
    ("start", "wanted", "message"),
    [
        (VoteStatus.NOT_STARTED, "closed", "The vote is not open: there is nothing to close."),
        (VoteStatus.NOT_STARTED, "revealed", "Close the vote before revealing the results."),
        (VoteStatus.OPEN, "revealed", "Close the vote before revealing the results."),
        (VoteStatus.OPEN, "not_started", "A vote that has started cannot go back to not started."),
        (
            VoteStatus.CLOSED,
            "not_started",
            "A vote that has started cannot go back to not started.",
        ),
        (VoteStatus.REVEALED, "open", "The results are revealed: the vote cannot change any more."),
        (
            VoteStatus.REVEALED,
            "closed",
            "The results are revealed: the vote cannot change any more.",
        ),
    ],
)
@pytest.mark.parametrize("confirmed", [False, True])
def test_refused_moves_say_why_and_change_nothing(
    client, event, organiser, start, wanted, message, confirmed
):
    _set_status(event, start)
    response = _post_status(client, event, wanted, confirmed=confirmed)
    assert response.status_code == 409
    assert 'role="alert"' in response.text and message in response.text
    assert response.text.count("<h1>") == 1 and "<h1>Exhibition vote</h1>" in response.text
    assert _status(event) == start
    assert _vote_actions(event) == []


@pytest.mark.parametrize(
    "value", [None, "", "banana", "OPEN", "open; drop table events", "x" * 5000]
)
def test_malformed_status_posts_are_refused_without_a_500(client, event, organiser, value):
    data = {} if value is None else {"status": value}
    response = client.post(f"/events/{event.slug}/organise/vote/status", data=data, headers=EN)
    assert response.status_code == 400
    assert "Use one of the vote page's buttons." in html.unescape(response.text)
    assert _status(event) == VoteStatus.NOT_STARTED


def test_the_refusal_speaks_french(client, event, organiser):
    response = _post_status(client, event, "revealed", headers={})
    assert response.status_code == 409
    assert "Clôturez le vote avant de dévoiler les résultats." in response.text


# --- Settings ------------------------------------------------------------------------------------


def test_settings_are_saved_and_shown(client, event, organiser):
    response = client.post(
        f"/events/{event.slug}/organise/vote/settings",
        data={"votes_per_participant": "5", "own_team_votes_allowed": "y"},
    )
    assert response.status_code == 303
    db.session.refresh(event)
    assert (event.votes_per_participant, event.own_team_votes_allowed) == (5, True)
    page = client.get(f"/events/{event.slug}/organise/vote", headers=EN)
    assert re.search(r'<input [^>]*name="votes_per_participant"[^>]*value="5"', page.text)
    assert re.search(r'<input [^>]*checked[^>]*name="own_team_votes_allowed"', page.text)

    # An unticked box is "no".
    client.post(f"/events/{event.slug}/organise/vote/settings", data={"votes_per_participant": "5"})
    db.session.refresh(event)
    assert event.own_team_votes_allowed is False
    assert db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.event_id == event.id)
    ).all() == ["vote.settings_changed", "vote.settings_changed"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Between 1 and 20 votes."),
        ("21", "Between 1 and 20 votes."),
        ("-3", "Between 1 and 20 votes."),
        ("abc", "Enter a whole number, with the digits 0 to 9."),
        ("2.5", "Enter a whole number, with the digits 0 to 9."),
        ("١٢", "Enter a whole number, with the digits 0 to 9."),
        ("", "Give a number of votes."),
        ("9" * 400, "This number is too large."),
        ("99999999999", "Between 1 and 20 votes."),
    ],
)
def test_bad_settings_are_refused_next_to_the_field_and_nothing_changes(
    client, event, organiser, value, message
):
    response = client.post(
        f"/events/{event.slug}/organise/vote/settings",
        data={"votes_per_participant": value, "own_team_votes_allowed": "y"},
        headers=EN,
    )
    assert response.status_code == 400
    assert 'id="votes_per_participant-error"' in response.text
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert response.text.count("<title>Error: ") == 1
    db.session.refresh(event)
    assert (event.votes_per_participant, event.own_team_votes_allowed) == (3, False)


def test_settings_errors_speak_french(client, event, organiser):
    response = client.post(
        f"/events/{event.slug}/organise/vote/settings", data={"votes_per_participant": "21"}
    )
    assert response.status_code == 400
    assert "Entre 1 et 20 voix." in response.text


# --- The page's cost -----------------------------------------------------------------------------


def _event_with_ballots(make, teams: int, voters: int):
    event = make.event(challenges=teams, themes=3, vote_status=VoteStatus.OPEN)
    organiser = make.organiser(event)
    team_ids = [c.team.id for c in event.challenges]
    for n in range(voters):
        person = make.participant(event)
        ballots.replace_ballot(
            event, ballots.voter(event, person), [team_ids[(n + i) % teams] for i in range(3)]
        )
    db.session.commit()
    return event, organiser


@pytest.mark.parametrize(
    "path",
    [
        "organise/vote",
        "results",
        "reveal",
        "organise/vote/results.csv",
        "organise/vote/feedback.xlsx",
    ],
)
def test_the_pages_cost_the_same_queries_for_3_or_60_teams_and_0_or_100_ballots(
    client, make, count_queries, path
):
    counts = {}
    for teams, voters in ((3, 0), (3, 100), (60, 0), (60, 100)):
        event, organiser = _event_with_ballots(make, teams, voters)
        sign_in(client, organiser)
        with count_queries() as queries:
            response = client.get(f"/events/{event.slug}/{path}")
        assert response.status_code == 200
        counts[(teams, voters)] = len(queries)
    assert len(set(counts.values())) == 1, counts
