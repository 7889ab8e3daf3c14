"""The attendee list in and out of spreadsheets: problems located by line and column, the
import recorded in the event's history, and an export that imports back into another event."""

import io

import openpyxl
import pytest
from flask_babel import force_locale
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import AuditEntry, Membership, Role
from facilitate.people.codes import participants_with_teams
from facilitate.people.spreadsheet import (
    COLUMNS,
    attendee_table,
    check_attendee_file,
    import_attendees,
)
from facilitate.spreadsheets.columns import match_columns
from facilitate.spreadsheets.writing import write_csv, write_xlsx


def _people(event) -> set[tuple]:
    db.session.expire_all()
    return {
        (user.email, attendance.name, attendance.organisation, number)
        for attendance, user, _team, number, _roles in participants_with_teams(event)
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_into_another_event_gives_the_same_people_and_teams(make, kind):
    source = make.event(challenges=3)
    teams = [c.team for c in source.challenges]
    make.participant(source, team=teams[2], name="Zoé Lefèvre", organisation="Ville de Brest")
    make.participant(source, team=teams[0], name="=Égalité Martin", organisation="-CD35")
    make.participant(source, team=teams[0], name="Noé N’Diaye", organisation=None)
    make.participant(source, name="Ali Diallo", organisation="Région ; Bretagne")
    make.organiser(source)  # not an attendee: not exported
    headers, rows = attendee_table(source)
    if kind == "csv":
        data, filename = write_csv(headers, rows), "personnes.csv"
    else:
        data, filename = write_xlsx(headers, rows, "Personnes"), "personnes.xlsx"

    target = make.event(challenges=3)
    checked = check_attendee_file(target, data, filename)
    assert checked.problems == []
    result = import_attendees(target, checked)
    assert (result.created, result.updated, result.placed) == (0, 4, 3)
    assert _people(target) == _people(source)
    assert len(_people(target)) == 4


def test_the_export_is_two_queries_with_the_import_headers(make, count_queries):
    event = make.event(challenges=2)
    make.participant(event, team=event.challenges[1].team, name="Zoé Petit")
    make.participant(event, name="Ali Diallo", organisation="Ville de Rennes")
    db.session.expire_all()
    assert event.id
    with count_queries() as queries:
        headers, rows = attendee_table(event)
    # Attendances, then team roles and organisers: by the event's index, however many people.
    assert len(queries) == 2
    assert headers == ["Identifiant", "Nom", "Adresse e-mail", "Organisation", "Rôle", "Défi"]
    assert [row[1] for row in rows] == ["Ali Diallo", "Zoé Petit"]
    assert rows[0][3:] == ["Ville de Rennes", "membre", None]
    assert rows[1][5] == 2


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_import_recognises_the_export_headers(make, language):
    with force_locale(language):
        headers, _rows = attendee_table(make.event())
    assert set(match_columns(headers, COLUMNS)) == {
        "id",
        "name",
        "email",
        "organisation",
        "role",
        "challenge",
    }


def test_problems_name_the_line_and_the_column_as_the_file_writes_it(make):
    event = make.event(challenges=1)
    long = "x" * 201
    data = (
        "Prénom;NOM;Courriel;Structure;N° du défi\r\n"
        ";;a@example.org;;\r\n"
        f"Léa;{long};b@example.org;{long};\r\n"
        'Jo;"Ba\nrt";pas une adresse;;Défi 2\r\n'
        "Max;Ode;A@example.org;;x\r\n"
    ).encode("cp1252")
    with force_locale("en"):
        checked = check_attendee_file(event, data, "inscrits.csv")
    assert [(p.line, p.column, p.message) for p in checked.problems] == [
        (2, "NOM", "the name is empty."),
        (3, "NOM", "the name is longer than 200 characters."),
        (3, "Structure", "the organisation is longer than 200 characters."),
        (4, "Courriel", "“pas une adresse” is not a valid email address."),
        (4, "N° du défi", "this event has no challenge number 2."),
        (5, "Courriel", "a@example.org already appears on line 2."),
        (5, "N° du défi", "“x” is not a challenge number."),
    ]
    assert not checked.ok
    with pytest.raises(ValueError):
        import_attendees(event, checked)


@pytest.mark.parametrize("number", ["²", "9" * 5000])
def test_odd_digits_are_not_a_challenge_number(make, number):
    event = make.event(challenges=2)
    data = f"nom;email;défi\nAli;ali@example.org;{number}\n".encode()
    checked = check_attendee_file(event, data, "x.csv")
    assert [(p.line, p.column) for p in checked.problems] == [(2, "défi")]


def test_an_import_is_recorded_once_in_the_event_history(make):
    event = make.event(challenges=2)
    organiser = make.organiser(event)
    known = make.participant(event, email="known@example.org")
    book = openpyxl.Workbook()
    book.active.append(["Name", "Email", "Organisation", "Challenge"])
    book.active.append(["Known Person", known.email, None, 2])
    book.active.append(["New Person", "new@example.org", "Ville de Brest", None])
    out = io.BytesIO()
    book.save(out)
    checked = check_attendee_file(event, out.getvalue(), "people.xlsx")
    assert checked.problems == []
    import_attendees(event, checked, actor=organiser)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.event_id == event.id)).all()
    assert [(e.action, e.actor_id, e.details) for e in entries] == [
        (
            "attendees.imported",
            organiser.id,
            {"count": 2, "created": 1, "updated": 1, "placed": 1},
        )
    ]
    members = db.session.scalars(
        select(Membership).where(Membership.event_id == event.id, Membership.role == Role.MEMBER)
    ).all()
    assert [(m.user_id, m.team.challenge.number) for m in members] == [(known.id, 2)]
