"""The dashboard and the room screen show a change made elsewhere (another browser, another
server process: here a commit from outside the server) within 2 seconds, by themselves."""

import uuid

from playwright.sync_api import Page, expect

from facilitate.extensions import db
from facilitate.models import Stage, Team
from tests.browser.test_room_screen import _sign_in_with_password

SEEN_WITHIN = 2_000  # ms


def test_a_team_moved_elsewhere_shows_on_the_dashboard_and_room_screen(
    page: Page, live_server, seed
):
    slug = f"direct-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=3, slug=slug)
        organiser = make.organiser(event)
        email, password, team_id = organiser.email, make.PASSWORD, event.challenges[0].team.id

    _sign_in_with_password(page, email, password)
    page.goto(f"/events/{slug}/dashboard")
    row = page.locator("#dashboard-teams tr[data-team='1']")
    expect(row).to_have_attribute("data-stage", "framing")
    room = page.context.new_page()
    room.goto(f"/events/{slug}/room")
    room_team = room.locator("#room-teams [data-team='1'] .room__team-stage")
    expect(room_team).to_have_text("Cadrage")

    with seed():
        db.session.get(Team, team_id).stage = Stage.IDEATION

    expect(row).to_have_attribute("data-stage", "ideation", timeout=SEEN_WITHIN)
    expect(room_team).to_have_text("Idéation", timeout=SEEN_WITHIN)
