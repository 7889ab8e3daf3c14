"""Times that do not exist at the venue (the hour skipped when clocks go forward) and dates no
event has: refused with a message on the form and on the file's line, never a 500."""

from datetime import datetime

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import ProgrammeSession
from facilitate.programme.spreadsheet import check_programme_file
from tests.factories import sign_in
from tests.programme.conftest import session_data
from tests.programme.test_spreadsheets import csv_file


@pytest.fixture
def paris(make):
    # Clocks went forward in Paris at 02:00 on 29 March 2026: 02:00-02:59 did not happen.
    return make.event(
        challenges=1,
        timezone="Europe/Paris",
        starts_at=datetime(2026, 3, 28, 8, 0),
        ends_at=datetime(2026, 3, 29, 16, 0),
    )


def test_a_session_in_the_skipped_hour_is_refused_on_the_form(client, make, paris):
    sign_in(client, make.organiser(paris))
    db.session.commit()
    data = session_data(starts_at="2026-03-29T02:30", ends_at="2026-03-29T03:10", title="Veillée")
    response = client.post(f"/events/{paris.slug}/organise/programme/new", data=data)
    assert response.status_code == 400
    assert "02:30 n’existe pas" in response.text
    assert "Veillée" in response.text
    assert db.session.scalar(select(ProgrammeSession)) is None


def test_a_session_across_the_change_of_clocks_is_saved(client, make, paris):
    sign_in(client, make.organiser(paris))
    db.session.commit()
    data = session_data(starts_at="2026-03-29T01:30", ends_at="2026-03-29T03:30")
    response = client.post(f"/events/{paris.slug}/organise/programme/new", data=data)
    assert response.status_code == 303
    session = db.session.scalar(select(ProgrammeSession))
    # 01:30 CET is 00:30 UTC, 03:30 CEST is 01:30 UTC: one hour long.
    assert (session.starts_at, session.ends_at) == (
        datetime(2026, 3, 29, 0, 30),
        datetime(2026, 3, 29, 1, 30),
    )


def test_a_file_line_in_the_skipped_hour_is_a_problem_on_its_line(paris):
    checked = check_programme_file(
        paris, csv_file("29/03/2026;2:30;3:10;Conférence;Veillée;Amphi;;;"), "programme.csv"
    )
    assert not checked.ok
    assert (2, "Début") in {(p.line, p.column) for p in checked.problems}


@pytest.mark.parametrize("day", ["31/12/9999", "0001-01-01", "01/01/1999"])
def test_a_date_no_event_has_is_a_problem_on_its_line(paris, day):
    checked = check_programme_file(
        paris, csv_file(f"{day};0:30;0:50;Conférence;Hors du temps;Amphi;;;"), "programme.csv"
    )
    assert not checked.ok
    assert (2, "Jour") in {(p.line, p.column) for p in checked.problems}
