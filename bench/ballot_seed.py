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
        teams = []
        for number in range(1, CHALLENGES + 1):
            challenge = Challenge(
                event=event,
                number=number,
                question=f"Comment relever le défi {number} ?",
                owner_organisation=f"Commune {number}",
                theme_id=event.themes[number % len(THEMES)].id,
            )
            challenge.team = Team(event_id=event.id, stand_number=number)
            db.session.add(challenge)
            teams.append(challenge.team)
        db.session.flush()
        voters = []
        for n in range(PARTICIPANTS):
            team = teams[n % CHALLENGES]
            person = User(name=f"Participant {n}", email=f"p{n}@bench.example")
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
            voters.append((attendance, team))
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
