"""The public pages: events, an event's challenges by theme, a challenge sheet, errors."""

from datetime import datetime

import pytest

from facilitate.models._types import utc_from_local
from tests import factories
from tests.factories import code_of


def test_home_lists_events_with_their_dates_in_local_time(client, make):
    make.event(
        name="Atelier de La Réunion",
        venue="Saint-Denis",
        timezone="Indian/Reunion",
        # 23:30 on 8 July in Paris is already 9 July in La Réunion (UTC+4).
        starts_at=utc_from_local(datetime(2018, 7, 9, 1, 30), "Indian/Reunion"),
        ends_at=utc_from_local(datetime(2018, 7, 11, 17, 0), "Indian/Reunion"),
        challenges=3,
    )
    page = client.get("/")
    assert page.status_code == 200
    assert "Atelier de La Réunion" in page.text
    assert "9–11 juillet 2018" in page.text
    assert "3 défis" in page.text


def test_event_page_groups_challenge_cards_by_theme(client, make):
    event = make.event(themes=2)
    first, second = event.themes
    make.challenge(
        event,
        number=4,
        theme=second,
        question="Comment accueillir ?",
        owner_organisation="Ville du Havre",
    )
    make.challenge(event, number=2, theme=first, question="Comment inscrire ?")
    make.challenge(event, number=7, question="Comment voter ?")
    page = client.get(f"/events/{event.slug}").text
    # Themes in their order, then the challenges without a theme.
    assert page.index("Theme 1") < page.index("Comment inscrire ?") < page.index("Theme 2")
    assert (
        page.index("Theme 2") < page.index("Comment accueillir ?") < page.index("Défis sans thème")
    )
    assert page.index("Défis sans thème") < page.index("Comment voter ?")
    assert "Défi 4" in page and "Ville du Havre" in page
    assert f'href="/events/{event.slug}/challenges/4"' in page


def test_challenge_page_shows_the_whole_sheet_with_lists_in_order(client, make):
    event = make.event()
    make.challenge(
        event,
        number=1,
        question="Comment définir les critères de durabilité ?",
        owner_organisation="Commune d’Etel",
        project_name="La Glacière",
        territory="Etel",
        stakes="Définir des critères.",
        stakeholders=["Association Autrefois Etel", "La commune", "L’interco"],
        users=["Habitants"],
        obstacles=["Peu d’intérêt des partenaires"],
        levers=["Le projet municipal"],
        info_url="https://example.org/defi-1",
    )
    page = client.get(f"/events/{event.slug}/challenges/1").text
    for text in (
        "Comment définir les critères de durabilité ?",
        "Commune d’Etel",
        "La Glacière",
        "Etel",
        "Définir des critères.",
        "Parties prenantes",
        "Usagers",
        "Obstacles",
        "Leviers",
        'href="https://example.org/defi-1"',
    ):
        assert text in page
    assert (
        page.index("Association Autrefois Etel")
        < page.index("La commune")
        < page.index("L’interco")
    )


def test_partial_sheet_shows_what_there_is_and_says_the_rest_is_to_come(client, make):
    event = make.event()
    make.challenge(
        event,
        number=5,
        question="Comment accompagner le sanatorium ?",
        owner_organisation="Ville de Dreux",
    )
    page = client.get(f"/events/{event.slug}/challenges/5").text
    assert "Comment accompagner le sanatorium ?" in page
    assert "Ville de Dreux" in page
    assert "Parties prenantes" not in page
    assert "pas encore détaillé" in page


def test_unsafe_info_links_are_not_rendered(client, make):
    event = make.event()
    make.challenge(event, number=1, info_url="javascript:alert(1)")
    assert "javascript:" not in client.get(f"/events/{event.slug}/challenges/1").text


@pytest.mark.parametrize(
    "url",
    ["/nowhere", "/events/unknown", "/events/unknown/challenges/1", "/events/{slug}/challenges/99"],
)
def test_unknown_pages_and_objects_get_the_friendly_404(client, make, url):
    event = make.event(challenges=1)
    response = client.get(url.format(slug=event.slug))
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "Traceback" not in response.text


def test_non_numeric_challenge_number_is_a_404_not_a_500(client, make):
    event = make.event(challenges=1)
    assert client.get(f"/events/{event.slug}/challenges/abc").status_code == 404
    assert client.get(f"/events/{event.slug}/challenges/99999999999999999999999").status_code == 404


def test_server_errors_get_the_friendly_page_in_french(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr("facilitate.events.routes.list_events", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert "Un problème est survenu de notre côté" in response.text
    assert "boom" not in response.text


@pytest.mark.parametrize("count", [14, 200])
def test_event_page_runs_a_fixed_number_of_queries(client, make, count_queries, count):
    url = f"/events/{make.event(challenges=count, themes=4).slug}"
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count('class="card challenge-card"') == count
    assert len(queries) == EVENT_PAGE_QUERIES, queries


# Event, its programme, themes, challenges: held fixed whatever the number of challenges.
EVENT_PAGE_QUERIES = 4


def test_home_runs_a_fixed_number_of_queries(client, make, count_queries):
    for _ in range(2):
        make.event(challenges=2)
    with count_queries() as few:
        client.get("/")
    for _ in range(20):
        make.event(challenges=5)
    with count_queries() as many:
        client.get("/")
    assert len(few) == len(many) == 1


def test_signed_in_event_page_adds_only_the_session_lookup(client, make, count_queries):
    event = make.event(challenges=14, themes=4)
    person = factories.participant(event)
    url = f"/events/{event.slug}"
    client.post("/sign-in/code", data={"code": code_of(person)})
    with count_queries() as queries:
        client.get(url)
    # The session's user, the challenge of their team, and their roles (organiser link).
    assert len(queries) == EVENT_PAGE_QUERIES + 3


def test_a_team_member_finds_their_own_challenge_first(client, make):
    event = make.event(challenges=3)
    person = make.participant(event, team=event.challenges[1].team)
    url = f"/events/{event.slug}"
    assert "Le défi de votre équipe" not in client.get(url).text
    client.post("/sign-in/code", data={"code": code_of(person)})
    page = client.get(url).text
    assert page.index("Le défi de votre équipe") < page.index("Comment relever le défi 2 ?")
    assert page.index("Comment relever le défi 2 ?") < page.index("Comment relever le défi 1 ?")


def test_programme_is_shown_in_the_venue_s_time_to_everyone(client, make):
    from facilitate.extensions import db
    from facilitate.models import PlannedStage, Stage

    event = make.event(timezone="Indian/Reunion")
    # 05:00 UTC is 09:00 in La Réunion, whatever the reader's own time zone.
    event.planned_stages = [
        PlannedStage(stage=Stage.FRAMING, starts_at=datetime(2026, 10, 5, 5, 0))
    ]
    db.session.commit()
    url = f"/events/{event.slug}"
    page = client.get(url).text
    assert "Cadrage" in page and "lundi 5 octobre à 9\u00a0h\u00a000" in page


def test_pages_link_their_icon_and_favicon_ico_leads_to_it(client):
    page = client.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/static/favicon.svg")
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert icon.text.startswith("<svg")
