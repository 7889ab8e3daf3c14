"""Personal data (GDPR): a person's own data to take away, erasing a person, purging an event,
the privacy pages, and the history of each."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from facilitate.exhibition import ballots
from facilitate.exhibition.vote import results
from facilitate.extensions import db
from facilitate.models import (
    AuditEntry,
    Ballot,
    Event,
    FeedbackEntry,
    Idea,
    Membership,
    Persona,
    PrivacyNotice,
    PrototypeFile,
    Role,
    TeamComment,
    User,
    VoteStatus,
)
from facilitate.models._types import utcnow
from facilitate.models.events import Stage
from facilitate.privacy.services import (
    erase_attendee,
    purge_personal_data,
)
from tests.factories import code_of, sign_in

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def world(make, folder):
    """Event A (over) where Agnès works in team 1, writes, uploads and votes; Bruno, in the same
    team, writes too; event B has its own organiser."""
    event = make.event(
        challenges=3,
        vote_status=VoteStatus.OPEN,
        starts_at=utcnow() - timedelta(days=3),
        ends_at=utcnow() - timedelta(days=1),
    )
    teams = [c.team for c in event.challenges]
    agnes = make.participant(
        event, team=teams[0], name="Agnès Martin", email="agnes@rennes.fr", organisation="Rennes"
    )
    bruno = make.participant(event, team=teams[0], name="Bruno Secret", email="bruno@brest.fr")
    organiser = make.organiser(event, password=None)
    other = make.event(challenges=1)
    other_organiser = make.organiser(other, password=None)
    db.session.add_all(
        [
            Idea(team_id=teams[0].id, title="Idée d'Agnès", author_id=agnes.id),
            Idea(team_id=teams[0].id, title="Idée de Bruno", author_id=bruno.id),
            Persona(
                team_id=teams[0].id, name="Mme Usagère", needs="Attendre moins", author_id=agnes.id
            ),
            Persona(team_id=teams[0].id, name="Persona de Bruno", author_id=bruno.id),
            TeamComment(
                team_id=teams[0].id, author_id=agnes.id, stage=Stage.IDEATION, body="Mon avis"
            ),
            TeamComment(
                team_id=teams[0].id, author_id=bruno.id, stage=Stage.IDEATION, body="Avis Bruno"
            ),
            FeedbackEntry(
                team_id=teams[1].id, author_id=agnes.id, at_exhibition=True, liked="Le stand"
            ),
        ]
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ("a" * 32 + ".jpg")).write_bytes(JPEG)
    db.session.add(
        PrototypeFile(
            team_id=teams[0].id,
            uploader_id=agnes.id,
            original_name="maquette.jpg",
            content_type="image/jpeg",
            size_bytes=len(JPEG),
            storage_name="a" * 32 + ".jpg",
            is_photo=True,
            consent_confirmed=True,
        )
    )
    db.session.flush()
    ballots.replace_ballot(event, ballots.voter(event, agnes), [teams[1].id, teams[2].id])
    ballots.replace_ballot(event, ballots.voter(event, bruno), [teams[1].id])
    db.session.commit()

    class World:
        pass

    w = World()
    w.event, w.teams, w.agnes, w.bruno = event, teams, agnes, bruno
    w.organiser, w.other, w.other_organiser = organiser, other, other_organiser
    return w


def _tally(event):
    return {s.team_id: s.votes for s in results(event).stands}


def _download(client, event):
    response = client.post(f"/events/{event.slug}/my-data")
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


# --- Downloading one's own data -------------------------------------------------------------


def test_a_participant_downloads_their_data_and_no_one_else_s(client, world):
    sign_in(client, world.agnes)
    page = client.get(f"/events/{world.event.slug}")
    assert "Télécharger mes données" in page.text
    archive = _download(client, world.event)
    data = json.loads(archive.read("data.json"))
    assert data["account"] == {
        "name": "Agnès Martin",
        "email": "agnes@rennes.fr",
        "names_consent": None,
    }
    assert data["attendance"]["name"] == "Agnès Martin"
    assert data["attendance"]["organisation"] == "Rennes"
    assert data["attendance"]["roles"] == ["participant", "member"]
    assert data["attendance"]["teams"] == [{"role": "member", "challenge": 1}]
    assert [i["title"] for i in data["ideas"]] == ["Idée d'Agnès"]
    assert [c["body"] for c in data["comments"]] == ["Mon avis"]
    assert [(p["name"], p["needs"]) for p in data["personas"]] == [
        ("Mme Usagère", "Attendre moins")
    ]
    assert [(f["challenge"], f["liked"]) for f in data["feedback"]] == [(2, "Le stand")]
    assert [v["challenge"] for v in data["ballot"]["votes"]] == [2, 3]
    (photo,) = data["files"]
    assert photo["name"] == "maquette.jpg"
    assert archive.read(photo["in_archive"]) == JPEG
    raw = archive.read("data.json").decode()
    for other_people_s in ("Bruno", "bruno@brest.fr", "Avis Bruno", code_of(world.agnes)):
        assert other_people_s not in raw
    history = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.event_id == world.event.id)
    ).all()
    assert "data.downloaded" in history


def test_only_the_event_s_own_attendees_download_their_data(app, client, world, make):
    stranger = make.participant(world.other)
    db.session.commit()
    sign_in(client, stranger)
    assert client.get(f"/events/{world.event.slug}/my-data").status_code == 403
    assert client.post(f"/events/{world.event.slug}/my-data").status_code == 403
    anonymous = app.test_client()
    assert anonymous.post(f"/events/{world.event.slug}/my-data").status_code in (302, 401)
    organiser = app.test_client()
    sign_in(organiser, world.organiser)
    assert organiser.get(f"/events/{world.event.slug}/my-data").status_code == 403


def test_a_code_reaches_its_own_event_s_data_only(client, world, make):
    make.join(world.other, world.agnes)
    db.session.commit()
    sign_in(client, world.agnes, world.other)
    assert client.post(f"/events/{world.event.slug}/my-data").status_code == 403
    data = json.loads(_download(client, world.other).read("data.json"))
    assert data["ideas"] == [] and data["ballot"] is None


def test_a_removed_person_can_no_longer_download(app, client, world):
    sign_in(client, world.agnes)
    organiser = app.test_client()
    sign_in(organiser, world.organiser)
    organiser.post(f"/events/{world.event.slug}/people/{world.agnes.id}/remove")
    assert client.post(f"/events/{world.event.slug}/my-data").status_code in (302, 401, 403)


# --- Erasing a person -------------------------------------------------------------------------


def test_erasing_keeps_ballots_and_team_work_and_ends_the_code_s_sessions(app, client, world):
    before = _tally(world.event)
    participant = app.test_client()
    sign_in(participant, world.agnes)
    assert participant.get(f"/events/{world.event.slug}/my-ballot").status_code == 200
    sign_in(client, world.organiser)
    preview = client.get(f"/events/{world.event.slug}/people/{world.agnes.id}/erase")
    assert "ne peut pas être annulé" in preview.text or "cannot be undone" in preview.text
    assert "button--danger" in preview.text
    response = client.post(f"/events/{world.event.slug}/people/{world.agnes.id}/erase")
    assert response.status_code == 303

    assert _tally(world.event) == before
    agnes = db.session.get(User, world.agnes.id)
    assert agnes.email is None and agnes.name == "" and agnes.password_hash is None
    attendance = db.session.scalar(
        select(Membership).where(
            Membership.user_id == agnes.id, Membership.event_id == world.event.id
        )
    )
    assert attendance.erased_at is not None
    assert (attendance.name, attendance.organisation, attendance.access_code) == (None,) * 3
    idea = db.session.scalar(select(Idea).where(Idea.title == "Idée d'Agnès"))
    assert idea is not None and idea.author_id is None
    persona = db.session.scalar(select(Persona).where(Persona.name == "Mme Usagère"))
    assert persona is not None and persona.author_id is None
    assert db.session.scalar(select(func.count(PrototypeFile.id))) == 1
    assert participant.get(f"/events/{world.event.slug}/my-ballot").status_code in (302, 401)
    listing = client.get(f"/events/{world.event.slug}/people")
    assert "Personne effacée" in listing.text and "Agnès" not in listing.text
    assert client.get(f"/events/{world.event.slug}/people/{agnes.id}/erase").status_code == 404
    exported = client.get(f"/events/{world.event.slug}/people/export.csv")
    assert exported.status_code == 200 and "Agnès" not in exported.text
    assert client.get(f"/events/{world.event.slug}/badges").status_code == 200
    history = client.get(f"/events/{world.event.slug}/history")
    assert "a effacé les données personnelles" in history.text
    assert "Agnès" not in history.text


def test_an_account_used_elsewhere_lives_on_and_only_this_event_s_record_goes(client, world, make):
    make.join(world.other, world.agnes, organisation="Ville B")
    db.session.commit()
    other_code = code_of(world.agnes, world.other)
    before = _tally(world.event)
    sign_in(client, world.organiser)
    preview = client.get(f"/events/{world.event.slug}/people/{world.agnes.id}/erase")
    assert "ailleurs" in preview.text
    assert world.other.name not in preview.text
    client.post(f"/events/{world.event.slug}/people/{world.agnes.id}/erase")

    agnes = db.session.get(User, world.agnes.id)
    assert (agnes.name, agnes.email) == ("Agnès Martin", "agnes@rennes.fr")
    elsewhere = db.session.scalar(
        select(Membership).where(
            Membership.user_id == agnes.id, Membership.event_id == world.other.id
        )
    )
    assert (elsewhere.organisation, elsewhere.access_code) == ("Ville B", other_code)
    # Nothing of this event stays on her account; her ballot counts, held by nobody named.
    assert (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.user_id == agnes.id, Membership.event_id == world.event.id
            )
        )
        == 0
    )
    assert db.session.scalar(select(Ballot).where(Ballot.user_id == agnes.id)) is None
    assert _tally(world.event) == before


def test_an_organiser_of_another_event_cannot_erase(client, world):
    sign_in(client, world.other_organiser)
    url = f"/events/{world.event.slug}/people/{world.agnes.id}/erase"
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert client.post(f"/events/{world.other.slug}/people/{world.agnes.id}/erase").status_code == (
        404
    )
    agnes = db.session.get(User, world.agnes.id)
    assert agnes.email == "agnes@rennes.fr"
    assert code_of(agnes, world.event) is not None


def test_erased_people_cannot_be_brought_back_from_the_history(client, world):
    sign_in(client, world.organiser)
    client.post(f"/events/{world.event.slug}/people/{world.agnes.id}/remove")
    removal = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "attendee.removed"))
    client.post(f"/events/{world.event.slug}/history/{removal.id}/undo")
    client.post(f"/events/{world.event.slug}/people/{world.agnes.id}/erase")
    db.session.refresh(removal)
    assert removal.details.get("erased") and "snapshot" not in removal.details
    history = client.get(f"/events/{world.event.slug}/history").text
    entries = history.split('<ol class="history">')[1]
    assert "Agnès" not in entries
    assert "une personne effacée" in entries
    assert "Annuler" not in entries.split("a retiré une personne effacée")[1].split("</li>")[0]


# --- Purging an event -------------------------------------------------------------------------


def test_purging_on_the_web_asks_for_the_identifier_and_keeps_results(client, world):
    before = _tally(world.event)
    sign_in(client, world.organiser)
    url = f"/events/{world.event.slug}/organise/purge"
    assert "Purger" in client.get(f"/events/{world.event.slug}/organise").text
    wrong = client.post(url, data={"confirmation": "oui"})
    assert wrong.status_code == 400
    assert db.session.scalar(select(User.email).where(User.id == world.bruno.id))
    done = client.post(url, data={"confirmation": world.event.slug.upper()})
    assert done.status_code == 303
    names = db.session.scalars(
        select(Membership.name).where(
            Membership.event_id == world.event.id, Membership.role == Role.PARTICIPANT
        )
    ).all()
    assert names == [None, None]
    assert _tally(world.event) == before
    assert db.session.scalar(select(func.count(Idea.id))) == 2
    assert "event.purged" in db.session.scalars(select(AuditEntry.action)).all()


def test_purging_is_refused_before_the_event_ends(client, world):
    world.event.ends_at = utcnow() + timedelta(days=1)
    db.session.commit()
    sign_in(client, world.organiser)
    response = client.post(
        f"/events/{world.event.slug}/organise/purge", data={"confirmation": world.event.slug}
    )
    assert response.status_code == 400
    assert "pas encore terminé" in response.text
    assert db.session.get(User, world.agnes.id).email == "agnes@rennes.fr"


def test_purge_command_asks_refuses_early_and_can_be_forced(app, world):
    runner = app.test_cli_runner()
    no = runner.invoke(args=["purge-personal-data", world.event.slug], input="n\n")
    assert no.exit_code == 1
    assert db.session.get(User, world.agnes.id).email == "agnes@rennes.fr"
    early = runner.invoke(args=["purge-personal-data", world.other.slug, "--yes"])
    assert early.exit_code == 1
    yes = runner.invoke(args=["purge-personal-data", world.event.slug, "--yes"])
    assert yes.exit_code == 0, yes.output
    db.session.expire_all()
    assert db.session.get(User, world.agnes.id).email is None
    forced = runner.invoke(args=["purge-personal-data", world.other.slug, "--yes", "--force"])
    assert forced.exit_code == 0, forced.output


def test_the_services_refuse_twice_and_early(world):
    attendance = db.session.scalar(
        select(Membership).where(
            Membership.user_id == world.agnes.id, Membership.role == Role.PARTICIPANT
        )
    )
    erase_attendee(world.event, attendance, None)
    with pytest.raises(Exception, match="déjà"):
        erase_attendee(world.event, attendance, None)
    with pytest.raises(Exception, match="date de fin"):
        purge_personal_data(world.other, None)


def test_an_erasure_changes_its_own_event_s_version_only(world):
    """Erasing touches rows of watched tables by bulk statements, each said to concern its event
    (``versions.of_event``): another event's pages kept by version, and its polls, stay."""
    versions = {e.id: e.data_version for e in (world.event, world.other)}
    attendance = db.session.scalar(
        select(Membership).where(
            Membership.user_id == world.agnes.id, Membership.role == Role.PARTICIPANT
        )
    )
    erase_attendee(world.event, attendance, None)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Event, world.other.id).data_version == versions[world.other.id]
    assert db.session.get(Event, world.event.id).data_version != versions[world.event.id]


# --- The privacy pages ------------------------------------------------------------------------


def test_every_page_links_to_the_privacy_pages(client, world):
    home = client.get("/")
    assert 'href="/privacy"' in home.text
    assert client.get("/privacy").status_code == 200
    page = client.get(f"/events/{world.event.slug}")
    assert f'href="/events/{world.event.slug}/privacy"' in page.text
    notice = client.get(f"/events/{world.event.slug}/privacy")
    assert notice.status_code == 200 and "6 mois" in notice.text


def test_only_the_event_s_organisers_edit_its_notice(client, world):
    url = f"/events/{world.event.slug}/organise/privacy"
    data = {
        "controller": "Ville de Rennes\x0b",
        "contact_email": "dpo@rennes.fr",
        "retention_months": "12",
        "details": "Photos\x00 avec accord.",
    }
    sign_in(client, world.other_organiser)
    assert client.post(url, data=data).status_code == 403
    sign_in(client, world.organiser)
    assert client.post(url, data={**data, "retention_months": "999"}).status_code == 400
    assert client.post(url, data={**data, "controller": ""}).status_code == 400
    assert client.post(url, data=data).status_code == 303
    notice = db.session.scalar(select(PrivacyNotice))
    assert (notice.controller, notice.retention_months) == ("Ville de Rennes", 12)
    assert notice.details == "Photos avec accord."
    shown = client.get(f"/events/{world.event.slug}/privacy").text
    assert "dpo@rennes.fr" in shown and "12 mois" in shown
    history = client.get(f"/events/{world.event.slug}/history").text
    assert "a modifié la notice" in history or "notice" in history


def test_attendee_list_keeps_a_fixed_number_of_queries_with_erased_people(
    client, world, make, count_queries
):
    for _ in range(20):
        make.participant(world.event)
    erase_attendee(
        world.event,
        db.session.scalar(
            select(Membership).where(
                Membership.user_id == world.bruno.id, Membership.role == Role.PARTICIPANT
            )
        ),
        None,
    )
    db.session.commit()
    sign_in(client, world.organiser)
    url = f"/events/{world.event.slug}/people"
    with count_queries() as queries:
        response = client.get(url)
    assert response.text.count("Personne effacée") == 1
    assert len(queries) == 7, queries  # as test_organise_people's, erased people or not
