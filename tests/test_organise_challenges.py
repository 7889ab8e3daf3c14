"""Organisers write challenge sheets in the browser: lists edited item by item, owners,
deletion that says what it takes and can be undone."""

import re

import pytest
from sqlalchemy import select

from facilitate.challenges.routes_manage import _TEAM_SIZES
from facilitate.extensions import db
from facilitate.models import AuditEntry, Challenge, Membership, Role
from tests.factories import sign_in


@pytest.fixture
def organiser(client, make):
    event = make.event(challenges=2, themes=2)
    person = make.organiser(event)
    sign_in(client, person)
    return event


def _sheet(**overrides):
    data = {
        "number": "3",
        "question": "Comment mieux accueillir ?",
        "theme_id": "",
        "owner_organisation": "Ville du Havre",
        "project_name": "Accueil",
        "territory": "Le Havre",
        "stakes": "Un accueil commun.",
        "stakeholders-0": "Mairie",
        "stakeholders-1": "CCAS",
        "users-0": "Habitants",
        "obstacles-0": "",
        "levers-0": "Volonté politique",
        "info_url": "https://example.org/accueil",
    }
    data.update(overrides)
    return data


def test_organiser_creates_a_full_sheet(client, organiser):
    response = client.post(f"/events/{organiser.slug}/challenges/new", data=_sheet())
    assert response.status_code == 303
    challenge = db.session.scalar(
        select(Challenge).where(Challenge.event_id == organiser.id, Challenge.number == 3)
    )
    assert challenge.stakeholders == ["Mairie", "CCAS"]
    assert challenge.obstacles == []  # empty items are dropped
    assert challenge.team is not None
    assert "Comment mieux accueillir ?" in client.get(f"/events/{organiser.slug}/challenges/3").text


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("stakeholders:1:up", ["CCAS", "Mairie"]),
        ("stakeholders:0:down", ["CCAS", "Mairie"]),
        ("stakeholders:0:remove", ["CCAS"]),
        ("stakeholders:add", ["Mairie", "CCAS", ""]),
    ],
)
def test_list_items_are_reordered_added_and_removed_without_saving(
    client, organiser, action, expected
):
    response = client.post(
        f"/events/{organiser.slug}/challenges/new", data={**_sheet(), "list_action": action}
    )
    assert response.status_code == 200
    page = response.text
    assert _item_values(page, "stakeholders") == expected
    assert 'value="Ville du Havre"' in page  # the rest of the form is kept
    assert (
        db.session.scalar(
            select(Challenge).where(Challenge.event_id == organiser.id, Challenge.number == 3)
        )
        is None
    )


def test_duplicate_number_is_refused_next_to_the_field_with_input_kept(client, organiser):
    response = client.post(f"/events/{organiser.slug}/challenges/new", data=_sheet(number="1"))
    assert response.status_code == 400
    assert 'id="number-error"' in response.text
    assert 'value="Ville du Havre"' in response.text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"question": ""}, "question"),
        ({"number": "0"}, "number"),
        ({"number": "abc"}, "number"),
        ({"info_url": "javascript:alert(1)"}, "info_url"),
    ],
)
def test_invalid_sheets_change_nothing(client, organiser, change, field):
    response = client.post(f"/events/{organiser.slug}/challenges/new", data=_sheet(**change))
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert (
        db.session.scalar(
            select(Challenge).where(Challenge.event_id == organiser.id, Challenge.number == 3)
        )
        is None
    )


def test_editing_a_sheet_records_what_changed(client, organiser):
    challenge = organiser.challenges[0]
    response = client.post(
        f"/events/{organiser.slug}/challenges/1/edit",
        data=_sheet(number="1", question=challenge.question, owner_organisation="Commune d’Etel"),
    )
    assert response.status_code == 303
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "challenge.updated")
    ).one()
    assert (
        "owner_organisation" in entry.details["fields"]
        and "question" not in entry.details["fields"]
    )


def test_deleting_asks_first_says_what_is_lost_and_can_be_undone(client, organiser, make):
    challenge = organiser.challenges[0]
    member = make.participant(organiser, team=challenge.team)
    owner = make.participant(organiser)
    db.session.add(
        Membership(user=owner, event=organiser, team=challenge.team, role=Role.CHALLENGE_OWNER)
    )
    db.session.commit()
    confirm = client.get(f"/events/{organiser.slug}/challenges/1/delete").text
    assert "1 membre de l’équipe perd sa place" in confirm
    assert "1 personne qui porte ce défi n’y sera plus rattachée" in confirm
    assert db.session.get(Challenge, challenge.id) is not None  # a GET deletes nothing

    assert client.post(f"/events/{organiser.slug}/challenges/1/delete").status_code == 303
    assert (
        db.session.scalar(
            select(Challenge).where(Challenge.event_id == organiser.id, Challenge.number == 1)
        )
        is None
    )

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "challenge.deleted"))
    history = client.get(f"/events/{organiser.slug}/history").text
    assert "a supprimé le défi 1" in history
    assert client.post(f"/events/{organiser.slug}/history/{entry.id}/undo").status_code == 303
    restored = db.session.scalar(
        select(Challenge).where(Challenge.event_id == organiser.id, Challenge.number == 1)
    )
    assert restored.question == "Comment relever le défi 1 ?"
    roles = {(m.user_id, m.role) for m in restored.team.memberships}
    assert roles == {(member.id, Role.MEMBER), (owner.id, Role.CHALLENGE_OWNER)}
    # Undoing twice is refused, not a second copy.
    client.post(f"/events/{organiser.slug}/history/{entry.id}/undo")
    assert db.session.query(Challenge).filter_by(event_id=organiser.id, number=1).count() == 1


def test_organiser_assigns_and_removes_challenge_owners(client, organiser, make):
    person = make.participant(organiser, name="Claire Porteuse")
    db.session.commit()
    url = f"/events/{organiser.slug}/challenges/2"
    assert client.post(f"{url}/owners", data={"user_id": str(person.id)}).status_code == 303
    team = organiser.challenges[1].team
    assert (
        db.session.scalar(
            select(Membership.role).where(
                Membership.user_id == person.id, Membership.team_id == team.id
            )
        )
        == Role.CHALLENGE_OWNER
    )
    assert "Claire Porteuse" in client.get(f"{url}/edit").text
    # Someone who does not attend this event cannot be made an owner.
    stranger = make.user()
    client.post(f"{url}/owners", data={"user_id": str(stranger.id)})
    assert db.session.scalar(select(Membership).where(Membership.user_id == stranger.id)) is None
    client.post(f"{url}/owners/{person.id}/remove")
    assert (
        db.session.scalar(
            select(Membership).where(Membership.user_id == person.id, Membership.team_id == team.id)
        )
        is None
    )


@pytest.mark.parametrize("count", [14, 200])
def test_challenge_list_runs_a_fixed_number_of_queries(client, make, count_queries, count):
    event = make.event(challenges=count, themes=4)
    for challenge in event.challenges[:5]:
        make.participant(event, team=challenge.team)
    organiser = make.organiser(event)
    url = f"/events/{event.slug}/challenges/manage"
    sign_in(client, organiser)
    with count_queries() as queries:
        response = client.get(url)
    assert response.text.count("<tr>") == count + 1
    assert len(queries) == 6, queries  # user, event, roles, challenges, team sizes, owners


def test_on_sqlite_the_team_sizes_read_one_event_whatever_the_platform_s_statistics(make):
    """With the statistics of a platform of 10,000 attendees (about 30 memberships a team,
    1,947 an event), SQLite grouped the team sizes by walking every membership of the platform
    along the teams' index (6.5 ms a challenge list instead of 0.1): it must read the event's
    range and sort it."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's plan follows its statistics")
    event = make.event(challenges=3)
    make.participant(event, team=event.challenges[0].team)
    connection = db.session.connection()
    connection.exec_driver_sql("ANALYZE")
    connection.exec_driver_sql("DELETE FROM sqlite_stat1")
    for index, stat in (
        ("ix_memberships_event_role_person", "10711 974 487 1"),
        ("ix_memberships_event_id", "21411 1947"),
        ("ix_memberships_team_id", "21411 30"),
        ("ix_memberships_user_id", "21411 3"),
    ):
        connection.exec_driver_sql(
            "INSERT INTO sqlite_stat1 VALUES ('memberships', ?, ?)", (index, stat)
        )
    connection.exec_driver_sql("ANALYZE sqlite_schema")  # the statistics read again
    compiled = _TEAM_SIZES.compile(db.engine)
    values = {**compiled.params, "event_id": event.id}
    plan = connection.exec_driver_sql(
        f"EXPLAIN QUERY PLAN {compiled}",
        tuple(values[name] for name in compiled.positiontup),
    ).all()
    lines = [row[-1] for row in plan]
    assert not any("ix_memberships_team_id" in line for line in lines), lines
    assert any("ix_memberships_event_id (event_id=?)" in line for line in lines), lines
    sizes = dict(db.session.execute(_TEAM_SIZES, {"event_id": event.id}).all())
    assert sizes == {event.challenges[0].team.id: 1}


def _item_values(page: str, field: str) -> list[str]:
    """The values of a list's inputs, in page order (an input without value is empty)."""
    inputs = re.findall(rf'<input[^>]*name="{field}-\d+"[^>]*>', page)
    return [(re.search(r'value="([^"]*)"', tag) or [None, ""])[1] for tag in inputs]


def test_list_buttons_bring_the_organiser_back_to_the_list_they_were_editing(client, organiser):
    page = client.get(f"/events/{organiser.slug}/challenges/new").text
    assert f'formaction="/events/{organiser.slug}/challenges/new#levers"' in page
    assert 'id="levers"' in page


def test_an_absurdly_long_number_is_refused_in_french_not_a_crash(client, organiser):
    response = client.post(
        f"/events/{organiser.slug}/challenges/new", data=_sheet(number="9" * 400)
    )
    assert response.status_code == 400
    assert "Ce nombre est trop grand." in response.text


def test_restoring_a_challenge_leaves_out_people_removed_since_and_says_who(
    client, organiser, make
):
    challenge = organiser.challenges[0]
    stays = make.participant(organiser, team=challenge.team, name="Reste Là")
    leaves = make.participant(organiser, team=challenge.team, name="Parti Depuis")
    moved = make.participant(organiser, team=challenge.team, name="Ailleurs Maintenant")
    other_team = organiser.challenges[1].team
    db.session.commit()
    client.post(f"/events/{organiser.slug}/challenges/1/delete")
    client.post(f"/events/{organiser.slug}/people/{leaves.id}/remove")
    client.post(f"/events/{organiser.slug}/teams/place/{moved.id}", data={"team_id": other_team.id})
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "challenge.deleted"))

    response = client.post(f"/events/{organiser.slug}/history/{entry.id}/undo")
    page = client.get(response.headers["Location"]).text

    restored = db.session.scalar(
        select(Challenge).where(Challenge.event_id == organiser.id, Challenge.number == 1)
    )
    assert {m.user_id for m in restored.team.memberships} == {stays.id}
    assert "Parti Depuis (ne participe plus à l’événement)" in page
    assert "Ailleurs Maintenant (désormais dans une autre équipe)" in page
    # The removed person is still out of the event: no membership of any kind came back.
    assert (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == leaves.id, Membership.event_id == organiser.id
            )
        )
        is None
    )
