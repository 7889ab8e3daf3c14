"""The event the ballot benchmark votes in, created before gunicorn starts its workers (so that
they never race to create it): 70 numbered stands in four themes, 1,000 participants with access
codes, each in a team, an organiser with an API token, the vote open."""

from dataclasses import dataclass

from flask_migrate import upgrade

from facilitate import create_app
from facilitate.api.auth import issue_api_token
from facilitate.auth.codes import new_access_code
from facilitate.extensions import db
from facilitate.models import (
    Challenge,
    Event,
    Membership,
    Role,
    Stage,
    Team,
    Theme,
    User,
    VoteStatus,
)
from facilitate.models.users import new_session_nonce

CHALLENGES = 70
PARTICIPANTS = 1000
VOTES = 3
SLUG = "bench-vote"
THEMES = ["Transition écologique", "Solidarités", "Mobilités", "Services numériques"]


@dataclass
class Seeded:
    organiser_token: str
    team_ids: list[int]
    voters: list[tuple[str, int]]  # (access code, own team id)


def stands(event: Event, count: int, question: str, theme_of=None) -> list[Team]:
    """``count`` challenges numbered from 1 (``question`` formatted with the ``number``), each
    with its team at the stand of its number; ``theme_of(number)``: a theme's id."""
    teams = []
    for number in range(1, count + 1):
        challenge = Challenge(
            event=event,
            number=number,
            question=question.format(number=number),
            owner_organisation=f"Commune {number}",
            theme_id=theme_of(number) if theme_of else None,
        )
        challenge.team = Team(event_id=event.id, stand_number=number)
        db.session.add(challenge)
        teams.append(challenge.team)
    db.session.flush()
    return teams


def participants(
    event: Event, teams: list[Team], count: int, domain: str
) -> list[tuple[Membership, Team]]:
    """``count`` people attending with an access code, each in a team in turn (addresses
    ``p<n>@<domain>``): their attendances and teams."""
    seated = []
    for n in range(count):
        team = teams[n % len(teams)]
        person = User(name=f"Participant {n}", email=f"p{n}@{domain}")
        attendance = Membership(
            user=person,
            event=event,
            role=Role.PARTICIPANT,
            name=person.name,
            access_code=new_access_code(),
            code_nonce=new_session_nonce(),
        )
        db.session.add_all([person, attendance])
        db.session.add(Membership(user=person, event=event, team=team, role=Role.MEMBER))
        seated.append((attendance, team))
    return seated


def seed(url: str) -> Seeded:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only"})
    with app.app_context():
        upgrade()
        event = Event(
            slug=SLUG,
            name="Université de l’innovation publique, exposition",
            stage=Stage.EXHIBITION,
            vote_status=VoteStatus.OPEN,
            votes_per_participant=VOTES,
        )
        event.themes = [Theme(name=name, position=i) for i, name in enumerate(THEMES)]
        db.session.add(event)
        db.session.flush()
        teams = stands(
            event,
            CHALLENGES,
            "Comment relever le défi {number} ?",
            lambda number: event.themes[number % len(THEMES)].id,
        )
        voters = participants(event, teams, PARTICIPANTS, "bench.example")
        organiser = User(name="Organisatrice", email="orga@bench.example", is_organiser=True)
        db.session.add(organiser)
        db.session.add(Membership(user=organiser, event=event, role=Role.ORGANISER))
        db.session.flush()
        _user, token = issue_api_token(organiser.email)
        seeded = Seeded(
            organiser_token=token,
            team_ids=[team.id for team in teams],
            voters=[(attendance.access_code, team.id) for attendance, team in voters],
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return seeded
