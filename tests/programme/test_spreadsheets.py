"""The programme in and out of spreadsheets: times at the venue, problems by line and column,
nothing written unless every row is right, and an export that imports back unchanged."""

import io
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import PlannedStage, ProgrammeSession, SessionKind, Stage
from facilitate.programme.spreadsheet import (
    check_programme_file,
    import_programme,
    programme_table,
)
from facilitate.spreadsheets.writing import write_csv, write_ods, write_xlsx
from tests.factories import sign_in

HEADER = "Jour;Début;Fin;Type;Titre;Salle;Intervenants;Étape;Équipe\n"


@pytest.fixture
def event(make):
    return make.event(challenges=2, timezone="America/Martinique")


def csv_file(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def test_a_programme_file_is_read_in_the_venues_time(event):
    data = csv_file(
        "10/07/2018;9h30;10:45;Conférence;Ouverture;Amphi;Marie Dupont;;",
        "2018-07-10;11 h;12 h 30;travail en équipe;Cadrage;Salle 2;;Cadrage;2",
    )
    checked = check_programme_file(event, data, "programme.csv")
    assert checked.ok, [str(p) for p in checked.problems]
    assert checked.creates == 2
    import_programme(event, checked)
    sessions = db.session.scalars(
        select(ProgrammeSession).order_by(ProgrammeSession.starts_at)
    ).all()
    # 9:30 in Martinique (UTC−4) is 13:30 UTC.
    assert sessions[0].starts_at == datetime(2018, 7, 10, 13, 30)
    assert sessions[0].kind is SessionKind.TALK
    assert sessions[1].kind is SessionKind.TEAMWORK
    assert sessions[1].team_id == event.challenges[1].team.id
    planned = db.session.scalar(select(PlannedStage).where(PlannedStage.event_id == event.id))
    assert (planned.stage, planned.starts_at) == (Stage.FRAMING, datetime(2018, 7, 10, 15, 0))


def test_every_problem_is_located_and_nothing_is_written(event):
    data = csv_file(
        "10/07/2018;10:00;9:00;Conférence;À l’envers;Amphi;;;",
        "31/02/2018;9:00;10:00;Conférence;Jour impossible;Amphi;;;",
        "10/07/2018;9:00;10:00;Sieste;Type inconnu;Amphi;;;",
        "10/07/2018;9:00;10:00;Repas;;Amphi;;Vote;7",
    )
    checked = check_programme_file(event, data, "programme.csv")
    assert not checked.ok
    problems = {(p.line, p.column) for p in checked.problems}
    assert (2, "Fin") in problems
    assert (3, "Jour") in problems
    assert (4, "Type") in problems
    assert {(5, "Titre"), (5, "Étape"), (5, "Équipe")} <= problems
    assert db.session.scalar(select(ProgrammeSession)) is None


@pytest.mark.parametrize("writer", ["csv", "xlsx", "ods"])
def test_an_export_imports_back_unchanged(event, writer):
    data = csv_file(
        "10/07/2018;9:30;10:45;Plénière;Ouverture;Amphi;Marie Dupont;;",
        "10/07/2018;11:00;12:30;Travail en équipe;Cadrage;Salle 2;;Cadrage;1",
        "11/07/2018;13:00;14:00;Retour collectif;Bilan « à chaud »;Amphi;;;",
    )
    import_programme(event, check_programme_file(event, data, "programme.csv"))
    headers, rows = programme_table(event)
    if writer == "csv":
        exported = write_csv(headers, rows)
    elif writer == "xlsx":
        exported = write_xlsx(headers, rows, "Programme")
    else:
        exported = write_ods(headers, rows, "Programme")
    again = check_programme_file(event, exported, f"programme.{writer}")
    assert again.ok, [str(p) for p in again.problems]
    assert (again.creates, again.updates, again.unchanged) == (0, 0, 3)


def test_a_row_with_an_identifier_updates_its_session(event):
    import_programme(
        event,
        check_programme_file(
            event, csv_file("10/07/2018;9:30;10:45;Plénière;Ouverture;Amphi;;;"), "p.csv"
        ),
    )
    session = db.session.scalar(select(ProgrammeSession))
    data = (
        "Identifiant;Jour;Début;Fin;Type;Titre\n"
        f"{session.id};10/07/2018;9:45;10:45;Plénière;Ouverture\n"
        "999;10/07/2018;9:45;10:45;Plénière;Inconnue\n"
    ).encode()
    checked = check_programme_file(event, data, "p.csv")
    assert [(p.line, p.column) for p in checked.problems] == [(3, "Identifiant")]
    checked = check_programme_file(event, data.decode().rsplit("999", 1)[0].encode(), "p.csv")
    assert checked.ok and checked.updates == 1
    assert "9\u00a0h\u00a045" in str(checked.changes[0]) or "09:45" in str(checked.changes[0])
    import_programme(event, checked)
    assert session.starts_at == datetime(2018, 7, 10, 13, 45)
    assert session.room == "Amphi"  # no Salle column: the room stays


def test_the_import_page_previews_then_writes(client, make, event):
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Programme de l’université"])
    sheet.append(["Jour", "Début", "Fin", "Type", "Titre"])
    sheet.append([datetime(2018, 7, 10), "9:30", "10:30", "Mini-conférence", "Les communs"])
    buffer = io.BytesIO()
    book.save(buffer)
    url = f"/events/{event.slug}/organise/programme/import"
    response = client.post(url, data={"file": (io.BytesIO(buffer.getvalue()), "programme.xlsx")})
    assert response.status_code == 200
    assert db.session.scalar(select(ProgrammeSession)) is None
    assert client.get(f"/events/{event.slug}/organise/programme/export.csv").status_code == 200


def test_overlapping_sessions_in_one_room_are_flagged_in_the_preview_not_refused(
    client, make, event
):
    db.session.add(
        ProgrammeSession(
            event_id=event.id,
            kind=SessionKind.PLENARY,
            title="Ouverture",
            # 9:00 to 10:00 in Martinique.
            starts_at=datetime(2018, 7, 10, 13, 0),
            ends_at=datetime(2018, 7, 10, 14, 0),
            room="Amphi",
        )
    )
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    data = csv_file(
        "10/07/2018;9:30;10:30;Conférence;Les communs;amphi;;;",
        "10/07/2018;10:00;11:00;Conférence;Le design public;Amphi;;;",
        "10/07/2018;9:30;10:30;Travail en équipe;Cadrage;Salle 2;;;",
    )
    checked = check_programme_file(event, data, "programme.csv")
    assert checked.ok
    # The check runs in the organiser's language (French, by default).
    nbsp = "\u00a0"
    assert [w.replace(nbsp, " ") for w in checked.warnings] == [
        "Ligne 2 : « Les communs » chevauche une autre session dans sa salle : Ouverture, "
        "Le design public.",
        "Ligne 3 : « Le design public » chevauche une autre session dans sa salle : Les communs.",
    ]

    url = f"/events/{event.slug}/organise/programme/import"
    preview = client.post(url, data={"file": (io.BytesIO(data), "programme.csv")})
    assert preview.status_code == 200
    assert "import-warnings" in preview.text
    assert "Ligne\u00a02\u00a0: «\u00a0Les communs\u00a0»" in preview.text
    assert "Cadrage" not in preview.text.split("import-warnings")[1].split("</ul>")[0]
    # Flagged, not refused: the import goes through.
    import_programme(event, checked)
    assert db.session.query(ProgrammeSession).count() == 4
