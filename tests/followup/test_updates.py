"""Recording what became of a prototype: who may, what is refused, and how it shows."""

import io
from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitate.extensions import db
from facilitate.models import FollowUp, FollowUpStatus, FollowUpUpdate, Membership, Role
from facilitate.people.management import remove_attendee
from tests.factories import sign_in
from tests.followup.conftest import owner_of
from tests.test_workspace_prototyping import JPEG, PDF, _png


def _url(event, number=1, suffix=""):
    return f"/events/{event.slug}/follow-up/{number}{suffix}"


def _post(client, event, number=1, photo=None, **fields):
    data = {
        "happened_on": "2026-03-02",
        "text": "Testé avec dix agents d’accueil : ils le gardent.",
        "status": "testing",
        "progress": "40",
        **fields,
    }
    if photo is not None:
        data["photo"] = (
            io.BytesIO(photo[0]),
            photo[1],
            photo[2] if len(photo) > 2 else "image/jpeg",
        )
        data.setdefault("consent", "y")
    return client.post(_url(event, number), data=data, content_type="multipart/form-data")


def _count(model):
    return db.session.scalar(select(func.count(model.id)))


@pytest.fixture(autouse=True)
def _after_the_event(monkeypatch):
    """The clock reads 15 April 2026, three months after the event."""
    now = datetime(2026, 4, 15, 10, 0)
    monkeypatch.setattr("facilitate.followup.routes.utcnow", lambda: now)


def test_the_owner_records_an_update_which_shows_in_the_table_and_the_timeline(
    client, event, owner, folder
):
    sign_in(client, owner)
    response = _post(client, event, photo=(_png(), "atelier.png", "image/png"))
    assert response.status_code == 303, response.text
    follow_up = db.session.scalar(select(FollowUp))
    assert (follow_up.status, follow_up.progress, follow_up.last_update_on) == (
        FollowUpStatus.TESTING,
        40,
        date(2026, 3, 2),
    )
    page = client.get(f"/events/{event.slug}/follow-up").text
    assert "En test" in page and "40\u00a0%" in page
    assert '<ol class="timeline">' in page
    assert "2 mars 2026" in page and "Testé avec dix agents d’accueil" in page
    update = db.session.scalar(select(FollowUpUpdate))
    photo = client.get(_url(event, suffix=f"/updates/{update.id}/photo"))
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    small = client.get(_url(event, suffix=f"/updates/{update.id}/photo/small"))
    assert small.status_code == 200 and small.mimetype == "image/jpeg"


def test_the_timeline_is_in_date_order_whatever_order_updates_were_written(client, event, owner):
    sign_in(client, owner)
    _post(client, event, happened_on="2026-04-01", text="Déployé à la mairie.")
    _post(client, event, happened_on="2026-02-01", text="Premier test.")
    page = client.get(_url(event)).text
    assert page.index("Premier test.") < page.index("Déployé à la mairie.")
    assert db.session.scalar(select(FollowUp.last_update_on)) == date(2026, 4, 1)


def test_members_add_updates_but_the_status_and_progress_stay_the_owners(
    app, client, event, owner, member
):
    owners_client = app.test_client()
    sign_in(owners_client, owner)
    _post(owners_client, event, status="deployed", progress="80")
    sign_in(client, member)
    form = client.get(_url(event)).text
    assert 'name="text"' in form and 'name="status"' not in form and 'name="progress"' not in form
    response = _post(client, event, status="abandoned", progress="0", text="Présenté au conseil.")
    assert response.status_code == 303
    follow_up = db.session.scalar(select(FollowUp))
    assert (follow_up.status, follow_up.progress) == (FollowUpStatus.DEPLOYED, 80)
    assert _count(FollowUpUpdate) == 2


def test_a_member_sends_the_form_as_the_page_shows_it_without_status_or_progress(
    app, client, event, owner, member
):
    """The member's form has no status nor progress field: what it sends is enough."""
    owners_client = app.test_client()
    sign_in(owners_client, owner)
    _post(owners_client, event, status="deployed", progress="80")
    sign_in(client, member)
    response = client.post(
        _url(event), data={"happened_on": "2026-03-05", "text": "Présenté au conseil."}
    )
    assert response.status_code == 303, response.text
    follow_up = db.session.scalar(select(FollowUp))
    assert (follow_up.status, follow_up.progress) == (FollowUpStatus.DEPLOYED, 80)
    assert _count(FollowUpUpdate) == 2


def test_the_same_update_sent_twice_is_recorded_once(client, event, owner, folder):
    """A double tap, or the page sent again: updates cannot be deleted, so a copy would stay."""
    sign_in(client, owner)
    for _ in range(2):
        response = _post(client, event, photo=(_png(), "atelier.png", "image/png"))
        assert response.status_code == 303
    assert _count(FollowUpUpdate) == 1
    assert len(list(folder.glob("*.png"))) == 1
    # The same words on another day are other news.
    assert _post(client, event, happened_on="2026-03-09").status_code == 303
    assert _count(FollowUpUpdate) == 2


def test_an_organiser_sets_the_status_and_sees_the_quiet_challenges(client, make, event, owner):
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/follow-up").text
    assert "Défis sans nouvelles depuis 3\u00a0mois" in page
    assert page.count(f'href="/events/{event.slug}/follow-up/') >= 6  # quiet list and table
    assert _post(client, event, number=2, status="extended", progress="100").status_code == 303
    page = client.get(f"/events/{event.slug}/follow-up").text
    quiet = page.split('id="quiet-title"')[1].split("</section>")[0]
    assert "Défi 1" in quiet and "Défi 2" not in quiet and "Défi 3" in quiet
    assert "Étendu à d’autres territoires" in page


def test_participants_read_but_do_not_see_the_quiet_list_nor_write(client, make, event):
    person = make.participant(event)
    db.session.commit()
    sign_in(client, person)
    page = client.get(f"/events/{event.slug}/follow-up")
    assert page.status_code == 200 and "quiet-title" not in page.text
    assert 'name="text"' not in client.get(_url(event)).text
    assert _post(client, event).status_code == 403
    assert _count(FollowUpUpdate) == 0


@pytest.mark.parametrize(
    "who", ["other organiser", "other owner", "other participant", "removed owner", "anonymous"]
)
def test_outsiders_are_refused_everywhere(app, client, make, event, team, who, folder):
    owner = owner_of(make, event, team)
    db.session.commit()
    owners_client = app.test_client()
    sign_in(owners_client, owner)
    _post(owners_client, event, photo=(JPEG, "a.jpg"))
    update = db.session.scalar(select(FollowUpUpdate))
    other = make.event(challenges=1)
    person = None
    if who == "other organiser":
        person = make.organiser(other)
    elif who == "other owner":
        person = owner_of(make, other, other.challenges[0].team)
    elif who == "other participant":
        person = make.participant(other)
    elif who == "removed owner":
        person = owner
        sign_in(client, person)
        remove_attendee(event, person, None)
    db.session.commit()
    if person is not None and who != "removed owner":
        sign_in(client, person)
    urls = [
        f"/events/{event.slug}/follow-up",
        _url(event),
        _url(event, suffix=f"/updates/{update.id}/photo"),
        _url(event, suffix=f"/updates/{update.id}/photo/small"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        if who.startswith("other"):
            assert response.status_code == 403, url
    response = _post(client, event, text="Intrusion")
    assert response.status_code in (302, 403)
    assert _count(FollowUpUpdate) == 1
    assert (
        not db.session.scalars(
            select(Membership).where(
                Membership.user_id == owner.id, Membership.role == Role.CHALLENGE_OWNER
            )
        ).all()
        or who != "removed owner"
    )


def test_another_events_update_is_not_found_through_this_event(
    app, client, make, event, owner, folder
):
    other = make.event(challenges=1, ends_at=event.ends_at)
    other_owner = owner_of(make, other, other.challenges[0].team)
    db.session.commit()
    others_client = app.test_client()
    sign_in(others_client, other_owner)
    _post(others_client, other, photo=(JPEG, "a.jpg"))
    update = db.session.scalar(select(FollowUpUpdate))
    sign_in(client, owner)
    assert client.get(_url(event, suffix=f"/updates/{update.id}/photo")).status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"happened_on": "2026-04-16"}, "Ce jour est encore à venir"),
        ({"happened_on": ""}, "Indiquez le jour"),
        ({"happened_on": "0001-01-01"}, "Ce jour précède l’événement"),
        ({"happened_on": "2026-01-07"}, "Ce jour précède l’événement"),
        ({"progress": "101"}, "de 0 à 100"),
        ({"progress": "-1"}, "de 0 à 100"),
        ({"progress": "beaucoup"}, "chiffres 0 à 9"),
        ({"progress": "9" * 400}, "trop grand"),
        ({"status": "lost"}, "Choisissez l’un des statuts de la liste"),
        ({"text": "Mis\x00 en\x1b place"}, "caractères de contrôle"),
        ({"text": "   "}, "Dites ce qui s’est passé"),
        ({"text": "x" * 4001}, "4\u202f000"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved_is_lost(
    client, event, owner, fields, message
):
    sign_in(client, owner)
    assert _post(client, event, text="Première nouvelle.", progress="30").status_code == 303
    response = _post(client, event, **fields)
    assert response.status_code == 400
    assert message in response.text, response.text
    assert _count(FollowUpUpdate) == 1
    follow_up = db.session.scalar(select(FollowUp))
    assert follow_up.progress == 30
    if "text" not in fields:
        # What was typed is still in the form.
        assert "Testé avec dix agents d’accueil" in response.text


def test_today_is_the_venues_today(client, make, monkeypatch):
    """At 22 h in Saint-Denis (18 h UTC) it is already the next day there... and an update of
    that day is not in the future."""
    event = make.event(challenges=1, ends_at=datetime(2026, 1, 10), timezone="Indian/Reunion")
    owner = owner_of(make, event, event.challenges[0].team)
    db.session.commit()
    monkeypatch.setattr("facilitate.followup.routes.utcnow", lambda: datetime(2026, 4, 14, 21, 0))
    sign_in(client, owner)
    assert _post(client, event, happened_on="2026-04-15").status_code == 303


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        ((PDF, "photo.jpg", "image/jpeg"), "n’est pas une photo JPEG, PNG ou WebP"),
        (
            (b"<html><script>alert(1)</script></html>", "photo.png", "image/png"),
            "n’est pas une photo",
        ),
        ((b"MZ\x90\x00" + b"\x00" * 100, "photo.webp", "image/webp"), "n’est pas une photo"),
        ((b"\xff\xd8\xff\xe0 not really a jpeg" * 10, "broken.jpg"), "n’a pas pu être lue"),
    ],
)
def test_a_disguised_or_damaged_photo_is_refused(client, event, owner, folder, photo, message):
    sign_in(client, owner)
    response = _post(client, event, photo=photo)
    assert response.status_code == 400
    assert message in response.text
    assert _count(FollowUpUpdate) == 0 and _count(FollowUp) == 0
    assert not folder.exists() or not list(folder.iterdir())


def test_an_oversized_photo_is_refused(client, app, event, owner, folder, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    sign_in(client, owner)
    response = _post(client, event, photo=(JPEG + b"\0" * 2048, "big.jpg"))
    assert response.status_code == 400
    assert "trop volumineux" in response.text
    assert _count(FollowUpUpdate) == 0


def test_a_photo_needs_the_consent_of_the_people_pictured(client, event, owner, folder):
    sign_in(client, owner)
    response = _post(client, event, photo=(JPEG, "a.jpg"), consent="")
    assert response.status_code == 400 and "Cochez cette case" in response.text
    assert _count(FollowUpUpdate) == 0


def test_the_database_refuses_a_progress_out_of_range(make, event):
    challenge = event.challenges[0]
    db.session.add(
        FollowUp(
            event_id=event.id,
            challenge_id=challenge.id,
            status=FollowUpStatus.TESTING,
            progress=150,
            last_update_on=date(2026, 3, 1),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_follow_up_page_runs_a_fixed_number_of_queries(
    client, make, event, count_queries, monkeypatch
):
    from facilitate.followup.services import UpdateDetails, add_update

    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)

    def fill(ev, count):
        for challenge in ev.challenges[:count]:
            for day in (1, 2):
                add_update(
                    challenge,
                    organiser,
                    UpdateDetails(date(2026, 3, day), "Nouvelles.", FollowUpStatus.DEPLOYED, 50),
                    datetime(2026, 4, 15),
                )
        db.session.commit()

    fill(event, 3)
    big = make.event(challenges=12, ends_at=event.ends_at)
    db.session.add(Membership(user=organiser, event=big, role=Role.ORGANISER))
    fill(big, 12)
    counts = []
    for ev in (event, big):
        for page in ("follow-up", "follow-up/1"):  # the event's, a challenge's
            client.get(f"/events/{ev.slug}/{page}")  # warm caches
            with count_queries() as queries:
                assert client.get(f"/events/{ev.slug}/{page}").status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:] and counts[0] == 7, counts


def test_the_page_reads_in_english_too(client, event, owner):
    sign_in(client, owner)
    _post(client, event)
    page = client.get(f"/events/{event.slug}/follow-up", headers={"Accept-Language": "en"}).text
    assert "Being tested" in page and "40%" in page and "2 March 2026" in page
    response = _post(client, event, happened_on="2026-05-01")
    english = client.post(
        _url(event),
        data={"happened_on": "2026-05-01", "text": "x", "status": "testing"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == english.status_code == 400
    assert "This day is still to come" in english.text


def test_the_timeline_written_in_python_escapes_what_people_typed(
    client, make, event, team, folder
):
    """The timeline's items are written by followup/timeline.py, not by Jinja: the text and
    the author's name arrive escaped, and each photo's links are its own update's."""
    hostile = '<img src=x onerror="alert(1)">Zoé & co'
    owner = owner_of(make, event, team, name=hostile)
    db.session.commit()
    sign_in(client, owner)
    _post(client, event, photo=(_png(), "atelier.png", "image/png"), text=hostile)
    _post(client, event, text="Sans photo", happened_on="2026-03-03")
    update = db.session.scalar(
        select(FollowUpUpdate).where(FollowUpUpdate.storage_name.is_not(None))
    )
    for page in (client.get(f"/events/{event.slug}/follow-up"), client.get(_url(event))):
        assert page.status_code == 200
        assert "<img src=x" not in page.text
        assert page.text.count("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Zoé &amp; co") >= 2
        assert f'href="{_url(event, suffix=f"/updates/{update.id}/photo")}"' in page.text
        assert f'src="{_url(event, suffix=f"/updates/{update.id}/photo/small")}"' in page.text
        assert page.text.count('class="timeline__photo"') == 1


def test_the_event_table_written_in_python_escapes_the_project_name(client, make, event, team):
    """The table's rows are written by followup/timeline.py too: the project's name arrives
    escaped, the progress and status as the challenge's page shows them."""
    hostile = '<img src=x onerror="alert(1)">Zoé & co'
    event.challenges[0].project_name = hostile
    owner = owner_of(make, event, team)
    db.session.commit()
    sign_in(client, owner)
    _post(client, event, text="Testé", progress="40")
    page = client.get(f"/events/{event.slug}/follow-up", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "<img src=x" not in page.text
    assert "Challenge 1 – &lt;img src=x onerror=&#34;alert(1)&#34;&gt;Zoé &amp; co</a>" in page.text
    assert "follow-up-progress__done--40" in page.text and " 40%</span>" in page.text
    assert page.text.count("No news yet") == 2  # challenges 2 and 3


def test_the_form_as_first_shown_follows_the_status_progress_and_day(
    client, event, owner, monkeypatch
):
    """The form is rendered once while what it shows stays the same (rendered_forms.as_shown):
    after an update it starts from the new status and progress, the next day from that day;
    refused, it shows what was sent and its error (the token put back: tests/test_csrf_tokens.py)."""
    sign_in(client, owner)
    url = _url(event)
    monkeypatch.setattr("facilitate.followup.routes.utcnow", lambda: datetime(2026, 4, 14, 9, 0))
    first = client.get(url).text
    assert 'max="2026-04-14"' in first and 'value="2026-04-14"' in first
    assert '<option selected value="testing">' in first
    assert _post(client, event, status="deployed", progress="70").status_code == 303
    page = client.get(url).text
    assert '<option selected value="deployed">' in page and 'value="70"' in page
    monkeypatch.setattr("facilitate.followup.routes.utcnow", lambda: datetime(2026, 4, 15, 9, 0))
    assert 'max="2026-04-15"' in client.get(url).text
    refused = _post(client, event, text="", progress="55")
    assert refused.status_code == 400 and 'value="55"' in refused.text
    assert "<title>Erreur" in refused.text


def test_the_form_kept_carries_each_sessions_own_token(app, make, event, team, monkeypatch):
    people = [owner_of(make, event, team) for _ in range(2)]
    db.session.commit()
    tokens = []
    for person in people:
        client = app.test_client()
        sign_in(client, person)
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
        page = client.get(_url(event)).text
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
        tokens.append(page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0])
    assert tokens[0] != tokens[1] and all(tokens)
