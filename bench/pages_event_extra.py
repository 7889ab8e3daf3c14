"""The pages of one event that ``bench/pages.py`` measures besides those issue 13 listed: the
home and sign-in pages, the organisers' pages added since (event settings, invitations,
history, programme, debrief, follow-up, book) and the pages of issue 14 (programme, resources,
debrief, follow-up, showcase, book), each requested as the person who uses it.

``seed`` adds, through the project's services, what these pages show: the demo's programme and
six more workshops (24 sessions), its resources, a few invitations, a debrief answered by every
attendee, news of every challenge, every team on the showcase with its photos made public, the
book's texts, and a finished build of the whole book and of every challenge's (rows and
placeholder files: building 71 PDFs with WeasyPrint would take minutes, and the pages only read
the rows and whether the file is there).
"""

import os
import random
from datetime import date, datetime, time, timedelta

from pages_seed import Seeded
from sqlalchemy import select

from facilitate.accounts.services import create_invitation
from facilitate.book import builds
from facilitate.book.services import save_settings
from facilitate.book.storage import books_folder
from facilitate.debrief.services import parts_of, save_answer, set_open
from facilitate.demo.people import casts
from facilitate.demo.programme import add_programme
from facilitate.demo.resources import add_resources
from facilitate.extensions import db
from facilitate.followup.services import UpdateDetails, add_update, last_day
from facilitate.models import (
    BookBuild,
    BookStatus,
    Event,
    FollowUpStatus,
    Membership,
    ProgrammeSession,
    PrototypeFile,
    Resource,
    Role,
    SessionKind,
    User,
)
from facilitate.programme.services import SessionDetails, local, save_session
from facilitate.showcase.services import put_on_showcase
from facilitate.workspace.consent import record_public_consent

# What the pages address, by event slug: a session, a resource, the owner's access code.
ADDRESSES: dict[str, dict] = {}


def seed(seeded: Seeded) -> None:
    """Everything the pages below show, for the event ``seeded`` names; committed."""
    event = db.session.scalar(select(Event).where(Event.slug == seeded.slug))
    organiser = db.session.scalar(select(User).where(User.email == seeded.organiser_email))
    add_programme(event, organiser)
    _more_workshops(event, organiser)
    add_resources(event, organiser)
    for number in range(3):
        create_invitation(
            event, Role.ORGANISER, f"co-{number}@bench.example", f"Co-organiser {number}", organiser
        )
    db.session.commit()
    team_casts = casts(event)
    _debrief(event, organiser)
    _follow_up(event, team_casts, organiser)
    _showcase(team_casts, organiser)
    save_settings(event, "Ce que les équipes ont fait.\n\n" * 5, "Merci à toutes et tous.", "theme")
    db.session.commit()
    _built_books(event)
    owner = team_casts[1].owners[0]
    membership = db.session.scalar(
        select(Membership).where(Membership.event_id == event.id, Membership.user_id == owner.id)
    )
    ADDRESSES[seeded.slug] = {
        "session": db.session.scalar(
            select(ProgrammeSession.id)
            .where(ProgrammeSession.event_id == event.id)
            .order_by(ProgrammeSession.id)
        ),
        "resource": db.session.scalar(
            select(Resource.id).where(Resource.event_id == event.id).order_by(Resource.id)
        ),
        "owner_code": membership.access_code,
    }
    db.session.commit()


def _more_workshops(event: Event, organiser) -> None:
    day = local(event.starts_at, event.timezone).date() + timedelta(days=1)
    for number in range(6):
        start = datetime.combine(day, time(14 + number % 3))
        save_session(
            event,
            None,
            SessionDetails(
                kind=SessionKind.SHORT_TALK,
                title=f"Atelier de méthode {number + 1}",
                starts_at=start,
                ends_at=start + timedelta(minutes=50),
                room=f"Salle {number % 2 + 3}",
                speakers="Équipe d’animation",
                description="Un atelier **pratique** pour les équipes qui le souhaitent.",
            ),
            organiser,
        )


def _debrief(event: Event, organiser) -> None:
    """The questionnaire open, answered by every attendee (some with a name, some with text)."""
    set_open(event, True, organiser)
    parts = parts_of(event)
    rng = random.Random(f"{event.slug}-debrief")
    people = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.event_id == event.id, Membership.role == Role.PARTICIPANT)
        .order_by(User.id)
    ).all()
    for index, user in enumerate(people):
        save_answer(
            event,
            user,
            {part: rng.randint(1, 5) for part in parts},
            "Le rythme des ateliers et les rencontres." if index % 3 == 0 else "",
            "Plus de temps pour le prototype." if index % 4 == 0 else "",
            show_name=index % 2 == 0,
        )
    db.session.commit()


def _follow_up(event: Event, team_casts: dict, organiser) -> None:
    """Two pieces of news of every challenge, written by its owner."""
    end = last_day(event) or date.today()
    for number, cast in sorted(team_casts.items()):
        author = cast.owners[0] if cast.owners else organiser
        for step, (days, status, progress) in enumerate(
            ((30, FollowUpStatus.TESTING, 30), (90, FollowUpStatus.DEPLOYED, 60 + number % 40))
        ):
            day = end + timedelta(days=days)
            add_update(
                cast.team.challenge,
                author,
                UpdateDetails(
                    happened_on=day,
                    text=f"Nouvelle étape {step + 1} du défi {number} : essai avec des usagers.",
                    status=status,
                    progress=progress,
                ),
                now=datetime.combine(day, time(18)),
            )
    db.session.commit()


def _showcase(team_casts: dict, organiser) -> None:
    """Every team on the showcase, its photos made public (their people agreed)."""
    for cast in team_casts.values():
        put_on_showcase(cast.team, True, organiser)
        for photo in db.session.scalars(
            select(PrototypeFile).where(PrototypeFile.team_id == cast.team.id)
        ):
            record_public_consent(cast.team, photo, True, cast.facilitator)
    db.session.commit()


def _built_books(event: Event) -> None:
    """A finished build of the whole book and of every challenge's, up to date: the rows the
    builds leave, with a placeholder file each."""
    challenges = sorted(event.challenges, key=lambda c: c.number)
    book = builds.gather(event)
    os.makedirs(books_folder(), exist_ok=True)
    for challenge in (None, *challenges):
        scope = builds.scope_of(challenge)
        part = book if challenge is None else book.for_challenge(challenge.id)
        fingerprint = part.fingerprint("fr")
        name = f"{event.id}-{scope}-fr-{fingerprint[:16]}.pdf"
        with open(os.path.join(books_folder(), name), "wb") as pdf:
            pdf.write(b"%PDF-1.7\n% placeholder\n")
        db.session.add(
            BookBuild(
                event_id=event.id,
                scope=scope,
                language="fr",
                status=BookStatus.DONE,
                progress=100,
                fingerprint=fingerprint,
                storage_name=name,
            )
        )
    db.session.commit()


def clients(app, seeded: Seeded, signed_in) -> dict[str, tuple]:
    """The roles these pages add: a challenge owner, and nobody signed in."""
    owner = signed_in(app, "/sign-in/code", {"code": ADDRESSES[seeded.slug]["owner_code"]})
    return {"owner": (owner, {}), "anonymous": (app.test_client(), {})}


def pages(seeded: Seeded, page) -> list:
    """The rows, as ``page`` (bench/pages.py's ``Page``) objects."""
    where = ADDRESSES.get(seeded.slug, {})
    one = {"number": seeded.member_team}
    return [
        page("home (signed in)", "events.home", "member"),
        page("sign-in page", "auth.sign_in", "anonymous"),
        page("challenge page", "challenges.show", "member", values=one),
        page("event settings (organise)", "events.organise", "organiser"),
        page("invitations", "accounts.invitations", "organiser"),
        page("event history", "audit.history", "organiser"),
        page("privacy notice", "privacy.event_notice", "member"),
        page("my data", "privacy.own_data", "member"),
        page("programme", "programme.show", "member"),
        page("programme (organise)", "programme.manage", "organiser"),
        page("programme room", "programme.room", "member", values={"name": "Salle 3"}),
        page("programme screen", "programme.screen", "organiser"),
        page("programme screen poll (304)", "programme.screen_state_json", "organiser", "poll"),
        page(
            "programme session",
            "programme.session",
            "member",
            values={"session_id": where.get("session")},
        ),
        # A calendar file the apps subscribe to: an export (150 ms), as the spreadsheets are.
        page("programme feed ICS", "programme.feed", "member", "print"),
        page("resources", "resources.index", "member"),
        page("resource", "resources.show", "member", values={"resource_id": where.get("resource")}),
        page("debrief questionnaire", "debrief.answer", "member"),
        page("debrief results", "debrief.results", "organiser", revealed=True),
        page("follow-up", "followup.event_page", "organiser", revealed=True),
        page("follow-up of a challenge", "followup.challenge", "owner", values=one, revealed=True),
        page("book (organise)", "book.organise", "organiser"),
        page("challenge book", "book.challenge_book", "owner", values=one),
        page("book build progress JSON", "book.event_book_status", "organiser"),
        page("showcase", "showcase.show", "anonymous", revealed=True),
        page("showcase challenge", "showcase.challenge", "anonymous", values=one, revealed=True),
    ]
