"""Organisers manage attendees: add, edit their team role, remove (and undo), codes, imports."""

import pytest
from sqlalchemy import select

from facilitate.auth.codes import format_access_code
from facilitate.extensions import db
from facilitate.models import AuditEntry, Membership, Role, User
from tests.factories import code_of, sign_in


@pytest.fixture
def event(client, make):
    event = make.event(challenges=3)
    sign_in(client, make.organiser(event))
    return event


def _roles(user, event):
    return {
        (m.role, m.team_id)
        for m in db.session.scalars(
            select(Membership).where(Membership.user_id == user.id, Membership.event_id == event.id)
        )
    }


def test_organiser_adds_an_attendee_with_a_team_and_a_code(client, event):
    team = event.challenges[1].team
    response = client.post(
        f"/events/{event.slug}/people/new",
        data={
            "name": "Inès Robert",
            "email": "Ines@Example.org",
            "organisation": "Ville de Brest",
            "role": "member",
            "team_id": str(team.id),
        },
    )
    assert response.status_code == 303
    person = db.session.scalar(select(User).where(User.email == "ines@example.org"))
    assert code_of(person)
    assert _roles(person, event) == {(Role.PARTICIPANT, None), (Role.MEMBER, team.id)}
    listing = client.get(f"/events/{event.slug}/people").text
    assert "Inès Robert" in listing and "Ville de Brest" in listing


def test_adding_someone_twice_is_refused_next_to_the_email(client, event, make):
    person = make.participant(event, email="deja@example.org")
    db.session.commit()
    response = client.post(
        f"/events/{event.slug}/people/new",
        data={"name": "Déjà là", "email": "deja@example.org", "role": "member", "team_id": ""},
    )
    assert response.status_code == 400
    assert 'id="email-error"' in response.text
    assert len(_roles(person, event)) == 1


def test_organiser_makes_someone_a_facilitator_of_a_team(client, event, make):
    person = make.participant(event, team=event.challenges[0].team)
    db.session.commit()
    team = event.challenges[2].team
    response = client.post(
        f"/events/{event.slug}/people/{person.id}/edit",
        data={
            "name": person.name,
            "email": person.email,
            "organisation": "",
            "role": "facilitator",
            "team_id": str(team.id),
        },
    )
    assert response.status_code == 303
    assert _roles(person, event) == {(Role.PARTICIPANT, None), (Role.FACILITATOR, team.id)}


def test_a_challenge_owner_needs_a_team(client, event, make):
    person = make.participant(event)
    db.session.commit()
    response = client.post(
        f"/events/{event.slug}/people/{person.id}/edit",
        data={"name": person.name, "email": person.email, "role": "challenge_owner", "team_id": ""},
    )
    assert response.status_code == 400
    assert 'id="team_id-error"' in response.text


def test_removing_an_attendee_asks_first_and_can_be_undone(client, event, make):
    team = event.challenges[0].team
    person = make.participant(event, team=team, name="Paul Retiré")
    db.session.commit()
    assert "Paul Retiré" in client.get(f"/events/{event.slug}/people/{person.id}/remove").text
    assert len(_roles(person, event)) == 2  # the GET changed nothing
    assert client.post(f"/events/{event.slug}/people/{person.id}/remove").status_code == 303
    assert _roles(person, event) == set()
    assert db.session.get(User, person.id) is not None  # the account stays
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "attendee.removed"))
    client.post(f"/events/{event.slug}/history/{entry.id}/undo")
    assert _roles(person, event) == {(Role.PARTICIPANT, None), (Role.MEMBER, team.id)}


def test_a_new_code_replaces_the_old_one_at_once_and_revoking_stops_it(app, client, event, make):
    person = make.participant(event)
    old = code_of(person)
    db.session.commit()
    participant = app.test_client()
    participant.post("/sign-in/code", data={"code": old})
    assert "Se déconnecter" in participant.get("/").text

    client.post(f"/events/{event.slug}/people/{person.id}/code")
    db.session.refresh(person)
    assert code_of(person) != old
    assert "Se déconnecter" not in participant.get("/").text  # signed out everywhere
    assert participant.post("/sign-in/code", data={"code": old}).status_code == 401
    assert (
        participant.post(
            "/sign-in/code", data={"code": format_access_code(code_of(person))}
        ).status_code
        == 303
    )

    client.post(f"/events/{event.slug}/people/{person.id}/revoke")
    db.session.refresh(person)
    assert code_of(person) is None
    assert "Se déconnecter" not in participant.get("/").text


def test_web_import_previews_problems_by_line_and_writes_nothing(client, event):
    csv = "nom;email;organisation;défi\nAlex;alex@example.org;Région;1\nSam;pas-une-adresse;;\nLou;lou@example.org;;42\n"
    response = client.post(
        f"/events/{event.slug}/people/import",
        data={"file": (__import__("io").BytesIO(csv.encode("cp1252")), "inscrits.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.text
    assert "<td>3</td>" in page and "<td>4</td>" in page
    assert db.session.scalar(select(User).where(User.email == "alex@example.org")) is None


def test_web_import_of_a_french_excel_csv_after_preview(client, event):
    csv = "Nom;Prénom;Adresse e-mail;Organisation;Défi\r\nLefèvre;Hélène;helene@rennes.fr;Ville de Rennes;2\r\n"
    preview = client.post(
        f"/events/{event.slug}/people/import",
        data={"file": (__import__("io").BytesIO(csv.encode("cp1252")), "inscrits.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    assert (
        db.session.scalar(select(User).where(User.email == "helene@rennes.fr")) is None
    )  # not yet
    content = preview.text.split('name="content" type="hidden" value="')[1].split('"')[0]
    done = client.post(
        f"/events/{event.slug}/people/import", data={"content": content, "filename": "inscrits.csv"}
    )
    assert done.status_code == 303
    helene = db.session.scalar(select(User).where(User.email == "helene@rennes.fr"))
    assert helene.name == "Hélène Lefèvre"
    assert (Role.MEMBER, event.challenges[1].team.id) in _roles(helene, event)


@pytest.mark.parametrize("count", [10, 120])
def test_attendee_list_runs_a_fixed_number_of_queries(client, make, count_queries, count):
    event = make.event(challenges=14)
    for i in range(count):
        make.participant(event, team=event.challenges[i % 14].team if i % 3 else None)
    organiser = make.organiser(event)
    sign_in(client, organiser)
    for url, expected in (
        (f"/events/{event.slug}/people", 7),
        (f"/events/{event.slug}/people?page=3&sort=team&q=example", 8),
        (
            f"/events/{event.slug}/people?team=none&role=participant&code=issued&badge=not_printed",
            7,
        ),
    ):
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        # user, event, roles, teams, team roles, attendances, the page's emails (+ search)
        assert len(queries) == expected, queries
    first = client.get(f"/events/{event.slug}/people").text
    assert first.count("<tr>") == min(count, 50) + 1


def test_import_preview_warns_when_someone_works_on_their_own_organisation_s_challenge(
    client, event
):
    event.challenges[0].owner_organisation = "Ville de Brest"
    db.session.commit()
    csv = "nom;email;organisation;défi\nYann Kerbrat;yann@brest.fr;Ville de  BREST;1\n"
    preview = client.post(
        f"/events/{event.slug}/people/import",
        data={"file": (__import__("io").BytesIO(csv.encode()), "inscrits.csv")},
        content_type="multipart/form-data",
    )
    assert (
        "Ligne 2\u00a0: Yann Kerbrat (Ville de  BREST) travaillera sur le défi 1, porté par sa propre organisation."
        in preview.text
    )


def test_an_account_only_this_event_knows_follows_its_corrections(client, event, make):
    """Created here, no password, no other event: the organisers fix its email and name."""
    person = make.participant(event, email="faute@example.org", name="Jean Dupnot")
    db.session.commit()
    response = client.post(
        f"/events/{event.slug}/people/{person.id}/edit",
        data={"name": "Jean Dupont", "email": "jean@example.org", "role": "member", "team_id": ""},
    )
    assert response.status_code == 303
    db.session.expire_all()
    account = db.session.get(User, person.id)
    assert (account.email, account.name) == ("jean@example.org", "Jean Dupont")


def test_removing_an_organiser_who_attends_keeps_them_organising(client, event, make):
    """Only the attendance goes: an event never loses its organisers from the attendee list."""
    organiser = make.organiser(event, password=None)
    make.join(event, organiser)
    db.session.commit()
    assert client.post(f"/events/{event.slug}/people/{organiser.id}/remove").status_code == 303
    assert _roles(organiser, event) == {(Role.ORGANISER, None)}
