"""The room screen: every screen shows the same countdown, started and paused by an organiser
from the dashboard, whatever each device's own clock says, and the organisers' announcement."""

import re
import time
import uuid

from playwright.sync_api import Page, expect

from facilitate.extensions import db
from facilitate.models import Stage, Team
from tests.browser.conftest import DESKTOP, assert_accessible
from tests.browser.journey import AccessibilityLog, step
from tests.factories import code_of

TIME = re.compile(r"^(\d+):(\d\d)$")


def _seconds(page: Page) -> int:
    text = page.locator("#room-timer").inner_text().strip()
    match = TIME.match(text)
    assert match, text
    return int(match[1]) * 60 + int(match[2])


def _sign_in_with_password(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("form[action$='/sign-in/password'] [type=submit]").click()
    expect(page.locator(".site-nav__who")).to_be_visible()


def _sign_in_with_code(page: Page, code: str) -> None:
    page.goto("/sign-in")
    page.fill("input[name=code]", code)
    page.locator("form[action$='/sign-in/code'] [type=submit]").click()
    expect(page.locator(".site-nav__who")).to_be_visible()


def test_every_screen_shows_the_same_countdown(page: Page, browser, live_server, seed):
    slug = f"salle-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=4, themes=2, slug=slug, name="Université – Rennes")
        organiser = make.organiser(event)
        participant = make.participant(event, team=event.challenges[0].team)
        email, password, code = organiser.email, make.PASSWORD, code_of(participant)

    # The room screen runs on a device whose clock is an hour and a half fast.
    room_context = browser.new_context(locale="fr-FR", base_url=live_server, viewport=DESKTOP)
    room_context.set_default_timeout(5_000)
    room = room_context.new_page()
    room.clock.install(time=time.time() + 5400)
    try:
        with step("the organiser opens the dashboard, a participant the room screen"):
            _sign_in_with_password(page, email, password)
            page.goto(f"/events/{slug}/dashboard")
            assert page.locator("#dashboard-teams tbody tr").count() == 4
            assert_accessible(page)
            a11y = AccessibilityLog()
            a11y.check_phone(page, "dashboard")
            assert not a11y.problems, "\n".join(a11y.problems)

            _sign_in_with_code(room, code)
            room.goto(f"/events/{slug}/room")
            assert room.locator("#room-teams li").count() == 4
            assert_accessible(room)

        with step("the organiser starts a 10-minute countdown"):
            page.fill("input[name=minutes]", "10")
            page.locator("form[action*='/timer/start'] [type=submit]").click()
            expect(page.locator("form[action*='/timer/pause']")).to_be_visible()
            # The organiser's own room screen, with a correct clock.
            own_room = page.context.new_page()
            own_room.goto(f"/events/{slug}/room")
            assert 590 <= _seconds(own_room) <= 600

        with step("the room screen with the wrong clock agrees, and counts down"):
            expect(room.locator("#room").first).to_have_attribute(
                "data-running", "true", timeout=8_000
            )
            first = _seconds(room)
            assert 585 <= first <= 600, first
            room.clock.run_for(2_500)
            assert _seconds(room) < first
            assert abs(_seconds(room) - _seconds(own_room)) <= 3

        with step("pausing freezes every screen after its next poll"):
            page.locator("form[action*='/timer/pause'] [type=submit]").click()
            expect(page.locator("form[action*='/timer/resume']")).to_be_visible()
            own_room.reload()
            paused = _seconds(own_room)
            room.clock.run_for(6_000)  # past the next polls (every 1.5 s)
            expect(room.locator("#room")).to_have_attribute("data-running", "false")
            frozen = _seconds(room)
            assert abs(frozen - paused) <= 1
            room.clock.run_for(3_000)
            own_room.wait_for_timeout(2_000)
            assert _seconds(room) == frozen
            assert _seconds(own_room) == paused
            assert_accessible(own_room)

        with step("an organiser's announcement reaches the room screen, and leaves when dismissed"):
            expect(room.locator("#screen-announcement")).to_be_hidden()
            page.goto(f"/events/{slug}/organise/programme")
            page.fill("textarea[name=text]", "Le déjeuner est servi dans le hall.")
            page.locator("form[action*='/programme/announcement#'] [type=submit]").click()
            expect(page.locator(".programme-announce__current")).to_be_visible()
            room.clock.run_for(6_000)  # past the next poll
            expect(room.locator("#screen-announcement")).to_contain_text("Le déjeuner est servi")
            assert_accessible(room)
            own_room.reload()
            expect(own_room.locator("#screen-announcement")).to_be_visible()
            page.locator("form[action*='/announcement/dismiss'] [type=submit]").click()
            room.clock.run_for(6_000)
            expect(room.locator("#screen-announcement")).to_be_hidden()
    finally:
        room_context.close()


def test_dashboard_refreshes_itself_when_a_team_moves(page: Page, app, seed):
    slug = f"tableau-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=3, slug=slug)
        organiser = make.organiser(event)
        email, password = organiser.email, make.PASSWORD
        team_id = event.challenges[1].team.id
    page.clock.install()
    _sign_in_with_password(page, email, password)
    page.goto(f"/events/{slug}/dashboard")
    row = page.locator("#team-2")
    expect(row).to_have_attribute("data-stage", "framing")
    page.clock.run_for(16_000)  # nothing changed: 304, nothing announced
    page.wait_for_timeout(500)
    expect(page.locator("#dashboard-status")).to_have_text("")

    with app.app_context():
        team = db.session.get(Team, team_id)
        team.stage = Stage.IDEATION
        db.session.commit()
    page.clock.run_for(16_000)
    expect(row).to_have_attribute("data-stage", "ideation")
    expect(page.locator("#dashboard-status")).not_to_have_text("")
    assert_accessible(page)
