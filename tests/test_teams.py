"""Placing attendees in teams, by hand or with a reviewed automatic proposal; team pages."""

import re

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import AuditEntry, Membership, Role
from tests.factories import sign_in


def _team_of(user, event):
    return db.session.scalar(
        select(Membership.team_id).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role == Role.MEMBER,
        )
    )


@pytest.fixture
def event(client, make):
    event = make.event(challenges=3)
    for i, challenge in enumerate(event.challenges):
        challenge.owner_organisation = f"Commune {i + 1}"
    sign_in(client, make.organiser(event))
    return event


def test_organiser_places_someone_by_hand_and_takes_them_out(client, event, make):
    person = make.participant(event, organisation="Région")
    db.session.commit()
    assert person.name in client.get(f"/events/{event.slug}/teams").text
    team = event.challenges[2].team
    assert (
        client.post(
            f"/events/{event.slug}/teams/place/{person.id}", data={"team_id": str(team.id)}
        ).status_code
        == 303
    )
    assert _team_of(person, event) == team.id
    assert (
        client.post(
            f"/events/{event.slug}/teams/place/{person.id}", data={"team_id": ""}
        ).status_code
        == 303
    )
    assert _team_of(person, event) == team.id  # placing needs a team; taking out is explicit
    client.post(f"/events/{event.slug}/teams/unplace/{person.id}")
    assert _team_of(person, event) is None


def test_placing_in_another_event_s_team_is_refused(client, event, make):
    person = make.participant(event)
    other = make.event(challenges=1)
    db.session.commit()
    client.post(
        f"/events/{event.slug}/teams/place/{person.id}",
        data={"team_id": str(other.challenges[0].team.id)},
    )
    assert _team_of(person, event) is None


def test_automatic_placement_is_proposed_then_saved_and_respects_owners(client, event, make):
    people = [make.participant(event, organisation=f"Commune {1 + i % 3}") for i in range(9)]
    db.session.commit()
    url = f"/events/{event.slug}/teams/placement"
    settings = {"min_size": "2", "max_size": "4", "keep_existing": "y", "seed": "0"}
    proposal = client.post(url, data=settings)
    assert proposal.status_code == 200
    assert all(_team_of(p, event) is None for p in people)  # a proposal writes nothing
    fingerprint = proposal.text.split('name="fingerprint" type="hidden" value="')[1].split('"')[0]
    saved = client.post(url, data={**settings, "fingerprint": fingerprint, "save": "1"})
    assert saved.status_code == 303
    owner_team = {c.team.id: c.owner_organisation for c in event.challenges}
    sizes = {}
    for person in people:
        team_id = _team_of(person, event)
        assert team_id is not None
        assert (
            owner_team[team_id] != make.attendance(person).organisation
        )  # never on their own organisation's challenge
        sizes[team_id] = sizes.get(team_id, 0) + 1
    assert sorted(sizes.values()) == [3, 3, 3]
    assert db.session.scalar(
        select(AuditEntry.details).where(AuditEntry.action == "placement.saved")
    ) == {"moved": 9}


def test_a_stale_proposal_is_not_saved(client, event, make):
    make.participant(event, organisation="Région")
    db.session.commit()
    url = f"/events/{event.slug}/teams/placement"
    settings = {"min_size": "1", "max_size": "4", "keep_existing": "y", "seed": "0"}
    proposal = client.post(url, data=settings)
    fingerprint = proposal.text.split('name="fingerprint" type="hidden" value="')[1].split('"')[0]
    late = make.participant(event, organisation="Département")  # someone arrives meanwhile
    db.session.commit()
    response = client.post(url, data={**settings, "fingerprint": fingerprint, "save": "1"})
    assert response.status_code == 200  # shown the new proposal instead
    assert _team_of(late, event) is None


def test_placement_bounds_are_validated(client, event):
    response = client.post(
        f"/events/{event.slug}/teams/placement", data={"min_size": "5", "max_size": "2"}
    )
    assert response.status_code == 400
    assert 'id="max_size-error"' in response.text


def test_team_page_lists_members_facilitator_and_owners_for_the_event_s_people(
    client, app, event, make
):
    team = event.challenges[0].team
    member = make.participant(event, team=team, name="Membre Un")
    facilitator = make.participant(event, name="Anim Atrice")
    owner = make.participant(event, name="Port Eur")
    db.session.add_all(
        [
            Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR),
            Membership(user=owner, event=event, team=team, role=Role.CHALLENGE_OWNER),
        ]
    )
    db.session.commit()
    visitor = app.test_client()
    url = f"/events/{event.slug}/challenges/1/team"
    assert visitor.get(url).status_code == 302  # not public: names of people
    sign_in(visitor, member)
    page = visitor.get(url).text
    assert "Membre Un" in page and "Anim Atrice" in page and "Port Eur" in page
    stranger_event = make.event()
    stranger = make.participant(stranger_event)
    db.session.commit()
    outsider = app.test_client()
    sign_in(outsider, stranger)
    assert outsider.get(url).status_code == 403


@pytest.mark.parametrize("teams", [3, 40])
def test_team_page_reads_its_own_roster_only_in_fixed_queries(client, make, count_queries, teams):
    event = make.event(challenges=teams)
    for i in range(5 * teams):
        make.participant(event, team=event.challenges[i % teams].team, name=f"Témoin{i:03d} Martin")
    ours = make.participant(event, team=event.challenges[1].team, name="Zoë Durand")
    make.participant(event, team=event.challenges[2].team, name="Ève Autre-Équipe")
    sign_in(client, ours)
    url = f"/events/{event.slug}/challenges/2/team"
    with count_queries() as queries:
        page = client.get(url).text
    assert "Zoë Durand" in page and "Ève Autre-Équipe" not in page
    assert len(set(re.findall(r"Témoin\d+", page))) == 5
    assert len(queries) == 6, queries


@pytest.mark.parametrize("count", [14, 200])
def test_teams_overview_runs_a_fixed_number_of_queries(client, make, count_queries, count):
    event = make.event(challenges=count)
    for i in range(300):
        make.participant(event, team=event.challenges[i % count].team if i % 4 else None)
    organiser = make.organiser(event)
    url = f"/events/{event.slug}/teams"
    sign_in(client, organiser)
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) == 7, queries


def test_history_lists_changes_with_who_and_runs_fixed_queries(client, make, count_queries):
    event = make.event(challenges=2)
    organiser = make.organiser(event, name="Olga Organise")
    sign_in(client, organiser)
    for number in (1, 2):
        client.post(f"/events/{event.slug}/challenges/{number}/delete")
    url = f"/events/{event.slug}/history"
    with count_queries() as queries:
        page = client.get(url).text
    history = page.split('<ol class="history">')[1].split("</ol>")[0]
    assert history.count("<strong>Olga Organise</strong>") == 2
    assert len(queries) == 4, queries  # user, event, roles, entries with their authors
