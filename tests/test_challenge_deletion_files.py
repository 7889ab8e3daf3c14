"""Deleting a challenge takes its team's work, and undoing brings back the sheet and the people,
not the work: the files that work had on disk (prototype photos, follow-up photos) go too, once
the deletion is committed, and only then."""

import os
from datetime import date

import pytest

from facilitate.challenges.management import delete_challenge
from facilitate.extensions import db
from facilitate.models import FollowUp, FollowUpStatus, FollowUpUpdate, PrototypeFile
from facilitate.workspace import uploads
from tests.test_workspace_prototyping import PNG, folder  # noqa: F401  (a fixture)

pytestmark = pytest.mark.usefixtures("folder")


def _stored_work(make):
    """An event of two challenges; the first one's team has a photo and a follow-up photo, the
    second one's a photo. Returns the event and the paths of the three files."""
    event = make.event(challenges=2)
    organiser = make.organiser(event)
    names = []
    for challenge in event.challenges:
        name = uploads.store(PNG, uploads.PNG)
        names.append(name)
        db.session.add(
            PrototypeFile(
                team_id=challenge.team.id,
                original_name="photo.png",
                content_type="image/png",
                size_bytes=len(PNG),
                storage_name=name,
                is_photo=True,
                consent_confirmed=True,
            )
        )
    news = uploads.store(PNG, uploads.PNG)
    follow_up = FollowUp(
        event_id=event.id,
        challenge_id=event.challenges[0].id,
        status=FollowUpStatus.TESTING,
        progress=10,
        last_update_on=date(2019, 1, 1),
    )
    follow_up.updates.append(
        FollowUpUpdate(
            happened_on=date(2019, 1, 1),
            text="Testé à la mairie.",
            status=FollowUpStatus.TESTING,
            progress=10,
            storage_name=news,
            original_name="news.png",
            content_type="image/png",
        )
    )
    db.session.add(follow_up)
    db.session.commit()
    # A photo's small version lives beside it and goes with it.
    small = uploads.small_path_of(names[0])
    with open(small, "wb") as file:
        file.write(b"small")
    paths = [uploads.path_of(name) for name in (names[0], news, names[1])]
    assert all(os.path.exists(path) for path in [*paths, small])
    return event, organiser, [*paths, small]


def test_deleting_a_challenge_removes_its_files_and_no_other(make):
    event, organiser, (photo, news, other_team, small) = _stored_work(make)
    delete_challenge(event.challenges[0], organiser)
    assert os.path.exists(photo) and os.path.exists(news)  # not before the commit
    db.session.commit()
    assert not os.path.exists(photo)
    assert not os.path.exists(small)
    assert not os.path.exists(news)
    assert os.path.exists(other_team)


def test_a_deletion_rolled_back_keeps_the_files(make):
    event, organiser, paths = _stored_work(make)
    delete_challenge(event.challenges[0], organiser)
    db.session.rollback()
    db.session.commit()  # a later commit removes nothing that the rollback kept
    assert all(os.path.exists(path) for path in paths)
