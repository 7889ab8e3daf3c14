"""Ideation in the workspace: idea cards, dots within the limit, one retained idea with its
reason, the challenge owner's endorsement and comments, and a fixed number of queries."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import Dot, Idea, JournalEntry, Membership, Role, Stage, TeamComment
from facilitate.models._types import utcnow
from facilitate.workspace import ideas
from tests.factories import sign_in

WORKSPACE = "/events/{slug}/teams/1/workspace"


@pytest.fixture
def room(make):
    """An event with two teams; team 1, at the ideation stage (which its workspace shows in
    full), has two members, a facilitator and a challenge owner."""
    event = make.event(challenges=2)
    team, other = event.challenges[0].team, event.challenges[1].team
    team.stage = Stage.IDEATION

    def with_role(role):
        person = make.participant(event)
        db.session.add(Membership(user=person, event=event, team=team, role=role))
        return person

    room = {
        "event": event,
        "team": team,
        "member": make.participant(event, team=team),
        "second member": make.participant(event, team=team),
        "facilitator": with_role(Role.FACILITATOR),
        "owner": with_role(Role.CHALLENGE_OWNER),
        "organiser": make.organiser(event),
        "other member": make.participant(event, team=other),
    }
    db.session.commit()
    room["url"] = WORKSPACE.format(slug=event.slug)
    return room


def _idea(room, title="Une idée", age_minutes=0, **fields):
    idea = Idea(
        team_id=room["team"].id,
        title=title,
        author_id=room["member"].id,
        created_at=utcnow() - timedelta(minutes=age_minutes),
        **fields,
    )
    db.session.add(idea)
    db.session.commit()
    return idea


def _dot(client, room, idea, action="place"):
    return client.post(f"{room['url']}/ideas/{idea.id}/dot", data={"action": action})


def _dots(user=None):
    query = select(func.count(Dot.id))
    if user is not None:
        query = query.where(Dot.user_id == user.id)
    return db.session.scalar(query)


# --- Idea cards


def test_a_member_adds_an_idea_with_author_and_time(client, room):
    sign_in(client, room["member"])
    response = client.post(
        f"{room['url']}/ideas",
        data={"idea-title": "  Un guichet unique  ", "idea-description": "Au même endroit."},
    )
    assert response.status_code == 303
    idea = db.session.scalar(select(Idea))
    assert response.location.endswith(f"#idea-{idea.id}")
    assert (idea.title, idea.description, idea.author_id) == (
        "Un guichet unique",
        "Au même endroit.",
        room["member"].id,
    )
    assert idea.created_at is not None
    page = client.get(room["url"]).text
    assert "Un guichet unique" in page and room["member"].name in page


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_bad_title_comes_back_next_to_the_field_with_input_kept(client, room, title):
    sign_in(client, room["facilitator"])
    response = client.post(
        f"{room['url']}/ideas",
        data={"idea-title": title, "idea-description": "Gardée telle quelle"},
    )
    assert response.status_code == 400
    assert 'id="idea-title-error"' in response.text
    assert "Gardée telle quelle" in response.text
    assert db.session.scalar(select(func.count(Idea.id))) == 0


def test_another_teams_member_can_neither_add_ideas_nor_place_dots(client, room):
    idea = _idea(room)
    sign_in(client, room["other member"])
    assert client.post(f"{room['url']}/ideas", data={"idea-title": "Intrus"}).status_code == 403
    assert _dot(client, room, idea).status_code == 403
    assert _dots() == 0


@pytest.mark.parametrize("who", ["facilitator", "owner", "organiser"])
def test_only_members_place_dots(client, room, who):
    idea = _idea(room)
    sign_in(client, room[who])
    assert _dot(client, room, idea).status_code == 403
    assert _dots() == 0


def test_an_idea_of_another_team_is_not_found(client, room, make):
    other_team = room["event"].challenges[1].team
    foreign = Idea(team_id=other_team.id, title="Ailleurs")
    db.session.add(foreign)
    db.session.commit()
    sign_in(client, room["member"])
    assert _dot(client, room, foreign).status_code == 404


# --- Dots


def test_dots_up_to_the_limit_then_a_clear_refusal_and_nothing_changed(client, room):
    room["event"].dots_per_member = 2
    first, second, third = (_idea(room, f"Idée {i}") for i in range(3))
    sign_in(client, room["member"])
    assert _dot(client, room, first).status_code == 303
    assert _dot(client, room, second).status_code == 303
    response = _dot(client, room, third)
    assert response.status_code == 409
    assert 'role="alert"' in response.text
    assert "Vous avez placé vos 2 gommettes." in response.text
    assert _dots(room["member"]) == 2
    assert db.session.scalar(select(Dot).where(Dot.idea_id == third.id)) is None


def test_one_dot_per_idea_even_when_the_click_arrives_twice(client, room):
    idea = _idea(room)
    sign_in(client, room["member"])
    assert _dot(client, room, idea).status_code == 303
    again = _dot(client, room, idea)
    assert again.status_code == 409
    assert 'role="alert"' in again.text
    assert _dots(room["member"]) == 1


def test_a_race_past_the_check_is_refused_by_the_database(app, room, monkeypatch):
    """Both requests saw no dot; the unique constraint refuses the second, and the session
    stays usable."""
    idea = _idea(room)
    with app.test_request_context():
        db.session.add(Dot(idea_id=idea.id, user_id=room["member"].id, team_id=room["team"].id))
        db.session.flush()
        monkeypatch.setattr(ideas, "_dotted_ideas", lambda team, user: [])
        with pytest.raises(DomainError):
            ideas.place_dot(room["team"], idea, room["member"])
        assert _dots(room["member"]) == 1


def test_a_dot_is_taken_back_and_can_be_placed_elsewhere(client, room):
    room["event"].dots_per_member = 1
    first, second = _idea(room, "Première"), _idea(room, "Seconde")
    sign_in(client, room["member"])
    assert _dot(client, room, first).status_code == 303
    refused = _dot(client, room, second)
    assert refused.status_code == 409
    # One dot, said in the singular: never "vos 1 gommettes".
    assert "Vous avez placé votre seule gommette." in refused.text
    assert _dot(client, room, first, "remove").status_code == 303
    assert _dot(client, room, first, "remove").status_code == 409  # already taken back
    assert _dot(client, room, second).status_code == 303
    assert db.session.scalars(select(Dot.idea_id)).all() == [second.id]


def test_a_dot_form_without_a_known_action_changes_nothing(client, room):
    idea = _idea(room)
    sign_in(client, room["member"])
    assert _dot(client, room, idea, "both").status_code == 400
    assert _dots() == 0


def test_ideas_are_shown_by_dots_then_age(client, room):
    old = _idea(room, "Ancienne sans gommette", age_minutes=30)
    older = _idea(room, "Plus ancienne sans gommette", age_minutes=40)
    popular = _idea(room, "Populaire", age_minutes=1)
    liked = _idea(room, "Appréciée", age_minutes=20)
    for person, idea in [
        (room["member"], popular),
        (room["second member"], popular),
        (room["member"], liked),
    ]:
        db.session.add(Dot(idea_id=idea.id, user_id=person.id, team_id=room["team"].id))
    db.session.commit()

    sign_in(client, room["owner"])  # not a member: reads the tally, places no dot
    page = client.get(room["url"]).text
    order = [page.index(f'id="idea-{idea.id}"') for idea in (popular, liked, older, old)]
    assert order == sorted(order)
    assert f"workspace/ideas/{popular.id}/dot" not in page


# --- Retained idea, endorsement, comments


@pytest.mark.parametrize(
    ("who", "status"),
    [("facilitator", 303), ("organiser", 303), ("member", 403), ("owner", 403)],
)
def test_retaining_is_for_the_facilitator_or_an_organiser(client, room, who, status):
    idea = _idea(room)
    sign_in(client, room[who])
    response = client.post(
        f"{room['url']}/ideas/{idea.id}/retain",
        data={f"retain-{idea.id}-reason": "Elle répond au besoin d'accueil."},
    )
    assert response.status_code == status
    db.session.refresh(idea)
    assert (idea.retained_at is not None) is (status == 303)


def test_retaining_needs_a_reason(client, room):
    idea = _idea(room)
    sign_in(client, room["facilitator"])
    response = client.post(
        f"{room['url']}/ideas/{idea.id}/retain", data={f"retain-{idea.id}-reason": "  "}
    )
    assert response.status_code == 400
    assert f'id="retain-{idea.id}-reason-error"' in response.text
    db.session.refresh(idea)
    assert idea.retained_at is None


def test_retaining_another_idea_unretains_the_first_and_writes_the_journal(client, room):
    first, second = _idea(room, "Première"), _idea(room, "Seconde")
    sign_in(client, room["facilitator"])
    for idea, reason in [(first, "Simple."), (second, "Répond mieux à l'attente.")]:
        response = client.post(
            f"{room['url']}/ideas/{idea.id}/retain", data={f"retain-{idea.id}-reason": reason}
        )
        assert response.status_code == 303
    retained = db.session.scalars(select(Idea).where(Idea.retained_at.is_not(None))).all()
    assert [(i.id, i.retained_reason) for i in retained] == [
        (second.id, "Répond mieux à l'attente.")
    ]
    entries = db.session.scalars(
        select(JournalEntry).where(JournalEntry.automatic).order_by(JournalEntry.id)
    ).all()
    assert len(entries) == 2
    assert "Seconde" in entries[-1].body and "Répond mieux à l'attente." in entries[-1].body
    assert entries[-1].author_id == room["facilitator"].id


def test_the_database_keeps_one_retained_idea_per_team(room):
    _idea(room, "Première", retained_at=utcnow(), retained_reason="A")
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Idea(team_id=room["team"].id, title="Seconde", retained_at=utcnow()))


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 303), ("organiser", 303), ("facilitator", 403), ("member", 403)],
)
def test_the_challenge_owner_endorses_the_retained_idea(client, room, who, status):
    idea = _idea(room, retained_at=utcnow(), retained_reason="Parce que.")
    sign_in(client, room[who])
    assert client.post(f"{room['url']}/ideas/{idea.id}/endorse").status_code == status
    db.session.refresh(idea)
    if status == 303:
        assert idea.endorsed_by_id == room[who].id and idea.endorsed_at is not None
        assert room[who].name in client.get(room["url"]).text
    else:
        assert idea.endorsed_at is None


def test_only_the_retained_idea_can_be_endorsed(client, room):
    idea = _idea(room)
    sign_in(client, room["owner"])
    response = client.post(f"{room['url']}/ideas/{idea.id}/endorse")
    assert response.status_code == 409
    db.session.refresh(idea)
    assert idea.endorsed_at is None


def test_the_owner_comments_on_an_idea(client, room):
    idea = _idea(room)
    sign_in(client, room["owner"])
    response = client.post(
        f"{room['url']}/ideas/{idea.id}/comments",
        data={f"comment-{idea.id}-body": "Pensez aux horaires d'ouverture."},
    )
    assert response.status_code == 303
    comment = db.session.scalar(select(TeamComment))
    assert (comment.idea_id, comment.author_id, comment.stage.value) == (
        idea.id,
        room["owner"].id,
        "ideation",
    )
    assert "Pensez aux horaires d&#39;ouverture." in client.get(room["url"]).text
    empty = client.post(
        f"{room['url']}/ideas/{idea.id}/comments", data={f"comment-{idea.id}-body": ""}
    )
    assert empty.status_code == 400


def test_other_teams_people_cannot_comment(client, room):
    idea = _idea(room)
    sign_in(client, room["other member"])
    response = client.post(
        f"{room['url']}/ideas/{idea.id}/comments", data={f"comment-{idea.id}-body": "Bof."}
    )
    assert response.status_code == 403


# --- Queries


def _fill(room, make, n):
    voters = [room["member"], room["second member"]] + [
        make.participant(room["event"], team=room["team"]) for _ in range(3)
    ]
    made = [_idea(room, f"Idée {i}", age_minutes=i, description="Texte") for i in range(n)]
    for i, idea in enumerate(made):
        for voter in voters[: i % 4]:
            db.session.add(Dot(idea_id=idea.id, user_id=voter.id, team_id=room["team"].id))
        db.session.add(
            TeamComment(
                team_id=room["team"].id,
                author_id=room["owner"].id,
                stage=Stage.IDEATION,
                idea_id=idea.id,
                body="Bien.",
            )
        )
    made[0].retained_at, made[0].retained_reason = utcnow(), "Parce que."
    made[0].endorsed_by_id, made[0].endorsed_at = room["owner"].id, utcnow()
    db.session.commit()


@pytest.mark.parametrize("who", ["member", "organiser"])
def test_the_workspace_runs_a_fixed_number_of_queries(client, room, make, count_queries, who):
    sign_in(client, room[who])
    counts = []
    for n in (3, 60):
        for model in (TeamComment, Dot, Idea):
            db.session.execute(model.__table__.delete())
        _fill(room, make, n)
        with count_queries() as queries:
            response = client.get(room["url"])
        assert response.status_code == 200
        assert response.text.count('class="card" id="idea-') == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
