"""The debrief's answers gathered are kept per event data version (debrief/routes_organise.py,
``_gathered``): a second view reads no answer again, and every change shows at once."""

import re

import pytest

from facilitate.extensions import db
from facilitate.models import Membership
from tests.factories import sign_in
from tests.resources.test_debrief import EN, PARTS, _answer, debrief  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("debrief")


def _tokenless(html: str) -> str:
    """The page's own part (no flash of the sign-in), without CSRF tokens."""
    return re.sub(r'value="[^"]{40,}"', "", html.split("<h1>", 1)[1])


def _results(client, event, headers=None):
    return client.get(f"/events/{event.slug}/debrief/answers", headers=headers or {})


def test_a_second_view_reads_no_answer_again_and_shows_the_same(
    client, make, event, organiser, count_queries
):
    _answer(event, make.participant(event, name="Alice Martin"), keep="Zèle", show_name=True)
    db.session.commit()
    with count_queries() as first:
        before = _results(client, event).text
    with count_queries() as second:
        after = _results(client, event).text
    assert len(second) == len(first) - 2  # the answers and the names
    assert _tokenless(before) == _tokenless(after)
    assert "Zèle" in after and "Alice Martin" in after


def test_an_answer_sent_shows_at_once(client, make, event, organiser):
    assert "0 answers." in _results(client, event, EN).text
    person = make.participant(event)
    db.session.commit()
    attendee = client.application.test_client()
    sign_in(attendee, person)
    form = {"score_0": "5", "keep": "Les <script>défis</script>", "change": ""}
    assert attendee.post(f"/events/{event.slug}/debrief", data=form).status_code == 303
    page = _results(client, event, EN).text
    assert "1 answer." in page and "<td>5.0</td>" in page
    assert "Les &lt;script&gt;défis&lt;/script&gt;" in page and "<script>défis" not in page
    # Changed, then in the other language: each its own.
    form |= {"score_0": "2"}
    assert attendee.post(f"/events/{event.slug}/debrief", data=form).status_code == 303
    assert "<td>2.0</td>" in _results(client, event, EN).text
    assert "<td>2,0</td>" in _results(client, event).text


def test_a_name_or_the_parts_changed_show_at_once(client, make, event, organiser):
    person = make.participant(event, name="Alice Martin")
    _answer(event, person, keep="Zèle", show_name=True)
    db.session.commit()
    assert "Alice Martin" in _results(client, event).text
    membership = db.session.query(Membership).filter_by(user_id=person.id).one()
    membership.name = "Alice Durand"
    db.session.commit()
    page = _results(client, event).text
    assert "Alice Durand" in page and "Alice Martin" not in page
    response = client.post(f"/events/{event.slug}/debrief/parts", data={"parts": "Accueil\nRepas"})
    assert response.status_code == 303
    page = _results(client, event).text
    assert "Repas" in page and PARTS[1] not in page
