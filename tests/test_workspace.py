"""The team workspace: who may do what (as a table), framing without lost work, stage gates,
the journal, and a fixed number of queries."""

import io

import pytest
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import (
    Dot,
    FeedbackEntry,
    Idea,
    JournalEntry,
    Membership,
    Persona,
    PrototypeFile,
    Role,
    Stage,
    Team,
    TeamComment,
)
from facilitate.models._types import utcnow
from tests.factories import sign_in

ROLES = (
    "organiser",
    "facilitator",
    "other facilitator",
    "challenge owner",
    "member",
    "other member",
    "participant",
    "anonymous",
)


@pytest.fixture
def people(make):
    """One event with two teams, and a person in each role towards team 1."""
    event = make.event(challenges=2)
    team, other = event.challenges[0].team, event.challenges[1].team

    def with_role(role, on_team):
        person = make.participant(event)
        db.session.add(Membership(user=person, event=event, team=on_team, role=role))
        return person

    cast = {
        "organiser": make.organiser(event),
        "facilitator": with_role(Role.FACILITATOR, team),
        "other facilitator": with_role(Role.FACILITATOR, other),
        "challenge owner": with_role(Role.CHALLENGE_OWNER, team),
        "member": make.participant(event, team=team),
        "other member": make.participant(event, team=other),
        "participant": make.participant(event),
        "anonymous": None,
    }
    idea = Idea(team_id=team.id, title="Un guichet unique", author_id=cast["member"].id)
    retained = Idea(
        team_id=team.id,
        title="Un agent itinérant",
        retained_at=utcnow(),
        retained_reason="Proche des usagers",
    )
    db.session.add_all([idea, retained])
    db.session.commit()
    cast["event"], cast["team"], cast["idea"], cast["retained"] = event, team, idea.id, retained.id
    return cast


WORKSPACE = "/events/{slug}/teams/1/workspace"
ACTIONS = {
    "read the workspace": ("get", "", {}),
    "edit the framing": ("post", "/framing", {"working_question": "Comment faire ?"}),
    "add a persona": ("post", "/personas", {"name": "Marie, 34 ans"}),
    "write in the journal": ("post", "/journal", {"body": "Premier atelier."}),
    "open the next stage": ("post", "/stage", {"stage": "ideation"}),
    "add an idea": ("post", "/ideas", {"idea-title": "Une borne d’accueil"}),
    "place a dot": ("post", "/ideas/{idea}/dot", {"action": "place"}),
    "retain an idea": (
        "post",
        "/ideas/{idea}/retain",
        {"retain-{idea}-reason": "Elle répond au besoin."},
    ),
    "endorse the retained idea": ("post", "/ideas/{retained}/endorse", {}),
    "comment on an idea": ("post", "/ideas/{idea}/comments", {"comment-{idea}-body": "À creuser."}),
    "describe the prototype": (
        "post",
        "/prototype",
        {"prototype_kind": "service", "prototype_summary": "Un guichet"},
    ),
    "add test feedback": ("post", "/feedback", {"feedback": "Très utile."}),
    "write the pitch": ("post", "/pitch", {"pitch": "Notre idée en deux phrases."}),
    "add a file": ("post", "/files", {"file": "PDF"}),
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OK, DENIED, SIGN_IN = "ok", 403, 302
EXPECTED = {
    "read the workspace": dict.fromkeys(ROLES[:-1], OK) | {"anonymous": SIGN_IN},
    "edit the framing": {
        "organiser": OK,
        "facilitator": OK,
        "other facilitator": DENIED,
        "challenge owner": DENIED,
        "member": OK,
        "other member": DENIED,
        "participant": DENIED,
        "anonymous": SIGN_IN,
    },
    "open the next stage": {
        "organiser": OK,
        "facilitator": OK,
        "other facilitator": DENIED,
        "challenge owner": DENIED,
        "member": DENIED,
        "other member": DENIED,
        "participant": DENIED,
        "anonymous": SIGN_IN,
    },
}
EXPECTED["add a persona"] = EXPECTED["edit the framing"]
EXPECTED["write in the journal"] = EXPECTED["edit the framing"]
for _action in (
    "add an idea",
    "describe the prototype",
    "add test feedback",
    "write the pitch",
    "add a file",
):
    EXPECTED[_action] = EXPECTED["edit the framing"]


def _only(*allowed):
    return {
        role: OK if role in allowed else (SIGN_IN if role == "anonymous" else DENIED)
        for role in ROLES
    }


EXPECTED["place a dot"] = _only("member")
EXPECTED["retain an idea"] = _only("organiser", "facilitator")
EXPECTED["endorse the retained idea"] = _only("organiser", "challenge owner")
EXPECTED["comment on an idea"] = _only("organiser", "facilitator", "challenge owner", "member")


def _snapshot(team: Team) -> tuple:
    """Everything a workspace action could change, to check that a refusal changed nothing."""
    db.session.expire_all()
    team = db.session.get(Team, team.id)

    def count(model, *where):
        return db.session.scalar(
            select(func.count()).select_from(model).where(model.team_id == team.id, *where)
        )

    return (
        team.stage,
        team.working_question,
        team.prototype_summary,
        team.pitch,
        count(Persona),
        count(JournalEntry),
        count(Idea),
        count(Dot),
        count(TeamComment),
        count(FeedbackEntry),
        count(PrototypeFile),
        tuple(
            db.session.scalars(
                select(Idea.id).where(Idea.team_id == team.id, Idea.retained_at.is_not(None))
            )
        ),
        count(Idea, Idea.endorsed_at.is_not(None)),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_workspace_authorization_table(app, client, people, action, role, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    method, path, data = ACTIONS[action]
    ids = {"idea": people["idea"], "retained": people["retained"]}
    path = path.format(**ids)
    data = {key.format(**ids): value for key, value in data.items()}
    if data.get("file") == "PDF":
        data["file"] = (io.BytesIO(PDF), "plan.pdf")
    if people[role] is not None:
        sign_in(client, people[role])
    url = WORKSPACE.format(slug=people["event"].slug) + path
    before = _snapshot(people["team"])
    response = client.get(url) if method == "get" else client.post(url, data=data)
    expected = EXPECTED[action][role]
    if expected == OK:
        assert response.status_code in (200, 303), response.status_code
        if method == "post":
            assert _snapshot(people["team"]) != before
    else:
        assert response.status_code == expected
        if expected == SIGN_IN:
            assert response.headers["Location"].startswith("/sign-in")
        assert _snapshot(people["team"]) == before  # a refused action changes nothing


def test_framing_lists_start_from_the_sheet_and_never_change_it(client, people):
    challenge = people["event"].challenges[0]
    challenge.stakeholders = ["Mairie", "Habitants"]
    db.session.commit()
    sign_in(client, people["member"])
    url = WORKSPACE.format(slug=people["event"].slug)
    page = client.get(url).text
    assert 'value="Mairie"' in page  # the team's list starts from the sheet's
    base = page.split('name="base_stakeholders" type="hidden" value="')[1].split('"')[0]
    client.post(
        f"{url}/framing",
        data={
            "stakeholders-0": "Mairie",
            "stakeholders-1": "Associations",
            "base_stakeholders": base,
        },
    )
    db.session.refresh(challenge)
    assert challenge.stakeholders == ["Mairie", "Habitants"]  # the sheet is untouched
    assert people["team"].framing_stakeholders == ["Mairie", "Associations"]


def test_two_members_editing_the_same_field_never_overwrite_each_other(app, client, people, make):
    url = WORKSPACE.format(slug=people["event"].slug)
    second = app.test_client()
    sign_in(client, people["member"])
    sign_in(second, people["facilitator"])
    page = client.get(url).text
    base = page.split('name="base_working_question" type="hidden" value="')[1].split('"')[0]
    # Both opened the page with an empty question; the facilitator saves first.
    assert (
        second.post(
            f"{url}/framing",
            data={"working_question": "Comment A ?", "base_working_question": base},
        ).status_code
        == 303
    )
    clash = client.post(
        f"{url}/framing", data={"working_question": "Comment B ?", "base_working_question": base}
    )
    assert clash.status_code == 409
    assert "Comment A ?" in clash.text and "Comment B ?" in clash.text  # both versions shown
    db.session.refresh(people["team"])
    assert people["team"].working_question == "Comment A ?"  # nothing silently overwritten
    # Merged and saved from the fresh form: now it goes through.
    fresh = clash.text.split('name="base_working_question" type="hidden" value="')[1].split('"')[0]
    assert (
        client.post(
            f"{url}/framing",
            data={"working_question": "Comment A et B ?", "base_working_question": fresh},
        ).status_code
        == 303
    )
    db.session.refresh(people["team"])
    assert people["team"].working_question == "Comment A et B ?"


def test_a_field_left_alone_keeps_the_other_person_s_change(app, client, people):
    url = WORKSPACE.format(slug=people["event"].slug)
    sign_in(client, people["member"])
    page = client.get(url).text
    bases = {
        name: page.split(f'name="base_{name}" type="hidden" value="')[1].split('"')[0]
        for name in ("working_question", "existing_solutions")
    }
    other = app.test_client()
    sign_in(other, people["facilitator"])
    other.post(
        f"{url}/framing",
        data={
            "working_question": "Comment A ?",
            "base_working_question": bases["working_question"],
        },
    )
    response = client.post(
        f"{url}/framing",
        data={
            "working_question": "",
            "existing_solutions": "Un guichet unique existe.",
            **{f"base_{k}": v for k, v in bases.items()},
        },
    )
    assert response.status_code == 303
    db.session.refresh(people["team"])
    assert people["team"].working_question == "Comment A ?"
    assert people["team"].existing_solutions == "Un guichet unique existe."


def test_stage_gate_warns_about_an_unfinished_checklist_but_opens_and_logs_it(client, people):
    sign_in(client, people["facilitator"])
    url = WORKSPACE.format(slug=people["event"].slug)
    response = client.post(f"{url}/stage", data={"stage": "ideation"})
    assert response.status_code == 303
    db.session.refresh(people["team"])
    assert people["team"].stage == Stage.IDEATION
    page = client.get(url).text
    assert "flash--warning" in page
    entry = db.session.scalar(select(JournalEntry).where(JournalEntry.team_id == people["team"].id))
    assert entry.automatic and "Idéation" in entry.body
    client.post(f"{url}/stage", data={"stage": "framing"})  # and back
    db.session.refresh(people["team"])
    assert people["team"].stage == Stage.FRAMING
    client.post(f"{url}/stage", data={"stage": "nowhere"})
    db.session.refresh(people["team"])
    assert people["team"].stage == Stage.FRAMING


def test_empty_or_overlong_journal_entries_are_refused_with_input_kept(client, people):
    sign_in(client, people["member"])
    url = WORKSPACE.format(slug=people["event"].slug)
    assert client.post(f"{url}/journal", data={"body": "   "}).status_code == 400
    long = "x" * 2001
    response = client.post(f"{url}/journal", data={"body": long})
    assert response.status_code == 400 and long in response.text
    assert db.session.scalar(select(JournalEntry.id)) is None


def test_workspace_runs_a_fixed_number_of_queries(client, make, count_queries):
    """The same count for a team of an event of 14 teams and one of 200, with more entries."""
    measured = []
    for teams in (14, 200):
        event = make.event(challenges=teams)
        team = event.challenges[0].team
        member = make.participant(event, team=team)
        for i in range(teams // 4):
            db.session.add(Persona(team_id=team.id, name=f"Persona {i}"))
            db.session.add(
                JournalEntry(
                    team_id=team.id, stage=Stage.FRAMING, body=f"Entrée {i}", author_id=member.id
                )
            )
        db.session.commit()
        url = WORKSPACE.format(slug=event.slug)
        sign_in(client, member)
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        measured.append(len(queries))
        client.post("/sign-out")
    assert measured[0] == measured[1], measured
