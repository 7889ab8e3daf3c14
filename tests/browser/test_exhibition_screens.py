"""What the exhibition looks like beyond the stand page: a visitor who scans a stand's QR code
signed out, then their badge, is back at the stand; the reveal screen shows what each team
built; the screens for the projector have no account, and go full screen on a button or the F
key; the posters page prints from its Print button."""

import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from facilitate.extensions import db
from facilitate.models import Idea, PrototypeFile, Stage, VoteStatus
from facilitate.models._types import utcnow
from facilitate.workspace import uploads
from tests.browser.conftest import DESKTOP, assert_accessible, catalogue_text, untranslated
from tests.browser.journey import path_is, step
from tests.browser.team_journey_data import tiny_png
from tests.factories import PASSWORD, code_of

STRINGS = (
    "Access code",
    "Sign in with my code",
    "Email address",
    "Password",
    "Sign in",
    "Sign out",
    "Full screen",
    "Leave full screen",
    "Or press F. Esc leaves full screen.",
    "Show the next place",
    "The whole ranking is shown",
    "Retained idea: %(title)s",
    "Photo of the prototype of %(team)s",
    "Print",
)


def t(msgid: str, **values) -> str:
    assert msgid in STRINGS, f"add {msgid!r} to STRINGS"
    return catalogue_text(msgid, **values)


def test_french_catalogue_covers_these_screens():
    assert untranslated(STRINGS) == []


NAMES = ("Les Glaciers", "Cantine facile", "Le Tiers-Lieu")
QUESTIONS = (
    "Comment définir les critères de durabilité de la glacière municipale ?",
    "Comment simplifier l'inscription des enfants à la cantine ?",
    "Comment faire vivre un tiers-lieu rural toute l'année ?",
)
IDEAS = ("Une grille partagée", "Un formulaire en trois questions", "Un café associatif")


@dataclass(frozen=True)
class Expo:
    slug: str
    organiser_email: str
    organiser_name: str
    participant_code: str


@pytest.fixture
def expo(seed, app, tmp_path, monkeypatch) -> Expo:
    """Three numbered stands, each with a retained idea and a photo whose people agreed; the
    vote is revealed (the stand with the most votes is not needed: ties rank all first)."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    slug = f"ecrans-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(slug=slug, name="Université – Rennes", stage=Stage.EXHIBITION, themes=0)
        png = tiny_png()
        for number, (name, question, idea) in enumerate(
            zip(NAMES, QUESTIONS, IDEAS, strict=True), 1
        ):
            team = make.challenge(event, number=number, question=question).team
            team.name, team.stand_number = name, number
            db.session.flush()
            db.session.add(Idea(team_id=team.id, title=idea, retained_at=utcnow()))
            db.session.add(
                PrototypeFile(
                    team_id=team.id,
                    original_name=f"maquette-{number}.png",
                    content_type="image/png",
                    size_bytes=len(png),
                    storage_name=uploads.store(png, uploads.detect_type(png[:16])),
                    is_photo=True,
                    consent_confirmed=True,
                )
            )
        event.vote_status = VoteStatus.REVEALED
        organiser = make.organiser(event, name="Anne Organisatrice")
        participant = make.participant(event, name="Camille Le Goff")
        return Expo(slug, organiser.email, organiser.name, code_of(participant))


def _sign_in_as_organiser(page: Page, expo: Expo) -> None:
    page.goto("/sign-in")
    page.get_by_label(t("Email address"), exact=True).fill(expo.organiser_email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in"), exact=True).click()
    expect(page.get_by_role("banner")).to_contain_text(expo.organiser_name)


def test_a_visitor_who_scans_a_stand_then_their_badge_is_back_at_the_stand(
    people_pages, expo: Expo
):
    phone = people_pages(phone=True)
    stand = f"/events/{expo.slug}/stands/2"
    with step("she scans stand 2's QR code, signed out: the sign-in page opens", "Camille"):
        phone.goto(stand)
        path_is(phone, "/sign-in")
    with step("she scans her badge: its link fills in her code, she confirms", "Camille"):
        phone.goto(f"/c/{expo.participant_code}")
        expect(phone.get_by_label(t("Access code"), exact=True)).not_to_have_value("")
        phone.get_by_role("button", name=t("Sign in with my code")).click()
    with step("she is back at stand 2", "Camille"):
        path_is(phone, stand)
        expect(phone.get_by_role("heading", level=1)).to_have_text(NAMES[1])


def test_the_reveal_shows_each_teams_challenge_idea_and_photo(page: Page, expo: Expo):
    _sign_in_as_organiser(page, expo)
    page.goto(f"/events/{expo.slug}/reveal")
    button = page.get_by_role("button", name=t("Show the next place"))
    button.click()  # no votes: the three stands share the first place, shown at once
    expect(page.locator("#reveal-next")).to_have_text(t("The whole ranking is shown"))
    place = page.locator("[data-reveal-step]:visible")
    expect(place).to_have_count(1)
    for name, question, idea in zip(NAMES, QUESTIONS, IDEAS, strict=True):
        stand = place.locator(".reveal__stand", has_text=name)
        expect(stand.locator(".reveal__question")).to_have_text(question)
        expect(stand.locator(".reveal__idea")).to_have_text(
            t("Retained idea: %(title)s", title=idea)
        )
        photo = stand.get_by_role("img", name=t("Photo of the prototype of %(team)s", team=name))
        expect(photo).to_be_visible()
        assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page)


@pytest.mark.parametrize("screen", ["reveal", "room"])
def test_a_projector_screen_has_no_account_and_goes_full_screen(
    page: Page, expo: Expo, screen: str
):
    _sign_in_as_organiser(page, expo)
    page.goto(f"/events/{expo.slug}/{screen}")
    expect(page.get_by_role("button", name=t("Sign out"))).to_have_count(0)
    expect(page.get_by_text(expo.organiser_name)).to_have_count(0)
    expect(page.get_by_role("navigation")).to_have_count(0)
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    full = page.get_by_role("button", name=t("Full screen"))
    expect(full).to_be_visible()
    expect(page.get_by_text(t("Or press F. Esc leaves full screen."))).to_be_visible()
    assert_accessible(page)

    full.click()
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    # In full screen the screen shows only itself: the bar with the button hides.
    expect(page.locator("#screen-bar")).to_be_hidden()
    expect(page.locator("[data-fullscreen]")).to_have_text(t("Leave full screen"))
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")
    expect(full).to_be_visible()
    page.keyboard.press("F")
    page.wait_for_function("document.fullscreenElement !== null")


def test_the_button_asks_the_browser_for_full_screen(page: Page, expo: Expo):
    """Where a browser refuses full screen, the request is still made (and nothing breaks)."""
    page.add_init_script(
        "window.fullscreenCalls = 0;"
        "Element.prototype.requestFullscreen = function () {"
        "  window.fullscreenCalls += 1; return Promise.reject(new Error('refused')); };"
    )
    _sign_in_as_organiser(page, expo)
    page.goto(f"/events/{expo.slug}/room")
    page.get_by_role("button", name=t("Full screen")).click()
    page.keyboard.press("f")
    assert page.evaluate("window.fullscreenCalls") == 2
    expect(page.locator("#room-timer")).to_be_visible()


def test_the_posters_page_prints_from_its_button(page: Page, expo: Expo):
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    _sign_in_as_organiser(page, expo)
    page.goto(f"/events/{expo.slug}/organise/stands/posters")
    button = page.get_by_role("button", name=t("Print"), exact=True)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box
    button.click()
    assert page.evaluate("window.printed") == 1


def test_the_reveal_fits_a_projector_and_a_phone(people_pages, expo: Expo):
    """Nothing wider than the screen, from a phone to the projector."""
    for phone, viewport in ((False, DESKTOP), (True, {"width": 320, "height": 640})):
        page = people_pages(phone=phone, viewport=viewport)
        _sign_in_as_organiser(page, expo)
        page.goto(f"/events/{expo.slug}/reveal")
        page.get_by_role("button", name=t("Show the next place")).click()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], width
