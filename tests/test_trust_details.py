"""Small things that cost trust (issue 12, item 12): a confirmation shows beside the section it is
about, new themes get distinct colours, and a refused form shows one summary of its errors."""

import re

import pytest
from sqlalchemy import select

from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    check_challenge_file,
)
from facilitate.events.theme_colours import PALETTE, next_theme_colour
from facilitate.extensions import db
from facilitate.models import Idea, Theme
from tests.factories import sign_in
from tests.test_organise_events import EVENT_FORM


def _section(page: str, element_id: str) -> str:
    """The HTML of the element with this id, up to the next element of the same tag closing."""
    start = page.index(f'id="{element_id}"')
    opening = page.rindex("<", 0, start)
    tag = re.match(r"<(\w+)", page[opening:]).group(1)
    depth, position = 0, opening
    pattern = re.compile(rf"<(/?){tag}\b")
    for match in pattern.finditer(page, opening):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            position = match.end()
            break
    return page[opening:position]


def _top_messages(page: str) -> str:
    """The messages shown at the top of the page, before any content."""
    main = page[page.index("<main") :]
    first = re.search(r'<div class="flashes"[^>]*>(.*?)</div>', main, re.S)
    return first.group(1) if first else ""


@pytest.fixture(autouse=True)
def _english(client):
    """The messages as written in the code (the French catalogue is tested elsewhere)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


# --- (a) Messages beside their section ------------------------------------------------------


@pytest.fixture
def member(client, make):
    event = make.event(challenges=1)
    team = event.challenges[0].team
    person = make.participant(event, team=team)
    db.session.commit()
    sign_in(client, person)
    client.workspace = f"/events/{event.slug}/teams/1/workspace"
    client.team = team
    return person


def test_a_new_persona_is_confirmed_inside_the_personas_section(client, member):
    response = client.post(client.workspace + "/personas", data={"name": "Juliette, 34 ans"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#personas")

    page = client.get(client.workspace).text

    assert "Persona added." in _section(page, "personas")
    assert "Persona added." not in _top_messages(page)
    assert page.count("Persona added.") == 1


def test_a_comment_is_confirmed_on_the_card_of_its_idea(client, member):
    idea = Idea(team_id=client.team.id, title="Un guichet unique", author_id=member.id)
    other = Idea(team_id=client.team.id, title="Une application", author_id=member.id)
    db.session.add_all([idea, other])
    db.session.commit()

    response = client.post(
        f"{client.workspace}/ideas/{idea.id}/comments",
        data={f"comment-{idea.id}-body": "Et pour les personnes sans ordinateur ?"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["Location"].endswith(f"#idea-{idea.id}")

    # Back on the ideation page, where the idea is in full (the team is still framing).
    page = client.get(response.headers["Location"]).text
    assert "Comment sent." in _section(page, f"idea-{idea.id}")
    assert "Comment sent." not in _section(page, f"idea-{other.id}")
    assert "Comment sent." not in _top_messages(page)


def test_a_refused_form_posts_back_to_its_section(client, member):
    """The browser scrolls to the section whose form was refused, its errors beside the fields."""
    page = client.get(client.workspace).text
    assert re.search(r'action="[^"]*/workspace/personas#personas"', page)
    ideation = client.get(client.workspace + "/ideation").text
    assert re.search(r'action="[^"]*/workspace/ideas[^"#]*#ideation"', ideation)

    refused = client.post(client.workspace + "/personas", data={"name": ""})
    assert refused.status_code == 400
    assert "field__error" in _section(refused.text, "personas")


def test_an_organiser_sees_the_saved_vote_settings_beside_the_settings(client, make):
    event = make.event(challenges=2)
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)

    response = client.post(
        f"/events/{event.slug}/organise/vote/settings", data={"votes_per_participant": "4"}
    )
    assert response.headers["Location"].endswith("#vote-settings-title")
    page = client.get(response.headers["Location"]).text

    settings = page[page.index('id="vote-settings-title"') : page.index('id="vote-links-title"')]
    assert "The vote settings are saved." in settings
    assert "The vote settings are saved." not in _top_messages(page)


def test_messages_without_a_section_on_the_page_still_show_at_the_top(client, member):
    """A targeted message whose section the next page does not have is not lost."""
    client.post(client.workspace + "/personas", data={"name": "Juliette"})
    page = client.get("/").text
    assert "Persona added." in _top_messages(page)


# --- (b) Distinct theme colours -----------------------------------------------------------------


def _contrast_with_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_every_palette_colour_keeps_white_text_readable():
    assert len(set(PALETTE)) == len(PALETTE) >= 6
    for colour in PALETTE:
        assert _contrast_with_white(colour) >= 4.5, colour


def test_the_next_colour_is_the_first_one_not_used():
    assert next_theme_colour([]) == PALETTE[0]
    assert next_theme_colour([PALETTE[0].upper(), None, PALETTE[2]]) == PALETTE[1]


@pytest.fixture
def organiser_client(client, make):
    event = make.event(challenges=1)
    organiser = make.organiser(event, is_organiser=True)
    db.session.commit()
    sign_in(client, organiser)
    client.event = event
    return client


def _theme_colours_on(page: str) -> list[str]:
    return re.findall(
        r'id="themes-\d+-colour" name="themes-\d+-colour" type="color" value="([^"]+)"', page
    )


def test_themes_added_one_after_another_on_the_event_form_get_distinct_colours(organiser_client):
    page = organiser_client.get("/events/new").text
    assert _theme_colours_on(page) == [PALETTE[0]]

    data = {**EVENT_FORM, "themes-0-colour": PALETTE[0]}
    for count in range(2, 5):
        page = organiser_client.post("/events/new", data={**data, "list_action": "themes:add"}).text
        colours = _theme_colours_on(page)
        assert len(colours) == count and len(set(colours)) == count, colours
        data[f"themes-{count - 1}-id"] = ""
        data[f"themes-{count - 1}-name"] = f"Thème {count}"
        data[f"themes-{count - 1}-colour"] = colours[-1]
    assert organiser_client.post("/events/new", data=data).status_code == 303


def test_themes_created_by_a_challenge_import_get_distinct_colours(make):
    event = make.event(themes=1)  # its theme has the first colour of the palette
    data = (
        "numéro;intitulé;porteur;thème\n"
        "1;Comment réduire les déchets ?;Ville de Rennes;Écologie\n"
        "2;Comment accueillir mieux ?;Commune d'Etel;Accueil\n"
        "3;Comment circuler ?;Rennes Métropole;Mobilités\n"
    ).encode()
    checked = check_challenge_file(event, data, "defis.csv")
    assert checked.problems == []
    import_challenges(event, checked)
    db.session.flush()

    colours = db.session.scalars(
        select(Theme.colour).where(Theme.event_id == event.id).order_by(Theme.position)
    ).all()
    assert len(colours) == 4 and len(set(colours)) == 4, colours
    assert colours[1:] == list(PALETTE[1:4])


# --- (d) One error summary per form -------------------------------------------------------------


def test_a_refused_purge_shows_one_error_summary(client, make):
    from datetime import datetime

    event = make.event(starts_at=datetime(2020, 1, 1), ends_at=datetime(2020, 1, 2))
    organiser = make.organiser(event, is_organiser=True)
    db.session.commit()
    sign_in(client, organiser)

    response = client.post(f"/events/{event.slug}/organise/purge", data={"confirmation": "x"})

    assert response.status_code == 400
    assert response.text.count('class="form-errors"') == 1
    assert 'href="#confirmation"' in response.text  # the summary leads to the field


def test_two_themes_with_one_name_are_refused_in_the_summary_and_beside_the_list(
    organiser_client,
):
    data = {
        **EVENT_FORM,
        "themes-1-id": "",
        "themes-1-name": "mobilités",
        "themes-1-colour": PALETTE[1],
    }
    response = organiser_client.post("/events/new", data=data)

    assert response.status_code == 400
    page = response.text
    assert page.count('class="form-errors"') == 1
    summary = re.search(r'class="form-errors".*?</div>', page, re.S).group(0)
    assert '<a href="#themes">Two themes have the same name.</a>' in summary
    assert "Two themes have the same name." in _section(page, "themes")
