"""The rows of the attendee list and the teams page, the programme's rows, the debrief's radio
groups and texts, and the book's and the showcase's cards are written in Python, not by
template loops (issue 13: the pages' CPU), so Jinja's autoescaping does not guard them: every
value a person typed must still reach the page escaped, in every cell and button label."""

from datetime import datetime

import pytest

from facilitate.audit.services import record
from facilitate.extensions import db
from facilitate.models import Debrief, DebriefAnswer, Membership, Role
from facilitate.people.row_addresses import escaped_addresses
from tests.factories import sign_in
from tests.programme.conftest import add

HOSTILE_NAME = '<img src=x onerror="alert(1)">Zoé'
HOSTILE_ORGANISATION = "Brest & <script>alert(2)</script>"
HOSTILE = '<img src=x onerror="alert(1)">Zoé & co'
ESCAPED = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Zoé &amp; co"


@pytest.fixture
def event(make, client):
    event = make.event(challenges=2)
    organiser = make.organiser(event)
    make.participant(
        event,
        team=event.challenges[0].team,
        name=HOSTILE_NAME,
        organisation=HOSTILE_ORGANISATION,
        email="zoe+<b>@example.org",
    )
    db.session.commit()
    sign_in(client, organiser)
    return event


@pytest.mark.parametrize("path", ["/events/{slug}/people", "/events/{slug}/teams"])
def test_what_people_typed_is_escaped_in_rows_written_in_python(client, event, path):
    page = client.get(path.format(slug=event.slug)).text
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;img src=x onerror=" in page
    assert "Brest &amp; &lt;script&gt;alert(2)&lt;/script&gt;" in page
    # The name is also in the hidden part of each button's label, escaped there too.
    assert page.count("&lt;img src=x onerror=") >= 2


def test_an_attendee_without_a_team_is_escaped_in_their_placing_form(make, client):
    event = make.event(challenges=2)
    organiser = make.organiser(event)
    make.participant(event, name=HOSTILE_NAME, organisation=HOSTILE_ORGANISATION)
    db.session.commit()
    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/teams").text
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "Brest &amp; &lt;script&gt;alert(2)&lt;/script&gt;" in page
    # In the item, the select's hidden label and the button's hidden words.
    assert page.count("&lt;img src=x onerror=") == 3


def test_an_address_kept_from_the_list_s_query_is_escaped_in_each_row(make, client):
    """The rows' addresses are escaped in two parts once a page (``people.row_addresses``):
    the query string a teams page keeps (``q`` with ``&``, ``"`` and ``<``) stays escaped."""
    event = make.event(challenges=2)
    organiser = make.organiser(event)
    make.participant(event, name="Alice Sans Équipe")
    make.participant(event, team=event.challenges[0].team, name="Bruno Membre")
    db.session.commit()
    sign_in(client, organiser)
    page = client.get(
        f"/events/{event.slug}/teams", query_string={"q": 'a&b"<c', "sort": "members"}
    ).text
    kept = "?q=a%26b%22%3Cc"  # urlencode's own escapes: nothing left for HTML but none
    assert "/teams/place/" in page and kept in page
    assert "q=a&b" not in page and '"<c' not in page
    assert escaped_addresses(lambda row_id: f'/a/{row_id}/b?x=<"&>&y')(12) == (
        "/a/12/b?x=&lt;&#34;&amp;&gt;&amp;y"
    )


def test_a_row_address_keeps_its_id_in_the_path_whatever_the_query_holds(make, client):
    """The list's query is typed by the organiser: even the number the rows' addresses are
    made with (``people.row_addresses``) leaves each row's id in its path."""
    event = make.event(challenges=1)
    organiser = make.organiser(event)
    alice = make.participant(event, name="Alice Sans Équipe")
    db.session.commit()
    sign_in(client, organiser)
    marker = "987654321987654321"
    page = client.get(f"/events/{event.slug}/teams", query_string={"q": f"Alice {marker}"}).text
    assert f'action="/events/{event.slug}/teams/place/{alice.id}?q=Alice+{marker}"' in page
    assert f"/teams/place/{marker}" not in page
    assert escaped_addresses(lambda row_id: f"/p/{row_id}?q={marker}")(7) == f"/p/7?q={marker}"


@pytest.mark.parametrize("email", [None, "zoe+<b>@example.org"])
def test_a_facilitator_is_escaped_in_the_rows_of_the_invitations_page(make, client, email):
    event = make.event(challenges=1)
    organiser = make.organiser(event)
    person = make.participant(event, name=HOSTILE_NAME, email=email)
    db.session.add(
        Membership(user=person, event=event, team=event.challenges[0].team, role=Role.FACILITATOR)
    )
    db.session.commit()
    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/organise/invitations").text
    assert "<img src=x" not in page and "<b>@" not in page
    # In the first cell and in the hidden words of the row's button or link.
    assert page.count("&lt;img src=x onerror=") >= 2
    if email:
        assert 'value="zoe+&lt;b&gt;@example.org"' in page


def _escaped_everywhere(page: str, times: int) -> None:
    assert "<img src=x" not in page
    assert page.count(ESCAPED) >= times


def test_programme_rows(client, event):
    at = {"starts_at": datetime(2018, 7, 9, 9), "ends_at": datetime(2018, 7, 9, 10)}
    for _ in range(2):  # two sessions in one room at once: the overlap names the other
        add(event, title=HOSTILE, room=HOSTILE, speakers=HOSTILE, **at)
    db.session.commit()
    public = client.get(f"/events/{event.slug}/programme").text
    _escaped_everywhere(public, 2 * 3)  # title, room, speakers
    managed = client.get(f"/events/{event.slug}/organise/programme").text
    # Also each button's hidden name and the overlap's warning.
    _escaped_everywhere(managed, 2 * 6)


def test_debrief_parts_and_texts(client, make, event):
    db.session.add(Debrief(event_id=event.id, is_open=True, parts=[HOSTILE, "Accueil"]))
    person = make.participant(event, name=HOSTILE)
    db.session.add(
        DebriefAnswer(
            event_id=event.id,
            user_id=person.id,
            scores={HOSTILE: 4},
            keep=HOSTILE,
            change=HOSTILE,
            show_name=True,
        )
    )
    db.session.commit()
    results = client.get(f"/events/{event.slug}/debrief/answers").text
    _escaped_everywhere(results, 4)  # the two texts and the name given with each
    sign_in(client, person)
    questionnaire = client.get(f"/events/{event.slug}/debrief").text
    _escaped_everywhere(questionnaire, 1)
    assert 'checked id="score_0-3" name="score_0" type="radio" value="4"' in questionnaire


def test_book_cards(client, event):
    event.challenges[0].question = HOSTILE
    db.session.commit()
    page = client.get(f"/events/{event.slug}/book").text
    _escaped_everywhere(page, 1)


def test_showcase_cards(client, event):
    challenge = event.challenges[0]
    challenge.question = challenge.owner_organisation = HOSTILE
    team = challenge.team
    team.on_showcase, team.name, team.prototype_summary = True, HOSTILE, HOSTILE
    db.session.commit()
    page = client.get(f"/events/{event.slug}/showcase").text
    _escaped_everywhere(page, 4)  # the question, the owner, the team, the prototype
    alone = client.get(f"/events/{event.slug}/showcase/{challenge.number}").text
    _escaped_everywhere(alone, 4)


def test_an_event_history_s_entries_are_escaped_and_name_an_erased_actor(client, make, event):
    """The history's entries are written by audit/entries.py: the sentence (here a removed
    person's name), the actor's name and the undo button's hidden words arrive escaped; an
    actor whose account was erased since (its name scrubbed) reads as such."""
    actor = make.organiser(event, name=HOSTILE)
    erased = make.organiser(event, name="")
    record(event, actor, "attendee.removed", name=HOSTILE, user_id=1)
    record(event, erased, "challenge.deleted", number=2)
    db.session.commit()
    page = client.get(f"/events/{event.slug}/history").text
    _escaped_everywhere(page, 3)  # the actor, the sentence, the button's hidden words
    assert "une personne effacée" in page  # French, the default
