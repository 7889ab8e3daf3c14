"""Checklists tick when the work is done (issue 12, item 8): one rule per item, computed by one
function for the workspace and the dashboard; dots count when every member has placed theirs or
the facilitator closed the dot vote; test notes count, visitors' feedback does not."""

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import (
    FeedbackEntry,
    Idea,
    JournalEntry,
    Membership,
    Persona,
    PrototypeFile,
    PrototypeKind,
    Role,
    Stage,
    Team,
)
from facilitate.models._types import utcnow
from facilitate.workspace import ideas
from facilitate.workspace.checklists import checklist
from facilitate.workspace.services import WorkCounts, work_counts
from tests.factories import sign_in

WORKSPACE = "/events/{slug}/teams/1/workspace"


@pytest.fixture
def room(make):
    """Team 1 has two members (one of whom will be absent), a facilitator and an owner."""
    event = make.event(challenges=2)
    team = event.challenges[0].team
    people = {
        "member": make.participant(event, team=team),
        "absent member": make.participant(event, team=team),
        "visitor": make.participant(event, team=event.challenges[1].team),
        "organiser": make.organiser(event),
    }
    for key, role in (("facilitator", Role.FACILITATOR), ("owner", Role.CHALLENGE_OWNER)):
        people[key] = make.participant(event)
        db.session.add(Membership(user=people[key], event=event, team=team, role=role))
    db.session.commit()
    return {"event": event, "team": team, "url": WORKSPACE.format(slug=event.slug), **people}


def _items(team, stage):
    db.session.expire_all()
    with force_locale("en"):
        items = checklist(team, stage, work_counts([team.id])[team.id])
    return {item.label: item for item in items}


def _done(team, stage, label) -> bool:
    return _items(team, stage)[label].done


def _ideas(room, n):
    made = [Idea(team_id=room["team"].id, title=f"Idée {i}") for i in range(n)]
    db.session.add_all(made)
    db.session.flush()
    return made


DOTS = "Members have placed their dots"


# --- Dots placed


def test_dots_tick_only_when_every_member_has_placed_all_theirs(room):
    team, cards = room["team"], _ideas(room, 4)  # three dots each (the event's default)
    assert not _done(team, Stage.IDEATION, DOTS)
    for idea in cards[:3]:
        ideas.place_dot(team, idea, room["member"])
    assert not _done(team, Stage.IDEATION, DOTS), "one member still has all their dots"
    for idea in cards[:2]:
        ideas.place_dot(team, idea, room["absent member"])
    assert not _done(team, Stage.IDEATION, DOTS), "one dot left to place"
    ideas.place_dot(team, cards[3], room["absent member"])
    assert _done(team, Stage.IDEATION, DOTS)


def test_with_fewer_ideas_than_dots_one_dot_per_idea_is_enough(room):
    team, cards = room["team"], _ideas(room, 2)
    for person in ("member", "absent member"):
        for idea in cards:
            ideas.place_dot(team, idea, room[person])
    assert _done(team, Stage.IDEATION, DOTS)


def test_facilitators_and_owners_dots_are_not_awaited(room):
    """Only members place dots: the facilitator and the owner are not waited for."""
    team, cards = room["team"], _ideas(room, 1)
    for person in ("member", "absent member"):
        ideas.place_dot(team, cards[0], room[person])
    assert _done(team, Stage.IDEATION, DOTS)


def test_a_team_without_ideas_or_members_has_not_placed_its_dots(room, make):
    assert not _done(room["team"], Stage.IDEATION, DOTS)
    empty = room["event"].challenges[1].team
    db.session.execute(Membership.__table__.delete().where(Membership.team_id == empty.id))
    _ideas({"team": empty}, 1)
    assert not _done(empty, Stage.IDEATION, DOTS)


def test_with_a_member_absent_the_facilitator_closes_the_dot_vote(client, room):
    team, cards = room["team"], _ideas(room, 3)
    for idea in cards:
        ideas.place_dot(team, idea, room["member"])
    db.session.commit()
    assert not _done(team, Stage.IDEATION, DOTS), "the absent member placed none"

    sign_in(client, room["facilitator"])
    page = client.get(room["url"] + "/ideation")
    assert "Clore le vote par gommettes" in page.text
    response = client.post(f"{room['url']}/dots", data={"action": "close"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#dot-vote")
    assert _done(team, Stage.IDEATION, DOTS)
    journal = db.session.scalars(select(JournalEntry.body)).all()
    assert "Vote par gommettes clos." in journal

    page = client.get(room["url"] + "/ideation")
    assert "Le vote par gommettes est clos" in page.text
    assert "Rouvrir le vote par gommettes" in page.text
    # Closing twice (a second click) changes nothing and says why.
    again = client.post(f"{room['url']}/dots", data={"action": "close"})
    assert again.status_code == 409
    assert "déjà clos" in again.text
    assert len(db.session.scalars(select(JournalEntry.body)).all()) == 1

    # Dots no longer move: the late member is told so next to the idea, nothing is saved.
    sign_in(client, room["absent member"])
    refused = client.post(f"{room['url']}/ideas/{cards[0].id}/dot", data={"action": "place"})
    assert refused.status_code == 409
    assert "Le vote par gommettes est clos" in refused.text
    assert "Placer une gommette" not in refused.text

    sign_in(client, room["facilitator"])
    client.post(f"{room['url']}/dots", data={"action": "reopen"})
    assert not _done(team, Stage.IDEATION, DOTS)
    assert "Vote par gommettes rouvert." in db.session.scalars(select(JournalEntry.body)).all()


@pytest.mark.parametrize(
    "who, status",
    [
        ("member", 403),
        ("owner", 403),
        ("visitor", 403),
        ("facilitator", 303),
        ("organiser", 303),
    ],
)
def test_only_the_facilitator_or_an_organiser_closes_the_dot_vote(client, room, who, status):
    sign_in(client, room[who])
    response = client.post(f"{room['url']}/dots", data={"action": "close"})
    assert response.status_code == status
    db.session.expire_all()
    assert (room["team"].dots_closed_at is not None) == (status == 303)
    if status == 403:
        assert "Clore le vote par gommettes" not in client.get(room["url"] + "/ideation").text


def test_closing_the_dot_vote_needs_a_form_with_its_csrf_token(app, client, room, monkeypatch):
    sign_in(client, room["organiser"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(f"{room['url']}/dots", data={"action": "close"})
    assert response.status_code == 400
    db.session.expire_all()
    assert room["team"].dots_closed_at is None


def test_a_made_up_action_is_refused_and_changes_nothing(client, room):
    sign_in(client, room["facilitator"])
    response = client.post(f"{room['url']}/dots", data={"action": "delete"})
    assert response.status_code == 400
    db.session.expire_all()
    assert room["team"].dots_closed_at is None


def test_anonymous_people_are_sent_to_sign_in(client, room):
    response = client.post(f"{room['url']}/dots", data={"action": "close"})
    assert response.status_code == 302


# --- Feedback from tests


FEEDBACK = "Feedback from tests"


def test_visitors_feedback_at_the_stand_does_not_tick_the_test_notes(room):
    team = room["team"]
    db.session.add(
        FeedbackEntry(
            team_id=team.id, author_id=room["visitor"].id, at_exhibition=True, liked="Oui"
        )
    )
    db.session.flush()
    assert not _done(team, Stage.PROTOTYPING, FEEDBACK)


def test_the_teams_own_test_notes_tick_it(client, room):
    sign_in(client, room["member"])
    response = client.post(f"{room['url']}/feedback", data={"feedback": "Testé avec 3 agents."})
    assert response.status_code == 303
    assert _done(room["team"], Stage.PROTOTYPING, FEEDBACK)


# --- Every other rule, one line each: the condition that ticks the item


def _framing_lists(team, room):
    team.framing_users = ["Habitants"]


def _persona(team, room):
    db.session.add(Persona(team_id=team.id, name="Hélène"))


def _three_ideas(team, room):
    _ideas(room, 3)


def _retained(team, room):
    db.session.add(Idea(team_id=team.id, title="Retenue", retained_at=utcnow()))


def _endorsed(team, room):
    db.session.add(
        Idea(team_id=team.id, title="Validée", retained_at=utcnow(), endorsed_at=utcnow())
    )


def _file(team, room):
    db.session.add(
        PrototypeFile(
            team_id=team.id,
            original_name="plan.pdf",
            content_type="application/pdf",
            size_bytes=10,
            storage_name="x" * 32,
        )
    )


def _poster(team, room):
    _retained(team, room)
    team.prototype_summary = "Un guichet mobile"


RULES = [
    (
        Stage.FRAMING,
        "The working question is written",
        lambda t, r: setattr(t, "working_question", "Comment ?"),
    ),
    (Stage.FRAMING, "Stakeholders, users, obstacles and levers are reviewed", _framing_lists),
    (Stage.FRAMING, "At least one persona", _persona),
    (
        Stage.FRAMING,
        "What already exists is noted",
        lambda t, r: setattr(t, "existing_solutions", "Rien"),
    ),
    (Stage.IDEATION, "At least three ideas", _three_ideas),
    (Stage.IDEATION, "An idea is retained, with why it answers the owner", _retained),
    (Stage.IDEATION, "The challenge owner endorsed it", _endorsed),
    (
        Stage.PROTOTYPING,
        "What the prototype is",
        lambda t, r: (
            setattr(t, "prototype_kind", PrototypeKind.SERVICE),
            setattr(t, "prototype_summary", "Un guichet"),
        ),
    ),
    (Stage.PROTOTYPING, "What it tests", lambda t, r: setattr(t, "prototype_tests", "L'accueil")),
    (Stage.PROTOTYPING, "A test plan", lambda t, r: setattr(t, "test_plan", "Trois agents")),
    (Stage.PROTOTYPING, "Photos or files", _file),
    (Stage.EXHIBITION, "A pitch", lambda t, r: setattr(t, "pitch", "En deux mots")),
    (Stage.EXHIBITION, "The retained idea and the prototype summary for the poster", _poster),
]


@pytest.mark.parametrize("stage, label, make_it_true", RULES, ids=[rule[1] for rule in RULES])
def test_each_item_ticks_on_its_rule_and_not_before(room, stage, label, make_it_true):
    team = room["team"]
    assert not _done(team, stage, label)
    make_it_true(team, room)
    db.session.flush()
    assert _done(team, stage, label)


def test_every_item_has_a_rule_in_words_and_a_test_here():
    covered = {rule[1] for rule in RULES} | {DOTS, FEEDBACK}
    for stage in Stage:
        with force_locale("en"):
            items = checklist(Team(), stage, WorkCounts())
        for item in items:
            assert item.rule.startswith("Ticks"), item
            assert item.label in covered, f"no test for “{item.label}”"


# --- Where the rules show


def test_the_workspace_shows_each_rule_to_hover_and_keyboard_focus(client, room):
    sign_in(client, room["member"])
    html = client.get(room["url"]).text
    assert 'aria-describedby="rule-ideation-2"' in html
    assert 'id="rule-ideation-2" role="tooltip"' in html
    assert "clôt le vote par gommettes" in html
    assert 'class="checklist__label" tabindex="0"' in html


def test_the_dashboard_counts_with_the_same_rules(client, room):
    team, cards = room["team"], _ideas(room, 3)
    room["event"].stage = Stage.IDEATION
    team.stage = Stage.IDEATION
    for idea in cards:
        ideas.place_dot(team, idea, room["member"])
    db.session.commit()
    sign_in(client, room["organiser"])
    dashboard = f"/events/{room['event'].slug}/dashboard"
    assert "1/4" in client.get(dashboard).text  # three ideas; dots still awaited
    ideas.close_dot_vote(team, room["facilitator"])
    db.session.commit()
    assert "2/4" in client.get(dashboard).text
