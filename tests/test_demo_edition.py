"""The demo's 2018 edition: Rennes in full and the five other sites, each in its own time zone
with a few challenges, run by the demo organiser as national organiser."""

from datetime import UTC
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from facilitate.demo import load_demo
from facilitate.extensions import db
from facilitate.models import Challenge, Edition, Event, NationalOrganiser
from tests.test_demo import instance  # noqa: F401  (fixture)

ZONES = {
    "Rennes": "Europe/Paris",
    "Aix-en-Provence": "Europe/Paris",
    "Cluny": "Europe/Paris",
    "La Réunion": "Indian/Reunion",
    "Martinique": "America/Martinique",
    "Strasbourg": "Europe/Paris",
}


def _sites(edition):
    return db.session.scalars(select(Event).where(Event.edition_id == edition.id)).all()


def test_the_demo_holds_the_2018_edition_with_its_six_sites(instance):  # noqa: F811
    report = load_demo(str(instance))
    edition = db.session.get(Edition, report.event.edition_id)
    assert edition.year == 2018
    sites = _sites(edition)
    by_place = {
        place: next(s for s in sites if s.name.endswith(f"{place} 2018")) for place in ZONES
    }
    assert len(sites) == 6
    rennes_day = report.event.starts_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Paris"))
    for place, site in by_place.items():
        assert site.timezone == ZONES[place]
        challenges = db.session.scalar(
            select(func.count(Challenge.id)).where(Challenge.event_id == site.id)
        )
        assert challenges == 14 if place == "Rennes" else 3 <= challenges <= 5
        local = site.starts_at.replace(tzinfo=UTC).astimezone(ZoneInfo(site.timezone))
        # The same calendar day as Rennes, at their own local morning.
        assert local.date() == rennes_day.date()
        if place != "Rennes":
            assert local.hour == 9
    assert db.session.scalar(
        select(NationalOrganiser.id).where(
            NationalOrganiser.edition_id == edition.id,
            NationalOrganiser.user_id == report.organiser.id,
        )
    )
    questions = db.session.scalars(
        select(Challenge.question).where(Challenge.event_id == by_place["Cluny"].id)
    ).all()
    assert all(q.startswith("Comment ") and q.endswith("\u00a0?") for q in questions)


def test_loading_again_changes_nothing_and_reset_loads_the_edition_again(instance, app):  # noqa: F811
    first = load_demo(str(instance))
    edition_id = first.event.edition_id
    again = load_demo(str(instance))
    assert again.event.edition_id == edition_id
    assert db.session.scalar(select(func.count(Edition.id))) == 1
    assert db.session.scalar(select(func.count(Event.id))) == 6
    reset = load_demo(str(instance), reset=True)
    assert db.session.scalar(select(func.count(Edition.id))) == 1
    assert db.session.scalar(select(func.count(Event.id))) == 6
    edition = db.session.get(Edition, reset.event.edition_id)
    assert len(_sites(edition)) == 6
    # The demo organiser opens the edition's page and each site's dashboard.
    client = app.test_client()
    password = (instance / "demo-organiser-password").read_text().strip()
    client.post("/sign-in/password", data={"email": reset.organiser.email, "password": password})
    page = client.get(f"/editions/{edition.id}")
    assert page.status_code == 200 and "La Réunion" in page.text
    # Its history: the edition, Rennes attached and the five other sites, by the demo organiser.
    history = client.get(f"/editions/{edition.id}/history").text
    assert history.count('class="history__entry"') == 7
    assert "territoriale — La Réunion 2018\u00a0»" in history and "a créé le site" in history
    for site in _sites(edition):
        assert client.get(f"/events/{site.slug}/dashboard").status_code == 200
