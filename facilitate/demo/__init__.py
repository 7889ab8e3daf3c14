"""The Rennes 2018 demo event, loaded from data (``rennes-2018.json``, and
``rennes-2018-day2.json`` for its people and their work), never from code.

``load_demo`` creates it in the middle of day 2: 200 attendees in 14 teams, work at various
stages. ``move_demo_to_exhibition`` (in ``demo.exhibition``) takes it to day 3, vote open. Both
go through the services the views call, so the demo obeys the rules the event will.
"""

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from facilitate.auth.services import create_organiser, issue_access_code
from facilitate.dashboard.services import move_event_stage
from facilitate.demo.people import casts, seat_people
from facilitate.demo.programme import add_programme
from facilitate.demo.resources import add_resources
from facilitate.demo.teamwork import build_team_work
from facilitate.extensions import db
from facilitate.models import (
    LIST_FIELDS,
    SHEET_FIELDS,
    Challenge,
    Event,
    FollowUp,
    FollowUpUpdate,
    Membership,
    PrototypeFile,
    Role,
    Stage,
    Team,
    Theme,
    User,
)
from facilitate.models._types import utc_from_local
from facilitate.people.attendance import attendance_of
from facilitate.workspace import uploads

DEMO_FILE = Path(__file__).with_name("rennes-2018.json")
DAY2_FILE = Path(__file__).with_name("rennes-2018-day2.json")
DEMO_SLUG = "rennes-2018"
DEMO_ORGANISER_EMAIL = "organisateur@example.org"
# The team whose people ``make run`` prints, to sign in as each role.
SHOWN_TEAM = 3


@dataclass(frozen=True)
class SignIn:
    role: Role
    name: str
    code: str


@dataclass(frozen=True)
class DemoReport:
    event: Event
    created: bool
    organiser: User
    password: str
    sign_ins: list[SignIn]


def demo_data() -> dict:
    return json.loads(DAY2_FILE.read_text(encoding="utf-8"))


def load_demo(instance_path: str, reset: bool = False) -> DemoReport:
    """The demo event in the middle of day 2, created unless it exists: an existing one is left
    as it is (someone may be rehearsing with it), unless ``reset`` asks to start again."""
    if reset:
        remove_demo_event()
    event, created = load_demo_event()
    organiser, password = ensure_demo_organiser(event, instance_path)
    if created:
        _middle_of_day_two(event, organiser)
        add_programme(event, organiser)
        add_resources(event, organiser)
    sign_ins = demo_sign_ins(event)
    db.session.commit()
    return DemoReport(event, created, organiser, password, sign_ins)


def _middle_of_day_two(event: Event, organiser: User) -> None:
    data = demo_data()
    seat_people(event, data, organiser)
    db.session.flush()
    for number, cast in sorted(casts(event).items()):
        build_team_work(number, cast, data["teams"][str(number)], data)
    # Framing and ideation were day 1; the programme is at prototyping.
    while event.stage != Stage.PROTOTYPING:
        move_event_stage(event, 1, organiser)


def demo_sign_ins(event: Event) -> list[SignIn]:
    """A facilitator, a challenge owner and a member of the team of challenge 3, with the access
    codes on their badges (a code revoked during a rehearsal is replaced)."""
    cast = casts(event).get(SHOWN_TEAM)
    if cast is None:
        return []
    shown = [(Role.FACILITATOR, cast.facilitator), (Role.MEMBER, cast.members[0])]
    if cast.owners:
        shown.insert(1, (Role.CHALLENGE_OWNER, cast.owners[0]))
    result = []
    for role, user in shown:
        attendance = attendance_of(event, user)
        if attendance is None:
            continue
        if attendance.access_code is None:
            issue_access_code(attendance)
        result.append(SignIn(role, attendance.name, attendance.access_code))
    return result


def remove_demo_event() -> None:
    """Delete the demo event with everything in it, the accounts that only it used and nobody
    claimed (no password), and its stored files. Other events and accounts are untouched."""
    event = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
    if event is None:
        return
    people = set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.event_id == event.id, Membership.role == Role.PARTICIPANT
            )
        )
    )
    files = db.session.scalars(
        select(PrototypeFile.storage_name).join(Team).where(Team.event_id == event.id)
    ).all()
    files += db.session.scalars(
        select(FollowUpUpdate.storage_name)
        .join(FollowUp)
        .where(FollowUp.event_id == event.id, FollowUpUpdate.storage_name.is_not(None))
    ).all()
    db.session.execute(delete(Event).where(Event.id == event.id))
    still_used = select(Membership.id).where(Membership.user_id == User.id).exists()
    db.session.execute(
        delete(User)
        .where(User.id.in_(people), User.password_hash.is_(None), ~still_used)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.expunge_all()
    for name in files:
        uploads.remove(name)


def load_demo_event(path: Path = DEMO_FILE) -> tuple[Event, bool]:
    """Create the demo event unless it exists. An existing one is left as it is, so that running
    the demo again never undoes what someone changed in it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    info = data["event"]
    event = db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))
    if event is not None:
        return event, False

    # The seed's days and hours, moved so that today is day 2 at the venue: the demo is a
    # running event (not one that ended in 2018, which the app would offer to purge).
    first = datetime.fromisoformat(info["starts_at"])
    ends = datetime.fromisoformat(info["ends_at"])
    today = datetime.now(ZoneInfo(info["timezone"])).date()
    starts = datetime.combine(today - timedelta(days=1), first.time())
    event = Event(
        slug=info["slug"],
        name=info["name"],
        venue=info["venue"],
        timezone=info["timezone"],
        starts_at=utc_from_local(starts, info["timezone"]),
        ends_at=utc_from_local(starts + (ends - first), info["timezone"]),
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
