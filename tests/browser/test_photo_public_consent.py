"""A photo shared within the event only stays off the showcase until someone records, with the
photo's own button, that the people pictured agreed to it being public; the facilitator's
showcase control says how many photos anyone will see. axe-core on the workspace's pages."""

import uuid

from playwright.sync_api import Page, expect

from facilitate.extensions import db
from facilitate.models import Idea, Membership, PrototypeFile, Role, Stage
from facilitate.models._types import utcnow
from facilitate.workspace import uploads
from tests.browser.conftest import assert_accessible, catalogue_text
from tests.browser.team_journey_data import tiny_png
from tests.browser.test_programme import _sign_in_with_password


def test_a_photo_becomes_public_only_once_its_consent_is_recorded(
    page: Page, people_pages, seed, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    slug = f"photo-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=1, slug=slug)
        team = event.challenges[0].team
        team.on_showcase = True
        team.stage = Stage.PROTOTYPING
        db.session.add(Idea(team_id=team.id, title="Le guichet qui roule", retained_at=utcnow()))
        png = tiny_png()
        photo = PrototypeFile(
            team_id=team.id,
            original_name="camille.png",
            content_type="image/png",
            size_bytes=len(png),
            storage_name=uploads.store(png, uploads.detect_type(png[:16])),
            is_photo=True,
            consent_confirmed=True,
        )
        db.session.add(photo)
        facilitator = make.user(password=make.PASSWORD)
        make.join(event, facilitator)
        db.session.add(Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR))
        db.session.flush()
        email, password, photo_id = facilitator.email, make.PASSWORD, photo.id

    visitor = people_pages(phone=True)
    visitor.goto(f"/events/{slug}/showcase")
    expect(visitor.locator("main")).to_contain_text("Le guichet qui roule")
    expect(visitor.locator(".showcase__photos img")).to_have_count(0)

    _sign_in_with_password(page, email, password)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/events/{slug}/teams/1/workspace")
    card = page.locator(f"#file-{photo_id}")
    expect(card).to_contain_text(
        catalogue_text("Within the event only: never shown on the public showcase.")
    )
    button = card.get_by_role("button", name=catalogue_text("They agreed: it may be public"))
    button.focus()
    page.keyboard.press("Enter")
    card = page.locator(f"#file-{photo_id}")
    expect(card).to_contain_text(
        catalogue_text("This photo may now appear on the public showcase.")
    )
    expect(
        card.get_by_role("button", name=catalogue_text("Keep it within the event"))
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    visitor.reload()
    expect(visitor.locator(".showcase__photos img")).to_have_count(1)
