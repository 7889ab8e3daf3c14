"""The teams' work in the middle of day 2, built through the functions the workspace views call
(``workspace.services``, ``workspace.ideas``), so that it obeys the same rules: framing and
personas everywhere, ideas and dots, retained and endorsed ideas, prototypes with photos and
test notes for the teams furthest on. Where each team stands comes from the data file."""

import random

from facilitate.demo.people import Cast
from facilitate.demo.pictures import prototype_picture
from facilitate.extensions import db
from facilitate.models import Idea, PrototypeKind, Stage, Team
from facilitate.workspace import ideas as ideation
from facilitate.workspace.services import (
    add_persona,
    add_prototype_file,
    add_test_note,
    move_team_stage,
    touch,
    write_journal,
)
from facilitate.workspace.uploads import JPEG

# How far a team has gone, in order; the data file gives each team one.
LEVELS = ("ideation", "retained", "prototyping", "tested")
# Teams whose facilitator closed the dot vote with a member absent.
DOTS_CLOSED_WITH_ONE_ABSENT = {9}


def reached(level: str, at_least: str) -> bool:
    return LEVELS.index(level) >= LEVELS.index(at_least)


def build_team_work(number: int, cast: Cast, plan: dict, data: dict) -> None:
    rng = random.Random(f"rennes-2018-team-{number}")
    team = cast.team
    _frame(team, cast, plan, data, rng)
    move_team_stage(team, Stage.IDEATION, cast.facilitator)
    retained = _ideate(number, team, cast, plan, data, rng)
    if not reached(plan["reached"], "retained"):
        return
    ideation.retain_idea(team, retained, cast.facilitator, plan["reason"])
    if not reached(plan["reached"], "prototyping"):
        return
    owner = cast.owners[0]
    ideation.endorse_idea(team, retained, owner)
    ideation.comment_on_idea(team, retained, owner, rng.choice(data["owner_comments"]))
    move_team_stage(team, Stage.PROTOTYPING, cast.facilitator)
    bring_prototype(team, plan)
    if reached(plan["reached"], "tested") or number in (1, 10):
        add_photo(team, cast.members[0], retained.title, number)
    if reached(plan["reached"], "tested"):
        for note in rng.sample(data["test_notes"], 2):
            add_test_note(team, rng.choice(cast.members), note)
        team.pitch = plan["pitch"]
    db.session.flush()


def _frame(team: Team, cast: Cast, plan: dict, data: dict, rng: random.Random) -> None:
    challenge = team.challenge
    team.working_question = plan["working_question"]
    # The team's lists start from the sheet's and become its own (as saving the framing does).
    for name in ("stakeholders", "users", "obstacles", "levers"):
        setattr(team, f"framing_{name}", list(getattr(challenge, name) or []))
    team.framing_users = team.framing_users or ["Les habitants", "Les agents d’accueil"]
    team.existing_solutions = rng.choice(data["existing_solutions"])
    touch(team)
    for name, role, needs, pains in rng.sample(data["personas"], 2):
        add_persona(team, rng.choice(cast.members), name, role, needs, pains)
    write_journal(team, cast.facilitator, data["journal"][0])
    db.session.flush()


def _ideate(
    number: int, team: Team, cast: Cast, plan: dict, data: dict, rng: random.Random
) -> Idea:
    """Idea cards from the members, then the dots: the team's favourite gets the most. Teams
    still at ideation have dots from only some of their members."""
    favourite = ideation.add_idea(team, rng.choice(cast.members), *plan["retained"])
    others = [
        ideation.add_idea(team, rng.choice(cast.members), title, description)
        for title, description in rng.sample(data["ideas"], rng.randint(4, 6))
    ]
    cards = [favourite, *others]
    voters = cast.members
    if plan["reached"] == "ideation":
        voters = cast.members[: len(cast.members) // 2]
    elif number in DOTS_CLOSED_WITH_ONE_ABSENT:
        voters = cast.members[1:]
    dots = team.challenge.event.dots_per_member
    for member in voters:
        chosen = {favourite} if rng.random() < 0.8 else set()
        while len(chosen) < min(dots, len(cards)):
            chosen.add(rng.choice(cards))
        for idea in sorted(chosen, key=lambda i: i.id):
            ideation.place_dot(team, idea, member)
    if number in DOTS_CLOSED_WITH_ONE_ABSENT:
        ideation.close_dot_vote(team, cast.facilitator)
    if reached(plan["reached"], "retained"):
        write_journal(team, cast.facilitator, data["journal"][2])
    db.session.flush()
    return favourite


def bring_prototype(team: Team, plan: dict) -> None:
    """The prototype's description, as the team saves it in the workspace."""
    kind, summary, tests, test_plan = plan["prototype"]
    team.prototype_kind = PrototypeKind(kind)
    team.prototype_summary = summary
    team.prototype_tests = tests
    team.test_plan = test_plan
    touch(team)


def add_photo(team: Team, uploader, title: str, number: int) -> None:
    theme = team.challenge.theme
    picture = prototype_picture(title, theme.colour if theme else None, f"team-{number}")
    add_prototype_file(
        team, uploader, picture, JPEG, f"prototype-equipe-{number}.jpg", consent=True
    )
