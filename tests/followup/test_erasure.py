"""A person's follow-up updates are their personal data (GDPR): they download them with the rest
of what the event holds of them, and erasing them from the event unnames the updates, as it does
their work in the workspace: the update stays, signed by nobody."""

import io
import json
import zipfile
from datetime import datetime

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import FollowUpReminder, FollowUpUpdate, Membership, Role
from facilitate.privacy.services import (
    erase_attendee,
    purge_personal_data,
)
from tests.factories import sign_in
from tests.followup.conftest import owner_of


@pytest.fixture(autouse=True)
def _after_the_event(monkeypatch):
    now = datetime(2026, 4, 15, 10, 0)
    monkeypatch.setattr("facilitate.followup.routes.utcnow", lambda: now)


def _update_by(client, event, person):
    sign_in(client, person, event)
    response = client.post(
        f"/events/{event.slug}/follow-up/1",
        data={"happened_on": "2026-03-02", "text": "Testé à la mairie.", "status": "testing"},
    )
    assert response.status_code == 303, response.text
    client.post("/sign-out")


def _attendance(event, person):
    return db.session.scalar(
        select(Membership).where(
            Membership.event_id == event.id,
            Membership.user_id == person.id,
            Membership.role == Role.PARTICIPANT,
        )
    )


@pytest.mark.parametrize("how", ["erased", "purged"])
def test_an_erased_person_is_no_longer_named_on_the_follow_up(client, make, event, team, how):
    # Her account lives on (she attends another event): only this event's record of her goes.
    owner = owner_of(make, event, team, name="Agnès Martin")
    make.join(make.event(), owner)
    db.session.add(FollowUpReminder(challenge_id=team.challenge.id, user_id=owner.id, months=3))
    organiser = make.organiser(event)
    db.session.commit()
    _update_by(client, event, owner)
    sign_in(client, organiser)
    assert "Par Agnès Martin" in client.get(f"/events/{event.slug}/follow-up/1").text
    if how == "erased":
        erase_attendee(event, _attendance(event, owner), organiser)
    else:
        purge_personal_data(event, organiser)
    db.session.commit()

    update = db.session.scalar(select(FollowUpUpdate))
    assert update.text == "Testé à la mairie." and update.author_id is None
    assert db.session.scalar(select(FollowUpReminder)) is None
    for url in (f"/events/{event.slug}/follow-up", f"/events/{event.slug}/follow-up/1"):
        page = client.get(url)
        assert page.status_code == 200
        assert "Testé à la mairie." in page.text
        assert "Agnès Martin" not in page.text.split('id="timeline"')[1]


def test_a_person_downloads_the_updates_they_wrote(client, make, event, team):
    owner = owner_of(make, event, team)
    other = owner_of(make, event, team)
    db.session.commit()
    _update_by(client, event, owner)
    sign_in(client, other, event)
    client.post(
        f"/events/{event.slug}/follow-up/1",
        data={"happened_on": "2026-03-03", "text": "Pas le mien.", "status": "testing"},
    )
    client.post("/sign-out")
    sign_in(client, owner, event)
    response = client.post(f"/events/{event.slug}/my-data")
    assert response.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("data.json"))
    assert [(u["challenge"], u["happened_on"], u["text"]) for u in data["follow_up_updates"]] == [
        (1, "2026-03-02", "Testé à la mairie.")
    ]
