"""No organiser reaches another event's people: each takeover path found on main before the
attendance model, tried again as an attacker would, must fail and leave the other event's
person, codes and sessions as they were."""

import io

import pytest
from sqlalchemy import select

from facilitate.auth.codes import format_access_code
from facilitate.extensions import db
from facilitate.models import AuditEntry, Event, Membership, Role, User
from tests.factories import PASSWORD, code_of, sign_in
from tests.test_organise_events import EVENT_FORM

SIGNED_IN = "Se déconnecter"


@pytest.fixture
def world(app, make):
    """Event A with its organiser (a password account) and a participant; event B whose
    organiser is the attacker, signed in on their own client."""
    event_a, event_b = make.event(challenges=2), make.event(challenges=2)
    victim = make.organiser(event_a, email="chef-a@example.org", name="Chef A")
    participant = make.participant(
        event_a, email="agent@example.org", name="Agent A", organisation="Ville A"
    )
    attacker = make.organiser(event_b, password=None, email="chef-b@example.org")
    db.session.commit()

    class World:
        a, b = event_a, event_b

    world = World()
    world.victim, world.participant, world.attacker = victim, participant, attacker
    world.victim_nonce = victim.session_nonce
    world.participant_code = code_of(participant, event_a)
    # The victim's and the participant's own browsers, signed in before the attack.
    world.victim_client = app.test_client()
    sign_in(world.victim_client, victim)
    world.participant_client = app.test_client()
    sign_in(world.participant_client, participant, event_a)
    world.attacker_client = app.test_client()
    sign_in(world.attacker_client, attacker)
    return world


def _assert_a_untouched(world):
    """What the other event's people have is exactly as it was."""
    db.session.expire_all()
    victim = db.session.get(User, world.victim.id)
    assert victim.session_nonce == world.victim_nonce
    assert (victim.email, victim.name) == ("chef-a@example.org", "Chef A")
    assert victim.check_password(PASSWORD)
    attendance = db.session.scalar(
        select(Membership).where(
            Membership.user_id == world.participant.id,
            Membership.event_id == world.a.id,
            Membership.role == Role.PARTICIPANT,
        )
    )
    assert (attendance.name, attendance.organisation) == ("Agent A", "Ville A")
    assert db.session.get(User, world.participant.id).name == "Agent A"
    assert attendance.access_code == world.participant_code
    # Their sessions still work, with the rights they had.
    assert world.victim_client.get(f"/events/{world.a.slug}/organise").status_code == 200
    assert SIGNED_IN in world.participant_client.get(f"/events/{world.a.slug}").text


def _b_code_of(world, user) -> str:
    return code_of(db.session.get(User, user.id), world.b)


def _attempts_reach_a(app, world, code) -> bool:
    """Sign in with this code on a fresh browser: does it open anything of event A, or the
    right to create events?"""
    browser = app.test_client()
    assert browser.post("/sign-in/code", data={"code": code}).status_code == 303
    pages = [
        f"/events/{world.a.slug}/organise",
        f"/events/{world.a.slug}/people",
        f"/events/{world.a.slug}/challenges/1/team",
        f"/events/{world.a.slug}/teams/1/workspace",
        f"/events/{world.a.slug}/stands",
        "/events/new",
    ]
    return any(browser.get(page).status_code == 200 for page in pages)


def _add(world, email, name="Quelqu'un"):
    return world.attacker_client.post(
        f"/events/{world.b.slug}/people/new",
        data={"name": name, "email": email, "role": "member", "team_id": ""},
    )


def test_path_1_adding_another_events_organiser_then_renewing_their_code(app, world):
    assert _add(world, "chef-a@example.org", name="Usurpé").status_code == 303
    victim_id = world.victim.id
    response = world.attacker_client.post(f"/events/{world.b.slug}/people/{victim_id}/code")
    assert response.status_code == 303
    code = _b_code_of(world, world.victim)
    assert code
    assert not _attempts_reach_a(app, world, code)
    _assert_a_untouched(world)


def test_path_2_importing_their_email_then_issuing_missing_codes(app, world):
    sheet = (
        "nom;email;organisation\nFaux Nom;chef-a@example.org;Pirates\nAutre;agent@example.org;X\n"
    )
    upload = {"file": (io.BytesIO(sheet.encode()), "people.csv")}
    preview = world.attacker_client.post(
        f"/events/{world.b.slug}/people/import", data=upload, content_type="multipart/form-data"
    )
    assert preview.status_code == 200
    # The preview says they have accounts, never which events they attend.
    assert "2 adresses ont déjà un compte" in preview.text
    assert world.a.name not in preview.text
    content = preview.text.split('name="content" type="hidden" value="')[1].split('"')[0]
    confirmed = world.attacker_client.post(
        f"/events/{world.b.slug}/people/import",
        data={"content": content, "filename": "people.csv"},
    )
    assert confirmed.status_code == 303
    world.attacker_client.post(f"/events/{world.b.slug}/badges/issue-missing-codes")

    for person in (world.victim, world.participant):
        code = _b_code_of(world, person)
        assert code and code != world.participant_code
        assert not _attempts_reach_a(app, world, code)
    _assert_a_untouched(world)


def test_path_3_editing_an_attendees_email_to_theirs_is_refused(world, make):
    mine = make.participant(world.b, email="mine@example.org")
    db.session.commit()
    response = world.attacker_client.post(
        f"/events/{world.b.slug}/people/{mine.id}/edit",
        data={"name": "Mine", "email": "chef-a@example.org", "role": "member", "team_id": ""},
    )
    assert response.status_code == 400
    assert "Un autre compte a déjà cette adresse" in response.text
    db.session.expire_all()
    assert db.session.get(User, mine.id).email == "mine@example.org"
    _assert_a_untouched(world)


def test_path_3_an_account_used_elsewhere_keeps_its_email(world):
    _add(world, "agent@example.org")
    url = f"/events/{world.b.slug}/people/{world.participant.id}/edit"
    form = world.attacker_client.get(url).text
    assert "seule la personne peut la modifier" in form
    assert 'name="email" readonly' in form or "readonly" in form.split('name="email"')[1][:200]
    # A forged form changes B's record of the person, never the account's email.
    response = world.attacker_client.post(
        url,
        data={"name": "Renommé", "email": "pirate@example.org", "role": "member", "team_id": ""},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, world.participant.id).email == "agent@example.org"
    _assert_a_untouched(world)


def test_path_3_a_name_changed_in_b_stays_in_b(world):
    _add(world, "agent@example.org", name="Agent B")
    response = world.attacker_client.post(
        f"/events/{world.b.slug}/people/{world.participant.id}/edit",
        data={
            "name": "Nom en B",
            "email": "agent@example.org",
            "organisation": "Orga B",
            "role": "member",
            "team_id": "",
        },
    )
    assert response.status_code == 303
    listing = world.attacker_client.get(f"/events/{world.b.slug}/people").text
    assert "Nom en B" in listing and "Orga B" in listing
    _assert_a_untouched(world)


def test_path_4_revoking_their_code_in_b_ends_nothing_in_a(app, world):
    _add(world, "agent@example.org")
    b_client = app.test_client()
    sign_in(b_client, world.participant, world.b)
    response = world.attacker_client.post(
        f"/events/{world.b.slug}/people/{world.participant.id}/revoke"
    )
    assert response.status_code == 303
    assert _b_code_of(world, world.participant) is None
    assert SIGNED_IN not in b_client.get(f"/events/{world.b.slug}").text  # B's session ended
    _assert_a_untouched(world)
    # Revoking an organiser of A added to B: their password sessions go on.
    _add(world, "chef-a@example.org")
    world.attacker_client.post(f"/events/{world.b.slug}/people/{world.victim.id}/revoke")
    _assert_a_untouched(world)


def test_path_5_codes_and_badges_of_b_never_show_a_code_of_a(world):
    _add(world, "agent@example.org")
    codes = world.attacker_client.get(f"/events/{world.b.slug}/people/access-codes.csv").text
    badges = world.attacker_client.get(f"/events/{world.b.slug}/badges").text
    b_code = _b_code_of(world, world.participant)
    assert format_access_code(b_code) in codes and format_access_code(b_code) in badges
    for page in (codes, badges):
        assert format_access_code(world.participant_code) not in page
        assert world.participant_code not in page
    _assert_a_untouched(world)


def test_path_6_a_throwaway_event_gives_no_more(app, world, make):
    creator = make.user(is_organiser=True, email="creator@example.org")
    db.session.commit()
    client = app.test_client()
    sign_in(client, creator)
    created = client.post("/events/new", data={**EVENT_FORM, "slug": "jetable"})
    assert created.status_code == 303, created.text
    client.post(
        "/events/jetable/people/new",
        data={"name": "X", "email": "chef-a@example.org", "role": "member", "team_id": ""},
    )
    client.post(f"/events/jetable/people/{world.victim.id}/code")
    throwaway = db.session.scalar(select(Event).where(Event.slug == "jetable"))
    code = code_of(db.session.get(User, world.victim.id), throwaway)
    assert not _attempts_reach_a(app, world, code)
    _assert_a_untouched(world)


def test_a_code_never_carries_the_organiser_rights_of_its_person(app, make):
    """Even at the code's own event: an organiser who also attends signs in as an attendee."""
    event = make.event()
    person = make.organiser(event, password=None)
    make.join(event, person)
    db.session.commit()
    browser = app.test_client()
    browser.post("/sign-in/code", data={"code": code_of(person, event)})
    assert SIGNED_IN in browser.get(f"/events/{event.slug}").text
    assert browser.get(f"/events/{event.slug}/organise").status_code == 403


def test_a_code_of_b_is_refused_by_the_api_of_a(client, world):
    world.attacker_client.post(
        f"/events/{world.b.slug}/people/new",
        data={"name": "X", "email": "agent@example.org", "role": "member", "team_id": ""},
    )
    code = _b_code_of(world, world.participant)
    headers = {"Authorization": f"Bearer {code}"}
    assert client.get(f"/api/v1/events/{world.a.slug}/ballot", headers=headers).status_code == 403
    assert client.get(f"/api/v1/events/{world.b.slug}/ballot", headers=headers).status_code == 200
    a_headers = {"Authorization": f"Bearer {world.participant_code}"}
    assert client.get(f"/api/v1/events/{world.a.slug}/ballot", headers=a_headers).status_code == 200


def test_an_organiser_who_may_not_create_events_may_not_copy_one(app, world, make):
    co_organiser = make.organiser(world.b, password=None, is_organiser=False)
    db.session.commit()
    client = app.test_client()
    sign_in(client, co_organiser)
    assert client.get(f"/events/{world.b.slug}/clone").status_code == 403
    response = client.post(
        f"/events/{world.b.slug}/clone",
        data={"name": "Copie", "slug": "copie", "starts_at": "2027-01-01T09:00"},
    )
    assert response.status_code == 403
    assert db.session.scalar(select(Event).where(Event.slug == "copie")) is None
    assert "/clone" not in client.get(f"/events/{world.b.slug}/organise").text
    # Who may create events still may copy the events they organise.
    assert world.attacker_client.get(f"/events/{world.b.slug}/clone").status_code == 200


def test_every_action_on_a_code_is_in_the_history_with_who_did_it(world):
    _add(world, "agent@example.org")
    person = world.participant.id
    world.attacker_client.post(f"/events/{world.b.slug}/people/{person}/code")
    world.attacker_client.post(f"/events/{world.b.slug}/people/{person}/revoke")
    entries = db.session.execute(
        select(AuditEntry.action, AuditEntry.actor_id)
        .where(AuditEntry.event_id == world.b.id)
        .order_by(AuditEntry.id)
    ).all()
    assert entries == [
        ("attendee.added", world.attacker.id),
        ("code.regenerated", world.attacker.id),
        ("code.revoked", world.attacker.id),
    ]
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.event_id == world.a.id)) is None
