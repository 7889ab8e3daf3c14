"""The Rennes 2018 demo event, loaded from data (``rennes-2018.json``), never from code."""

import json
import secrets
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from facilitate.auth.services import create_organiser, issue_access_code
from facilitate.extensions import db
from facilitate.models import (
    LIST_FIELDS,
    SHEET_FIELDS,
    Challenge,
    Event,
    Membership,
    Role,
    Stage,
    Team,
    Theme,
    User,
)
from facilitate.models._types import utc_from_local
from facilitate.people.attendance import attendance_of, join_event

DEMO_FILE = Path(__file__).with_name("rennes-2018.json")
DEMO_ORGANISER_EMAIL = "organisateur@example.org"
DEMO_PARTICIPANT_EMAIL = "participant@example.org"


def load_demo_event(path: Path = DEMO_FILE) -> tuple[Event, bool]:
    """Create the demo event unless it exists. An existing one is left as it is, so that running
    the demo again never undoes what someone changed in it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    info = data["event"]
    event = db.session.scalar(select(Event).where(Event.slug == info["slug"]))
    if event is not None:
        return event, False

    event = Event(
        slug=info["slug"],
        name=info["name"],
        venue=info["venue"],
        timezone=info["timezone"],
        starts_at=utc_from_local(datetime.fromisoformat(info["starts_at"]), info["timezone"]),
        ends_at=utc_from_local(datetime.fromisoformat(info["ends_at"]), info["timezone"]),
        description=info["description"],
        stage=Stage(info["stage"]),
    )
    themes = {
        t["key"]: Theme(name=t["name"], colour=t["colour"], position=i)
        for i, t in enumerate(data["themes"])
    }
    event.themes = list(themes.values())
    db.session.add(event)
    db.session.flush()
    for item in data["challenges"]:
        challenge = Challenge(
            event=event,
            number=item["number"],
            theme_id=themes[item["theme"]].id if item.get("theme") else None,
            **{field: item.get(field) or _empty(field) for field in SHEET_FIELDS},
        )
        # The demo numbers its stands (stand N: challenge N), so the exhibition can be tried.
        challenge.team = Team(
            event_id=event.id, stand_number=item.get("stand"), stand_place=item.get("stand_place")
        )
        db.session.add(challenge)
    db.session.flush()
    return event, True


def _empty(field: str):
    return [] if field in LIST_FIELDS else None


def ensure_demo_organiser(event: Event, instance_path: str) -> tuple[User, str]:
    """An organiser of the demo event whose password is kept in the instance folder.

    The password is random, never in the code: a demo loaded on a real server does not open a
    known door. Running this again keeps the password, unless the file is gone.
    """
    secret_file = Path(instance_path) / "demo-organiser-password"
    user = db.session.scalar(select(User).where(User.email == DEMO_ORGANISER_EMAIL))
    password = secret_file.read_text().strip() if secret_file.exists() else None
    if user is None or password is None or not user.check_password(password):
        password = secrets.token_urlsafe(12)
        user = create_organiser(
            DEMO_ORGANISER_EMAIL, password, name="Organisateur de démonstration"
        )
        secret_file.write_text(password + "\n")
        secret_file.chmod(0o600)
    _ensure_membership(user, event, Role.ORGANISER)
    return user, password


def ensure_demo_participant(event: Event) -> Membership:
    """A participant in the team of challenge 3, to try the badge sign-in: their attendance,
    which holds the code."""
    name = "Participante de démonstration"
    user = db.session.scalar(select(User).where(User.email == DEMO_PARTICIPANT_EMAIL))
    if user is None:
        user = User(email=DEMO_PARTICIPANT_EMAIL, name=name)
        db.session.add(user)
        db.session.flush()
    attendance = attendance_of(event, user) or join_event(event, user, name, "Ville de Rennes")
    if attendance.access_code is None:
        issue_access_code(attendance)
    db.session.flush()
    team = db.session.scalar(
        select(Team).join(Team.challenge).where(Team.event_id == event.id, Challenge.number == 3)
    )
    if team is not None:
        _ensure_membership(user, event, Role.MEMBER, team)
    return attendance


def _ensure_membership(user: User, event: Event, role: Role, team: Team | None = None) -> None:
    exists = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.event_id == event.id,
            Membership.role == role,
        )
    )
    if exists is None:
        db.session.add(Membership(user=user, event=event, role=role, team=team))
        db.session.flush()
