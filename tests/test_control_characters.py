"""Control characters (a vertical tab pasted from Word, a NUL from an old database) are cleaned
when text is saved, whichever way it comes in, and never break an export: openpyxl refuses them,
which once made every XLSX export of an event answer 500."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

import facilitate
from facilitate.extensions import db
from facilitate.models import Challenge, FeedbackEntry, Membership, Role, Stage, User
from facilitate.text import clean_text
from tests.factories import attendance, sign_in, stand_path

RAW = "Avant\x0bAprès\x00\x1f\x7f\x85 fin\r\n"
CLEAN = "Avant\nAprès fin"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (RAW, CLEAN + "\n"),
        ("a\tb\nc", "a\tb\nc"),
        ("un\r\ndeux\rtrois\x0cquatre", "un\ndeux\ntrois\nquatre"),
        ("Hélène\u00a0: 🎉 « ok » \u2028", "Hélène\u00a0: 🎉 « ok » \u2028"),
        ("\x00\x08\x0e\x1f\x7f\x80\x9f", ""),
        (None, None),
        (3, 3),
    ],
)
def test_clean_text_keeps_tabs_line_feeds_and_every_printable_character(raw, clean):
    assert clean_text(raw) == clean


def _has_no_controls(text: str) -> bool:
    return clean_text(text) == text and "\r" not in text


@pytest.fixture
def event(client, make):
    event = make.event(challenges=2, themes=1, stage=Stage.EXHIBITION)
    sign_in(client, make.organiser(event, password=None))
    return event


def _challenge_form(client, event):
    data = {
        "number": "3",
        "question": RAW,
        "theme_id": "",
        "owner_organisation": RAW,
        "project_name": "Accueil",
        "territory": "",
        "stakes": RAW,
        "stakeholders-0": RAW,
        "info_url": "",
    }
    response = client.post(f"/events/{event.slug}/challenges/new", data=data)
    assert response.status_code == 303, response.text
    challenge = db.session.scalar(
        select(Challenge).where(Challenge.event_id == event.id, Challenge.number == 3)
    )
    return [challenge.question, challenge.owner_organisation, challenge.stakes]


def _attendee_form(client, event):
    data = {"name": RAW, "email": "ines@example.org", "organisation": RAW, "role": "member"}
    response = client.post(f"/events/{event.slug}/people/new", data={**data, "team_id": ""})
    assert response.status_code == 303, response.text
    person = db.session.scalar(select(User).where(User.email == "ines@example.org"))
    return [attendance(person, event).name, attendance(person, event).organisation]


def _attendee_import(client, event):
    # A CSV file holding a NUL is refused as a whole ("not a CSV text file"): the other
    # control characters are what a spreadsheet's cells bring.
    raw = RAW.replace("\x00", "")
    rows = [["nom", "email", "organisation"], [raw, "lou@example.org", raw]]
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";").writerows(rows)
    upload = (io.BytesIO(out.getvalue().encode()), "inscrits.csv")
    url = f"/events/{event.slug}/people/import"
    preview = client.post(url, data={"file": upload}, content_type="multipart/form-data")
    assert preview.status_code == 200, preview.text
    content = preview.text.split('name="content" type="hidden" value="')[1].split('"')[0]
    done = client.post(url, data={"content": content, "filename": "inscrits.csv"})
    assert done.status_code == 303
    person = db.session.scalar(select(User).where(User.email == "lou@example.org"))
    return [attendance(person, event).name, attendance(person, event).organisation]


def _stand_feedback(client, event, make):
    team = event.challenges[0].team
    sign_in(client, make.participant(event, team=event.challenges[1].team))
    data = {"liked": RAW, "could_be_better": RAW, "question": RAW}
    response = client.post(stand_path(team, "/feedback"), data=data)
    assert response.status_code == 303, response.text
    entry = db.session.scalars(select(FeedbackEntry)).one()
    return [entry.liked, entry.could_be_better, entry.question]


@pytest.mark.parametrize(
    "save", [_challenge_form, _attendee_form, _attendee_import, _stand_feedback]
)
def test_text_is_stored_without_control_characters(client, event, make, save):
    args = (client, event, make) if save is _stand_feedback else (client, event)
    for stored in save(*args):
        assert stored.startswith(CLEAN), repr(stored)
        assert _has_no_controls(stored), repr(stored)


def _dirty(event, make) -> None:
    """Control characters written straight into the database, as text saved before they were
    cleaned: challenge fields, an attendee's name and organisation, stand feedback. PostgreSQL
    refuses to store a NUL at all: there, the text holds every other control character."""
    raw = RAW.replace("\x00", "") if db.engine.dialect.name == "postgresql" else RAW
    challenge = event.challenges[0]
    challenge.question = challenge.owner_organisation = challenge.stakes = raw
    challenge.stakeholders = [raw]
    challenge.team.name = raw
    challenge.team.stand_number = 1
    person = make.participant(event, team=challenge.team)
    db.session.flush()
    row = db.session.scalar(
        select(Membership).where(
            Membership.user_id == person.id, Membership.role == Role.PARTICIPANT
        )
    )
    row.name = row.organisation = raw
    db.session.add(
        FeedbackEntry(
            team_id=challenge.team.id, author_id=person.id, liked=raw, question=raw, body=raw
        )
    )
    db.session.commit()


EXPORTS = [
    "challenges/export.{fmt}",
    "people/export.{fmt}",
    "organise/vote/results.{fmt}",
    "organise/vote/feedback.{fmt}",
]


def _cells(response, fmt: str) -> list[str]:
    if fmt == "csv":
        text = response.data.decode("utf-8-sig")
        return [value for row in csv.reader(io.StringIO(text), delimiter=";") for value in row]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    return [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("path", EXPORTS)
def test_every_export_answers_with_the_stored_text_cleaned(client, event, make, path, fmt):
    _dirty(event, make)
    response = client.get(f"/events/{event.slug}/" + path.format(fmt=fmt))
    assert response.status_code == 200
    cells = _cells(response, fmt)
    assert all(_has_no_controls(value) for value in cells)
    assert any(value.startswith(CLEAN) for value in cells)


def test_the_access_codes_export_answers_with_names_cleaned(client, event, make):
    _dirty(event, make)
    response = client.get(f"/events/{event.slug}/people/access-codes.csv")
    assert response.status_code == 200
    cells = _cells(response, "csv")
    assert all(_has_no_controls(value) for value in cells)
    assert any(value.startswith(CLEAN) for value in cells)


def test_every_form_of_the_application_cleans_its_text_fields():
    """A form built on flask_wtf's own FlaskForm would let control characters through."""
    package = Path(facilitate.__file__).parent
    direct = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "text.py"
        and re.search(r"flask_wtf import .*\bFlaskForm\b", path.read_text())
    ]
    assert direct == []


def test_non_characters_xml_cannot_hold_are_dropped():
    """Hypothesis found a lever "\ufffe" that an ODS export could not carry back."""
    from facilitate.text import clean_text

    assert clean_text("Levier\ufffe\uffff un") == "Levier un"
    assert clean_text("\ud800x") == "x"
