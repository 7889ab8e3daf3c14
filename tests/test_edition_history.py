"""An edition's history: what its national organisers did (the edition, its national
organisers, its sites, its workbook, its jury), recorded by the services and read by national
organisers only, newest first, a page at a time, in the reader's language."""

import re
from datetime import datetime, timedelta

import pytest
from flask_babel import refresh
from sqlalchemy import delete, select

from facilitate.audit.messages import describe_edition
from facilitate.extensions import db
from facilitate.models import (
    AuditEntry,
    Edition,
    EditionAuditEntry,
    Event,
    Juror,
    JuryCriterion,
    Membership,
    NationalOrganiser,
    Role,
)
from facilitate.models._types import utcnow
from facilitate.privacy.services import erase_attendee
from tests import test_editions
from tests.test_edition_workbook import _client as _password_client
from tests.test_edition_workbook import _confirm
from tests.test_edition_workbook import world as workbook_world  # noqa: F401  (fixture)
from tests.test_organise_events import EVENT_FORM

NBSP = "\u00a0"
edition = test_editions.edition  # the fixture: an edition without sites


def _client(app, person, language=None):
    """A password session without hashing a password (0.25 s each)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = person.get_id()
        session["_fresh"] = True
    if language:
        client.set_cookie(app.config["LANGUAGE_COOKIE"], language)
    return client


def _person(make, name, **fields):
    return make.user(name=name, email_confirmed_at=utcnow(), password_hash="set", **fields)


def _entries(edition) -> list[EditionAuditEntry]:
    return list(
        db.session.scalars(
            select(EditionAuditEntry)
            .where(EditionAuditEntry.edition_id == edition.id)
            .order_by(EditionAuditEntry.id)
        )
    )


def _actions(edition) -> list[tuple[str, dict]]:
    return [(entry.action, entry.details) for entry in _entries(edition)]


def _said(app, language, entries) -> list[str]:
    """How the history says these entries in that language."""
    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()  # the test's application context keeps the language it first saw
        return [describe_edition(entry) for entry in entries]


def _organiser_of(make, site, name):
    person = _person(make, name)
    db.session.add(Membership(user_id=person.id, event_id=site.id, role=Role.ORGANISER))
    db.session.flush()
    return person


def test_the_edition_its_national_organisers_and_sites_are_recorded(app, make):
    creator = _person(make, "Nadia Nationale", is_organiser=True)
    db.session.commit()
    client = _client(app, creator)
    assert client.post("/editions/new", data={"name": "Été", "year": "2018"}).status_code == 303
    edition = db.session.scalar(select(Edition).where(Edition.name == "Été"))
    base = f"/editions/{edition.id}"
    assert _actions(edition) == [("edition.created", {"name": "Été", "year": 2018})]

    # Edited: the fields that changed; saved unchanged: nothing.
    form = {"name": "Université d’été", "year": "2018", "description": "Six sites."}
    assert client.post(f"{base}/edit", data=form).status_code == 303
    assert client.post(f"{base}/edit", data=form).status_code == 303
    assert _actions(edition)[1:] == [("edition.updated", {"fields": ["name", "description"]})]

    # Sites: created, attached, detached; each also in the site's own history.
    assert client.post(f"{base}/sites/new", data=EVENT_FORM).status_code == 303
    created = db.session.scalar(select(Event).where(Event.slug == EVENT_FORM["slug"]))
    cluny = make.event(name="Atelier de Cluny")
    db.session.add(Membership(user_id=creator.id, event_id=cluny.id, role=Role.ORGANISER))
    db.session.commit()
    assert client.post(f"{base}/sites", data={"event": str(cluny.id)}).status_code == 303
    colleague = _organiser_of(make, created, "Sami Site")
    db.session.commit()
    assert client.post(f"{base}/sites/{cluny.slug}/detach").status_code == 303
    assert _actions(edition)[2:] == [
        ("site.created", {"site": "Atelier de La Réunion"}),
        ("site.attached", {"site": "Atelier de Cluny"}),
        ("site.detached", {"site": "Atelier de Cluny"}),
    ]
    site_history = [
        entry.action
        for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.event_id == cluny.id))
    ]
    assert site_history == ["edition.site_attached", "edition.site_detached"]

    # National organisers: appointed, removed; one who leaves is told apart.
    url = f"{base}/national-organisers"
    assert client.post(url, data={"user_id": colleague.id}).status_code == 303
    assert client.post(f"{url}/{colleague.id}/remove").status_code == 303
    assert client.post(url, data={"user_id": colleague.id}).status_code == 303
    assert _client(app, colleague).post(f"{url}/{colleague.id}/remove").status_code == 303
    person = {"user_id": colleague.id, "name": "Sami Site"}
    assert _actions(edition)[5:] == [
        ("national.appointed", person),
        ("national.removed", person),
        ("national.appointed", person),
        ("national.removed", person),
    ]
    entries = _entries(edition)
    assert entries[-1].actor_id == colleague.id and entries[-2].actor_id == creator.id
    # Every entry is by who did it.
    assert {entry.actor_id for entry in entries[:-1]} == {creator.id}

    said = _said(app, "fr", entries)
    assert said == [
        f"a créé l’édition «{NBSP}Été{NBSP}» (2018)",
        f"a modifié l’édition{NBSP}: nom, description",
        f"a créé le site «{NBSP}Atelier de La Réunion{NBSP}»",
        f"a fait de l’événement «{NBSP}Atelier de Cluny{NBSP}» un site de l’édition",
        f"a retiré le site «{NBSP}Atelier de Cluny{NBSP}» de l’édition",
        "a ajouté Sami Site à l’équipe nationale",
        "a retiré Sami Site de l’équipe nationale",
        "a ajouté Sami Site à l’équipe nationale",
        "a quitté l’équipe nationale de l’édition",
    ]


def test_the_jury_s_rubric_jurors_and_reveal_are_recorded(app, make, edition):
    national = _person(make, "Nadia Nationale")
    db.session.add(NationalOrganiser(edition_id=edition.id, user_id=national.id))
    site = make.event(name="Rennes", edition_id=edition.id)
    juror = _organiser_of(make, site, "Jules Juré")
    db.session.commit()
    client = _client(app, national)
    base = f"/editions/{edition.id}/jury"
    assert client.get(base).status_code == 200  # the default rubric: made, not recorded
    assert _actions(edition) == []
    first, second = db.session.scalars(
        select(JuryCriterion)
        .where(JuryCriterion.edition_id == edition.id)
        .order_by(JuryCriterion.position)
    ).all()[:2]

    def change(criterion, name, position):
        prefix = f"c{criterion.id}"
        data = {f"{prefix}-name": name, f"{prefix}-position": str(position)}
        assert client.post(f"{base}/criteria/{criterion.id}", data=data).status_code == 303

    change(first, "Impact pour les usagers", 1)
    change(second, "Créativité", 4)
    change(first, "Impact", 2)
    change(first, "Impact", 2)  # unchanged: nothing recorded
    assert client.post(f"{base}/criteria", data={"name": "Sobriété"}).status_code == 303
    added = db.session.scalar(select(JuryCriterion).where(JuryCriterion.name == "Sobriété"))
    assert client.post(f"{base}/criteria/{added.id}/remove").status_code == 303
    assert client.post(f"{base}/jurors", data={"user_id": juror.id}).status_code == 303
    assert client.post(f"{base}/jurors/{juror.id}/remove").status_code == 303
    assert client.post(f"{base}/reveal").status_code == 303
    assert client.post(f"{base}/reveal").status_code == 303  # once only
    person = {"user_id": juror.id, "name": "Jules Juré"}
    assert _actions(edition) == [
        ("jury.criterion_changed", {"name": "Impact pour les usagers", "previous": "Impact"}),
        ("jury.criterion_changed", {"name": "Créativité", "position": 4}),
        (
            "jury.criterion_changed",
            {"name": "Impact", "previous": "Impact pour les usagers", "position": 2},
        ),
        ("jury.criterion_added", {"name": "Sobriété"}),
        ("jury.criterion_removed", {"name": "Sobriété"}),
        ("juror.appointed", person),
        ("juror.removed", person),
        ("jury.revealed", {}),
    ]
    said = _said(app, "en", _entries(edition))
    assert said == [
        "renamed the jury criterion “Impact” to “Impact pour les usagers”",
        "moved the jury criterion “Créativité” to position 4",
        "renamed the jury criterion “Impact pour les usagers” to “Impact” and moved it to "
        "position 2",
        "added the criterion “Sobriété” to the jury’s rubric",
        "removed the criterion “Sobriété” from the jury’s rubric",
        "appointed Jules Juré to the jury",
        "removed Jules Juré from the jury",
        "revealed the jury’s results",
    ]


def test_a_workbook_import_is_recorded_with_the_lines_of_each_site(app, workbook_world):  # noqa: F811
    world = workbook_world
    edition = world["edition"]
    client = _password_client(app, world["national"])
    data = client.get(f"/editions/{edition.id}/workbook.xlsx").data
    assert _confirm(client, edition, data).status_code == 303
    [entry] = _entries(edition)
    assert entry.action == "workbook.imported" and entry.actor_id == world["national"].id
    assert entry.details == {
        "sites": [
            {"site": "Aix-en-Provence", "challenges": 1, "attendees": 1},
            {"site": "Rennes", "challenges": 2, "attendees": 1},
        ]
    }
    assert _said(app, "fr", [entry]) == [
        f"a importé le classeur de l’édition{NBSP}: Aix-en-Provence (lignes de défis{NBSP}: 1, "
        f"lignes de participants{NBSP}: 1) et Rennes (lignes de défis{NBSP}: 2, lignes de "
        f"participants{NBSP}: 1)"
    ]
    assert _said(app, "en", [entry]) == [
        "imported the edition’s workbook: Aix-en-Provence (challenge lines: 1, attendee "
        "lines: 1) and Rennes (challenge lines: 2, attendee lines: 1)"
    ]


def _history_world(make, edition, entries=3):
    national = _person(make, "Nadia Nationale")
    db.session.add(NationalOrganiser(edition_id=edition.id, user_id=national.id))
    start = datetime(2026, 7, 6, 7, 30)  # 9 h 30 in Paris (summer time)
    for index in range(entries):
        db.session.add(
            EditionAuditEntry(
                edition_id=edition.id,
                actor_id=national.id,
                action="jury.criterion_added",
                details={"name": f"Critère {index + 1}"},
                created_at=start + timedelta(minutes=index),
            )
        )
    db.session.commit()
    return national


def test_the_history_page_in_french_and_english_newest_first(app, make, edition):
    national = _history_world(make, edition)
    db.session.add(
        EditionAuditEntry(edition_id=edition.id, action="jury.revealed", details={})
    )  # by someone whose account is gone
    db.session.commit()
    edition_page = _client(app, national).get(f"/editions/{edition.id}").text
    assert f'href="/editions/{edition.id}/history"' in edition_page

    page = _client(app, national, "fr").get(f"/editions/{edition.id}/history")
    assert page.status_code == 200
    text = page.text
    assert "Historique des modifications" in text
    assert re.search(r"Les horaires sont à l’heure de Paris \(UTC\+[12]\)\.", text)
    assert "4 modifications" in text
    lines = re.findall(
        r"<time[^>]*>([^<]+)</time>\s*– <strong>([^<]+)</strong>\s*([^<]+?)\s*</p>", text
    )
    assert lines[0][1:] == (
        "une personne qui n’est plus inscrite",
        "a annoncé les résultats du jury",
    )
    assert [line[2] for line in lines[1:]] == [
        f"a ajouté le critère «{NBSP}Critère {n}{NBSP}» à la grille du jury" for n in (3, 2, 1)
    ]
    assert lines[-1][0] == f"6 juillet à 9{NBSP}h{NBSP}30"
    assert lines[1][0] == f"6 juillet à 9{NBSP}h{NBSP}32"

    english = _client(app, national, "en").get(f"/editions/{edition.id}/history").text
    assert "History of changes" in english and "4 changes" in english
    assert "added the criterion “Critère 1” to the jury’s rubric" in english
    assert "6 July at 09:30" in english


def test_the_history_is_paginated_and_bad_page_numbers_never_fail(app, make, edition):
    national = _history_world(make, edition, entries=55)
    client = _client(app, national)
    url = f"/editions/{edition.id}/history"
    first = client.get(url).text
    assert f"Critère 55{NBSP}»" in first and f"Critère 6{NBSP}»" in first
    assert f"Critère 5{NBSP}»" not in first
    assert "Page 1 sur 2" in first and f"{url}?page=2" in first
    second = client.get(f"{url}?page=2").text
    assert f"Critère 5{NBSP}»" in second and f"Critère 1{NBSP}»" in second
    assert f"Critère 6{NBSP}»" not in second
    for bad in ("0", "-1", "abc", "9" * 30, "3", "1e3", ""):
        response = client.get(f"{url}?page={bad}")
        assert response.status_code == 200, bad
    assert "Il n’y a pas de page 3" in client.get(f"{url}?page=3").text


def test_the_history_page_runs_the_same_statements_for_3_and_60_entries(app, make, count_queries):
    counts = []
    for size in (3, 60):
        edition = Edition(name=f"Édition {size}", year=2018)
        db.session.add(edition)
        db.session.flush()
        national = _history_world(make, edition, entries=size)
        # Actors differ: one each, so that reading them costs no statement per entry.
        for entry in _entries(edition)[::2]:
            entry.actor_id = _person(make, f"Personne {entry.id}").id
        db.session.commit()
        client, url = _client(app, national), f"/editions/{edition.id}/history?page=1"
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
    # The person, the edition, their national roles, the count, the page with its actors.
    assert counts == [5, 5], counts


@pytest.fixture
def people(app, make, edition):
    """A site organiser, a juror, a national organiser removed and one of another edition."""
    site = make.event(name="Rennes", edition_id=edition.id)
    other = Edition(name="Université d’hiver", year=2019)
    db.session.add(other)
    db.session.flush()
    national = _history_world(make, edition)
    removed, elsewhere = _person(make, "Rémi Retiré"), _person(make, "Élise Ailleurs")
    juror = _person(make, "Jules Juré")
    db.session.add_all(
        [
            NationalOrganiser(edition_id=edition.id, user_id=removed.id),
            NationalOrganiser(edition_id=other.id, user_id=elsewhere.id),
            Juror(edition_id=edition.id, user_id=juror.id),
        ]
    )
    db.session.flush()
    db.session.execute(delete(NationalOrganiser).where(NationalOrganiser.user_id == removed.id))
    db.session.commit()
    return {
        "national": national,
        "site organiser": _organiser_of(make, site, "Rose Rennes"),
        "juror": juror,
        "removed national organiser": removed,
        "national organiser of another edition": elsewhere,
    }


@pytest.mark.parametrize(
    "who",
    [
        "site organiser",
        "juror",
        "removed national organiser",
        "national organiser of another edition",
    ],
)
def test_only_the_edition_s_national_organisers_read_its_history(app, edition, people, who):
    db.session.commit()
    client = _client(app, people[who])
    assert client.get(f"/editions/{edition.id}/history").status_code == 403
    assert (
        _client(app, people["national"]).get(f"/editions/{edition.id}/history").status_code == 200
    )
    assert app.test_client().get(f"/editions/{edition.id}/history").status_code == 302
    assert client.get("/editions/999999/history").status_code == 404


def test_erasing_an_attendance_leaves_the_edition_s_history_to_the_account(app, make, edition):
    """A site's organiser erases what the site knew of a person; being a juror belongs to the
    account, which stays and still holds it in its own name: the edition's history (which
    that organiser cannot even read) keeps naming them."""
    national = _person(make, "Nadia Nationale")
    site = make.event(name="Rennes", edition_id=edition.id)
    other = Edition(name="Université d’hiver", year=2019)
    db.session.add_all([NationalOrganiser(edition_id=edition.id, user_id=national.id), other])
    attendee = make.participant(site, name="Jules Juré", password_hash="set")
    namesake = _person(make, "Jules Juré")
    db.session.flush()
    for target in (edition, other):
        for who in (attendee, namesake):
            db.session.add(
                EditionAuditEntry(
                    edition_id=target.id,
                    actor_id=national.id,
                    action="juror.appointed",
                    details={"user_id": who.id, "name": who.name},
                )
            )
    db.session.commit()
    attendance = db.session.scalar(
        select(Membership).where(
            Membership.user_id == attendee.id,
            Membership.event_id == site.id,
            Membership.role == Role.PARTICIPANT,
        )
    )
    erase_attendee(site, attendance, national)
    db.session.commit()
    for entries in (_entries(edition), _entries(other)):
        assert [entry.details for entry in entries] == [
            {"user_id": attendee.id, "name": "Jules Juré"},
            {"user_id": namesake.id, "name": "Jules Juré"},
        ]
    page = _client(app, national).get(f"/editions/{edition.id}/history").text
    assert "une personne effacée" not in page and "a nommé Jules Juré membre du jury" in page


def test_an_account_erased_whole_is_named_in_no_edition_s_history(app, make, edition):
    """Known to one event only (no password): the account itself goes, so no history keeps
    its name, whichever edition wrote it."""
    national = _person(make, "Nadia Nationale")
    site = make.event(name="Rennes", edition_id=edition.id)
    other = Edition(name="Université d’hiver", year=2019)
    db.session.add_all([NationalOrganiser(edition_id=edition.id, user_id=national.id), other])
    attendee = make.participant(site, name="Paul Passant")
    db.session.flush()
    for target in (edition, other):
        db.session.add(
            EditionAuditEntry(
                edition_id=target.id,
                action="national.removed",
                details={"user_id": attendee.id, "name": "Paul Passant"},
            )
        )
    db.session.commit()
    attendance = db.session.scalar(
        select(Membership).where(
            Membership.user_id == attendee.id, Membership.role == Role.PARTICIPANT
        )
    )
    erase_attendee(site, attendance, national)
    db.session.commit()
    assert [entry.details for entry in _entries(edition) + _entries(other)] == [
        {"erased": True},
        {"erased": True},
    ]
    assert _said(app, "en", _entries(other)) == [
        "removed an erased person from the national organisers"
    ]
    assert _said(app, "fr", _entries(edition)) == [
        "a retiré une personne effacée de l’équipe nationale"
    ]
    page = _client(app, national).get(f"/editions/{edition.id}/history").text
    assert "une personne effacée" in page
