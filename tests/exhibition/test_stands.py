"""Stands: numbers and places set by the organisers, A3 posters with a QR code to the stand
page, the stand page itself with its feedback form, and that feedback in the team's workspace."""

import re
from html import unescape

import pytest

from facilitate.printing.services import qr_code_svg
from tests.exhibition.conftest import (
    BASE_URL,
    numbers,
    organiser_of,
    stands_data,
    teams_of,
    with_material,
)
from tests.factories import sign_in, stand_path

# --- Who may do what --------------------------------------------------------------------------

ORGANISER_PAGES = [
    ("get", "/events/{slug}/organise/stands"),
    ("post", "/events/{slug}/organise/stands"),
    ("post", "/events/{slug}/organise/stands/by-challenge"),
    ("get", "/events/{slug}/organise/stands/posters"),
    ("get", "{stand}/poster"),
]


def _url(url: str, event) -> str:
    return url.format(slug=event.slug, stand=stand_path(teams_of(event)[0]))


@pytest.mark.parametrize(("method", "url"), ORGANISER_PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, event, method, url):
    response = getattr(client, method)(_url(url, event))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize(("method", "url"), ORGANISER_PAGES)
def test_participants_may_not_manage_stands(client, make, event, method, url):
    sign_in(client, make.participant(event, team=teams_of(event)[1]))
    assert getattr(client, method)(_url(url, event)).status_code == 403
    assert numbers(event)[teams_of(event)[0].id] == (None, None)


@pytest.mark.parametrize(("method", "url"), ORGANISER_PAGES)
def test_organisers_of_another_event_may_not_manage_stands(client, make, event, method, url):
    sign_in(client, organiser_of(make, make.event()))
    assert getattr(client, method)(_url(url, event)).status_code == 403


def test_a_poster_of_another_events_team_is_not_found(client, make, event):
    other = make.event(challenges=1)
    sign_in(client, organiser_of(make, event))
    stranger = teams_of(other)[0]
    stranger.stand_number = 9
    for number in (9, stranger.id):
        response = client.get(f"/events/{event.slug}/stands/{number}/poster")
        assert response.status_code == 404


# --- Stand numbers and places -----------------------------------------------------------------


def test_the_stands_page_lists_every_team_with_labelled_fields(client, make, event):
    first = teams_of(event)[0]
    first.stand_number, first.stand_place = 4, "Hall B"
    sign_in(client, organiser_of(make, event))
    page = client.get(f"/events/{event.slug}/organise/stands")
    assert page.status_code == 200
    for team in teams_of(event):
        for name in (f"number_{team.id}", f"place_{team.id}"):
            assert f'<label class="visually-hidden" for="{name}">' in page.text
            assert f'id="{name}"' in page.text
    for challenge in event.challenges:
        assert challenge.question in unescape(page.text)
    assert re.search(rf'id="number_{first.id}"[^>]*value="4"', page.text)
    assert 'value="Hall B"' in page.text
    assert stand_path(first, "/poster") in page.text
    assert f"/events/{event.slug}/organise/stands/posters" in page.text


def test_organisers_save_numbers_and_places(client, make, event):
    a, b, c = teams_of(event)
    sign_in(client, organiser_of(make, event))
    response = client.post(
        f"/events/{event.slug}/organise/stands",
        data=stands_data(event, {a.id: (2, " Hall B "), b.id: (1, ""), c.id: (None, "")}),
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event.slug}/organise/stands"
    assert numbers(event) == {a.id: (2, "Hall B"), b.id: (1, None), c.id: (None, None)}
    assert "2 stands saved." in client.get(response.headers["Location"]).text


def test_two_teams_swap_their_numbers(client, make, event):
    a, b, _c = teams_of(event)
    a.stand_number, b.stand_number = 1, 2
    sign_in(client, organiser_of(make, event))
    response = client.post(
        f"/events/{event.slug}/organise/stands",
        data=stands_data(event, {a.id: (2, ""), b.id: (1, "")}),
    )
    assert response.status_code == 303
    assert numbers(event)[a.id][0] == 2 and numbers(event)[b.id][0] == 1


def test_a_shared_number_is_shown_on_both_fields_and_nothing_is_saved(client, make, event):
    a, b, c = teams_of(event)
    sign_in(client, organiser_of(make, event))
    response = client.post(
        f"/events/{event.slug}/organise/stands",
        data=stands_data(event, {a.id: (3, "Hall A"), b.id: (3, ""), c.id: (1, "")}),
    )
    assert response.status_code == 400
    assert response.text.count("Stand 3 is given to more than one team.") >= 2
    for team in (a, b):
        assert f'aria-describedby="number_{team.id}-error"' in response.text
    assert f'aria-describedby="number_{c.id}-error"' not in response.text
    assert response.text.startswith("<!doctype html>")
    assert "<title>Error:" in response.text
    # What was typed is kept, to correct it.
    assert 'value="Hall A"' in response.text
    assert set(numbers(event).values()) == {(None, None)}


@pytest.mark.parametrize("typed", ["0", "-1", "2.5", "deux", "1" * 40, "10000"])
def test_numbers_are_whole_numbers_from_1(client, make, event, typed):
    a, b, _c = teams_of(event)
    sign_in(client, organiser_of(make, event))
    data = stands_data(event, {b.id: (1, "")})
    data[f"number_{a.id}"] = typed
    response = client.post(f"/events/{event.slug}/organise/stands", data=data)
    assert response.status_code == 400
    assert f'aria-describedby="number_{a.id}-error"' in response.text
    assert set(numbers(event).values()) == {(None, None)}


def test_a_place_longer_than_200_characters_is_refused(client, make, event):
    a = teams_of(event)[0]
    sign_in(client, organiser_of(make, event))
    data = stands_data(event, {a.id: (1, "x" * 201)})
    response = client.post(f"/events/{event.slug}/organise/stands", data=data)
    assert response.status_code == 400
    assert "At most 200 characters." in response.text
    assert numbers(event)[a.id] == (None, None)


def test_a_team_missing_from_the_form_keeps_its_number_and_cannot_be_doubled(client, make, event):
    """A form opened before a team existed posts without its fields: the team keeps its number,
    and the service refuses to give that number to another team."""
    a, b, c = teams_of(event)
    c.stand_number = 5
    sign_in(client, organiser_of(make, event))
    data = stands_data(event, {a.id: (5, ""), b.id: (1, "")})
    del data[f"number_{c.id}"], data[f"place_{c.id}"]
    response = client.post(f"/events/{event.slug}/organise/stands", data=data)
    assert response.status_code == 409
    assert "Stand 5 is already another team&#39;s." in response.text
    assert numbers(event) == {a.id: (None, None), b.id: (None, None), c.id: (5, None)}

    data = stands_data(event, {a.id: (2, ""), b.id: (1, "")})
    del data[f"number_{c.id}"], data[f"place_{c.id}"]
    assert client.post(f"/events/{event.slug}/organise/stands", data=data).status_code == 303
    assert numbers(event) == {a.id: (2, None), b.id: (1, None), c.id: (5, None)}


def test_numbering_by_challenge_on_unnumbered_stands_needs_no_confirmation(client, make, event):
    teams = teams_of(event)
    teams[0].stand_place = "Hall B"
    sign_in(client, organiser_of(make, event))
    response = client.post(f"/events/{event.slug}/organise/stands/by-challenge")
    assert response.status_code == 303
    assert numbers(event) == {
        teams[0].id: (1, "Hall B"),
        teams[1].id: (2, None),
        teams[2].id: (3, None),
    }


def test_numbering_by_challenge_asks_before_moving_numbered_stands(client, make, event):
    a, b, c = teams_of(event)
    a.stand_number, b.stand_number = 2, 9
    sign_in(client, organiser_of(make, event))
    url = f"/events/{event.slug}/organise/stands/by-challenge"
    asked = client.post(url)
    assert asked.status_code == 200
    text = unescape(asked.text)
    assert "Challenge 1 team: stand 2 becomes stand 1" in text
    assert "Challenge 2 team: stand 9 becomes stand 2" in text
    assert 'name="confirmed" value="yes"' in asked.text
    assert numbers(event) == {a.id: (2, None), b.id: (9, None), c.id: (None, None)}

    assert client.post(url, data={"confirmed": "yes"}).status_code == 303
    assert numbers(event) == {a.id: (1, None), b.id: (2, None), c.id: (3, None)}


@pytest.mark.parametrize("count", [3, 60])
def test_the_stands_page_runs_a_fixed_number_of_queries(client, make, count_queries, count):
    event = make.event(challenges=count, themes=4)
    for team in teams_of(event)[::2]:
        team.stand_number = team.challenge.number
    sign_in(client, organiser_of(make, event))
    url = f"/events/{event.slug}/organise/stands"
    with count_queries() as queries:
        page = client.get(url)
    assert page.text.count('stands-table__number"') == count
    # The session's user, their roles at the event, the event, the stands.
    assert len(queries) == 4, queries


@pytest.mark.parametrize("count", [3, 60])
def test_saving_the_stands_runs_a_fixed_number_of_queries(client, make, count_queries, count):
    event = make.event(challenges=count)
    sign_in(client, organiser_of(make, event))
    data = stands_data(event, {t.id: (t.challenge.number, "Hall") for t in teams_of(event)})
    url = f"/events/{event.slug}/organise/stands"
    with count_queries() as queries:
        assert client.post(url, data=data).status_code == 303
    # Event, user, roles, stands, the event's lock, the teams to change, the audit entry, one
    # batched update, the event's data version (dashboard/versions.py).
    assert len(queries) == 9, queries
    assert numbers(event)[teams_of(event)[-1].id] == (count, "Hall")


# --- Posters ----------------------------------------------------------------------------------


def test_posters_show_every_numbered_stand_with_its_material_and_qr_code(app, client, make, event):
    a, b, c = teams_of(event)
    a.stand_number, a.stand_place, a.name = 7, "Hall B, by the windows", "Les Glaciers"
    b.stand_number = 2
    a.challenge.owner_organisation = "Commune d'Etel"
    with_material(make, event, a, 1)
    sign_in(client, organiser_of(make, event))
    page = client.get(f"/events/{event.slug}/organise/stands/posters")
    assert page.status_code == 200
    posters = page.text.split('<article class="poster')[1:]
    assert len(posters) == 2  # c has no number
    assert 'id="poster-' + str(b.id) in posters[0]  # by stand number
    poster = unescape(posters[1])
    for text in (
        "Les Glaciers",
        "Hall B, by the windows",
        "Challenge 1",
        a.challenge.question,
        "Challenge owner: Commune d'Etel",
        "Pitch 1: un guichet unique pour les familles.",
        "Idée retenue 1",
        "Résumé du prototype 1",
    ):
        assert text in poster, text
    assert '<span class="poster__stand-number">7</span>' in poster
    assert "Idée écartée" not in poster
    # One photo, of those whose people agreed; never the PDF.
    assert poster.count("<img") == 1
    assert "plan-1.pdf" not in poster

    url = f"{BASE_URL}/events/{event.slug}/stands/7"
    assert f'data-stand-url="{url}"' in poster
    with app.test_request_context():
        expected = str(qr_code_svg(url, "QR code to the page of stand 7"))
    assert expected in page.text
    assert 'href="/static/css/poster.css"' in page.text


def test_the_poster_stylesheet_prints_one_a3_page_per_stand(client):
    css = client.get("/static/css/poster.css").text
    assert re.search(r"@page\s*\{\s*size:\s*A3", css)
    assert "break-after: page" in css


def test_one_poster_alone(client, make, event):
    a = teams_of(event)[2]
    a.stand_number = 3
    sign_in(client, organiser_of(make, event))
    page = client.get(stand_path(a, "/poster"))
    assert page.status_code == 200
    assert page.text.count('<article class="poster') == 1
    assert "Poster of stand 3" in page.text


@pytest.mark.parametrize(
    ("summary", "density"), [(100, ""), (1500, " poster--dense"), (2000, " poster--very-dense")]
)
def test_long_texts_get_a_smaller_type_to_stay_on_one_page(client, make, event, summary, density):
    team = teams_of(event)[0]
    team.stand_number, team.pitch, team.prototype_summary = 1, "p" * 600, "s" * summary
    sign_in(client, organiser_of(make, event))
    page = client.get(stand_path(team, "/poster")).text
    assert f'<article class="poster{density}"' in page


@pytest.mark.parametrize("count", [3, 60])
def test_all_posters_run_a_fixed_number_of_queries(client, make, count_queries, count):
    event = make.event(challenges=count, themes=4)
    for n, team in enumerate(teams_of(event), start=1):
        team.stand_number = n
        with_material(make, event, team, n)
    sign_in(client, organiser_of(make, event))
    url = f"/events/{event.slug}/organise/stands/posters"
    with count_queries() as queries:
        page = client.get(url)
    assert page.text.count('<article class="poster') == count
    assert page.text.count("<img") == count
    # The session's user, their roles, the event, the teams, the retained ideas, the photos.
    assert len(queries) == 6, queries
