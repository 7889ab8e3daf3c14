"""The workspace shows the team's current stage in full and the others light; each stage has
its own page, full and editable; an action returns to the page it was sent from; the journal
page holds what the workspace leaves out; every page runs a fixed number of queries."""

import re

import pytest

from facilitate.extensions import db
from facilitate.models import (
    FeedbackEntry,
    Idea,
    JournalEntry,
    Membership,
    Persona,
    PrototypeFile,
    Role,
    Stage,
)
from facilitate.workspace.pages import JOURNAL_RECENT
from tests.factories import sign_in

WORKSPACE = "/events/{slug}/teams/1/workspace"
# Per stage, the path of a form only that stage's panel holds (its action).
STAGE_FORMS = {
    Stage.FRAMING: ("/framing", "/personas"),
    Stage.IDEATION: ("/ideas",),
    Stage.PROTOTYPING: ("/prototype", "/files", "/feedback"),
    Stage.EXHIBITION: ("/pitch",),
}


@pytest.fixture
def room(make):
    event = make.event(challenges=2)
    team, other = event.challenges[0].team, event.challenges[1].team
    room = {
        "event": event,
        "team": team,
        "member": make.participant(event, team=team),
        "other member": make.participant(event, team=other),
        "url": WORKSPACE.format(slug=event.slug),
    }
    db.session.commit()
    return room


def _actions(page: str, url: str) -> set[str]:
    """The workspace form paths the page posts to (without the query string and anchor)."""
    found = set()
    for path in (p for paths in STAGE_FORMS.values() for p in paths):
        if f'action="{url}{path}#' in page or f'action="{url}{path}?' in page:
            found.add(path)
    return found


def _at(room, stage: Stage) -> None:
    room["team"].stage = stage
    db.session.commit()


@pytest.mark.parametrize("stage", list(Stage))
def test_each_stage_page_shows_its_content_and_forms(client, room, stage):
    sign_in(client, room["member"])
    response = client.get(f"{room['url']}/{stage.value}")
    assert response.status_code == 200
    page = response.text
    assert _actions(page, room["url"]) == set(STAGE_FORMS[stage])
    # Its forms bring the person back here.
    assert f"?back={stage.value}#" in page
    assert f'id="stage-{stage.value}"' in page and "checklist__rule" in page


@pytest.mark.parametrize("current", list(Stage))
def test_the_workspace_opens_only_the_current_stage(client, room, current):
    _at(room, current)
    sign_in(client, room["member"])
    page = client.get(room["url"]).text
    assert _actions(page, room["url"]) == set(STAGE_FORMS[current])
    assert "?back=" not in page
    for stage in Stage:
        # Every stage keeps its checklist; the others link to their own page.
        assert f'id="stage-{stage.value}"' in page
        link = f'href="{room["url"]}/{stage.value}"'
        assert (link in page) == (stage != current)


def test_the_light_stages_summarise_what_was_done(client, room):
    team = room["team"]
    _at(room, Stage.EXHIBITION)
    db.session.add_all(
        [
            Persona(team_id=team.id, name="Marie"),
            Idea(team_id=team.id, title="Un guichet"),
            Idea(team_id=team.id, title="Un bus itinérant", retained_reason="Proche"),
        ]
    )
    db.session.flush()
    retained = db.session.query(Idea).filter_by(title="Un bus itinérant").one()
    from facilitate.models._types import utcnow

    retained.retained_at = utcnow()
    team.prototype_summary = "Une maquette en carton"
    db.session.commit()
    sign_in(client, room["member"])
    page = client.get(room["url"]).text
    assert "1\u00a0persona" in page or "1 persona" in page
    assert "2\u00a0idées" in page or "2 idées" in page
    assert "Un bus itinérant" in page
    assert "Une maquette en carton" in page


def test_stage_pages_are_for_the_event_s_people(client, room, make):
    url = room["url"]
    assert client.get(f"{url}/ideation").status_code in (302, 303)  # signed out: sign in
    stranger = make.participant(make.event(challenges=1))
    db.session.commit()
    sign_in(client, stranger)
    for stage in Stage:
        assert client.get(f"{url}/{stage.value}").status_code == 403
    client.post("/sign-out")
    sign_in(client, room["other member"])
    # Another team's member reads, and gets no form.
    page = client.get(f"{url}/framing")
    assert page.status_code == 200 and not _actions(page.text, url)
    assert client.get(f"{url}/nowhere").status_code == 404
    assert client.get(f"/events/{room['event'].slug}/teams/9/workspace/framing").status_code == 404


def test_an_action_returns_to_the_page_it_was_sent_from(client, room):
    sign_in(client, room["member"])
    url = room["url"]
    # From the ideation page, while the team frames: back to the ideation page, at the card.
    response = client.post(f"{url}/ideas?back=ideation", data={"idea-title": "Une borne"})
    idea = db.session.query(Idea).one()
    assert response.status_code == 303
    assert response.location.endswith(f"{url}/ideation#idea-{idea.id}")
    page = client.get(f"{url}/ideation").text
    assert 'data-flash-target="idea-' in page
    # From the workspace, where framing is open: back to the workspace.
    response = client.post(f"{url}/personas", data={"name": "Marie"})
    assert response.location.endswith(f"{url}#personas")
    # The same form on the framing page returns to it, its message in its section.
    response = client.post(f"{url}/personas?back=framing", data={"name": "Paul"})
    assert response.location.endswith(f"{url}/framing#personas")
    assert 'data-flash-target="personas"' in client.get(f"{url}/framing").text
    # A form about a stage the workspace does not show in full returns to that stage's page.
    response = client.post(f"{url}/pitch", data={"pitch": "Court."})
    assert response.location.endswith(f"{url}/exhibition#pitch-panel")
    # Nothing but a stage is taken from the query string.
    response = client.post(f"{url}/personas?back=https://example.org", data={"name": "Léa"})
    assert response.location.endswith(f"{url}#personas")


def test_a_refused_form_comes_back_on_its_page_with_the_input_kept(client, room):
    sign_in(client, room["member"])
    url = room["url"]
    response = client.post(f"{url}/ideas?back=ideation", data={"idea-description": "Sans titre"})
    assert response.status_code == 400
    assert "Sans titre" in response.text and "field--error" in response.text
    assert f'action="{url}/ideas?back=ideation#ideation"' in response.text
    long = "x" * 2001
    response = client.post(f"{url}/journal?back=journal", data={"body": long})
    assert response.status_code == 400 and long in response.text
    assert f'action="{url}/journal?back=journal#journal"' in response.text


def test_the_workspace_shows_the_latest_journal_entries_and_the_journal_page_all(client, room):
    team, member = room["team"], room["member"]
    for i in range(JOURNAL_RECENT + 3):
        db.session.add(
            JournalEntry(team_id=team.id, stage=Stage.FRAMING, body=f"Entrée n°{i:02d}.")
        )
    db.session.commit()
    sign_in(client, member)
    url = room["url"]
    page = client.get(url).text
    assert page.count("history__entry") == JOURNAL_RECENT
    assert f'href="{url}/journal"' in page
    journal = client.get(f"{url}/journal").text
    assert all(f"Entrée n°{i:02d}." in journal for i in range(JOURNAL_RECENT + 3))
    response = client.post(f"{url}/journal?back=journal", data={"body": "Depuis le journal."})
    assert response.location.endswith(f"{url}/journal#journal")


def test_no_link_to_the_journal_page_when_the_workspace_shows_it_all(client, room):
    sign_in(client, room["member"])
    assert f'href="{room["url"]}/journal"' not in client.get(room["url"]).text


PAGES = ["", "/framing", "/ideation", "/prototyping", "/exhibition", "/journal"]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_runs_the_same_queries_however_much_work(client, make, count_queries, path):
    """The same count with a little work and with much more: ideas, personas, journal,
    files, feedback."""
    measured = []
    for amount in (1, 12):
        event = make.event(challenges=2)
        team = event.challenges[0].team
        member = make.participant(event, team=team)
        facilitator = make.participant(event)
        db.session.add(Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR))
        for i in range(amount):
            db.session.add_all(
                [
                    Persona(team_id=team.id, name=f"Persona {i}"),
                    Idea(team_id=team.id, title=f"Idée {i}", author_id=member.id),
                    JournalEntry(team_id=team.id, stage=Stage.FRAMING, body=f"Entrée {i}"),
                    FeedbackEntry(team_id=team.id, body=f"Retour {i}", author_id=member.id),
                    PrototypeFile(
                        team_id=team.id,
                        original_name=f"plan-{i}.pdf",
                        content_type="application/pdf",
                        size_bytes=1000,
                        storage_name=f"{event.slug}-{i:032d}.pdf",
                        is_photo=False,
                    ),
                ]
            )
        db.session.commit()
        url = WORKSPACE.format(slug=event.slug) + path
        for person in (member, facilitator):
            sign_in(client, person)
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            measured.append((person is member, len(queries)))
            client.post("/sign-out")
    assert measured[0] == measured[2] and measured[1] == measured[3], measured


def test_forms_rendered_once_carry_each_session_s_token_and_what_is_stored(app, room, monkeypatch):
    """The empty forms and the forms showing what is stored are rendered once
    (workspace/blank_forms.py): each page still carries its own session's CSRF token, and a
    change to what is stored shows at once."""
    first, second = app.test_client(), app.test_client()
    for other in (first, second):
        sign_in(other, room["member"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = room["url"] + "/framing"
    tokens = []
    for other in (first, second):
        page = other.get(url).text
        found = set(re.findall(r'name="[a-z-]*csrf_token" type="hidden" value="([^"]+)"', page))
        assert len(found) == 1, found
        tokens.append(found.pop())
        assert "\x00" not in page
    assert tokens[0] != tokens[1]
    for question in ("Comment accueillir ?", "Comment mieux accueillir ?"):
        room["team"].working_question = question
        db.session.commit()
        # In the form itself, not only in the page's title.
        shown = re.search(
            r'name="working_question"[^>]*>\s*([^<]*)</textarea>', first.get(url).text
        )
        assert shown and shown[1] == question, shown
