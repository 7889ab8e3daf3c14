"""Small builders for test data; each flushes so that ids exist, none commits."""

import itertools

from sqlalchemy import select

from facilitate.extensions import db, login_manager
from facilitate.models import Challenge, Event, Membership, Role, Team, Theme, User
from facilitate.models._types import utcnow
from facilitate.people.attendance import join_event

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


def event(challenges: int = 0, themes: int = 0, **fields) -> Event:
    n = next(_seq)
    ev = Event(
        slug=fields.pop("slug", f"event-{n}"), name=fields.pop("name", f"Event {n}"), **fields
    )
    ev.themes = [Theme(name=f"Theme {i + 1}", position=i, colour="#1d4e89") for i in range(themes)]
    db.session.add(ev)
    db.session.flush()
    for number in range(1, challenges + 1):
        challenge(ev, number=number, theme=ev.themes[number % themes] if themes else None)
    db.session.flush()
    return ev


def challenge(
    ev: Event, number: int | None = None, theme: Theme | None = None, **fields
) -> Challenge:
    if number is None:
        number = 1 + max((c.number for c in ev.challenges), default=0)
    ch = Challenge(
        event=ev,
        number=number,
        question=fields.pop("question", f"Comment relever le défi {number} ?"),
        owner_organisation=fields.pop("owner_organisation", f"Commune {number}"),
        theme_id=theme.id if theme else None,
        **fields,
    )
    ch.team = Team(event_id=ev.id)
    db.session.add(ch)
    db.session.flush()
    return ch


def user(password: str | None = None, **fields) -> User:
    n = next(_seq)
    u = User(
        name=fields.pop("name", f"Person {n}"),
        email=fields.pop("email", f"person{n}@example.org"),
        **fields,
    )
    if password:
        u.set_password(password)
        # As the command line makes them: an administrator vouched for the address.
        u.email_confirmed_at = fields.get("email_confirmed_at") or utcnow()
    db.session.add(u)
    db.session.flush()
    return u


def participant(ev: Event, team: Team | None = None, **fields) -> User:
    """A person attending the event, with this event's access code (see ``code_of``)."""
    organisation = fields.pop("organisation", None)
    u = user(**fields)
    join_event(ev, u, u.name, organisation)
    if team is not None:
        db.session.add(Membership(user=u, event=ev, team=team, role=Role.MEMBER))
    db.session.flush()
    return u


def join(ev: Event, u: User, organisation: str | None = None) -> Membership:
    """An existing account attends this event too, with a code of its own here."""
    attendance = join_event(ev, u, u.name, organisation)
    db.session.flush()
    return attendance


def attendance(u: User, ev: Event | None = None) -> Membership:
    """The person's attendance at this event (or at their only event)."""
    query = select(Membership).where(
        Membership.user_id == u.id, Membership.role == Role.PARTICIPANT
    )
    if ev is not None:
        query = query.where(Membership.event_id == ev.id)
    found = db.session.scalars(query).all()
    assert len(found) == 1, f"{u} attends {len(found)} events: name the event"
    return found[0]


def _attends(u: User) -> bool:
    return (
        db.session.scalar(
            select(Membership.id)
            .where(Membership.user_id == u.id, Membership.role == Role.PARTICIPANT)
            .limit(1)
        )
        is not None
    )


def code_of(u: User, ev: Event | None = None) -> str | None:
    """The person's access code at this event (or at their only event)."""
    return attendance(u, ev).access_code


def organiser(ev: Event, password: str = PASSWORD, **fields) -> User:
    fields = {"is_organiser": True, "email_confirmed_at": utcnow(), **fields}
    u = user(password=password, **fields)
    db.session.add(Membership(user=u, event=ev, role=Role.ORGANISER))
    db.session.flush()
    return u


def sign_in(client, user: User, ev: Event | None = None) -> None:
    """Sign the test client in as this person, the way they would: password or badge code (the
    code of their attendance at ``ev``, or at their only event)."""
    if user.password_hash:
        response = client.post(
            "/sign-in/password", data={"email": user.email, "password": PASSWORD}
        )
    elif _attends(user):
        response = client.post("/sign-in/code", data={"code": code_of(user, ev)})
    else:
        # An organiser made without a password (hashing one costs a quarter of a second that
        # tests not about signing in need not pay): the session a password sign-in would open.
        user.code_attendance = None
        # The test client's browser, as ``login_user`` records it (session protection).
        with client.application.test_request_context(environ_base=client.environ_base):
            browser = login_manager._session_identifier_generator()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["_id"] = browser
        return
    assert response.status_code == 303, response.text


def stand_path(team: Team, suffix: str = "") -> str:
    """A stand's page (``suffix``: a page under it) where its poster leads: its stand number, or
    while it has none, its team's challenge number."""
    slug = team.challenge.event.slug
    if team.stand_number is not None:
        return f"/events/{slug}/stands/{team.stand_number}{suffix}"
    return f"/events/{slug}/teams/{team.challenge.number}/stand{suffix}"
