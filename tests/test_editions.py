"""Editions and their sites, as national organisers run them: create an edition and its sites,
appoint site organisers by invitation, attach and take out events, appoint and remove national
organisers. Bad input changes nothing and says why."""

import re

import pytest
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import (
    Edition,
    Event,
    Invitation,
    Membership,
    NationalOrganiser,
    Role,
)
from facilitate.models._types import utcnow
from tests.factories import sign_in
from tests.test_organise_events import EVENT_FORM


def _national(make, edition, **fields):
    person = make.user(email_confirmed_at=utcnow(), **fields)
    db.session.add(NationalOrganiser(edition_id=edition.id, user_id=person.id))
    db.session.flush()
    return person


@pytest.fixture
def edition(make):
    edition = Edition(name="Université d’été", year=2018)
    db.session.add(edition)
    db.session.flush()
    return edition


def _signed_in(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def _count(model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_a_platform_organiser_creates_an_edition_and_runs_it(app, make):
    creator = make.user(is_organiser=True, email_confirmed_at=utcnow())
    client = _signed_in(app, creator)
    assert "/editions" in client.get("/").text
    response = client.post(
        "/editions/new",
        data={"name": "Université d’été", "year": "2018", "description": "Six sites."},
    )
    assert response.status_code == 303
    edition = db.session.scalar(select(Edition).where(Edition.year == 2018))
    assert response.headers["Location"].endswith(f"/editions/{edition.id}")
    assert _count(NationalOrganiser, NationalOrganiser.user_id == creator.id) == 1
    page = client.get(f"/editions/{edition.id}")
    assert "Université d’été 2018" in page.text
    assert "Créer un site" in page.text
    # The form sent again (a double tap) is the same edition, not a second one.
    again = client.post(
        "/editions/new",
        data={"name": "Université d’été", "year": "2018", "description": "Six sites."},
    )
    assert again.headers["Location"].endswith(f"/editions/{edition.id}")
    assert _count(Edition) == 1
    # Another year is another edition.
    client.post("/editions/new", data={"name": "Université d’été", "year": "2019"})
    assert _count(Edition) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "year": "2018"}, "Donnez un nom à l’édition."),
        ({"name": "Été", "year": "1818"}, "Donnez une année entre 2000 et 2099."),
        ({"name": "Été", "year": "deux mille"}, "Saisissez un nombre entier"),
        ({"name": "Été", "year": "9" * 400}, "Ce nombre est trop grand."),
    ],
)
def test_a_bad_edition_is_refused_with_a_message_and_nothing_created(app, make, data, message):
    client = _signed_in(app, make.user(is_organiser=True, email_confirmed_at=utcnow()))
    response = client.post("/editions/new", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert _count(Edition) == 0


def test_only_who_may_create_events_creates_editions(app, make):
    client = _signed_in(app, make.organiser(make.event(), password=None, is_organiser=False))
    assert client.get("/editions/new").status_code == 403
    assert client.post("/editions/new", data={"name": "É", "year": "2018"}).status_code == 403
    assert _count(Edition) == 0
    assert "/editions" not in client.get("/").text


def test_a_national_organiser_creates_a_site_and_invites_its_organiser(app, make, edition):
    national = _national(make, edition)
    client = _signed_in(app, national)
    assert "Nouveau site" in client.get(f"/editions/{edition.id}/sites/new").text
    response = client.post(f"/editions/{edition.id}/sites/new", data=EVENT_FORM)
    assert response.status_code == 303
    site = db.session.scalar(select(Event).where(Event.slug == EVENT_FORM["slug"]))
    assert site.edition_id == edition.id and site.timezone == "Indian/Reunion"
    # They organise it as national organisers, not as its own organiser.
    assert _count(Membership, Membership.event_id == site.id) == 0
    assert response.headers["Location"].endswith(f"/events/{site.slug}/organise/invitations")
    response = client.post(
        f"/events/{site.slug}/organise/invitations",
        data={"role": "organiser", "email": "site@example.org", "name": "Sandrine Site"},
    )
    assert response.status_code == 303
    invitation = db.session.scalar(select(Invitation).where(Invitation.event_id == site.id))
    assert (invitation.email, invitation.role) == ("site@example.org", Role.ORGANISER)
    link = re.search(
        r"https?://[^\s\"<]+/invitations/[^\s\"<]+", client.get(response.headers["Location"]).text
    )
    assert link is not None
    page = client.get(f"/editions/{edition.id}")
    assert site.name in page.text and "Indian/Reunion" in page.text
    history = client.get(f"/events/{site.slug}/history").text
    assert "a créé cet événement comme site de l’édition «\u00a0Université d’été\u00a0»" in history


def test_a_site_with_a_taken_identifier_is_refused_and_nothing_created(app, make, edition):
    make.event(slug=EVENT_FORM["slug"])
    client = _signed_in(app, _national(make, edition))
    response = client.post(f"/editions/{edition.id}/sites/new", data=EVENT_FORM)
    assert response.status_code == 400
    assert "Un autre événement utilise déjà cet identifiant." in response.text
    assert _count(Event, Event.edition_id == edition.id) == 0


def test_a_national_organiser_attaches_an_event_they_organise_and_only_those(app, make, edition):
    national = _national(make, edition)
    theirs, others = make.event(name="Atelier de Cluny"), make.event(name="Atelier d’ailleurs")
    db.session.add(Membership(user_id=national.id, event_id=theirs.id, role=Role.ORGANISER))
    db.session.commit()
    client = _signed_in(app, national)
    page = client.get(f"/editions/{edition.id}").text
    assert "Atelier de Cluny" in page and "Atelier d’ailleurs" not in page
    refused = client.post(f"/editions/{edition.id}/sites", data={"event": str(others.id)})
    assert refused.status_code == 400
    for bad in ("", "abc", "9" * 300):
        assert client.post(f"/editions/{edition.id}/sites", data={"event": bad}).status_code == 400
    response = client.post(f"/editions/{edition.id}/sites", data={"event": str(theirs.id)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, theirs.id).edition_id == edition.id
    assert db.session.get(Event, others.id).edition_id is None


def test_a_site_without_its_own_organiser_stays_in_the_edition(app, make, edition):
    national = _national(make, edition)
    lonely, organised = make.event(edition_id=edition.id), make.event(edition_id=edition.id)
    make.organiser(organised, password=None)
    db.session.commit()
    client = _signed_in(app, national)
    response = client.post(
        f"/editions/{edition.id}/sites/{lonely.slug}/detach", follow_redirects=True
    )
    assert "Ce site n’a pas d’organisateur ou d’organisatrice à lui" in response.text
    client.post(f"/editions/{edition.id}/sites/{organised.slug}/detach")
    db.session.expire_all()
    assert db.session.get(Event, lonely.id).edition_id == edition.id
    assert db.session.get(Event, organised.id).edition_id is None
    assert client.post(f"/editions/{edition.id}/sites/{organised.slug}/detach").status_code == 404


def test_the_last_site_organiser_may_leave_a_site_the_national_organisers_run(app, make, edition):
    site = make.event(edition_id=edition.id)
    alone = make.organiser(site, password=None)
    lone_event = make.event()
    lone = make.organiser(lone_event, password=None)
    db.session.commit()
    response = _signed_in(app, alone).post(
        f"/events/{site.slug}/organise/organisers/{alone.id}/remove"
    )
    assert response.status_code == 303
    assert _count(Membership, Membership.event_id == site.id) == 0
    _signed_in(app, lone).post(f"/events/{lone_event.slug}/organise/organisers/{lone.id}/remove")
    assert _count(Membership, Membership.event_id == lone_event.id) == 1


def test_national_organisers_are_appointed_among_site_organisers_and_never_all_removed(
    app, make, edition
):
    national = _national(make, edition, name="Nadia Nationale")
    site = make.event(edition_id=edition.id)
    colleague = make.organiser(site, name="Sami Site")
    stranger = make.user(name="Inconnu", password="correct horse battery")
    db.session.commit()
    client = _signed_in(app, national)
    assert "Sami Site" in client.get(f"/editions/{edition.id}").text
    assert (
        client.post(
            f"/editions/{edition.id}/national-organisers", data={"user_id": str(stranger.id)}
        ).status_code
        == 400
    )
    response = client.post(
        f"/editions/{edition.id}/national-organisers", data={"user_id": str(colleague.id)}
    )
    assert response.status_code == 303
    assert _count(NationalOrganiser, NationalOrganiser.edition_id == edition.id) == 2
    # The colleague removes the first national organiser, then cannot remove themselves.
    other = _signed_in(app, colleague)
    other.post(f"/editions/{edition.id}/national-organisers/{national.id}/remove")
    assert _count(NationalOrganiser, NationalOrganiser.edition_id == edition.id) == 1
    response = other.post(
        f"/editions/{edition.id}/national-organisers/{colleague.id}/remove", follow_redirects=True
    )
    assert "Une édition garde toujours au moins" in response.text
    assert _count(NationalOrganiser, NationalOrganiser.edition_id == edition.id) == 1
    # The removed one has lost the edition and its sites at once, in the session they had.
    assert client.get(f"/editions/{edition.id}").status_code == 403
    assert client.get(f"/events/{site.slug}/organise").status_code == 403


def test_the_edition_page_runs_a_fixed_number_of_queries(app, make, edition, count_queries):
    national = _national(make, edition)
    client = _signed_in(app, national)

    def add_sites(n):
        for _ in range(n):
            site = make.event(edition_id=edition.id, challenges=1)
            make.organiser(site, password=None)
        db.session.commit()

    add_sites(1)
    client.get(f"/editions/{edition.id}")
    with count_queries() as few:
        assert client.get(f"/editions/{edition.id}").status_code == 200
    add_sites(6)
    with count_queries() as many:
        assert client.get(f"/editions/{edition.id}").status_code == 200
    assert len(many) == len(few)


def test_a_site_organiser_sees_the_edition_name_but_not_its_pages(app, make, edition):
    site = make.event(edition_id=edition.id)
    organiser = make.organiser(site, password=None)
    db.session.commit()
    client = _signed_in(app, organiser)
    hub = client.get(f"/events/{site.slug}/organise").text
    assert f'/editions/{edition.id}"' not in hub and f"/editions/{edition.id}/room" in hub
    page = client.get(f"/events/{site.slug}/organise/invitations").text
    assert "Université d’été" in page
    assert client.get(f"/editions/{edition.id}").status_code == 403


def test_two_organisers_appointing_the_same_person_at_once_get_a_message_not_an_error(
    app, make, edition, monkeypatch
):
    """The second appointment, read before the first was written, meets the unique row: a
    message beside the field, and the first appointment stands."""
    from facilitate.domain import DomainError
    from facilitate.editions import services

    site = make.event(edition_id=edition.id)
    colleague = make.organiser(site, name="Sami Site")
    db.session.add(NationalOrganiser(edition_id=edition.id, user_id=colleague.id))
    db.session.flush()
    # As the second request saw the list: the colleague not yet appointed.
    monkeypatch.setattr(services, "national_candidates", lambda edition: [colleague])
    with (
        app.test_request_context(headers={"Accept-Language": "fr"}),
        pytest.raises(DomainError) as refused,
    ):
        services.appoint_national_organiser(edition, colleague.id, colleague)
    assert refused.value.field == "user_id"
    assert "déjà" in refused.value.message
    assert _count(NationalOrganiser, NationalOrganiser.edition_id == edition.id) == 1
