"""Follow-up and personal data: an erased person's updates stay on the timeline without their
name (their photos too, as the workspace's), the reminders sent to them are forgotten, and the
purge does the same for every attendee."""

import io
import json
import os
import zipfile
from datetime import date, datetime

from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.followup.services import UpdateDetails, add_update
from facilitate.models import FollowUpReminder, FollowUpUpdate
from facilitate.people.attendance import attendance_of
from facilitate.privacy.services import (
    erase_attendee,
    purge_personal_data,
)
from facilitate.workspace import uploads
from tests.factories import sign_in
from tests.followup.conftest import owner_of
from tests.test_workspace_prototyping import _png

NOW = datetime(2026, 4, 15, 10, 0)


def _update(challenge, person, text, photo=None):
    details = UpdateDetails(date(2026, 3, 2), text, photo=photo and (photo, "atelier.png"))
    return add_update(challenge, person, details, now=NOW)


def test_erasing_unsigns_the_person_s_updates_keeps_their_photo_and_forgets_reminders(
    client, make, event, team, folder
):
    owner = owner_of(make, event, team, name="Odile Secrète")
    member = make.participant(event, team=team, name="Marc Resté")
    organiser = make.organiser(event)
    own = _update(event.challenges[0], owner, "Testé à l’accueil.", photo=_png())
    _update(event.challenges[0], member, "Présenté au conseil.")
    for person in (owner, member):
        db.session.add(
            FollowUpReminder(challenge_id=event.challenges[0].id, user_id=person.id, months=3)
        )
    db.session.commit()
    photo_path = uploads.path_of(own.storage_name)

    erase_attendee(event, attendance_of(event, owner), organiser)
    db.session.commit()

    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/follow-up/1").text
    assert "Testé à l’accueil." in page and "Odile Secrète" not in page
    assert "Marc Resté" in page  # the others' updates keep their name
    assert db.session.get(FollowUpUpdate, own.id).author_id is None
    assert client.get(f"/events/{event.slug}/follow-up/1/updates/{own.id}/photo").status_code == 200
    assert photo_path and os.path.isfile(photo_path)
    reminded = db.session.scalars(select(FollowUpReminder.user_id)).all()
    assert reminded == [member.id]


def test_the_purge_unsigns_every_attendee_s_updates_but_not_the_organisers(make, event, team):
    owner = owner_of(make, event, team, name="Odile Secrète")
    organiser = make.organiser(event)
    _update(event.challenges[0], owner, "Testé à l’accueil.")
    _update(event.challenges[1], organiser, "Relancé par l’équipe d’organisation.")
    db.session.add(
        FollowUpReminder(challenge_id=event.challenges[0].id, user_id=owner.id, months=3)
    )
    db.session.commit()

    assert purge_personal_data(event, organiser) == 1
    db.session.commit()

    authors = db.session.execute(
        select(FollowUpUpdate.text, FollowUpUpdate.author_id).order_by(FollowUpUpdate.text)
    ).all()
    assert authors == [
        ("Relancé par l’équipe d’organisation.", organiser.id),
        ("Testé à l’accueil.", None),
    ]
    assert db.session.scalar(select(func.count(FollowUpReminder.id))) == 0


def test_the_owner_s_data_holds_their_updates_and_photos_and_nobody_else_s(
    client, make, event, team, folder
):
    owner = owner_of(make, event, team)
    member = make.participant(event, team=team)
    own = _update(event.challenges[0], owner, "Testé à l’accueil.", photo=_png())
    _update(event.challenges[0], member, "Présenté au conseil.")
    db.session.commit()
    sign_in(client, owner)
    assert "nouvelles du suivi" in client.get(f"/events/{event.slug}/my-data").text

    response = client.post(f"/events/{event.slug}/my-data")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("data.json"))
    assert data["follow_up_updates"] == [
        {
            "challenge": 1,
            "happened_on": "2026-03-02",
            "text": "Testé à l’accueil.",
            "status": "testing",
            "progress": 0,
            "photo": "atelier.png",
            "in_archive": f"follow-up/{own.id}-atelier.png",
            "created_at": "2026-04-15T10:00:00Z",
        }
    ]
    with open(uploads.path_of(own.storage_name), "rb") as stored:
        assert archive.read(f"follow-up/{own.id}-atelier.png") == stored.read()
