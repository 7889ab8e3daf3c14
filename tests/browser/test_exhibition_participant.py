"""The exhibition on a participant's phone (320 px): the organiser prints the posters, a
participant scans a stand's QR code, signs in and comes back to the stand, leaves feedback,
votes, finds the other stands and changes their whole ballot.

The QR code's address is read from the poster page (the poster prints the link under the code,
and carries it in ``data-stand-url``); the poster's SVG is checked against segno's drawing of
that same address by tests/test_exhibition_stands.py. axe runs on every page, and nothing may
scroll sideways at 320 px; problems are reported together at the end.
"""

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.models import (
    Event,
    FeedbackEntry,
    Idea,
    PrototypeFile,
    PrototypeKind,
    Stage,
    User,
    VoteStatus,
)
from facilitate.models._types import utcnow
from facilitate.workspace import uploads
from tests.browser.conftest import catalogue_plural, catalogue_text, untranslated
from tests.browser.journey import AccessibilityLog, flash, path_is, step
from tests.browser.team_journey_data import tiny_png
from tests.factories import PASSWORD, code_of

BASE_URL = "http://facilitate.test"  # the test configuration's public address

STRINGS = (
    "Access code",
    "Sign in with my code",
    "Email address",
    "Password",
    "Sign in",
    "What I liked",
    "What could be better",
    "A question for the team",
    "Send my feedback",
    "Don't show my name",
    "Write at least one of the three answers.",
    "Thank you: the team will find your feedback in its workspace.",
    "Give this stand one of my votes",
    "Withdraw my vote",
    "Your vote for “%(team)s” is counted.",
    "Your vote for “%(team)s” is withdrawn.",
    "This stand has one of your votes.",
    "The vote is open.",
    "Stands",
    "My ballot",
    "You voted for this stand",
    "Save my ballot",
    "Your ballot is saved.",
    "Stand %(number)d",
    "The exhibition",
    "Stand number of %(team)s",
    "Print the posters (A3)",
)
PLURALS = (
    ("%(num)d vote left of %(total)d", "%(num)d votes left of %(total)d"),
    (
        "You have %(num)d vote: withdraw it before giving it to another stand.",
        "You have %(num)d votes: withdraw one before giving it to another stand.",
    ),
)


def t(msgid: str, **values) -> str:
    assert msgid in STRINGS, f"add {msgid!r} to STRINGS"
    return catalogue_text(msgid, **values)


def votes_left(left: int, total: int) -> str:
    return catalogue_plural(*PLURALS[0], left, total=total)


def test_french_catalogue_covers_the_exhibition_journey():
    assert untranslated(STRINGS + PLURALS) == []


QUESTIONS = (
    "Comment définir les critères de durabilité de la reconversion de la glacière municipale ?",
    "Comment simplifier l'inscription des enfants à la cantine et au périscolaire ?",
    "Comment faire vivre un tiers-lieu rural toute l'année, avec ses habitants ?",
    "Comment accueillir les nouveaux arrivants dans une intercommunalité rurale ?",
)


@dataclass(frozen=True)
class Exhibition:
    slug: str
    event_id: int
    team_ids: tuple[int, ...]  # by stand number: stand n is team_ids[n - 1]
    team_names: tuple[str, ...]
    organiser_email: str
    organiser_name: str
    participant_name: str
    participant_code: str
    participant_id: int


@pytest.fixture
def exhibition(seed, app, tmp_path, monkeypatch) -> Exhibition:
    """An event at the exhibition with the vote open (3 votes each): four stands numbered by
    challenge, in two halls, with their pitch, retained idea, prototype and a photo; the
    participant is a member of the team of stand 4."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    slug = f"expo-{uuid.uuid4().hex[:10]}"
    names = ("Les Glaciers", "Cantine facile", "Le Tiers-Lieu des Possibles", "Bienvenue")
    with seed() as make:
        event = make.event(
            slug=slug,
            name="Université de l'innovation publique – Rennes",
            stage=Stage.EXHIBITION,
            vote_status=VoteStatus.OPEN,
            votes_per_participant=3,
        )
        teams = []
        for number, (question, name) in enumerate(zip(QUESTIONS, names, strict=True), start=1):
            challenge = make.challenge(
                event, number=number, question=question, owner_organisation=f"Commune {number}"
            )
            team = challenge.team
            team.name = name
            team.stand_number = number
            team.stand_place = "Hall A, côté fenêtres" if number <= 2 else "Hall B, près du bar"
            team.pitch = (
                f"{name} : un prototype testé avec les habitants, pour répondre au défi "
                f"{number} en moins de trois mois."
            )
            team.prototype_kind = PrototypeKind.SERVICE
            team.prototype_summary = "Un guichet unique, un formulaire en trois questions."
            teams.append(team)
        db.session.flush()
        for team in teams:
            db.session.add(
                Idea(
                    team_id=team.id,
                    title="Un parcours usager simplifié",
                    retained_at=utcnow(),
                    retained_reason="Elle répond à l'attente du porteur : aller vite.",
                )
            )
        png = tiny_png()
        db.session.add(
            PrototypeFile(
                team_id=teams[1].id,
                original_name="maquette.png",
                content_type="image/png",
                size_bytes=len(png),
                storage_name=uploads.store(png, uploads.detect_type(png[:16])),
                is_photo=True,
                consent_confirmed=True,
            )
        )
        organiser = make.organiser(event, name="Anne Organisatrice")
        participant = make.participant(event, team=teams[3], name="Camille Le Goff")
        return Exhibition(
            slug=slug,
            event_id=event.id,
            team_ids=tuple(team.id for team in teams),
            team_names=names,
            organiser_email=organiser.email,
            organiser_name=organiser.name,
            participant_name=participant.name,
            participant_code=code_of(participant),
            participant_id=participant.id,
        )


@pytest.fixture
def contexts(people_pages):
    """``open(phone=...)``: a new person's browser in French, a 320 px phone or a laptop."""
    return people_pages


def _ballot(app, exhibition: Exhibition) -> list[int]:
    with app.app_context():
        event = db.session.get(Event, exhibition.event_id)
        return ballots.current_ballot(event, exhibition.participant_id)


def test_a_participant_visits_a_stand_from_its_poster_gives_feedback_and_votes(
    contexts, exhibition: Exhibition, app
):
    a11y = AccessibilityLog()
    stand_2 = exhibition.team_ids[1]
    stand_3 = exhibition.team_ids[2]

    with step("1. the organiser prints the posters and reads stand 2's QR code address"):
        laptop = contexts(phone=False)
        laptop.goto("/sign-in")
        laptop.get_by_label(t("Email address"), exact=True).fill(exhibition.organiser_email)
        laptop.get_by_label(t("Password"), exact=True).fill(PASSWORD)
        laptop.get_by_role("button", name=t("Sign in"), exact=True).click()
        expect(laptop.get_by_role("banner")).to_contain_text(exhibition.organiser_name)
        laptop.goto(f"/events/{exhibition.slug}/organise/stands")
        expect(
            laptop.get_by_label(t("Stand number of %(team)s", team=exhibition.team_names[1]))
        ).to_have_value("2")
        a11y.check(laptop, "stands, organiser's laptop")
        laptop.get_by_role("link", name=t("Print the posters (A3)")).click()
        posters = laptop.get_by_role("article")
        expect(posters).to_have_count(4)
        poster = posters.nth(1)
        expect(poster).to_contain_text(exhibition.team_names[1])
        expect(poster.get_by_role("img").first).to_be_visible()
        link = poster.locator("[data-stand-url]")
        address = link.get_attribute("data-stand-url")
        expect(link).to_have_text(address)  # printed under the code, for who cannot scan
        # The stand's number, as the poster shows it: not the team's id in the database.
        assert address == f"{BASE_URL}/events/{exhibition.slug}/stands/2"
        a11y.check(laptop, "posters, organiser's laptop")
        # Printed by Chromium: one A3 page (297 x 420 mm, in points) per poster.
        pdf = laptop.pdf(prefer_css_page_size=True)
        assert re.findall(rb"/Type\s*/Page\b", pdf) == [b"/Type /Page"] * 4
        assert set(re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)) == {b"0 0 841.91998 1191.12"}

    phone = contexts(phone=True)
    # The phone opens what the QR code says, on this test's server.
    stand_path = urlsplit(address).path

    with step("2. she scans the code, is asked to sign in, and comes back to the stand", "Camille"):
        phone.goto(stand_path)
        path_is(phone, "/sign-in")
        a11y.check_as_is(phone, "sign-in from a stand's QR code")
        phone.get_by_label(t("Access code"), exact=True).fill(exhibition.participant_code)
        phone.get_by_role("button", name=t("Sign in with my code")).click()
        path_is(phone, stand_path)
        expect(phone.get_by_role("heading", level=1)).to_have_text(exhibition.team_names[1])
        expect(phone.get_by_text(QUESTIONS[1])).to_be_visible()
        expect(phone.get_by_text(t("Stand %(number)d", number=2)).first).to_be_visible()
        photo = phone.locator("img.stand-photo")
        expect(photo).to_have_attribute("loading", "lazy")
        expect(phone.get_by_text(t("The vote is open."))).to_be_visible()
        expect(phone.get_by_text(votes_left(3, 3))).to_be_visible()
        a11y.check_as_is(phone, "stand page")

    with step(
        "3. she sends an empty form by mistake, then her feedback without her name", "Camille"
    ):
        phone.get_by_role("button", name=t("Send my feedback")).click()
        expect(phone.get_by_role("alert")).to_contain_text(
            t("Write at least one of the three answers.")
        )
        a11y.check_as_is(phone, "stand page, empty feedback refused")
        phone.get_by_label(t("What I liked"), exact=True).fill(
            "Le formulaire en trois questions, très clair."
        )
        phone.get_by_label(t("A question for the team"), exact=True).fill(
            "Qui l'instruit côté mairie ?"
        )
        phone.get_by_label(t("Don't show my name")).check()
        phone.get_by_role("button", name=t("Send my feedback")).click()
        expect(flash(phone)).to_contain_text(
            t("Thank you: the team will find your feedback in its workspace.")
        )
        path_is(phone, stand_path)
        with app.app_context():
            entry = db.session.scalars(
                select(FeedbackEntry).where(FeedbackEntry.team_id == stand_2)
            ).one()
            assert entry.at_exhibition
            assert entry.liked == "Le formulaire en trois questions, très clair."
            assert entry.could_be_better is None
            assert entry.anonymous  # her name is kept from every reader

    with step("4. she gives the stand one of her votes, tapping twice", "Camille"):
        form = phone.locator("form.vote-form")
        token = form.locator("input[name=csrf_token]").get_attribute("value")
        form.get_by_role("button", name=t("Give this stand one of my votes")).click()
        expect(flash(phone)).to_contain_text(
            t("Your vote for “%(team)s” is counted.", team=exhibition.team_names[1])
        )
        expect(phone.get_by_text(t("This stand has one of your votes."))).to_be_visible()
        expect(phone.get_by_text(votes_left(2, 3))).to_be_visible()
        # The same request again, as a double tap or a retry on a slow network sends it.
        again = phone.request.post(
            f"{stand_path}/vote", form={"csrf_token": token, "action": "give"}
        )
        assert again.ok
        phone.reload()
        expect(phone.get_by_text(votes_left(2, 3))).to_be_visible()
        assert _ballot(app, exhibition) == [stand_2]
        a11y.check_as_is(phone, "stand page, voted")

    with step("5. she finds the other stands in the list", "Camille"):
        phone.get_by_role("navigation").get_by_role("link", name=t("Stands")).click()
        path_is(phone, f"/events/{exhibition.slug}/stands")
        cards = phone.locator(".stand-card")
        expect(cards).to_have_count(4)
        expect(cards.nth(1)).to_contain_text(t("You voted for this stand"))
        expect(cards.nth(0)).not_to_contain_text(t("You voted for this stand"))
        expect(cards.nth(2)).to_contain_text("Hall B, près du bar")
        a11y.check_as_is(phone, "list of stands")

    with step("6. on my ballot, she tries four stands, then moves her vote", "Camille"):
        phone.get_by_role("link", name=t("My ballot")).first.click()
        path_is(phone, f"/events/{exhibition.slug}/my-ballot")
        expect(phone.get_by_text(votes_left(2, 3))).to_be_visible()
        boxes = phone.get_by_role("checkbox")
        expect(boxes).to_have_count(3)  # not her own team's stand 4
        a11y.check_as_is(phone, "my ballot")

        name = exhibition.team_names
        # Stand 2 is ticked already (her vote); she adds stands 1 and 3: all three votes.
        for team_name in name[:3]:
            phone.get_by_role("checkbox", name=re.compile(re.escape(team_name))).check()
        phone.get_by_role("button", name=t("Save my ballot")).click()
        expect(flash(phone)).to_contain_text(t("Your ballot is saved."))
        assert sorted(_ballot(app, exhibition)) == sorted(exhibition.team_ids[:3])
        expect(phone.get_by_text(votes_left(0, 3))).to_be_visible()

        phone.get_by_role("checkbox", name=re.compile(re.escape(name[0]))).uncheck()
        phone.get_by_role("checkbox", name=re.compile(re.escape(name[1]))).uncheck()
        phone.get_by_role("button", name=t("Save my ballot")).click()
        expect(flash(phone)).to_contain_text(t("Your ballot is saved."))
        assert _ballot(app, exhibition) == [stand_3]
        a11y.check_as_is(phone, "my ballot, changed")

    with step("7. she withdraws her last vote from my ballot", "Camille"):
        phone.get_by_role("button", name=re.compile(re.escape(t("Withdraw my vote")))).click()
        expect(flash(phone)).to_contain_text(
            t("Your vote for “%(team)s” is withdrawn.", team=exhibition.team_names[2])
        )
        path_is(phone, f"/events/{exhibition.slug}/my-ballot")
        assert _ballot(app, exhibition) == []
        expect(phone.get_by_text(votes_left(3, 3))).to_be_visible()

    with step("8. the event page leads her back to the stands and her ballot", "Camille"):
        phone.goto(f"/events/{exhibition.slug}")
        region = phone.get_by_role("region", name=t("The exhibition"))
        expect(region.get_by_role("link", name=t("Stands"))).to_be_visible()
        region.get_by_role("link", name=t("My ballot")).click()
        path_is(phone, f"/events/{exhibition.slug}/my-ballot")
        a11y.check_as_is(phone, "my ballot, from the event page")

    assert not a11y.problems, "\n".join(
        ["Accessibility problems along the journey:", *a11y.problems]
    )


def test_a_refused_vote_is_said_on_the_phone_and_changes_nothing(
    contexts, exhibition: Exhibition, app
):
    """Two votes placed; the organisers lower the number of votes to two while her stand page
    is open: the button she taps is refused, and the page says why."""
    with app.app_context():
        event = db.session.get(Event, exhibition.event_id)
        user = db.session.get(User, exhibition.participant_id)
        ballots.replace_ballot(event, ballots.voter(event, user), list(exhibition.team_ids[:2]))
    a11y = AccessibilityLog()
    phone = contexts(phone=True)
    stand_3 = f"/events/{exhibition.slug}/stands/3"
    phone.goto(stand_3)
    phone.get_by_label(t("Access code"), exact=True).fill(exhibition.participant_code)
    phone.get_by_role("button", name=t("Sign in with my code")).click()
    path_is(phone, stand_3)

    # The organiser lowers the number of votes to two while her page is open.
    with app.app_context():
        db.session.get(Event, exhibition.event_id).votes_per_participant = 2
        db.session.commit()
    phone.get_by_role("button", name=t("Give this stand one of my votes")).click()
    refusal = catalogue_plural(*PLURALS[1], 2)
    expect(phone.locator(".flash--error")).to_have_text(refusal)
    assert sorted(_ballot(app, exhibition)) == sorted(exhibition.team_ids[:2])
    a11y.check_as_is(phone, "stand page, vote refused")
    assert not a11y.problems, "\n".join(["Accessibility problems:", *a11y.problems])
