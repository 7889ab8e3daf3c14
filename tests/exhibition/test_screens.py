"""The reveal screen and the results show what each team built (its challenge, its retained
idea, a photo whose people agreed), in a fixed number of queries; the screens for the projector
carry no account, navigation or sign-out, and offer full screen."""

import re
from html import unescape

import pytest

from facilitate.extensions import db
from facilitate.models import Stage, VoteStatus
from tests.exhibition.conftest import organiser_of, teams_of, with_material
from tests.factories import sign_in


def _revealed(make, challenges: int):
    event = make.event(challenges=challenges, themes=2, stage=Stage.EXHIBITION)
    for n, team in enumerate(teams_of(event), start=1):
        team.stand_number = n
        team.name = f"Équipe {n}"
        with_material(make, event, team, n)
    event.vote_status = VoteStatus.REVEALED
    db.session.flush()
    return event


@pytest.mark.parametrize("who", ["organiser", "participant"])
def test_each_stand_shows_its_team_challenge_idea_and_consented_photo(client, make, who):
    event = _revealed(make, 3)
    person = organiser_of(make, event) if who == "organiser" else make.participant(event)
    sign_in(client, person)
    pages = [client.get(f"/events/{event.slug}/results")]
    if who == "organiser":
        pages.append(client.get(f"/events/{event.slug}/reveal"))
    for page in pages:
        assert page.status_code == 200
        text = unescape(page.text)
        for n, team in enumerate(teams_of(event), start=1):
            assert f"Équipe {n}" in text
            assert team.challenge.question in text
            assert f"Retained idea: Idée retenue {n}" in text
            assert f"Photo of the prototype of Équipe {n}" in text
        assert "Idée écartée" not in text
        # One photo a stand (the latest the people pictured agreed to), never the PDF; the
        # results show each stand twice (overall, within its theme).
        photos = set(re.findall(r'<img[^>]* src="([^"]+)"', page.text))
        assert len(photos) == 3, photos
        assert "plan-" not in text


@pytest.mark.parametrize("path", ["results", "reveal"])
def test_the_results_and_reveal_run_a_fixed_number_of_queries(client, make, count_queries, path):
    counts = []
    for challenges in (2, 12):
        event = _revealed(make, challenges)
        sign_in(client, organiser_of(make, event))
        with count_queries() as queries:
            page = client.get(f"/events/{event.slug}/{path}")
        assert page.status_code == 200
        # Each stand twice: overall, then within its theme.
        assert unescape(page.text).count("Retained idea: ") == challenges * 2
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("path", ["reveal", "room"])
def test_screens_for_the_projector_carry_no_account_and_offer_full_screen(client, make, path):
    event = _revealed(make, 2)
    organiser = organiser_of(make, event)
    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/{path}")
    assert page.status_code == 200
    assert organiser.name not in page.text
    assert "Sign out" not in page.text and "/sign-out" not in page.text
    assert "<nav" not in page.text and "site-header" not in page.text
    assert 'src="/static/js/fullscreen.js"' in page.text
    assert "data-fullscreen hidden" in page.text and 'aria-keyshortcuts="F"' in page.text
    assert 'href="/static/css/screen.css"' in page.text
    assert "<script>" not in page.text and "style=" not in page.text
