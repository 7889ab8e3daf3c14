"""Who may do what with the national jury: a juror scores and reads the nominees' work, and
nothing else of the sites; a juror of another edition, a site organiser, a removed juror and
the people of another site or edition get 403 and change nothing."""

from facilitate.extensions import db
from facilitate.models import Edition, Juror, JuryCriterion, JuryScore, Nomination, PrototypeFile
from tests import test_editions, test_jury
from tests.test_jury import (
    _client,
    _count,
    _criteria,
    _juror,
    _national,
    _nominate,
    _scores,
    _site,
    _site_organiser,
)
from tests.test_workspace_prototyping import PNG

edition = test_jury.edition  # the fixture


def test_a_juror_of_another_edition_a_site_organiser_and_a_removed_juror_cannot_score(
    app, make, edition
):
    national = _national(make, edition)
    site = _site(make, edition, "Rennes")
    nomination = _nominate(edition, site, 0)
    other = Edition(name="Autre", year=2019)
    db.session.add(other)
    db.session.flush()
    stranger = _juror(make, other)
    organiser = _site_organiser(make, site)
    removed = _juror(make, edition)
    db.session.commit()
    _client(app, national).get(f"/editions/{edition.id}/jury")
    criteria = _criteria(edition)
    removing = _client(app, national).post(
        f"/editions/{edition.id}/jury/jurors/{removed.id}/remove"
    )
    assert removing.status_code == 303
    for person in (stranger, organiser, removed):
        client = _client(app, person)
        assert client.get(f"/editions/{edition.id}/jury/score").status_code == 403
        response = client.post(
            f"/editions/{edition.id}/jury/score/{nomination.id}",
            data=_scores(criteria, nomination, [5] * 5),
        )
        assert response.status_code == 403
    # National organisers follow the nominees without scoring them, unless jurors too.
    following = _client(app, national)
    assert "seuls ses membres notent" in following.get(f"/editions/{edition.id}/jury/score").text
    response = following.post(
        f"/editions/{edition.id}/jury/score/{nomination.id}",
        data=_scores(criteria, nomination, [5] * 5),
    )
    assert response.status_code == 403
    assert _count(JuryScore) == 0
    # Nor do they manage the jury.
    assert _client(app, organiser).get(f"/editions/{edition.id}/jury").status_code == 403


def test_a_juror_sees_nothing_else_of_the_sites(app, make, edition):
    site = _site(make, edition, "Rennes")
    juror = _juror(make, edition)
    db.session.commit()
    client = _client(app, juror)
    assert client.get(f"/events/{site.slug}/organise").status_code == 403
    assert client.get(f"/events/{site.slug}/jury/nominations").status_code == 403
    assert client.get(f"/editions/{edition.id}").status_code == 403
    number = site.challenges[0].number
    assert client.get(f"/events/{site.slug}/teams/{number}/workspace").status_code == 403


def test_a_juror_reads_the_nominees_public_photos_and_no_other_file(app, make, edition):
    """Jurors come from outside the event: a photo its people agreed to share within the event
    only is not theirs to see, on the scoring page or by its address."""
    site = _site(make, edition, "Rennes")
    nominated, other = site.challenges[0].team, site.challenges[1].team
    _nominate(edition, site, 0)
    juror = _juror(make, edition)
    photos = {}
    # (is a photo with its uploader's word on consent, agreed to be public)
    for name, team, consent, public in [
        ("public", nominated, True, True),
        ("within the event", nominated, True, False),
        ("a document", nominated, False, False),
        ("not nominated", other, True, True),
    ]:
        photos[name] = PrototypeFile(
            team_id=team.id,
            original_name="photo.png",
            content_type="image/png",
            size_bytes=len(PNG),
            storage_name=f"{team.id:08x}{len(photos):024x}.png",
            is_photo=consent,
            consent_confirmed=consent,
            public_consent=public,
        )
        db.session.add(photos[name])
    db.session.commit()
    client = _client(app, juror)
    page = client.get(f"/editions/{edition.id}/jury/score").text
    path = "/events/{slug}/teams/{number}/workspace/files/{id}"

    def status(name, team):
        url = path.format(slug=site.slug, number=team.challenge.number, id=photos[name].id)
        assert (url in page) == (name == "public")
        return client.get(url).status_code

    assert status("within the event", nominated) == 403
    assert status("a document", nominated) == 403
    assert status("not nominated", other) == 403
    assert status("public", nominated) != 403  # allowed (the file is not on disk here)


def test_people_of_another_site_or_edition_change_nothing_of_the_jury(app, make, edition):
    rennes, cluny = _site(make, edition, "Rennes"), _site(make, edition, "Cluny")
    cluny_organiser = _site_organiser(make, cluny)
    other = Edition(name="Autre", year=2019)
    db.session.add(other)
    db.session.flush()
    other_national = test_editions._national(make, other)
    juror = _juror(make, edition)
    nomination = _nominate(edition, rennes, 0)
    db.session.commit()
    criterion_url = f"/editions/{edition.id}/jury/criteria"
    writes = [
        (f"/events/{rennes.slug}/jury/nominations", {"team": rennes.challenges[1].team.id}),
        (f"/events/{rennes.slug}/jury/nominations/{nomination.id}/withdraw", {}),
        (criterion_url, {"name": "Coût"}),
        (f"/editions/{edition.id}/jury/jurors", {"email": cluny_organiser.email}),
        (f"/editions/{edition.id}/jury/jurors/{juror.id}/remove", {}),
        (f"/editions/{edition.id}/jury/reveal", {}),
    ]
    for person in (cluny_organiser, other_national, juror):
        client = _client(app, person)
        assert client.get(f"/events/{rennes.slug}/jury/nominations").status_code == 403
        assert client.get(f"/editions/{edition.id}/jury").status_code == 403
        for url, data in writes:
            assert client.post(url, data=data).status_code == 403, (person, url)
    db.session.expire_all()
    assert _count(Nomination) == 1 and _count(Juror) == 1
    assert _count(JuryCriterion, JuryCriterion.name == "Coût") == 0
    assert db.session.get(Edition, edition.id).jury_revealed_at is None


def test_a_site_that_leaves_the_edition_takes_its_nominees_from_the_jury(app, make, edition):
    """Once detached, a site is none of the edition's business: its jurors, whom national
    organisers appoint freely, must no longer read its teams' photos."""
    national = _client(app, _national(make, edition))
    site = _site(make, edition, "Rennes")
    _site_organiser(make, site)
    nominated = site.challenges[0].team
    _nominate(edition, site, 0)
    juror = _juror(make, edition)
    photo = PrototypeFile(
        team_id=nominated.id,
        original_name="photo.png",
        content_type="image/png",
        size_bytes=len(PNG),
        storage_name=f"{nominated.id:08x}{0:024x}.png",
        is_photo=True,
        consent_confirmed=True,
        public_consent=True,
    )
    db.session.add(photo)
    db.session.commit()
    url = f"/events/{site.slug}/teams/{nominated.challenge.number}/workspace/files/{photo.id}"
    client = _client(app, juror)
    assert client.get(url).status_code != 403

    assert national.post(f"/editions/{edition.id}/sites/{site.slug}/detach").status_code == 303
    assert _count(Nomination) == 0
    assert url not in client.get(f"/editions/{edition.id}/jury/score").text
    assert client.get(url).status_code == 403
