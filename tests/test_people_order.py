"""Every list of people, on screen and in exports, in the order people expect: by surname then
first name, "Ève" with the E's (before "Zoë"), "Céline" before "Chloé", in French and English."""

import csv
import io

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Membership, Role
from facilitate.people.management import remove_attendee, restore_attendee
from facilitate.people.spreadsheet import check_attendee_file, import_attendees
from facilitate.privacy.own_data import (
    personal_data,
)
from facilitate.privacy.services import (
    erase_attendee,
)
from tests.factories import sign_in

# By surname then first name; by first name and code point they came out
# Albert, Anne-Marie, Chloé, Céline, Zoë, Ève, Émile.
EXPECTED = [
    "Céline Bernard",
    "Chloé Bernard",
    "Émile DUPONT",
    "Anne-Marie de La Tour",
    "Ève Martin",
    "Zoë Martin",
    "Albert Zola",
]
LANGUAGES = ["fr", "en"]


@pytest.fixture
def event(client, make):
    event = make.event(challenges=2)
    teams = [event.challenges[0].team, event.challenges[1].team, None]
    for i, name in enumerate(sorted(EXPECTED, reverse=True)):
        make.participant(event, team=teams[i % 3], name=name, organisation="Ville de Rennes")
    sign_in(client, make.organiser(event, name="Yves Organisateur"))
    return event


def order_in(text: str, names=EXPECTED) -> list[str]:
    missing = [name for name in names if name not in text]
    assert not missing, missing
    return sorted(names, key=text.index)


def csv_names(response, column: int = 0) -> list[str]:
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    return [row[column] for row in rows[1:]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_people_page_lists_by_surname(client, event, language):
    response = client.get(f"/events/{event.slug}/people", headers={"Accept-Language": language})
    assert order_in(response.text) == EXPECTED


@pytest.mark.parametrize("language", LANGUAGES)
def test_badges_print_in_surname_order(client, event, language):
    response = client.get(f"/events/{event.slug}/badges", headers={"Accept-Language": language})
    assert order_in(response.text) == EXPECTED


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_codes_csv_lists_by_surname(client, event, language):
    response = client.get(
        f"/events/{event.slug}/people/access-codes.csv", headers={"Accept-Language": language}
    )
    assert csv_names(response) == EXPECTED


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_attendee_export_lists_by_surname(client, event, language):
    response = client.get(
        f"/events/{event.slug}/people/export.csv", headers={"Accept-Language": language}
    )
    assert csv_names(response, column=1) == EXPECTED


@pytest.mark.parametrize("language", LANGUAGES)
def test_team_rosters_list_by_surname(client, event, language):
    page = client.get(f"/events/{event.slug}/teams", headers={"Accept-Language": language}).text
    placed_first = sorted(EXPECTED, reverse=True)[0::3]  # see the fixture
    first_team = [name for name in EXPECTED if name in placed_first]
    assert first_team == ["Céline Bernard", "Émile DUPONT", "Albert Zola"]
    assert order_in(page, first_team) == first_team


def test_an_erased_person_comes_last_on_the_people_page(client, event):
    attendance = db.session.scalar(
        select(Membership).where(
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            Membership.name == "Céline Bernard",
        )
    )
    erase_attendee(event, attendance, None)
    db.session.commit()
    page = client.get(f"/events/{event.slug}/people", headers={"Accept-Language": "en"}).text
    assert order_in(page, [*EXPECTED[1:], "Erased person"]) == [*EXPECTED[1:], "Erased person"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_organisers_facilitators_and_owners_are_listed_by_surname(client, make, language):
    event = make.event(challenges=1)
    team = event.challenges[0].team
    first = make.organiser(event, name="Zoë Martin")
    for name in ("Ève Martin", "Chloé Bernard"):
        make.organiser(event, name=name)
    facilitators = ["Émile Lefèvre", "Zoë Lefèvre", "Céline Zola"]
    owners = ["Ève Abadie", "Zoë Abadie", "Chloé Petit"]
    for role, names in ((Role.FACILITATOR, facilitators), (Role.CHALLENGE_OWNER, owners)):
        for name in reversed(names):
            user = make.user(name=name)
            db.session.add(Membership(user=user, event=event, team=team, role=role))
    db.session.commit()
    sign_in(client, first)
    headers = {"Accept-Language": language}
    invited = ["Zoë Blanc", "Ève Blanc", "Chloé Garnier"]
    for number, name in enumerate(invited):
        data = {"role": "organiser", "email": f"invited{number}@example.org", "name": name}
        response = client.post(f"/events/{event.slug}/organise/invitations", data=data)
        assert response.status_code == 303

    organisers = client.get(f"/events/{event.slug}/organise/invitations", headers=headers).text
    names = ["Chloé Bernard", "Ève Martin", "Zoë Martin"]
    assert order_in(organisers.partition('id="organisers-title"')[2], names) == names
    assert order_in(organisers, facilitators + owners) == facilitators + owners
    pending = ["Ève Blanc", "Zoë Blanc", "Chloé Garnier"]
    assert order_in(organisers, pending) == pending
    dashboard = client.get(f"/events/{event.slug}/dashboard", headers=headers).text
    assert order_in(dashboard, facilitators) == facilitators
    challenges = client.get(f"/events/{event.slug}/challenges/manage", headers=headers).text
    assert order_in(challenges, owners) == owners


def test_a_file_with_a_last_name_column_sets_the_order_until_the_name_changes(client, event):
    """ "Martin Dupont" in the file's last name column is one surname, filed under M (the full
    name alone would put her under Dupont); a new name without it, or erasing her, forgets it."""
    data = "Nom;Prénom;Courriel\r\nMartin Dupont;Marie;marie@example.org\r\n".encode("cp1252")
    checked = check_attendee_file(event, data, "inscrits.csv")
    import_attendees(event, checked)
    db.session.commit()
    attendance = db.session.scalar(
        select(Membership).where(Membership.name == "Marie Martin Dupont")
    )
    assert attendance.family_name == "Martin Dupont"

    expected = [*EXPECTED[:6], "Marie Martin Dupont", EXPECTED[6]]
    page = client.get(f"/events/{event.slug}/people").text
    assert order_in(page, expected) == expected
    codes = client.get(f"/events/{event.slug}/people/access-codes.csv")
    assert csv_names(codes) == expected

    response = client.post(
        f"/events/{event.slug}/people/{attendance.user_id}/edit",
        data={"name": "Marie Martin-Dupont", "email": "marie@example.org", "role": "member"},
    )
    assert response.status_code == 303
    db.session.refresh(attendance)
    assert attendance.family_name is None
    rows = client.get(f"/events/{event.slug}/people").text.partition("<tbody>")[2]
    names = ["Zoë Martin", "Marie Martin-Dupont"]  # "Martin-Dupont" read from the name
    assert order_in(rows, names) == names


def test_erasing_forgets_the_family_name_and_the_person_s_data_shows_it(client, event, make):
    data = "Nom;Prénom;Courriel\r\nMartin Dupont;Marie;marie@example.org\r\n".encode("cp1252")
    import_attendees(event, check_attendee_file(event, data, "inscrits.csv"))
    attendance = db.session.scalar(
        select(Membership).where(Membership.name == "Marie Martin Dupont")
    )
    assert personal_data(event, attendance.user)["attendance"]["family_name"] == "Martin Dupont"
    erase_attendee(event, attendance, None)
    db.session.flush()
    assert (attendance.name, attendance.family_name) == (None, None)


def test_a_removed_person_comes_back_with_their_family_name(event):
    data = "Nom;Prénom;Courriel\r\nMartin Dupont;Marie;marie@example.org\r\n".encode("cp1252")
    import_attendees(event, check_attendee_file(event, data, "inscrits.csv"))
    attendance = db.session.scalar(
        select(Membership).where(Membership.name == "Marie Martin Dupont")
    )
    entry = remove_attendee(event, attendance.user, None)
    restore_attendee(entry, None)
    db.session.flush()
    back = db.session.scalar(select(Membership).where(Membership.name == "Marie Martin Dupont"))
    assert back.family_name == "Martin Dupont"
