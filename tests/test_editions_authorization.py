"""Who may do what at the sites of an edition. Every organiser page and every action of the
app (found in its URL map, not listed by hand: a page added later is covered too) is tried at
Rennes as a site organiser of Cluny, as a national organiser of the edition, as one removed
from it and as a national organiser of another edition."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from facilitate.accounts.services import create_invitation
from facilitate.extensions import db
from facilitate.models import (
    Edition,
    Event,
    Membership,
    NationalOrganiser,
    ProgrammeSession,
    Resource,
    Role,
    SessionKind,
    Stage,
)
from facilitate.models._types import utcnow
from tests.factories import sign_in

# What fills each part of an address; {…} names an object of the world below.
_VALUES = {
    "fmt": "csv",
    "workbook_format": "xlsx",
    "stage": "framing",
    "direction": "next",
    "action": "open",
    "number": "1",
    "challenge": "1",
}


@pytest.fixture
def world(app, make):
    rennes = make.event(challenges=2, slug="rennes-site", starts_at=utcnow())
    cluny = make.event(challenges=2, slug="cluny-site", starts_at=utcnow())
    edition = Edition(name="Université d’été", year=2018)
    other_edition = Edition(name="Université d’hiver", year=2019)
    db.session.add_all([edition, other_edition])
    db.session.flush()
    rennes.edition_id = cluny.edition_id = edition.id
    rennes_organiser = make.organiser(rennes, password=None, name="Rose Rennes")
    cluny_organiser = make.organiser(cluny, password=None, name="Claude Cluny")
    national = make.user(name="Nadia Nationale", email_confirmed_at=utcnow())
    removed = make.user(name="Rémi Retiré", email_confirmed_at=utcnow())
    elsewhere = make.user(name="Élise Ailleurs", email_confirmed_at=utcnow())
    db.session.add_all(
        [
            NationalOrganiser(edition_id=edition.id, user_id=national.id),
            NationalOrganiser(edition_id=edition.id, user_id=removed.id),
            NationalOrganiser(edition_id=other_edition.id, user_id=elsewhere.id),
        ]
    )
    participant = make.participant(rennes, team=rennes.challenges[0].team, name="Paul Participant")
    session = ProgrammeSession(
        event_id=rennes.id,
        kind=SessionKind(list(SessionKind)[0]),
        title="Plénière",
        starts_at=utcnow(),
        ends_at=utcnow() + timedelta(hours=1),
    )
    resource = Resource(
        event_id=rennes.id,
        grouping="Méthodes",
        title="Cadrer un défi",
        body_markdown="Lire le défi.",
        body_html="<p>Lire le défi.</p>",
    )
    db.session.add_all([session, resource])
    db.session.flush()
    invitation = create_invitation(
        rennes, Role.ORGANISER, "invitee@example.org", "Ina Invitée", rennes_organiser
    ).invitation
    db.session.flush()
    # Removed: the row that made them a national organiser is gone.
    db.session.execute(delete(NationalOrganiser).where(NationalOrganiser.user_id == removed.id))
    db.session.commit()
    ids = {
        "slug": rennes.slug,
        "user_id": str(participant.id),
        "invitation_id": str(invitation.id),
        "session_id": str(session.id),
        "resource_id": str(resource.id),
        "edition_id": str(edition.id),
    }
    return {
        "rennes": rennes,
        "cluny": cluny,
        "edition": edition,
        "ids": ids,
        "rennes organiser": rennes_organiser,
        "cluny organiser": cluny_organiser,
        "national": national,
        "removed national": removed,
        "national of another edition": elsewhere,
    }


def _addresses(app, ids, prefix, methods):
    """Every address of the app under ``prefix``, for these methods, filled with the world's
    objects; an address naming an object the world lacks gets an id nobody has."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefix):
            continue
        values = {name: ids.get(name) or _VALUES.get(name) or "999999" for name in rule.arguments}
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<{name}>", value)
            for converter in ("int", "any(open, close)"):
                path = path.replace(f"<{converter}:{name}>", value)
        for method in sorted(rule.methods & methods):
            found.append((method, path))
    return sorted(set(found))


def _public(edition_id) -> str:
    """The one page of an edition open to anyone: its showcase."""
    return f"/editions/{edition_id}/showcase"


def _client(app, person):
    client = app.test_client()
    if person is not None:
        sign_in(client, person)
    return client


def _ask(client, method, path):
    return client.open(path, method=method, data={}).status_code


def _organiser_pages(app, world):
    """Rennes's pages its own organiser opens and an anonymous visitor may not."""
    anonymous, organiser = _client(app, None), _client(app, world["rennes organiser"])
    pages = []
    for method, path in _addresses(app, world["ids"], "/events/<slug>", {"GET"}):
        if _ask(anonymous, method, path) in (302, 403) and _ask(organiser, method, path) == 200:
            pages.append(path)
    return pages


def test_a_site_organiser_of_cluny_gets_403_on_everything_of_rennes(app, world):
    anonymous = _client(app, None)
    cluny = _client(app, world["cluny organiser"])
    tried, answers = 0, {}
    for method, path in _addresses(app, world["ids"], "/events/<slug>", {"GET", "POST"}):
        if _ask(anonymous, method, path) not in (302, 403):
            continue  # public: the event page, its challenges, its programme
        tried += 1
        status = _ask(cluny, method, path)
        if status != 403:
            answers[(method, path)] = status
    assert answers == {}
    assert tried > 80
    # Nor anything of the edition but its room screen, projected in every site's plenary
    # (it names nobody), and its showcase, public as each site's is.
    edition_id = world["ids"]["edition_id"]
    for method, path in _addresses(
        app, world["ids"], "/editions/<int:edition_id>", {"GET", "POST"}
    ):
        seen = (f"/editions/{edition_id}/room", _public(edition_id))
        expected = 200 if path.startswith(seen) else 403
        assert _ask(cluny, method, path) == expected, path
    assert world["edition"].name not in cluny.get("/editions").text
    hub = cluny.get(f"/events/{world['cluny'].slug}/organise").text
    assert f'/editions/{edition_id}"' not in hub


def test_a_national_organiser_opens_every_organiser_page_of_every_site(app, world):
    pages = _organiser_pages(app, world)
    assert len(pages) > 30
    national = _client(app, world["national"])
    refused = [path for path in pages if _ask(national, "GET", path) != 200]
    # A copy is a new event: it needs the platform's right to create events, which a
    # national organiser does not have for being one.
    assert refused == [f"/events/{world['rennes'].slug}/clone"]
    edition_id = world["ids"]["edition_id"]
    for method, path in _addresses(app, world["ids"], "/editions/<int:edition_id>", {"GET"}):
        assert _ask(national, method, path) == 200, path
    edition = national.get(f"/editions/{edition_id}")
    assert world["rennes"].name in edition.text and world["cluny"].name in edition.text


def test_a_national_organiser_changes_a_site_as_its_organisers_do(app, world):
    national = _client(app, world["national"])
    rennes = world["rennes"]
    response = national.post(f"/events/{rennes.slug}/dashboard/stage/next")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, rennes.id).stage == Stage.IDEATION


@pytest.mark.parametrize("who", ["removed national", "national of another edition"])
def test_a_removed_national_organiser_and_one_of_another_edition_get_nothing(app, world, who):
    person = _client(app, world[who])
    pages = _organiser_pages(app, world)
    opened = [path for path in pages if _ask(person, "GET", path) != 403]
    assert opened == []
    edition_id = world["ids"]["edition_id"]
    for method, path in _addresses(
        app, world["ids"], "/editions/<int:edition_id>", {"GET", "POST"}
    ):
        expected = 200 if path.startswith(_public(edition_id)) else 403
        assert _ask(person, method, path) == expected, path
    stage = world["rennes"].stage
    assert _ask(person, "POST", f"/events/{world['rennes'].slug}/dashboard/stage/next") == 403
    db.session.expire_all()
    assert db.session.get(Event, world["rennes"].id).stage == stage


def test_a_site_organiser_does_not_become_national_by_organising_a_site(app, world):
    rennes_organiser = world["rennes organiser"]
    assert (
        db.session.scalar(
            select(Membership.id).where(
                Membership.user_id == rennes_organiser.id, Membership.role == Role.ORGANISER
            )
        )
        is not None
    )
    client = _client(app, rennes_organiser)
    assert client.get(f"/editions/{world['ids']['edition_id']}").status_code == 403
    assert client.get(f"/events/{world['cluny'].slug}/organise").status_code == 403


def test_a_badge_code_never_carries_the_national_rights_of_its_person(app, world, make):
    """A national organiser who also attends Rennes, signed in with the code on their badge,
    is an attendee there and nothing more."""
    national = world["national"]
    make.join(world["rennes"], national)
    db.session.commit()
    badge = app.test_client()
    sign_in(badge, national, world["rennes"])
    rennes, cluny = world["rennes"].slug, world["cluny"].slug
    assert badge.get(f"/events/{rennes}/organise").status_code == 403
    assert badge.get(f"/events/{cluny}/organise").status_code == 403
    assert badge.get(f"/editions/{world['ids']['edition_id']}").status_code == 403
    assert badge.get(f"/editions/{world['ids']['edition_id']}/room").status_code == 403
