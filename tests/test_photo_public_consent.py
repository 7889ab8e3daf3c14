"""A photo shared within the event is not published: the people pictured agree to the public
showcase, on the internet, photo by photo, at upload or later; without that agreement the
photo stays off the showcase even when its team is there."""

import io

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitate.extensions import db
from facilitate.models import AuditEntry, PrototypeFile, Stage
from facilitate.people.management import remove_attendee
from tests.factories import sign_in
from tests.test_showcase import (
    _facilitator,
    _file_url,
    _public_page,
    _toggle,
    _work,
)
from tests.test_workspace_prototyping import PNG, folder  # noqa: F401  (a fixture)

pytestmark = pytest.mark.usefixtures("folder")


@pytest.fixture
def event(make):
    return make.event(challenges=2, themes=2)


@pytest.fixture
def team(event):
    return event.challenges[0].team


def _mark(client, event, team, row, choice: str):
    return client.post(
        f"{_file_url(event, team, row)}/public", data={"choice": choice}, follow_redirects=False
    )


def _on_showcase(make, client, event, team):
    """The team's work, its photo shared within the event only, put on the showcase by its
    facilitator (still signed in)."""
    files = _work(make, client, event, team, public=False)
    facilitator = _facilitator(make, event, team)
    db.session.commit()
    sign_in(client, facilitator)
    assert _toggle(client, event, team, "show").status_code == 303
    return files, facilitator


def _public_sees(client, event, team, photo) -> bool:
    client.post("/sign-out")
    page = _public_page(client, event)
    single = _public_page(client, event, "/1")
    shown = _file_url(event, team, photo, small=True) in page.text
    assert shown == (_file_url(event, team, photo, small=True) in single.text)
    codes = {client.get(_file_url(event, team, photo, small)).status_code for small in (0, 1)}
    assert codes in ({200}, {302}), codes
    assert shown == (codes == {200})
    return shown


def test_a_photo_shared_within_the_event_stays_off_the_showcase(client, make, event, team):
    files, _ = _on_showcase(make, client, event, team)
    workspace = client.get(f"/events/{event.slug}/teams/1/workspace").text
    assert "0 photo sur 1" not in workspace
    assert "ne sera vue par personne en dehors de l’événement" in workspace
    assert not _public_sees(client, event, team, files["photo"])
    # Someone of another event, signed in, is refused too.
    stranger = make.participant(make.event())
    db.session.commit()
    sign_in(client, stranger)
    assert client.get(_file_url(event, team, files["photo"])).status_code == 403


def test_marking_a_photo_public_shows_it_and_unmarking_hides_it_again(client, make, event, team):
    files, facilitator = _on_showcase(make, client, event, team)
    photo = files["photo"]
    response = _mark(client, event, team, photo, "public")
    assert response.status_code == 303
    assert response.location.endswith(f"#file-{photo.id}")
    page = client.get(response.location).text
    assert "peut désormais paraître dans la vitrine publique" in page
    assert f'id="file-{photo.id}"' in page
    workspace = client.get(f"/events/{event.slug}/teams/1/workspace").text
    assert "1 photo sur 1 pourra être vue par tout le monde" in workspace
    assert db.session.get(PrototypeFile, photo.id).public_consent
    assert _public_sees(client, event, team, photo)

    sign_in(client, facilitator)
    assert _mark(client, event, team, photo, "event").status_code == 303
    assert _mark(client, event, team, photo, "event").status_code == 303  # twice: same
    assert not db.session.get(PrototypeFile, photo.id).public_consent
    history = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.event_id == event.id).order_by(AuditEntry.id)
    ).all()
    assert history[-2:] == ["photo.made_public", "photo.kept_within_event"]
    assert not _public_sees(client, event, team, photo)


def test_a_member_ticks_public_at_upload_and_only_with_the_first_box(client, make, event, team):
    member = make.participant(event, team=team)
    db.session.commit()
    sign_in(client, member)
    url = f"/events/{event.slug}/teams/1/workspace/files"
    refused = client.post(
        url,
        data={"file": (io.BytesIO(PNG), "a.png"), "public_consent": "y"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "Une photo ne peut être publique que si" in refused.text
    assert not db.session.scalars(select(PrototypeFile)).all()
    for data in ({"consent": "y"}, {"consent": "y", "public_consent": "y"}):
        data["file"] = (io.BytesIO(PNG), "b.png")
        assert client.post(url, data=data, content_type="multipart/form-data").status_code == 303
    rows = db.session.scalars(select(PrototypeFile).order_by(PrototypeFile.id)).all()
    assert [row.public_consent for row in rows] == [False, True]
    page = client.get(f"/events/{event.slug}/teams/1/workspace/prototyping").text
    assert "Dans l’événement seulement" in page and "Peut être publique" in page


@pytest.mark.parametrize(
    "who", ["other event's organiser", "removed facilitator", "other team's member"]
)
def test_only_the_workspaces_editors_mark_a_photo_public(client, make, event, team, who):
    files = _work(make, client, event, team, public=False)
    if who == "other event's organiser":
        person = make.organiser(make.event())
    elif who == "other team's member":
        person = make.participant(event, team=event.challenges[1].team)
    else:
        person = _facilitator(make, event, team, password=True)
    db.session.commit()
    sign_in(client, person)
    if who == "removed facilitator":
        remove_attendee(event, person, make.organiser(event))
        db.session.commit()
    response = _mark(client, event, team, files["photo"], "public")
    assert response.status_code in (403, 404)
    assert not db.session.get(PrototypeFile, files["photo"].id).public_consent


def test_a_document_or_another_teams_photo_cannot_be_marked(client, make, event, team):
    files = _work(make, client, event, team, public=False)
    db.session.commit()
    sign_in(client, make.organiser(event))
    assert _mark(client, event, team, files["pdf"], "public").status_code == 404
    other = event.challenges[1].team
    assert _mark(client, event, other, files["photo"], "public").status_code == 404
    assert _mark(client, event, team, files["photo"], "maybe").status_code == 303
    assert not db.session.get(PrototypeFile, files["photo"].id).public_consent


def test_the_database_refuses_a_public_photo_without_consent(make, event, team):
    for is_photo, consent in ((True, False), (False, False), (False, True)):
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(
                PrototypeFile(
                    team_id=team.id,
                    original_name="x.png",
                    content_type="image/png",
                    size_bytes=1,
                    storage_name=f"{int(is_photo)}{int(consent)}".ljust(32, "0") + ".png",
                    is_photo=is_photo,
                    consent_confirmed=consent,
                    public_consent=True,
                )
            )
            db.session.flush()


def test_each_files_forms_post_to_its_own_address_and_return_to_the_page(client, make, event, team):
    """The prototyping page builds its files' addresses once for all the files (row_urls): each
    form still posts to its own file, with ``?back=`` only on the stage's own page."""
    files, _ = _on_showcase(make, client, event, team)
    photo, pdf = files["photo"], files["pdf"]
    base = f"/events/{event.slug}/teams/1/workspace"
    stage = client.get(f"{base}/prototyping").text
    for row, small in ((photo, True), (pdf, False)):
        assert f'href="{_file_url(event, team, row)}"' in stage
        assert f'action="{_file_url(event, team, row)}/delete?back=prototyping"' in stage
        assert (f'src="{_file_url(event, team, row, small=True)}"' in stage) == small
    assert f'action="{_file_url(event, team, photo)}/public?back=prototyping"' in stage
    assert f'action="{_file_url(event, team, pdf)}/public' not in stage
    team.stage = Stage.PROTOTYPING
    db.session.commit()
    workspace = client.get(base).text
    assert f'action="{_file_url(event, team, photo)}/public"' in workspace
    assert f'action="{_file_url(event, team, pdf)}/delete"' in workspace
