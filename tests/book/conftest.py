"""An event with two themed challenges; team 1 has done everything a book shows."""

import io

import pytest
from pypdf import PdfReader

from facilitate.demo.pictures import prototype_picture
from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.models import (
    FeedbackEntry,
    Idea,
    Membership,
    Persona,
    PrototypeFile,
    Role,
    VoteStatus,
)
from facilitate.models._types import utcnow


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "BOOK_BUILDS_IN_BACKGROUND", False)
    (tmp_path / "uploads").mkdir()
    return tmp_path / "uploads"


class World:
    pass


@pytest.fixture
def world(make, folder):
    event = make.event(challenges=2, themes=2, name="Université de Rennes")
    event.themes[1].colour = "#9a3412"
    first, second = event.challenges
    team = first.team
    team.name = "Les Glaciers"
    team.working_question = "Comment rendre la glacière utile à tous ?"
    team.pitch = "Une glacière ouverte aux écoles."
    team.prototype_summary = "Une maquette de visite guidée."
    team.stand_number = 4
    alice = make.participant(event, team=team, name="Alice Martin", names_consent=True)
    bruno = make.participant(event, team=team, name="Bruno Secret", names_consent=False)
    owner = make.participant(event, name="Olga Porteuse", names_consent=True)
    db.session.add(Membership(user=owner, event=event, team=team, role=Role.CHALLENGE_OWNER))
    other_owner = make.participant(event, name="Paul Autre")
    db.session.add(
        Membership(user=other_owner, event=event, team=second.team, role=Role.CHALLENGE_OWNER)
    )
    organiser = make.organiser(event, password=None)
    other_event = make.event(challenges=1)
    stranger = make.organiser(other_event, password=None)
    photo = "b" * 32 + ".jpg"
    (folder / photo).write_bytes(prototype_picture("Maquette", "#1d4e89", "seed"))
    now = utcnow()
    db.session.add_all(
        [
            Persona(team_id=team.id, name="Mme Usagère", needs="Attendre moins"),
            Idea(
                team_id=team.id,
                title="Visites scolaires",
                retained_at=now,
                retained_reason="Répond à l’attente de la commune",
                endorsed_by_id=owner.id,
                endorsed_at=now,
            ),
            Idea(team_id=team.id, title="Un musée du froid"),
            PrototypeFile(
                team_id=team.id,
                original_name="maquette.jpg",
                content_type="image/jpeg",
                size_bytes=100,
                storage_name=photo,
                is_photo=True,
                consent_confirmed=True,
            ),
            PrototypeFile(
                team_id=team.id,
                original_name="plan.pdf",
                content_type="application/pdf",
                size_bytes=100,
                storage_name="c" * 32 + ".pdf",
            ),
            FeedbackEntry(team_id=team.id, body="Les enfants ont adoré le test."),
            FeedbackEntry(
                team_id=team.id, author_id=alice.id, at_exhibition=True, liked="Le parcours sonore"
            ),
        ]
    )
    event.vote_status = VoteStatus.OPEN
    db.session.flush()
    ballots.replace_ballot(event, ballots.voter(event, alice), [second.team.id])
    event.vote_status = VoteStatus.CLOSED
    db.session.commit()
    w = World()
    w.event, w.first, w.second, w.team = event, first, second, team
    w.alice, w.bruno, w.owner, w.other_owner = alice, bruno, owner, other_owner
    w.organiser, w.other_event, w.stranger, w.folder = organiser, other_event, stranger, folder
    return w


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
