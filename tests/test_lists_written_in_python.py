"""The rows of the attendee list and the teams page are written in Python, not by a template
loop (issue 13: the pages' CPU), so Jinja's autoescaping does not guard them: every value a
person typed must still reach the page escaped, in every cell and button label."""

import pytest

from facilitate.extensions import db
from facilitate.models import Membership, Role
from tests.factories import sign_in

HOSTILE_NAME = '<img src=x onerror="alert(1)">Zoé'
HOSTILE_ORGANISATION = "Brest & <script>alert(2)</script>"


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
