"""A realistic event for the every-page checks (320 px reflow, axe, keyboard): 14 challenges,
teams at each of the four stages, 70 attendees with long French names and organisations,
facilitators and challenge owners, team work (personas, ideas, dots, a retained and endorsed
idea, prototypes, photos, test notes, journal), numbered stands, feedback and ballots, and
follow-up news months later (with a photo).

Built once per test module (``build``), committed, and only read by the sweeps; the keyboard
journeys write in the event whose vote is open (``open_vote=True``), never in the other."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from playwright.sync_api import Page, expect

from facilitate.demo.programme import add_programme
from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.followup.services import UpdateDetails, add_update
from facilitate.models import (
    Dot,
    Edition,
    FeedbackEntry,
    FollowUpStatus,
    Idea,
    JournalEntry,
    Membership,
    Persona,
    PrototypeFile,
    PrototypeKind,
    Role,
    Stage,
    VoteStatus,
)
from facilitate.models._types import utcnow
from facilitate.workspace import uploads
from tests import factories as make
from tests.browser.conftest import catalogue_text
from tests.browser.team_journey_data import tiny_png
from tests.factories import PASSWORD, code_of

FIRST_NAMES = (
    "Marie-Hélène",
    "Jean-Baptiste",
    "Anne-Laure",
    "François-Xavier",
    "Gwenaëlle",
    "Maximilien",
    "Éléonore",
    "Pierre-Emmanuel",
    "Ségolène",
    "Bénédicte",
)
LAST_NAMES = (
    "de La Tour d'Auvergne-Lauraguais",
    "Lefèvre-Pontalis du Chastel",
    "Kerhervé-Le Guillou",
    "Desmarais-Vandenbroucke",
    "Ollivier de Saint-Exupéry",
    "Hoarau-Técher",
    "Bourguignon-Delacroix",
)
ORGANISATIONS = (
    "Communauté d'agglomération Lamballe Terre & Mer",
    "Direction interministérielle de la transformation publique",
    "Établissement public de coopération intercommunale du Pays de Ploërmel",
    "Conseil départemental d'Ille-et-Vilaine",
    "Centre communal d'action sociale de Saint-Brieuc",
)
QUESTION = (
    "Comment rendre les démarches administratives de la restauration scolaire et du "
    "périscolaire accessibles aux familles éloignées du numérique dans les communes rurales "
    "de l'intercommunalité ?"
)
LONG_WORD = "Intercommunalité-Lamballe-Terre-et-Mer-Penthièvre-Arguenon"  # no break inside
TEAM_NAMES = (
    "Les Déchiffreurs de l'administration territoriale",
    "Cantine facile pour toutes et tous",
    "Le Tiers-Lieu des Possibles",
    "Bienvenue dans l'intercommunalité",
)
STAGES = (Stage.FRAMING, Stage.IDEATION, Stage.PROTOTYPING, Stage.EXHIBITION)
RETAINED = 6  # challenge 6's team (at ideation) retained an idea its owner has not endorsed yet


def idea_title(n: int) -> str:
    return f"Idée {n} : {LONG_WORD}"


@dataclass(frozen=True)
class Person:
    name: str
    email: str | None  # signs in with a password when set
    code: str | None  # else with this access code


@dataclass(frozen=True)
class EveryPageEvent:
    slug: str
    event_name: str
    team_names: tuple[str, ...]  # by challenge number
    organiser: Person
    facilitator: Person  # of team 2 (at ideation)
    owner: Person  # of challenge 2
    endorser: Person  # owner of challenge RETAINED
    member: Person  # of team 2, who has dots left
    member_id: int
    visitor: Person  # an attendee in no team, who votes
    edition_id: int  # the edition the event is a site of, with teams on its showcase

    @property
    def path(self) -> str:
        return f"/events/{self.slug}"


def long_name(i: int) -> str:
    return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[i % len(LAST_NAMES)]}"


def _team_work(team, stage: Stage, members: list, facilitator, owner) -> list[Idea]:
    """What a team at ``stage`` has produced so far (everything of the earlier stages too)."""
    team.stage = stage
    team.working_question = QUESTION + " " + LONG_WORD
    team.framing_stakeholders = [ORGANISATIONS[0], LONG_WORD, "Familles"]
    team.existing_solutions = "Portail famille de la commune, guichet unique, " + LONG_WORD
    db.session.add_all(
        Persona(team_id=team.id, name=long_name(i), role=ORGANISATIONS[i], needs=QUESTION)
        for i in range(2)
    )
    db.session.add(
        JournalEntry(team_id=team.id, author_id=facilitator.id, stage=stage, body=QUESTION)
    )
    if stage == Stage.FRAMING:
        return []
    ideas = [
        Idea(team_id=team.id, title=idea_title(n), description=QUESTION, author_id=m.id)
        for n, m in enumerate(members[:4], start=1)
    ]
    db.session.add_all(ideas)
    db.session.flush()
    for m in members[1:]:  # the first member keeps their dots, to place one at the keyboard
        for idea in ideas[:2]:
            db.session.add(Dot(idea_id=idea.id, user_id=m.id, team_id=team.id))
    if stage == Stage.IDEATION:
        return ideas
    ideas[0].retained_at = utcnow()
    ideas[0].retained_reason = QUESTION
    ideas[0].endorsed_by_id, ideas[0].endorsed_at = owner.id, utcnow()
    team.prototype_kind = PrototypeKind.SERVICE
    team.prototype_summary = QUESTION
    team.prototype_tests = QUESTION
    team.test_plan = QUESTION
    png = tiny_png()
    db.session.add(
        PrototypeFile(
            team_id=team.id,
            original_name=f"maquette-{LONG_WORD}.png",
            content_type="image/png",
            size_bytes=len(png),
            storage_name=uploads.store(png, uploads.detect_type(png[:16])),
            is_photo=True,
            consent_confirmed=True,
        )
    )
    db.session.add(FeedbackEntry(team_id=team.id, author_id=members[-1].id, body=QUESTION))
    if stage == Stage.PROTOTYPING:
        return ideas
    team.pitch = QUESTION
    db.session.add(
        FeedbackEntry(
            team_id=team.id,
            author_id=members[-1].id,
            at_exhibition=True,
            liked=QUESTION,
            could_be_better=LONG_WORD,
        )
    )
    return ideas


def _follow_up(event, owners, organiser) -> None:
    """Months after the event: challenge 2 (its owner's) has news with a photo, challenge 3 was
    abandoned, the others are quiet. Written on 1 November 2026, whatever today is."""
    written = datetime(2026, 11, 1, 9, 0)
    news = (
        (2, owners[1], date(2026, 8, 20), FollowUpStatus.TESTING, 30, tiny_png()),
        (2, owners[1], date(2026, 10, 5), FollowUpStatus.DEPLOYED, 80, None),
        (3, organiser, date(2026, 9, 15), FollowUpStatus.ABANDONED, 10, None),
    )
    challenges = {c.number: c for c in event.challenges}
    for number, author, day, status, progress, photo in news:
        photo = photo and (photo, f"atelier-{LONG_WORD}.png")
        details = UpdateDetails(day, QUESTION + " " + LONG_WORD, status, progress, photo)
        add_update(challenges[number], author, details, now=written)


def _staff(event, team, role: Role, i: int, password: bool = False):
    """A facilitator (an account, with a password if ``password``: hashing one costs a quarter
    of a second) or a challenge owner (an attendee with a badge code) of ``team``."""
    if role == Role.FACILITATOR:
        person = make.user(
            password=PASSWORD if password else None,
            name=long_name(i) + "-Morvan",  # no attendee's name
            email=f"animation-{uuid.uuid4().hex[:8]}@agglomeration-lamballe-terre-et-mer.bzh",
        )
    else:
        name = long_name(i) + "-Quéméneur"
        person = make.participant(event, name=name, organisation=ORGANISATIONS[i % 5])
    db.session.add(Membership(user=person, event=event, team=team, role=role))
    return person


def build(open_vote: bool) -> EveryPageEvent:
    """The event (call inside an app context; commits). Vote revealed unless ``open_vote``."""
    slug = f"every-page-{uuid.uuid4().hex[:8]}"
    edition = Edition(name="Universités de l'innovation publique territoriale", year=2026)
    db.session.add(edition)
    db.session.flush()
    event = make.event(
        edition_id=edition.id,
        themes=3,
        slug=slug,
        name="Université de l'innovation publique territoriale – Rennes, Le Tambour",
        venue="Le Tambour, Université Rennes 2, campus Villejean",
        starts_at=datetime(2026, 7, 9, 7, 30),
        ends_at=datetime(2026, 7, 11, 15, 0),
        description=QUESTION,
        stage=Stage.EXHIBITION,
        vote_status=VoteStatus.OPEN,
        votes_per_participant=3,
    )
    for theme, name in zip(event.themes, ORGANISATIONS, strict=False):
        theme.name = f"Transition écologique – {name}"
    teams, names = [], []
    for number in range(1, 15):
        challenge = make.challenge(
            event,
            number=number,
            theme=event.themes[number % 3] if number != 14 else None,
            question=QUESTION,
            owner_organisation=ORGANISATIONS[number % 5],
            project_name=LONG_WORD,
            territory=LONG_WORD,
            stakeholders=list(ORGANISATIONS),
            users=["Familles", LONG_WORD],
        )
        name = TEAM_NAMES[(number - 1) % 4] + (f" {number}" if number > 4 else "")
        challenge.team.name = name
        challenge.team.stand_number = number
        challenge.team.on_showcase = number % 3 != 0
        challenge.team.stand_place = f"Hall {number % 3 + 1}, près de l'entrée principale"
        teams.append(challenge.team)
        names.append(name)
    organiser = make.organiser(
        event, name="Soizic Le Bris-Kerguélen", email=f"orga-{slug}@exemple.gouv.fr"
    )
    add_programme(event, organiser)  # the demo's three days: the programme pages have rows
    people = [
        make.participant(
            event,
            team=teams[i % 14],
            name=long_name(i),
            organisation=ORGANISATIONS[i % 5],
            email=f"{slug}-{i}@{LONG_WORD.lower()}.fr",
        )
        for i in range(70)
    ]
    visitor = make.participant(event, name="Anne-Sophie Visiteuse-Kerhervé")
    facilitators = [
        _staff(event, team, Role.FACILITATOR, i, i == 1) for i, team in enumerate(teams)
    ]
    owners = [_staff(event, team, Role.CHALLENGE_OWNER, i) for i, team in enumerate(teams)]
    db.session.flush()
    for i, team in enumerate(teams):
        members = people[i::14]
        ideas = _team_work(team, STAGES[i % 4], members, facilitators[i], owners[i])
        if i + 1 == RETAINED:
            ideas[0].retained_at, ideas[0].retained_reason = utcnow(), QUESTION
    db.session.commit()
    for i, person in enumerate(people):  # most people vote, for three stands not their own
        if i % 5:
            wanted = [teams[(i + k) % 14].id for k in (1, 2, 5 + i % 3)]
            ballots.replace_ballot(event, ballots.voter(event, person), wanted)
    if not open_vote:
        event.vote_status = VoteStatus.REVEALED
    _follow_up(event, owners, organiser)
    db.session.commit()
    return EveryPageEvent(
        slug=slug,
        event_name=event.name,
        team_names=tuple(names),
        organiser=Person(organiser.name, organiser.email, None),
        facilitator=Person(facilitators[1].name, facilitators[1].email, None),
        owner=Person(owners[1].name, None, code_of(owners[1], event)),
        endorser=Person(owners[RETAINED - 1].name, None, code_of(owners[RETAINED - 1], event)),
        member=Person(people[1].name, None, code_of(people[1], event)),
        member_id=people[1].id,
        visitor=Person(visitor.name, None, code_of(visitor, event)),
        edition_id=edition.id,
    )


# The interface text these tests read, looked up in the French catalogue (see conftest.fr).
STRINGS = (
    "Access code",
    "Add a challenge",
    "Add an idea",
    "Add the idea",
    "Challenge %(number)d is created.",
    "Challenge number",
    "Challenges",
    "Check the file",
    "Email address",
    "Endorse this idea",
    "Give this stand one of my votes",
    "Idea retained.",
    "Ideation",
    "Import",
    "Manage the challenges",
    "Open the team's workspace",
    "Overall ranking, best first",
    "Poster",
    "of stand %(number)d",
    "Password",
    "Place a dot",
    "Question",
    "Retain this idea",
    "Save",
    "Sign in",
    "Sign in with my code",
    "Sign out",
    "Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)",
    "Stands",
    "Take my dot back",
    "The exhibition",
    "This stand has one of your votes.",
    "Title of the idea",
    "Votes",
    "Why it answers the challenge owner's expectation",
    "endorsed by the challenge owner",
)


def text(language: str, msgid: str) -> str:
    """Interface text as the app shows it in ``language`` (English is the source text)."""
    assert msgid in STRINGS, f"add {msgid!r} to STRINGS"
    return catalogue_text(msgid) if language == "fr" else msgid


def sign_in_as(page: Page, person: Person, language: str) -> None:
    """The sign-in page's password form, or its badge-code form."""
    page.goto("/sign-in")
    if person.email:
        page.get_by_label(text(language, "Email address"), exact=True).fill(person.email)
        page.get_by_label(text(language, "Password"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=text(language, "Sign in"), exact=True).click()
    else:
        page.get_by_label(text(language, "Access code"), exact=True).fill(person.code)
        page.get_by_role("button", name=text(language, "Sign in with my code")).click()
    expect(page.get_by_role("banner")).to_contain_text(person.name)
