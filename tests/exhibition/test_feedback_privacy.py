"""Who reads what visitors tell a team at its stand (deliverable 9): the team's members, its
facilitator, its challenge owner and the event's organisers, and nobody else; and feedback left
without a name, which shows as "Anonymous visitor" to every reader, organisers and exports too.
Everything is read through the real pages: the workspace, the stand page and the export."""

import csv
import io
from html import unescape

import pytest
from flask_login import AnonymousUserMixin
from openpyxl import load_workbook
from sqlalchemy import select

from facilitate import policy
from facilitate.extensions import db
from facilitate.models import FeedbackEntry, Membership, Role
from tests.exhibition.conftest import organiser_of, teams_of
from tests.factories import sign_in, stand_path

NAMED_TEXT = "Le parcours en trois écrans"
NAMED_AUTHOR = "Camille Visiteuse"
ANONYMOUS_TEXT = "Le coût pour une petite commune ?"
ANONYMOUS_AUTHOR = "Dominique Discrète"
TEAM_NOTE = "Testé avec 5 habitants"

READERS = ("member", "facilitator", "challenge owner", "organiser")
ROLES = (
    *READERS,
    "participant",
    "other team's member",
    "other team's facilitator",
    "organiser of another event",
    "not signed in",
)
OK, DENIED, SIGN_IN = 200, 403, 302


@pytest.fixture
def cast(make, event):
    """One person in each role towards team 1, and its feedback: a visitor's named answers, a
    visitor's anonymous ones and the team's own test note."""
    team, other = teams_of(event)[0], teams_of(event)[1]

    def with_role(role, on_team):
        person = make.participant(event)
        db.session.add(Membership(user=person, event=event, team=on_team, role=role))
        return person

    people = {
        "member": make.participant(event, team=team),
        "facilitator": with_role(Role.FACILITATOR, team),
        "challenge owner": with_role(Role.CHALLENGE_OWNER, team),
        "organiser": organiser_of(make, event),
        "participant": make.participant(event),
        "other team's member": make.participant(event, team=other),
        "other team's facilitator": with_role(Role.FACILITATOR, other),
        "organiser of another event": organiser_of(make, make.event()),
        "not signed in": None,
    }
    named = make.participant(event, name=NAMED_AUTHOR)
    hidden = make.participant(event, name=ANONYMOUS_AUTHOR)
    db.session.add_all(
        [
            FeedbackEntry(
                team_id=team.id, author_id=named.id, at_exhibition=True, liked=NAMED_TEXT
            ),
            FeedbackEntry(
                team_id=team.id,
                author_id=hidden.id,
                at_exhibition=True,
                question=ANONYMOUS_TEXT,
                anonymous=True,
            ),
            FeedbackEntry(team_id=team.id, author_id=people["member"].id, body=TEAM_NOTE),
        ]
    )
    db.session.commit()
    return people


def _as(client, cast, role):
    if cast[role] is not None:
        sign_in(client, cast[role])
    return client


def _feedback_shown(text: str) -> bool:
    return any(s in text for s in (NAMED_TEXT, ANONYMOUS_TEXT, TEAM_NOTE, "feedback-section"))


# --- The truth table ------------------------------------------------------------------------------


WORKSPACE_EXPECTED = {
    # (status, feedback shown)
    "member": (OK, True),
    "facilitator": (OK, True),
    "challenge owner": (OK, True),
    "organiser": (OK, True),
    # The event's other people read the workspace, but not its feedback.
    "participant": (OK, False),
    "other team's member": (OK, False),
    "other team's facilitator": (OK, False),
    "organiser of another event": (DENIED, False),
    "not signed in": (SIGN_IN, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_feedback_in_the_workspace(client, event, cast, role):
    response = _as(client, cast, role).get(f"/events/{event.slug}/teams/1/workspace/prototyping")
    status, shown = WORKSPACE_EXPECTED[role]
    assert response.status_code == status
    text = unescape(response.text)
    assert _feedback_shown(text) is shown
    assert policy.can_read_feedback(cast[role] or AnonymousUserMixin(), teams_of(event)[0]) is shown
    if shown:
        section = text.split('id="feedback-section"')[1].split("</section>")[0]
        assert NAMED_TEXT in section and NAMED_AUTHOR in section
        assert ANONYMOUS_TEXT in section and "Anonymous visitor" in section
        assert TEAM_NOTE in section
    # Nobody, organisers included, learns who left the anonymous feedback.
    assert ANONYMOUS_AUTHOR not in text


@pytest.mark.parametrize("role", ROLES)
def test_the_stand_page_never_shows_feedback(client, event, cast, role):
    """The stand page holds the form, never what others wrote, whoever looks."""
    team = teams_of(event)[0]
    response = _as(client, cast, role).get(stand_path(team))
    expected = {"organiser of another event": DENIED, "not signed in": SIGN_IN}.get(role, OK)
    assert response.status_code == expected
    text = unescape(response.text)
    for secret in (NAMED_TEXT, NAMED_AUTHOR, ANONYMOUS_TEXT, ANONYMOUS_AUTHOR, TEAM_NOTE):
        assert secret not in text


EXPORT_EXPECTED = dict.fromkeys(ROLES, DENIED) | {"organiser": OK, "not signed in": SIGN_IN}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_events_organisers_export_feedback(client, event, cast, role):
    response = _as(client, cast, role).get(f"/events/{event.slug}/organise/vote/feedback.csv")
    assert response.status_code == EXPORT_EXPECTED[role]
    text = response.data.decode("utf-8-sig")
    assert (NAMED_TEXT in text) is (role == "organiser")
    assert ANONYMOUS_AUTHOR not in text


# --- The form says who reads it -----------------------------------------------------------------


def test_the_form_says_who_reads_the_feedback_and_offers_to_hide_the_name(client, event, cast):
    team = teams_of(event)[0]
    sign_in(client, cast["participant"])
    page = client.get(stand_path(team)).text
    text = unescape(page)
    assert "Read by the team, its facilitator, the challenge owner and the organisers" in text
    assert "not by other participants" in text
    assert 'type="checkbox"' in page and 'name="anonymous"' in page
    assert '<label for="anonymous">Don\'t show my name</label>' in text
    assert 'aria-describedby="anonymous-hint"' in page


def test_the_form_reads_in_french(client, event, cast):
    client.set_cookie("facilitate_lang", "fr")
    sign_in(client, cast["participant"])
    text = unescape(client.get(stand_path(teams_of(event)[0])).text)
    assert "Ne pas afficher mon nom" in text
    assert (
        "Lu par l’équipe, la personne qui l’anime, le porteur du défi et les organisateurs" in text
    )


# --- Anonymous feedback, end to end -------------------------------------------------------------


@pytest.fixture
def browser(app):
    """A phone or laptop of its own for each person (no flashed welcome from the last one)."""

    def new():
        client = app.test_client()
        client.set_cookie("facilitate_lang", "en")
        return client

    return new


def _leave_feedback(client, event, team, visitor, **data):
    sign_in(client, visitor)
    response = client.post(stand_path(team, "/feedback"), data=data)
    assert response.status_code == 303


def test_feedback_without_a_name_stays_anonymous_for_the_team_the_owner_and_organisers(
    browser, make, event, cast
):
    team = teams_of(event)[0]
    visitor = make.participant(event, name="Alix Prudente")
    db.session.commit()
    _leave_feedback(
        browser(), event, team, visitor, could_be_better="Les délais affichés", anonymous="y"
    )
    entry = db.session.scalars(
        select(FeedbackEntry).where(FeedbackEntry.could_be_better == "Les délais affichés")
    ).one()
    # The system still knows whose it is; nobody is shown.
    assert (entry.author_id, entry.anonymous, entry.at_exhibition) == (visitor.id, True, True)

    for role in READERS:
        client = browser()
        sign_in(client, cast[role])
        text = unescape(client.get(f"/events/{event.slug}/teams/1/workspace/prototyping").text)
        section = text.split('id="feedback-section"')[1].split("</section>")[0]
        entry_html = section.split("Les délais affichés")[0].rsplit("<li", 1)[1]
        assert "Anonymous visitor" in entry_html, role
        assert "Alix Prudente" not in text, role

    organiser = browser()
    sign_in(organiser, cast["organiser"])
    for fmt in ("csv", "xlsx"):
        rows = _export_rows(organiser, event, fmt)
        (row,) = [r for r in rows if "Les délais affichés" in r]
        assert "Anonymous visitor" in row
        assert all("Alix Prudente" not in str(cell) for r in rows for cell in r)


def test_feedback_with_a_name_shows_it(browser, make, event, cast):
    team = teams_of(event)[0]
    visitor = make.participant(event, name="Alix Prudente")
    db.session.commit()
    _leave_feedback(browser(), event, team, visitor, liked="Le plan de test")
    entry = db.session.scalars(
        select(FeedbackEntry).where(FeedbackEntry.liked == "Le plan de test")
    ).one()
    assert entry.anonymous is False
    client = browser()
    sign_in(client, cast["member"])
    text = unescape(client.get(f"/events/{event.slug}/teams/1/workspace/prototyping").text)
    assert "Alix Prudente" in text
    client = browser()
    sign_in(client, cast["organiser"])
    (row,) = [r for r in _export_rows(client, event, "csv") if "Le plan de test" in r]
    assert "Alix Prudente" in row


def test_only_stand_feedback_may_be_anonymous(make, event):
    """The team's own notes are signed by the member who wrote them (the database says so)."""
    team = teams_of(event)[0]
    member = make.participant(event, team=team)
    db.session.add(FeedbackEntry(team_id=team.id, author_id=member.id, body="x", anonymous=True))
    with pytest.raises(Exception, match="(?i)check|constraint"):
        db.session.flush()
    db.session.rollback()


def _export_rows(client, event, fmt: str) -> list[list]:
    response = client.get(f"/events/{event.slug}/organise/vote/feedback.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        text = response.data.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]
