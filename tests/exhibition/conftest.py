"""Fixtures and helpers shared by the stand tests: pages read in English, an event at the
exhibition stage with three teams."""

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Idea, PrototypeFile, Stage, Team
from facilitate.models._types import utcnow

BASE_URL = "http://facilitate.test"  # tests/conftest.py's test_config


@pytest.fixture
def client(client):
    """The pages in English, to read their text against the source strings."""
    client.set_cookie("facilitate_lang", "en")
    return client


def organiser_of(make, event):
    """An organiser without a password (``sign_in`` opens their session directly): hashing a
    password costs a quarter of a second, which these tests do not need to pay."""
    return make.organiser(event, password=None)


@pytest.fixture
def event(make):
    return make.event(challenges=3, themes=2, stage=Stage.EXHIBITION)


def teams_of(event) -> list[Team]:
    return [c.team for c in event.challenges]


def numbers(event) -> dict[int, tuple]:
    rows = db.session.execute(
        select(Team.id, Team.stand_number, Team.stand_place).where(Team.event_id == event.id)
    )
    return {team_id: (number, place) for team_id, number, place in rows}


def stands_data(event, wanted: dict) -> dict:
    """The stands form as a browser posts it: every team's two fields."""
    data = {}
    for team in teams_of(event):
        number, place = wanted.get(team.id, ("", ""))
        data[f"number_{team.id}"] = "" if number is None else str(number)
        data[f"place_{team.id}"] = place or ""
    return data


def with_material(make, event, team: Team, n: int) -> None:
    team.pitch = f"Pitch {n}: un guichet unique pour les familles."
    team.prototype_summary = f"Résumé du prototype {n}"
    db.session.add(
        Idea(team_id=team.id, title=f"Idée retenue {n}", retained_at=utcnow(), retained_reason="R")
    )
    db.session.add(Idea(team_id=team.id, title=f"Idée écartée {n}"))
    db.session.add_all(
        [
            PrototypeFile(
                team_id=team.id,
                original_name=f"photo-{n}-{i}.png",
                content_type="image/png",
                size_bytes=10,
                storage_name=f"{team.id:08d}{i:024d}.png",
                is_photo=True,
                consent_confirmed=True,
                created_at=utcnow(),
            )
            for i in range(2)
        ]
        + [
            PrototypeFile(
                team_id=team.id,
                original_name=f"plan-{n}.pdf",
                content_type="application/pdf",
                size_bytes=10,
                storage_name=f"{team.id:08d}{9:024d}.pdf",
                created_at=utcnow(),
            )
        ]
    )
    db.session.flush()
