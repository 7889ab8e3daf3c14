"""Organisers create, edit and copy events in the browser; nobody else can."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import (
    AuditEntry,
    Challenge,
    Event,
    Membership,
    PlannedStage,
    ProgrammeSession,
    Role,
    SessionKind,
    Stage,
    Theme,
)
from facilitate.models._types import utc_from_local
from tests.factories import sign_in


@pytest.fixture
def organiser_client(client, make):
    event = make.event(
        challenges=3,
        themes=2,
        name="Atelier de Rennes",
        starts_at=utc_from_local(datetime(2026, 7, 6, 9), "Europe/Paris"),
        ends_at=utc_from_local(datetime(2026, 7, 8, 17), "Europe/Paris"),
    )
    organiser = make.organiser(event, email="orga@example.org", is_organiser=True)
    sign_in(client, organiser)
    client.event, client.organiser = event, organiser
    return client


EVENT_FORM = {
    "name": "Atelier de La Réunion",
    "slug": "reunion-2026",
    "venue": "Saint-Denis",
    "timezone": "Indian/Reunion",
    "starts_at": "2026-07-06T08:30",
    "ends_at": "2026-07-08T17:00",
    "description": "Trois jours.",
    "framing_at": "2026-07-06T09:00",
    "ideation_at": "2026-07-06T14:00",
    "prototyping_at": "",
    "exhibition_at": "2026-07-08T14:00",
    "themes-0-id": "",
    "themes-0-name": "Mobilités",
    "themes-0-colour": "#9a3412",
}


def test_organiser_creates_an_event_in_its_own_time_zone(organiser_client):
    response = organiser_client.post("/events/new", data=EVENT_FORM)
    assert response.status_code == 303
    event = db.session.scalar(select(Event).where(Event.slug == "reunion-2026"))
    # 08:30 in La Réunion (UTC+4) is 04:30 UTC.
    assert event.starts_at == datetime(2026, 7, 6, 4, 30)
    assert [t.name for t in event.themes] == ["Mobilités"]
    assert {p.stage: p.starts_at.hour for p in event.planned_stages} == {
        Stage.FRAMING: 5,
        Stage.IDEATION: 10,
        Stage.EXHIBITION: 10,
    }
    roles = db.session.scalars(
        select(Membership.role).where(
            Membership.event_id == event.id, Membership.user_id == organiser_client.organiser.id
        )
    ).all()
    assert roles == [Role.ORGANISER]
    # Everyone sees Réunion time, whatever their own.
    page = organiser_client.get(f"/events/{event.slug}/edit").text
    assert 'value="2026-07-06T08:30"' in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"ends_at": "2026-07-05T17:00"},
            "ends_at",
            "L’événement doit se terminer après avoir commencé.",
        ),
        ({"slug": "Réunion 2026"}, "slug", "minuscules"),
        ({"name": ""}, "name", "Donnez un nom à l’événement."),
        ({"ideation_at": "2026-07-06T08:45"}, "ideation_at", "commence avant la précédente"),
        ({"prototyping_at": "2026-08-01T09:00"}, "prototyping_at", "pendant l’événement"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_kept(organiser_client, change, field, message):
    data = {**EVENT_FORM, **change}
    response = organiser_client.post("/events/new", data=data)
    assert response.status_code == 400
    page = response.text
    error_at = page.index(f'id="{field}-error"')
    assert message in page[error_at : error_at + 400]
    assert 'value="Saint-Denis"' in page  # what was typed is kept
    assert db.session.scalar(select(Event).where(Event.slug == "reunion-2026")) is None


def test_an_identifier_already_used_is_refused_next_to_the_field(organiser_client):
    response = organiser_client.post(
        "/events/new", data={**EVENT_FORM, "slug": organiser_client.event.slug}
    )
    assert response.status_code == 400
    assert "Un autre événement utilise déjà cet identifiant." in response.text


def test_theme_list_is_edited_without_javascript_and_nothing_is_saved_until_save(organiser_client):
    event = organiser_client.event
    url = f"/events/{event.slug}/edit"
    first, second = event.themes
    data = {
        **EVENT_FORM,
        "slug": event.slug,
        "themes-0-id": str(first.id),
        "themes-0-name": "Premier renommé",
        "themes-0-colour": "#123456",
        "themes-1-id": str(second.id),
        "themes-1-name": "Second",
        "themes-1-colour": "#1d4e89",
    }
    page = organiser_client.post(url, data={**data, "list_action": "themes:1:up"}).text
    assert page.index('value="Second"') < page.index('value="Premier renommé"')
    page = organiser_client.post(url, data={**data, "list_action": "themes:add"}).text
    assert 'name="themes-2-name"' in page
    db.session.refresh(first)
    assert first.name == "Theme 1"  # nothing saved yet
    # Save with the second theme removed: its challenges stay, without a theme.
    with_theme = db.session.scalar(select(Challenge).where(Challenge.theme_id == second.id))
    saved = {k: v for k, v in data.items() if not k.startswith("themes-1")}
    assert organiser_client.post(url, data=saved).status_code == 303
    assert [
        t.name for t in db.session.scalars(select(Theme).where(Theme.event_id == event.id))
    ] == ["Premier renommé"]
    db.session.refresh(with_theme)
    assert with_theme.theme_id is None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.event_id == event.id)).all()[-1]
    assert entry.action == "event.updated" and "themes" in entry.details["fields"]


def test_clone_copies_themes_sheets_and_schedule_but_no_people(organiser_client, make):
    source = organiser_client.event
    make.participant(source, team=source.challenges[0].team)
    source.challenges[0].stakeholders = ["Commune", "Région"]
    db.session.commit()
    response = organiser_client.post(
        f"/events/{source.slug}/clone",
        data={
            "name": "Atelier de Rennes 2027",
            "slug": "rennes-2027",
            "starts_at": "2027-07-05T09:00",
        },
    )
    assert response.status_code == 303
    copy = db.session.scalar(select(Event).where(Event.slug == "rennes-2027"))
    assert [t.name for t in copy.themes] == [t.name for t in source.themes]
    assert [(c.number, c.question) for c in copy.challenges] == [
        (c.number, c.question) for c in source.challenges
    ]
    assert copy.challenges[0].stakeholders == ["Commune", "Région"]
    assert all(c.team is not None for c in copy.challenges)
    assert copy.ends_at - copy.starts_at == source.ends_at - source.starts_at
    people = db.session.scalars(select(Membership.role).where(Membership.event_id == copy.id)).all()
    assert people == [Role.ORGANISER]


def test_clone_copies_the_programme_moved_as_the_stages_are(organiser_client, make):
    source = organiser_client.event
    start = source.starts_at
    team = source.challenges[1].team
    db.session.add_all(
        [
            ProgrammeSession(
                event_id=source.id,
                kind=SessionKind.PLENARY,
                title="Ouverture",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                room="Amphi A",
                speakers="Marie Dupont",
                stage=Stage.FRAMING,
            ),
            ProgrammeSession(
                event_id=source.id,
                kind=SessionKind.TEAMWORK,
                title="Atelier du défi 2",
                starts_at=start + timedelta(days=1, hours=2),
                ends_at=start + timedelta(days=1, hours=4),
                room="Salle 12",
                team_id=team.id,
            ),
            PlannedStage(event_id=source.id, stage=Stage.FRAMING, starts_at=start),
        ]
    )
    db.session.commit()
    response = organiser_client.post(
        f"/events/{source.slug}/clone",
        data={"name": "Atelier 2027", "slug": "atelier-2027", "starts_at": "2027-07-05T09:00"},
    )
    assert response.status_code == 303
    copy = db.session.scalar(select(Event).where(Event.slug == "atelier-2027"))
    shift = copy.starts_at - source.starts_at
    sessions = db.session.scalars(
        select(ProgrammeSession)
        .where(ProgrammeSession.event_id == copy.id)
        .order_by(ProgrammeSession.starts_at)
    ).all()
    assert [(s.title, s.room, s.kind) for s in sessions] == [
        ("Ouverture", "Amphi A", SessionKind.PLENARY),
        ("Atelier du défi 2", "Salle 12", SessionKind.TEAMWORK),
    ]
    assert sessions[0].starts_at == start + shift
    assert sessions[1].ends_at == start + timedelta(days=1, hours=4) + shift
    # The stage still starts with its session; the team's session is the copy's team's.
    (planned,) = copy.planned_stages
    assert planned.stage == Stage.FRAMING and planned.starts_at == sessions[0].starts_at
    assert sessions[0].stage == Stage.FRAMING
    # Speakers are people: the copy names none.
    assert sessions[0].speakers is None
    assert sessions[1].team_id == copy.challenges[1].team.id != team.id
    # The source keeps its own.
    assert db.session.query(ProgrammeSession).filter_by(event_id=source.id).count() == 2


ORGANISER_PAGES = [
    "/events/{slug}/organise",
    "/events/{slug}/edit",
    "/events/{slug}/clone",
    "/events/{slug}/history",
    "/events/{slug}/challenges/manage",
    "/events/{slug}/challenges/new",
    "/events/{slug}/challenges/1/edit",
    "/events/{slug}/challenges/1/delete",
    "/events/{slug}/challenges/import",
    "/events/{slug}/challenges/export.csv",
    "/events/{slug}/people",
    "/events/{slug}/people/new",
    "/events/{slug}/people/import",
    "/events/{slug}/people/export.xlsx",
    "/events/{slug}/people/access-codes.csv",
    "/events/{slug}/teams",
    "/events/{slug}/teams/placement",
]


@pytest.mark.parametrize("page", ORGANISER_PAGES)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("participant", 403), ("other organiser", 403), ("organiser", 200)],
)
def test_organiser_pages_are_for_this_event_s_organisers_only(client, make, page, who, expected):
    event = make.event(challenges=1)
    other = make.event()
    people = {
        "participant": make.participant(event),
        "other organiser": make.organiser(other, is_organiser=True),
        "organiser": make.organiser(event),
    }
    if who != "anonymous":
        sign_in(client, people[who])
    response = client.get(page.format(slug=event.slug))
    assert response.status_code == expected
    if expected == 302:
        assert response.headers["Location"].startswith("/sign-in")


def test_only_organiser_accounts_create_events(client, make):
    event = make.event()
    sign_in(client, make.organiser(event, is_organiser=False))
    assert client.get("/events/new").status_code == 403
    assert client.post("/events/new", data=EVENT_FORM).status_code == 403
    assert db.session.scalar(select(Event).where(Event.slug == "reunion-2026")) is None
