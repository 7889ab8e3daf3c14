"""Follow-up (issue 14, item 7), in Chromium: a challenge owner, invited on their own page
three months after the event, records an update with a photo from a phone; a day to come is
refused with the text kept; the update appears on the challenge's timeline and the event's;
an organiser sees the table and the quiet challenges. axe-core on every new page."""

import uuid
from datetime import timedelta

from playwright.sync_api import Page, expect

from facilitate.extensions import db
from facilitate.models import Membership, Role
from facilitate.models._types import utcnow
from tests.browser.conftest import assert_accessible, catalogue_text
from tests.browser.journey import sideways
from tests.browser.test_programme import _sign_in_with_code, _sign_in_with_password
from tests.factories import code_of
from tests.test_workspace_prototyping import _png


def test_an_owner_records_an_update_and_it_appears_on_the_timeline(
    page: Page, people_pages, seed, tmp_path
):
    slug = f"fu-{uuid.uuid4().hex[:8]}"
    ended = utcnow() - timedelta(days=100)
    with seed() as make:
        event = make.event(
            challenges=3, slug=slug, starts_at=ended - timedelta(days=2), ends_at=ended
        )
        team = event.challenges[0].team
        owner = make.participant(event, name="Claire Dupont-Lefèvre")
        db.session.add(Membership(user=owner, event=event, team=team, role=Role.CHALLENGE_OWNER))
        code = code_of(owner)
        organiser = make.organiser(event)
        email, password = organiser.email, make.PASSWORD
    today = utcnow().date()
    photo = tmp_path / "atelier.png"
    photo.write_bytes(_png())

    phone = people_pages(phone=True, viewport={"width": 320, "height": 640})
    _sign_in_with_code(phone, code)
    phone.goto("/")
    invitation = phone.locator(f"a[href='/events/{slug}/follow-up/1']")
    expect(invitation).to_be_visible()
    assert_accessible(phone)
    invitation.click()
    assert_accessible(phone)
    found = sideways(phone)
    assert found["scrollWidth"] <= 320 and not found["overflowing"], found

    text = "Testé trois semaines au guichet de la mairie : les agents le gardent."
    phone.fill("input[name=happened_on]", (today + timedelta(days=2)).isoformat())
    phone.fill("textarea[name=text]", text)
    phone.select_option("select[name=status]", "deployed")
    phone.fill("input[name=progress]", "60")
    phone.locator("form.stacked-form button[type=submit]").click()
    expect(phone.locator("#happened_on-error")).to_contain_text(
        catalogue_text("This day is still to come: say what has happened, on the day it happened.")
    )
    expect(phone.locator("textarea[name=text]")).to_have_value(text)
    assert_accessible(phone)

    phone.fill("input[name=happened_on]", today.isoformat())
    phone.set_input_files("input[name=photo]", str(photo))
    phone.locator("input[name=consent]").check()
    phone.locator("form.stacked-form button[type=submit]").click()
    timeline = phone.locator("ol.timeline > li")
    expect(timeline).to_have_count(1)
    expect(timeline.first).to_contain_text(text)
    expect(timeline.first.locator("img.timeline__photo")).to_be_visible()
    expect(phone.locator(".flashes")).to_contain_text(catalogue_text("Update added. Thank you!"))
    assert_accessible(phone)

    _sign_in_with_password(page, email, password)
    page.goto(f"/events/{slug}/organise")
    page.locator(f"a[href='/events/{slug}/follow-up']").click()
    expect(page.locator("table.follow-up-table tbody tr").first).to_contain_text("60")
    expect(page.locator("ol.timeline > li")).to_have_count(1)
    quiet = page.locator(".follow-up-quiet li")
    expect(quiet).to_have_count(2)  # challenges 2 and 3 have had no news
    assert_accessible(page)
