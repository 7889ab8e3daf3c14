"""The Rennes 2018 demo event: the challenges and themes of the seed document, loaded in the
middle of day 2 with its 200 people and their work, moved to the exhibition to rehearse the vote,
and the sign-in lines ``make run`` prints."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from facilitate.demo import DEMO_FILE, load_demo, load_demo_event
from facilitate.extensions import db
from facilitate.models import (
    Ballot,
    Challenge,
    Dot,
    Event,
    FeedbackEntry,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdate,
    Idea,
    Membership,
    Persona,
    PrototypeFile,
    Resource,
    Role,
    Stage,
    Team,
    Theme,
    User,
    VoteStatus,
)
from facilitate.workspace import uploads
from facilitate.workspace.checklists import checklist
from facilitate.workspace.services import work_counts
from tests.test_workspace_prototyping import PDF, PNG


def _counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Event, Theme, Challenge, Team, User, Membership)
    )


def test_demo_has_the_fourteen_challenges_of_the_seed_with_their_numbers():
    event, created = load_demo_event()
    assert created
    assert event.slug == "rennes-2018"
    assert [c.number for c in event.challenges] == list(range(1, 15))
    assert len(event.themes) == 4
    assert all(c.team is not None for c in event.challenges)
    assert all(c.theme is not None for c in event.challenges)


def test_demo_numbers_its_stands_so_the_exhibition_can_be_tried():
    event, _ = load_demo_event()
    stands = {c.number: (c.team.stand_number, c.team.stand_place) for c in event.challenges}
    assert {number: stand for number, (stand, _place) in stands.items()} == {
        n: n for n in range(1, 15)
    }
    assert all(place for _stand, place in stands.values())


def test_full_and_partial_sheets_are_as_the_seed_gives_them():
    event, _ = load_demo_event()
    sheets = {c.number: c for c in event.challenges}
    etel = sheets[1]
    assert etel.owner_organisation == "Commune d’Etel"
    assert etel.project_name == "La Glacière"
    assert etel.territory == "Etel"
    assert "durabilité" in etel.stakes
    assert len(etel.stakeholders) == 9 and etel.stakeholders[0] == "L’association Autrefois Etel"
    assert etel.obstacles and etel.levers
    assert sheets[3].stakeholders[0].startswith("Les parents")
    assert sheets[6].users and not sheets[6].stakeholders  # the seed names "usagers" here
    for number in (5, 7, 8, 9, 10, 12, 14):  # question and owner only
        partial = sheets[number]
        assert partial.question.startswith("Comment") and partial.owner_organisation
        assert partial.stakes is None and partial.stakeholders == [] and partial.levers == []
    assert sheets[14].owner_organisation == "Ville de Iasi, Roumanie"


def test_demo_data_lives_in_a_data_file():
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert len(data["challenges"]) == 14 and len(data["themes"]) == 4


# --- The middle of day 2


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """The demo's organiser password and its photos go to a folder of the test's own."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args), catch_exceptions=False)


def _count(model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def _roles_by_team(event):
    rows = db.session.execute(
        select(Challenge.number, Membership.role, func.count())
        .join(Team, Team.challenge_id == Challenge.id)
        .join(Membership, Membership.team_id == Team.id)
        .where(Challenge.event_id == event.id)
        .group_by(Challenge.number, Membership.role)
    )
    teams: dict[int, dict[Role, int]] = {}
    for number, role, n in rows:
        teams.setdefault(number, {})[role] = n
    return teams


def test_the_demo_opens_in_the_middle_of_day_two_with_200_people_in_14_teams(instance):
    report = load_demo(str(instance))
    event = report.event
    assert report.created
    assert (
        _count(Membership, Membership.event_id == event.id, Membership.role == Role.PARTICIPANT)
        == 200
    )
    teams = _roles_by_team(event)
    assert sorted(teams) == list(range(1, 15))
    for number, roles in teams.items():
        assert roles[Role.FACILITATOR] == 1, number
        assert roles[Role.CHALLENGE_OWNER] >= 1, number
        assert 10 <= roles[Role.MEMBER] <= 13, number
    names = db.session.scalars(
        select(Membership.name).where(
            Membership.event_id == event.id, Membership.role == Role.PARTICIPANT
        )
    ).all()
    assert len(set(names)) == 200
    assert sum(bool(re.search("[éèêëïîôœüçÉÈ]", name)) for name in names) > 40
    organisations = set(
        db.session.scalars(select(Membership.organisation).where(Membership.event_id == event.id))
    )
    assert {"Ville de Rennes", "Rennes Métropole", "SDIS 35", "Commune d’Etel"} <= organisations
    # Owners come from the authority that brought their challenge.
    attendance = aliased(Membership)
    pairs = db.session.execute(
        select(Challenge.owner_organisation, attendance.organisation)
        .join(Team, Team.challenge_id == Challenge.id)
        .join(Membership, Membership.team_id == Team.id)
        .join(attendance, attendance.user_id == Membership.user_id)
        .where(
            Challenge.event_id == event.id,
            Membership.role == Role.CHALLENGE_OWNER,
            attendance.role == Role.PARTICIPANT,
            attendance.event_id == event.id,
        )
    ).all()
    assert len(pairs) == 20 and all(owner == organisation for owner, organisation in pairs)


def test_teams_have_reached_various_stages_with_real_work(instance):
    event = load_demo(str(instance)).event
    assert event.stage == Stage.PROTOTYPING
    stages = {c.number: c.team.stage for c in event.challenges}
    assert set(stages.values()) == {Stage.IDEATION, Stage.PROTOTYPING}
    assert sum(stage == Stage.PROTOTYPING for stage in stages.values()) >= 8
    team_ids = [c.team.id for c in event.challenges]
    assert _count(Persona, Persona.team_id.in_(team_ids)) == 28
    assert _count(Idea, Idea.team_id.in_(team_ids)) >= 14 * 5
    assert _count(Dot, Dot.team_id.in_(team_ids)) > 300
    retained = _count(Idea, Idea.team_id.in_(team_ids), Idea.retained_at.is_not(None))
    endorsed = _count(Idea, Idea.team_id.in_(team_ids), Idea.endorsed_at.is_not(None))
    assert 10 <= retained < 14 and 8 <= endorsed < retained
    photos = db.session.scalars(
        select(PrototypeFile).where(PrototypeFile.team_id.in_(team_ids))
    ).all()
    assert len(photos) >= 5
    assert all(p.is_photo and p.consent_confirmed for p in photos)
    assert all((instance / "uploads" / p.storage_name).stat().st_size > 1000 for p in photos)
    notes = db.session.scalars(
        select(FeedbackEntry).where(FeedbackEntry.team_id.in_(team_ids))
    ).all()
    assert notes and not any(note.at_exhibition for note in notes)
    assert [c.team.stand_number for c in event.challenges] == list(range(1, 15))
    # The checklists show the spread: a team furthest on has ticked everything at ideation,
    # one still ideating has not.
    counts = work_counts(team_ids)
    done = {
        c.number: [i.done for i in checklist(c.team, Stage.IDEATION, counts[c.team.id])]
        for c in event.challenges
    }
    assert all(done[3]) and not all(done[5])
    assert event.challenges[8].team.dots_closed_at is not None  # team 9: one member absent


def test_the_demo_is_the_same_on_every_run_and_loading_again_changes_nothing(instance):
    first = load_demo(str(instance))
    names = db.session.scalars(select(Membership.name).order_by(Membership.id)).all()
    first.event.challenges[0].question = "Question modifiée par un organisateur ?"
    db.session.commit()
    before = tuple(_count(model) for model in (User, Membership, Idea, Dot, PrototypeFile))
    again = load_demo(str(instance))
    assert not again.created
    assert again.password == first.password
    assert tuple(_count(model) for model in (User, Membership, Idea, Dot, PrototypeFile)) == before
    assert again.event.challenges[0].question == "Question modifiée par un organisateur ?"
    assert [s.code for s in again.sign_ins] == [s.code for s in first.sign_ins]

    files = sorted((instance / "uploads").iterdir())
    reset = load_demo(str(instance), reset=True)
    assert reset.created
    assert (
        db.session.scalars(select(Membership.name).order_by(Membership.id)).all()[1:] == names[1:]
    )
    assert reset.event.challenges[0].question != "Question modifiée par un organisateur ?"
    assert tuple(_count(model) for model in (User, Membership, Idea, Dot, PrototypeFile)) == before
    assert not any(path.exists() for path in files), "the old demo's photos are removed"


def test_reset_keeps_other_events_and_accounts_used_elsewhere(instance, make):
    report = load_demo(str(instance))
    elsewhere = make.event(challenges=1)
    someone = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.event_id == report.event.id, Membership.role == Role.PARTICIPANT)
        .limit(1)
    )
    make.join(elsewhere, someone)
    db.session.commit()
    kept = (elsewhere.id, someone.id, report.organiser.id)
    load_demo(str(instance), reset=True)
    assert db.session.get(Event, kept[0]) is not None
    assert db.session.get(User, kept[1]) is not None
    assert db.session.get(User, kept[2]) is not None


def test_reset_removes_the_old_demos_resource_documents_and_no_other_events(instance, make):
    report = load_demo(str(instance))
    elsewhere = make.event()

    def document(event, title: str) -> Path:
        name = uploads.store(PDF, uploads.PDF)
        db.session.add(
            Resource(
                event_id=event.id,
                grouping="Méthodologies",
                title=title,
                body_markdown="",
                body_html="",
                storage_name=name,
                original_name=f"{title}.pdf",
                content_type="application/pdf",
                size_bytes=len(PDF),
            )
        )
        return instance / "uploads" / name

    demo_file, other_file = document(report.event, "Guide"), document(elsewhere, "Autre")
    db.session.commit()
    assert demo_file.exists() and other_file.exists()
    load_demo(str(instance), reset=True)
    assert not demo_file.exists(), "the old demo's documents are removed"
    assert other_file.exists(), "another event's documents stay"


def test_reset_removes_the_old_demos_follow_up_photos(instance):
    """Visitors may say what became of the demo's prototypes, with a photo of people: the
    reset must not leave those photos on the disk once their updates are gone."""
    report = load_demo(str(instance))
    challenge = report.event.challenges[0]
    name = uploads.store(PNG, uploads.PNG)
    follow_up = FollowUp(
        event_id=report.event.id,
        challenge_id=challenge.id,
        status=FollowUpStatus.TESTING,
        progress=10,
        last_update_on=date(2018, 9, 1),
    )
    db.session.add(
        FollowUpUpdate(
            follow_up=follow_up,
            happened_on=date(2018, 9, 1),
            text="Testé en mairie",
            status=FollowUpStatus.TESTING,
            progress=10,
            storage_name=name,
            original_name="equipe.png",
            content_type="image/png",
        )
    )
    db.session.commit()
    photo = instance / "uploads" / name
    assert photo.exists()
    load_demo(str(instance), reset=True)
    assert not photo.exists(), "the old demo's follow-up photos are removed"


# --- The sign-in lines make run prints


def _sign_in_lines(output: str) -> dict[str, str]:
    return {line.split(" ", 1)[0]: line for line in output.splitlines()}


def test_each_printed_sign_in_works_for_its_role(cli, client, instance):
    output = cli("demo").output
    assert "http://facilitate.test/events/rennes-2018" in output
    password = re.search(r"organisateur@example.org, .* (\S+), .*/sign-in$", output, re.M)
    assert password, output
    response = client.post(
        "/sign-in/password",
        data={"email": "organisateur@example.org", "password": password[1]},
    )
    assert response.status_code == 303
    assert client.get("/events/rennes-2018/dashboard").status_code == 200

    codes = re.findall(
        r"^(.+?) \(.*: (.+?), .* ([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}), .* (http\S+)$", output, re.M
    )
    assert [role for role, *_ in codes] == [
        str(Role.FACILITATOR.label),
        str(Role.CHALLENGE_OWNER.label),
        str(Role.MEMBER.label),
    ]
    # The ideation stage's own page: the workspace shows only the team's current stage in full.
    workspace = "/events/rennes-2018/teams/3/workspace/ideation"
    shows = {  # what each role, and only it among the three, may do at the team's ideation
        str(Role.FACILITATOR.label): "Clore le vote par gommettes",
        str(Role.CHALLENGE_OWNER.label): "Commenter",
        str(Role.MEMBER.label): "Reprendre ma gommette",
    }
    for role, name, code, link in codes:
        client.post("/sign-out")
        response = client.post("/sign-in/code", data={"code": code})
        assert response.status_code == 303, (role, code)
        page = client.get(workspace).text
        assert name in client.get("/events/rennes-2018").text
        assert shows[role] in page, role
        if role != str(Role.MEMBER.label):
            assert "Reprendre ma gommette" not in page, role
        if role == str(Role.CHALLENGE_OWNER.label):
            assert "Ajouter une idée" not in page
        client.post("/sign-out")
        assert client.get(link.removeprefix("http://facilitate.test")).status_code < 400


# --- The exhibition, to rehearse the vote and the reveal


def test_the_exhibition_command_opens_the_vote_with_ballots_and_feedback(cli, client, instance):
    output = cli("demo-exhibition").output
    event = db.session.scalar(select(Event).where(Event.slug == "rennes-2018"))
    assert event.stage == Stage.EXHIBITION
    assert event.vote_status == VoteStatus.OPEN
    assert all(c.team.stage == Stage.EXHIBITION and c.team.pitch for c in event.challenges)
    for challenge in event.challenges:  # teams behind caught up on the morning of day 3
        assert _count(Idea, Idea.team_id == challenge.team.id, Idea.endorsed_at.is_not(None)) == 1
    ballots = _count(Ballot, Ballot.event_id == event.id)
    assert 100 <= ballots <= 140
    visitors = _count(FeedbackEntry, FeedbackEntry.at_exhibition.is_(True))
    assert visitors == 42
    assert f"{ballots} " in output and "/events/rennes-2018/organise/vote" in output

    again = cli("demo-exhibition").output
    assert _count(Ballot, Ballot.event_id == event.id) == ballots
    assert _count(FeedbackEntry, FeedbackEntry.at_exhibition.is_(True)) == visitors
    assert "déjà" in again or "already" in again

    # The organiser rehearses: the vote page counts the ballots, then close and reveal.
    password = (Path(instance) / "demo-organiser-password").read_text().strip()
    client.post(
        "/sign-in/password", data={"email": "organisateur@example.org", "password": password}
    )
    assert client.get("/events/rennes-2018/organise/vote").status_code == 200
    for status in ("closed", "revealed"):
        response = client.post(
            "/events/rennes-2018/organise/vote/status", data={"status": status, "confirmed": "y"}
        )
        assert response.status_code == 303
    assert client.get("/events/rennes-2018/results").status_code == 200
    assert client.get("/events/rennes-2018/reveal").status_code == 200


def test_the_demo_runs_today_on_its_second_day(app):
    """A rehearsal happens in a running event, not in one that ended (and could be purged)."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from facilitate.demo import load_demo_event

    event, _created = load_demo_event()
    zone = ZoneInfo(event.timezone)
    start = event.starts_at.replace(tzinfo=UTC).astimezone(zone)
    end = event.ends_at.replace(tzinfo=UTC).astimezone(zone)
    today = datetime.now(zone).date()
    assert start.date() == today - timedelta(days=1)
    assert (start.hour, start.minute) == (9, 0)
    assert end.date() == today + timedelta(days=1)
    assert (end.hour, end.minute) == (17, 0)
