"""The Rennes 2018 demo event, as the seed document describes it."""

import json

from sqlalchemy import func, select

from facilitate.demo import (
    DEMO_FILE,
    ensure_demo_organiser,
    ensure_demo_participant,
    load_demo_event,
)
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, Theme, User


def _counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Event, Theme, Challenge, Team, User, Membership)
    )


def test_demo_has_the_fourteen_challenges_of_the_seed_with_their_numbers():
    event, created = load_demo_event()
    assert created
    assert event.slug == "rennes-2018"
    assert [c.number for c in event.challenges] == list(range(1, 15))
    assert len(event.themes) == 4
    assert all(c.team is not None for c in event.challenges)
    assert all(c.theme is not None for c in event.challenges)


def test_demo_numbers_its_stands_so_the_exhibition_can_be_tried():
    event, _ = load_demo_event()
    stands = {c.number: (c.team.stand_number, c.team.stand_place) for c in event.challenges}
    assert {number: stand for number, (stand, _place) in stands.items()} == {
        n: n for n in range(1, 15)
    }
    assert all(place for _stand, place in stands.values())


def test_full_and_partial_sheets_are_as_the_seed_gives_them():
    event, _ = load_demo_event()
    sheets = {c.number: c for c in event.challenges}
    etel = sheets[1]
    assert etel.owner_organisation == "Commune d’Etel"
    assert etel.project_name == "La Glacière"
    assert etel.territory == "Etel"
    assert "durabilité" in etel.stakes
    assert len(etel.stakeholders) == 9 and etel.stakeholders[0] == "L’association Autrefois Etel"
    assert etel.obstacles and etel.levers
    assert sheets[3].stakeholders[0].startswith("Les parents")
    assert sheets[6].users and not sheets[6].stakeholders  # the seed names "usagers" here
    for number in (5, 7, 8, 9, 10, 12, 14):  # question and owner only
        partial = sheets[number]
        assert partial.question.startswith("Comment") and partial.owner_organisation
        assert partial.stakes is None and partial.stakeholders == [] and partial.levers == []
    assert sheets[14].owner_organisation == "Ville de Iasi, Roumanie"


def test_demo_data_lives_in_a_data_file():
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert len(data["challenges"]) == 14 and len(data["themes"]) == 4


def test_loading_twice_changes_nothing_and_keeps_edits(tmp_path):
    event, _ = load_demo_event()
    ensure_demo_organiser(event, str(tmp_path))
    ensure_demo_participant(event)
    event.challenges[0].question = "Question modifiée par un organisateur ?"
    db.session.flush()
    before = _counts()
    again, created = load_demo_event()
    _, password = ensure_demo_organiser(again, str(tmp_path))
    ensure_demo_participant(again)
    assert not created
    assert _counts() == before
    assert again.challenges[0].question == "Question modifiée par un organisateur ?"
    assert password == (tmp_path / "demo-organiser-password").read_text().strip()


def test_demo_organiser_can_sign_in_with_the_printed_password(client, tmp_path):
    event, _ = load_demo_event()
    organiser, password = ensure_demo_organiser(event, str(tmp_path))
    db.session.commit()
    assert len(password) >= 12
    assert (tmp_path / "demo-organiser-password").stat().st_mode & 0o077 == 0
    response = client.post(
        "/sign-in/password", data={"email": organiser.email, "password": password}
    )
    assert response.status_code == 303
    roles = {m.role for m in organiser.memberships}
    assert Role.ORGANISER in roles
