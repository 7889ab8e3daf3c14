"""The events the pages benchmark requests, built through the project's own services (those the
views call) and the Rennes demo's helpers (``facilitate.demo``), at any number of teams and
people: an event with its themes and challenge sheets, numbered stands, attendees seated in
teams, each team's work up to a tested prototype (personas, ideas, dots, a retained and
endorsed idea, a photo, journal entries, test notes, a pitch), then the exhibition: the vote
open, feedback at every stand and a ballot from every attendee.

``fill_platform`` adds other events, imported as organisers import them (spreadsheets of
challenge sheets and attendees, ``bench/import_bench.py``'s), each attendee with a ballot, so
that the platform holds 10,000 attendees in all.
"""

import json
import random
from dataclasses import dataclass
from datetime import datetime

from import_bench import attendee_csv, challenge_workbook
from sqlalchemy import func, select

from facilitate.api.auth import issue_api_token
from facilitate.auth.services import create_organiser
from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.management import SheetData, create_challenge
from facilitate.challenges.spreadsheet import (
    check_challenge_file,
)
from facilitate.dashboard.services import STAGES, move_event_stage
from facilitate.demo import DEMO_FILE, demo_data
from facilitate.demo.exhibition import move_to_exhibition
from facilitate.demo.people import casts, seat_people
from facilitate.demo.teamwork import build_team_work
from facilitate.events.management import EventDetails, ThemeRow, create_event
from facilitate.exhibition import ballots
from facilitate.exhibition.stands import number_by_challenge
from facilitate.exhibition.vote import change_vote_status
from facilitate.extensions import db
from facilitate.models import Ballot, Event, Membership, Role, Stage, Team, User, VoteStatus
from facilitate.people.attendance import attendance_of
from facilitate.people.spreadsheet import check_attendee_file, import_attendees


@dataclass(frozen=True)
class Scale:
    name: str
    teams: int
    people: int


SCALES = {
    "site": Scale("site", 14, 200),  # Rennes 2018: one site
    "edition": Scale("edition", 70, 1050),  # its edition: six sites
}
PLATFORM_ATTENDEES = 10_000
PASSWORD = "bench-only-password-1"  # noqa: S105 (a throw-away database's organiser)


@dataclass(frozen=True)
class Seeded:
    """What the benchmark needs to sign in and address the pages."""

    slug: str
    organiser_email: str
    organiser_token: str  # the API's
    member_code: str  # the access code of a member of the team of challenge 1
    member_team: int  # that team's challenge number
    other_stand: int  # the stand of another team


def seed_event(scale: Scale, slug: str | None = None) -> Seeded:
    """One event at this scale, at the exhibition with the vote open; committed."""
    data = demo_data()
    sheets = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    slug = slug or f"bench-{scale.name}"
    organiser = create_organiser(f"orga-{slug}@bench.example", PASSWORD, name="Organisatrice")
    info = sheets["event"]
    event = create_event(
        EventDetails(
            name=f"{info['name']} ({scale.teams} équipes)",
            slug=slug,
            venue=info["venue"],
            timezone=info["timezone"],
            starts_at=datetime.fromisoformat(info["starts_at"]),
            ends_at=datetime.fromisoformat(info["ends_at"]),
            description=info["description"],
            themes=[ThemeRow(None, t["name"], t["colour"]) for t in sheets["themes"]],
        ),
        organiser,
    )
    _add_challenges(event, sheets, scale.teams, organiser)
    number_by_challenge(event, organiser)
    seat_people(event, data, organiser, attendees=scale.people)
    db.session.commit()
    for number, cast in sorted(casts(event).items()):
        # Every team as far as the demo's furthest: a tested prototype, with its photo.
        plan = {**data["teams"][str((number - 1) % len(data["teams"]) + 1)], "reached": "tested"}
        build_team_work(number, cast, plan, data)
        db.session.commit()
    while STAGES.index(event.stage) < STAGES.index(Stage.PROTOTYPING):
        move_event_stage(event, 1, organiser)
    move_to_exhibition(event, organiser, data)  # the vote open, feedback, 60% of the ballots
    _cast_remaining_ballots(event)
    _user, token = issue_api_token(organiser.email)
    team_casts = casts(event)
    member = team_casts[1].members[0]
    other = next(c.team for n, c in sorted(team_casts.items()) if n != 1)
    seeded = Seeded(
        slug=slug,
        organiser_email=organiser.email,
        organiser_token=token,
        member_code=attendance_of(event, member).access_code,
        member_team=1,
        other_stand=other.stand_number,
    )
    db.session.commit()
    return seeded


def _add_challenges(event: Event, sheets: dict, count: int, actor) -> None:
    """The Rennes sheets, again for each further site of the edition."""
    themes = {t["key"]: theme for t, theme in zip(sheets["themes"], event.themes, strict=True)}
    for number in range(1, count + 1):
        item = sheets["challenges"][(number - 1) % len(sheets["challenges"])]
        create_challenge(
            event,
            SheetData(
                number=number,
                question=item["question"],
                owner_organisation=item.get("owner_organisation"),
                project_name=item.get("project_name"),
                territory=item.get("territory"),
                stakes=item.get("stakes"),
                stakeholders=item.get("stakeholders") or [],
                users=item.get("users") or [],
                obstacles=item.get("obstacles") or [],
                levers=item.get("levers") or [],
                info_url=item.get("info_url"),
                theme_id=themes[item["theme"]].id if item.get("theme") else None,
            ),
            actor,
        )


def _cast_remaining_ballots(event: Event) -> int:
    """A ballot for every attendee who has none yet (as many stands as allowed, never their
    own team's), each committed as a phone's would be."""
    rng = random.Random(f"{event.slug}-ballots")
    team_ids = list(
        db.session.scalars(select(Team.id).where(Team.event_id == event.id).order_by(Team.id))
    )
    has_ballot = select(Ballot.id).where(Ballot.event_id == event.id, Ballot.user_id == User.id)
    people = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.event_id == event.id,
            Membership.role == Role.PARTICIPANT,
            ~has_ballot.exists(),
        )
        .order_by(User.id)
    ).all()
    for user in people:
        person = ballots.voter(event, user)
        choosable = [t for t in team_ids if t not in person.team_ids]
        wanted = min(event.votes_per_participant, len(choosable))
        ballots.replace_ballot(event, person, rng.sample(choosable, wanted))
    return len(people)


def attendees_on_platform() -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(Membership.role == Role.PARTICIPANT)
    )


def fill_platform(organiser_email: str, target: int = PLATFORM_ATTENDEES) -> int:
    """Other events (an edition's size each, imported from spreadsheets, every attendee with a
    ballot) until the platform holds ``target`` attendees; returns how many events were added."""
    organiser = db.session.scalar(select(User).where(User.email == organiser_email))
    added = 0
    rng = random.Random("bench-platform")
    while attendees_on_platform() < target:
        added += 1
        event = create_event(
            EventDetails(
                name=f"Autre université {added}",
                slug=f"platform-{added}",
                venue=None,
                timezone="Europe/Paris",
                starts_at=datetime(2019 + added, 7, 1, 9),
                ends_at=datetime(2019 + added, 7, 3, 17),
            ),
            organiser,
        )
        for check, write, content, name in (
            (check_challenge_file, import_challenges, challenge_workbook(rng), "defis.xlsx"),
            (check_attendee_file, import_attendees, attendee_csv(rng, added), "p.csv"),
        ):
            checked = check(event, content, name)
            if not checked.ok:
                raise SystemExit("\n".join(str(p) for p in checked.problems[:10]))
            write(event, checked)
        db.session.commit()
        number_by_challenge(event, organiser)
        while event.stage != Stage.EXHIBITION:
            move_event_stage(event, 1, organiser)
        db.session.commit()
        change_vote_status(event, organiser, VoteStatus.OPEN)
        _cast_remaining_ballots(event)
    return added
