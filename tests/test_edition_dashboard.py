"""The national dashboard: every site's stage, teams and their checklists, attendees, ballots
and photos, each site's local time beside Paris time; live through the same poll as a site's
dashboard, and a fixed number of queries whatever the number of sites and teams."""

import re
from datetime import datetime

import pytest

from facilitate.dashboard import services as dashboard_services
from facilitate.extensions import db
from facilitate.models import Ballot, Edition, NationalOrganiser, PrototypeFile, Stage, _types
from facilitate.models._types import utcnow
from tests.factories import sign_in


@pytest.fixture
def edition(make):
    edition = Edition(name="Université d’été", year=2018)
    db.session.add(edition)
    db.session.flush()
    return edition


@pytest.fixture
def national(app, make, edition):
    person = make.user(email_confirmed_at=utcnow())
    db.session.add(NationalOrganiser(edition_id=edition.id, user_id=person.id))
    db.session.commit()
    client = app.test_client()
    sign_in(client, person)
    return client


def _site(make, edition, name, timezone, teams=2, people=2):
    site = make.event(challenges=teams, name=name, timezone=timezone, edition_id=edition.id)
    for i in range(people):
        make.participant(site, team=site.challenges[i % teams].team if teams else None)
    return site


def _rendered_afresh():
    """The fragments are rendered once per ETag and minute: count the queries of a render."""
    dashboard_services._rendered.clear()


def _photo(team, n):
    db.session.add(
        PrototypeFile(
            team_id=team.id,
            original_name=f"photo-{n}.jpg",
            content_type="image/jpeg",
            size_bytes=10,
            storage_name=f"photo-{team.id}-{n}",
            is_photo=True,
            consent_confirmed=True,
        )
    )


def test_each_site_shows_its_stage_teams_people_ballots_photos_and_local_time(
    national, make, edition, monkeypatch
):
    # 08:30 UTC: 10 h 30 in Paris (summer), 12 h 30 in La Réunion, 4 h 30 in Martinique.
    monkeypatch.setattr(_types, "utcnow", lambda: datetime(2018, 7, 10, 8, 30))
    reunion = _site(make, edition, "La Réunion", "Indian/Reunion", teams=2, people=3)
    martinique = _site(make, edition, "Martinique", "America/Martinique", teams=1, people=1)
    reunion.stage = Stage.PROTOTYPING
    reunion.challenges[0].team.stage = Stage.PROTOTYPING
    reunion.challenges[0].team.working_question = "Comment prévenir chaque îlet ?"
    _photo(reunion.challenges[0].team, 1)
    _photo(reunion.challenges[0].team, 2)
    db.session.add(Ballot(event_id=reunion.id, user_id=make.participant(reunion).id))
    db.session.commit()
    page = national.get(f"/editions/{edition.id}/dashboard")
    assert page.status_code == 200
    text = page.text
    assert "Heure de Paris\u00a0:" in text and "10\u00a0h\u00a030" in text
    reunion_part = text[
        text.index(f'<section class="panel" aria-labelledby="site-{reunion.id}"') : text.index(
            f'<section class="panel" aria-labelledby="site-{martinique.id}"'
        )
    ]
    assert "12\u00a0h\u00a030" in reunion_part and "Indian/Reunion" in reunion_part
    assert 'data-stage="prototyping"' in reunion_part
    assert "Photos déposées</dt><dd>2</dd>" in reunion_part
    assert "Bulletins déposés</dt><dd>1</dd>" in reunion_part
    assert "Participants</dt><dd>4</dd>" in reunion_part  # the voter among them
    # The framing team is behind the site, which is at prototyping; the overview counts it.
    assert reunion_part.count("En retard sur le site") == 1
    assert "1 en retard" in text
    martinique_part = text[text.index(f'aria-labelledby="site-{martinique.id}"') :]
    assert "4\u00a0h\u00a030" in martinique_part


def test_the_poll_answers_304_until_a_site_changes_or_someone_votes(national, make, edition):
    reunion = _site(make, edition, "La Réunion", "Indian/Reunion")
    cluny = _site(make, edition, "Cluny", "Europe/Paris")
    db.session.commit()
    url = f"/editions/{edition.id}/dashboard/sites"
    first = national.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache, private"
    assert national.get(url, headers={"If-None-Match": etag}).status_code == 304
    # A team moves on at Cluny: the national dashboard hears of it.
    cluny.challenges[0].team.stage = Stage.IDEATION
    db.session.commit()
    moved = national.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["ETag"] != etag
    etag = moved.headers["ETag"]
    # A ballot at La Réunion (which no site dashboard shows) changes it too.
    db.session.add(Ballot(event_id=reunion.id, user_id=make.participant(reunion).id))
    db.session.commit()
    voted = national.get(url, headers={"If-None-Match": etag})
    assert voted.status_code == 200 and voted.headers["ETag"] != etag


def test_the_dashboard_and_its_poll_run_a_fixed_number_of_queries(
    national, make, edition, count_queries
):
    url = f"/editions/{edition.id}/dashboard"
    _site(make, edition, "Rennes", "Europe/Paris", teams=1, people=1)
    db.session.commit()
    national.get(url)
    _rendered_afresh()
    with count_queries() as few:
        assert national.get(url).status_code == 200
    _rendered_afresh()
    with count_queries() as few_polls:
        assert national.get(f"{url}/sites").status_code == 200
    for name, zone in [("Cluny", "Europe/Paris"), ("Martinique", "America/Martinique")]:
        site = _site(make, edition, name, zone, teams=5, people=8)
        _photo(site.challenges[1].team, 1)
        db.session.add(Ballot(event_id=site.id, user_id=make.participant(site).id))
    db.session.commit()
    _rendered_afresh()
    with count_queries() as many:
        assert national.get(url).status_code == 200
    _rendered_afresh()
    with count_queries() as many_polls:
        assert national.get(f"{url}/sites").status_code == 200
    assert len(many) == len(few)
    assert len(many_polls) == len(few_polls)
    etag = national.get(f"{url}/sites").headers["ETag"]
    with count_queries() as unchanged:
        assert national.get(f"{url}/sites", headers={"If-None-Match": etag}).status_code == 304
    assert len(unchanged) <= 3


def test_the_edition_page_leads_to_the_national_dashboard(national, edition):
    assert f"/editions/{edition.id}/dashboard" in national.get(f"/editions/{edition.id}").text


def test_the_national_room_screen_shows_every_site_to_their_organisers(app, make, edition):
    reunion = _site(make, edition, "La Réunion", "Indian/Reunion")
    reunion.venue = "Saint-Denis de La Réunion"
    organiser = make.organiser(reunion, password=None)
    attendee = make.participant(reunion)
    db.session.commit()
    client = app.test_client()
    sign_in(client, organiser)
    page = client.get(f"/editions/{edition.id}/room")
    assert page.status_code == 200
    assert "Saint-Denis de La Réunion" in page.text and 'data-stage="framing"' in page.text
    poll = client.get(f"/editions/{edition.id}/room/sites")
    assert poll.status_code == 200
    assert (
        client.get(
            f"/editions/{edition.id}/room/sites", headers={"If-None-Match": poll.headers["ETag"]}
        ).status_code
        == 304
    )
    # Not for an attendee's badge code, nor for anyone signed out.
    badge = app.test_client()
    sign_in(badge, attendee)
    assert badge.get(f"/editions/{edition.id}/room").status_code == 403
    assert app.test_client().get(f"/editions/{edition.id}/room").status_code == 302


def test_the_room_screen_its_poll_and_the_editions_page_run_a_fixed_number_of_queries(
    national, make, edition, count_queries
):
    url = f"/editions/{edition.id}/room"
    _site(make, edition, "Rennes", "Europe/Paris", teams=1, people=1)
    db.session.commit()
    pages = [url, f"{url}/sites", "/editions"]
    for page in pages:
        national.get(page)

    def counts():
        found = []
        for page in pages:
            _rendered_afresh()
            with count_queries() as queries:
                assert national.get(page).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    person = db.session.scalar(
        db.select(NationalOrganiser.user_id).where(NationalOrganiser.edition_id == edition.id)
    )
    for name, zone in [("Cluny", "Europe/Paris"), ("Martinique", "America/Martinique")]:
        site = _site(make, edition, name, zone, teams=5, people=8)
        _photo(site.challenges[1].team, 1)
        db.session.add(Ballot(event_id=site.id, user_id=make.participant(site).id))
        other = Edition(name=f"Édition de {name}", year=2019)
        db.session.add(other)
        db.session.flush()
        db.session.add(NationalOrganiser(edition_id=other.id, user_id=person))
    db.session.commit()
    assert counts() == few
    etag = national.get(f"{url}/sites").headers["ETag"]
    with count_queries() as unchanged:
        assert national.get(f"{url}/sites", headers={"If-None-Match": etag}).status_code == 304
    assert len(unchanged) <= 3


def _without_tokens(page: str) -> str:
    return re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", page)


def test_a_fragment_rendered_once_serves_the_next_page_until_something_changes(
    national, make, edition, count_queries
):
    url = f"/editions/{edition.id}/dashboard"
    site = _site(make, edition, "Rennes", "Europe/Paris", teams=2, people=2)
    db.session.commit()
    _rendered_afresh()
    first = _without_tokens(national.get(url).text)
    with count_queries() as again:
        # The same page but its CSRF tokens, which carry the second they were signed.
        assert _without_tokens(national.get(url).text) == first
    assert len(again) <= 5
    site.challenges[0].team.stage = Stage.IDEATION
    db.session.commit()
    assert f'data-stage="{Stage.IDEATION.value}"' not in first
    assert f'data-stage="{Stage.IDEATION.value}"' in national.get(url).text
