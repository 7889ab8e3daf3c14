"""Lists that scale (issue 13, item 3): the attendee list and the teams page a page at a time,
with search, filters and order; a bad page number or filter is never a 500."""

import random
import re
from datetime import datetime

import pytest

from facilitate.extensions import db
from facilitate.models import Membership, Role, Stage
from facilitate.pagination import Page
from facilitate.search import fold, matcher
from tests.factories import sign_in

SURNAMES = [f"Nom{i:03d}" for i in range(120)]


def rows(page: str) -> list[str]:
    """The names in the attendee table, in order."""
    body = page.partition("<tbody>")[2].partition("</tbody>")[0]
    return re.findall(r"<tr>\s*<td>([^<]+)<", body)


@pytest.fixture
def crowd(client, make):
    """120 attendees in shuffled order, every third in team 1, a few with a facilitator role,
    and an attendee of another event who must never show."""
    event = make.event(challenges=3)
    team = event.challenges[0].team
    order = list(range(120))
    random.Random(13).shuffle(order)
    for i in order:
        make.participant(
            event,
            team=team if i % 3 == 0 else None,
            name=f"Prénom {SURNAMES[i]}",
            organisation=f"Ville {i % 4}",
            email=f"p{i}@example.org",
        )
    other = make.event(challenges=1)
    make.participant(other, name="Ève Ailleurs", organisation="Ville 0")
    sign_in(client, make.organiser(event))
    db.session.commit()
    return event


def test_the_page_helper_counts_and_links_pages():
    page = Page(items=list(range(50)), number=6, count=1050, per_page=50, asked=6)
    assert (page.pages, page.first, page.last) == (21, 251, 300)
    assert page.numbers() == [1, None, 4, 5, 6, 7, 8, None, 21]
    assert Page([], 1, 0, 50, 1).pages == 1


def test_search_folds_case_accents_and_ligatures():
    assert fold("  ÈVE  d’Arc Œuvre ") == "eve d'arc oeuvre"
    assert matcher("eve lefevre")("Ève Lefèvre", None)
    assert matcher("EVE")("Ève") and not matcher("eva")("Ève")
    assert matcher("  ") is None


def test_page_two_shows_the_51st_person_in_surname_order(client, crowd):
    first = client.get(f"/events/{crowd.slug}/people")
    assert rows(first.text) == [f"Prénom {name}" for name in SURNAMES[:50]]
    assert "120 participants, 1 à 50" in first.text
    second = client.get(f"/events/{crowd.slug}/people?page=2").text
    assert rows(second)[0] == "Prénom Nom050"
    assert "Page 2 sur 3" in second
    assert 'aria-current="page"' in second
    assert "Ève Ailleurs" not in first.text + second
    last = client.get(f"/events/{crowd.slug}/people?page=3").text
    assert rows(last) == [f"Prénom {name}" for name in SURNAMES[100:]]


@pytest.mark.parametrize(
    ("page", "expected_first", "past_the_end"),
    [
        ("-1", "Nom000", False),
        ("0", "Nom000", False),
        ("abc", "Nom000", False),
        ("２", "Nom000", False),
        ("99999999999999999999", "Nom000", False),
        ("40", "Nom100", True),
        ("999999999", "Nom100", True),
    ],
)
def test_a_bad_page_number_shows_the_nearest_page(
    client, crowd, page, expected_first, past_the_end
):
    response = client.get(f"/events/{crowd.slug}/people?page={page}")
    assert response.status_code == 200
    assert rows(response.text)[0] == f"Prénom {expected_first}"
    assert ("voici la dernière" in response.text) == past_the_end


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=nom007", ["Nom007"]),
        ("q=PRENOM+nom01", [f"Nom01{i}" for i in range(10)]),
        ("q=p42%40example", ["Nom042"]),
        ("q=ville+3+nom00", ["Nom003", "Nom007"]),
        ("q=Ailleurs", []),
    ],
)
def test_search_finds_name_organisation_and_email(client, crowd, query, expected):
    response = client.get(f"/events/{crowd.slug}/people?{query}")
    assert response.status_code == 200
    assert rows(response.text) == [f"Prénom {name}" for name in expected]


def test_search_ignores_accents_and_case(client, make):
    event = make.event()
    for name in ("Ève Lefèvre", "Zoë Martin", "Evelyne Dupont"):
        make.participant(event, name=name)
    sign_in(client, make.organiser(event))
    page = client.get(f"/events/{event.slug}/people?q=eve").text
    assert rows(page) == ["Evelyne Dupont", "Ève Lefèvre"]
    assert rows(client.get(f"/events/{event.slug}/people?q=ZOE").text) == ["Zoë Martin"]


def test_filters_keep_whom_they_say(client, crowd, make):
    in_team = [name for i, name in enumerate(SURNAMES) if i % 3 == 0]
    without = [name for i, name in enumerate(SURNAMES) if i % 3]
    base = f"/events/{crowd.slug}/people"
    assert rows(client.get(f"{base}?team=1").text) == [f"Prénom {n}" for n in in_team]
    assert rows(client.get(f"{base}?team=none").text) == [f"Prénom {n}" for n in without[:50]]
    assert "80 participants sur 120 correspondent" in client.get(f"{base}?team=none").text
    assert rows(client.get(f"{base}?team=2").text) == []
    assert rows(client.get(f"{base}?role=member").text) == [f"Prénom {n}" for n in in_team]

    attendances = {
        m.name: m
        for m in db.session.query(Membership).filter_by(event_id=crowd.id, role=Role.PARTICIPANT)
    }
    attendances["Prénom Nom001"].access_code = None
    attendances["Prénom Nom002"].badge_printed_at = datetime(2026, 7, 1, 9)
    db.session.commit()
    assert rows(client.get(f"{base}?code=none").text) == ["Prénom Nom001"]
    assert rows(client.get(f"{base}?badge=printed").text) == ["Prénom Nom002"]
    assert "Prénom Nom002" not in rows(client.get(f"{base}?badge=not_printed&page=1").text)
    both = client.get(f"{base}?code=issued&badge=not_printed&team=none&role=participant").text
    assert "78 participants sur 120 correspondent" in both


def test_sort_by_organisation_and_by_team(client, crowd):
    base = f"/events/{crowd.slug}/people"
    by_organisation = rows(client.get(f"{base}?sort=organisation").text)
    assert by_organisation[:3] == ["Prénom Nom000", "Prénom Nom004", "Prénom Nom008"]
    by_team = rows(client.get(f"{base}?sort=team").text)
    assert by_team[:2] == ["Prénom Nom000", "Prénom Nom003"]  # team 1 first, then surname
    page_three = client.get(f"{base}?sort=team&page=3").text
    assert rows(page_three)[-1] == "Prénom Nom119"
    # The page links keep the order and the filters.
    assert "sort=team" in page_three.partition('class="pager"')[2]


@pytest.mark.parametrize(
    "query", ["team=99", "team=abc", "role=king", "code=maybe", "badge=x", "sort=age"]
)
def test_an_unknown_filter_is_set_aside_with_a_message(client, crowd, query):
    response = client.get(f"/events/{crowd.slug}/people?{query}&page=2")
    assert response.status_code == 400
    assert "n’est pas un choix possible" in response.text
    assert rows(response.text)[0] == "Prénom Nom050"  # the list, without that filter


def test_an_empty_filter_is_no_filter(client, crowd):
    response = client.get(f"/events/{crowd.slug}/people?sort=&team=&q=&page=")
    assert response.status_code == 200
    assert rows(response.text)[0] == "Prénom Nom000"


def test_the_teams_page_searches_filters_and_pages_teams(client, make):
    event = make.event(challenges=25, themes=2)
    facilitated = event.challenges[2].team
    helper = make.participant(event, name="Fanny Facile")
    db.session.add(Membership(user=helper, event=event, team=facilitated, role=Role.FACILITATOR))
    event.challenges[12].team.stage = Stage.IDEATION
    event.challenges[4].team.name = "Les Écureuils"
    for i in range(60):
        make.participant(event, name=f"Sans Équipe{i:02d}")
    sign_in(client, make.organiser(event))
    db.session.commit()
    base = f"/events/{event.slug}/teams"

    def numbers(page):
        return [int(n) for n in re.findall(r'class="challenge-card__number">Défi (\d+)', page)]

    first = client.get(base).text
    assert numbers(first) == list(range(1, 21))
    assert "25 équipes, 1 à 20" in first
    assert numbers(client.get(f"{base}?page=2").text) == list(range(21, 26))
    assert numbers(client.get(f"{base}?page=9").text) == list(range(21, 26))
    assert numbers(client.get(f"{base}?q=3").text) == [3]
    assert numbers(client.get(f"{base}?q=ecureuil").text) == [5]
    assert numbers(client.get(f"{base}?q=fanny").text) == [3]
    assert numbers(client.get(f"{base}?facilitator=with").text) == [3]
    assert 3 not in numbers(client.get(f"{base}?facilitator=without").text)
    assert numbers(client.get(f"{base}?stage=ideation").text) == [13]
    theme = event.themes[1]
    assert numbers(client.get(f"{base}?theme={theme.id}").text) == list(range(1, 26, 2))
    assert numbers(client.get(f"{base}?sort=stage&page=2").text)[-1] == 13
    refused = client.get(f"{base}?theme=999&stage=done")
    assert refused.status_code == 400
    assert refused.text.count("n’est pas un choix possible") == 2
    # The attendees without a team, 50 a page, by surname.
    assert "60 participants sans équipe" in first
    assert "Sans Équipe49" in first and "Sans Équipe50" not in first
    assert "Sans Équipe50" in client.get(f"{base}?unplaced_page=2").text


def test_placing_from_a_filtered_page_comes_back_to_it(client, make):
    event = make.event(challenges=2)
    person = make.participant(event, name="Ève Martin")
    sign_in(client, make.organiser(event))
    db.session.commit()
    base = f"/events/{event.slug}/teams"
    page = client.get(f"{base}?sort=members&q=2").text
    action = re.search(rf'action="([^"]*/place/{person.id}[^"]*)"', page).group(1)
    response = client.post(
        action.replace("&amp;", "&"), data={"team_id": event.challenges[1].team.id}
    )
    assert response.status_code == 303
    assert response.location.endswith(f"{base}?sort=members&q=2#unplaced-title")


@pytest.mark.parametrize("count", [10, 120])
def test_the_paginated_teams_page_runs_a_fixed_number_of_queries(
    client, make, count_queries, count
):
    event = make.event(challenges=24, themes=2)
    for i in range(count):
        make.participant(event, team=event.challenges[i % 24].team if i % 4 else None)
    sign_in(client, make.organiser(event))
    db.session.commit()
    url = f"/events/{event.slug}/teams"
    for query in ("", "?page=2&sort=members", "?q=d%C3%A9fi&facilitator=without&unplaced_page=2"):
        with count_queries() as queries:
            response = client.get(url + query)
        assert response.status_code == 200
        assert len(queries) == 7, "\n".join(q[:90] for q in queries)
