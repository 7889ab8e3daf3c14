"""The public showcase (issue 14, item 6) in Chromium: a facilitator puts their team on it from
the workspace; someone without an account then reads it on a 320 px phone, photo included, and
prints it; the team left off never appears. axe-core on every page."""

import uuid

from playwright.sync_api import Page, expect

from facilitate.extensions import db
from facilitate.models import Idea, Membership, PrototypeFile, PrototypeKind, Role
from facilitate.models._types import utcnow
from facilitate.workspace import uploads
from tests.browser.conftest import assert_accessible, catalogue_text
from tests.browser.team_journey_data import tiny_png
from tests.browser.test_programme import _sign_in_with_password


def test_a_facilitator_puts_the_team_on_the_showcase_and_anyone_reads_it_on_a_phone(
    page: Page, people_pages, seed, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    slug = f"vitrine-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=2, themes=1, slug=slug)
        shown, hidden = (challenge.team for challenge in event.challenges)
        photos = []
        for team, title in ((shown, "Le guichet qui roule"), (hidden, "Une idée gardée")):
            team.prototype_kind = PrototypeKind.SERVICE
            team.prototype_summary = f"Prototype de {title}"
            db.session.add(Idea(team_id=team.id, title=title, retained_at=utcnow()))
            png = tiny_png()
            photos.append(
                PrototypeFile(
                    team_id=team.id,
                    original_name="camille.png",
                    content_type="image/png",
                    size_bytes=len(png),
                    storage_name=uploads.store(png, uploads.detect_type(png[:16])),
                    is_photo=True,
                    consent_confirmed=True,
                    public_consent=True,
                )
            )
            db.session.add(photos[-1])
        facilitator = make.user(password=make.PASSWORD, name="Éric Le Gall")
        make.join(event, facilitator)
        db.session.add(Membership(user=facilitator, event=event, team=shown, role=Role.FACILITATOR))
        db.session.flush()
        email, password = facilitator.email, make.PASSWORD
        hidden_photo = f"/events/{slug}/teams/2/workspace/files/{photos[1].id}"

    _sign_in_with_password(page, email, password)
    page.goto(f"/events/{slug}/teams/1/workspace")
    toggle = page.locator("#showcase")
    expect(toggle).to_contain_text(
        catalogue_text("This team’s work is not on the event’s public showcase.")
    )
    toggle.get_by_role("button", name=catalogue_text("Put it on the showcase")).click()
    expect(page.locator("#showcase")).to_contain_text(
        catalogue_text("The team’s work is now on the public showcase.")
    )
    assert_accessible(page)

    visitor = people_pages(phone=True)
    visitor.goto(f"/events/{slug}")
    visitor.get_by_role("link", name=catalogue_text("The showcase of the teams’ work")).click()
    expect(visitor.locator("h1")).to_contain_text(catalogue_text("Showcase"))
    expect(visitor.locator("main")).to_contain_text("Le guichet qui roule")
    expect(visitor.locator("main")).not_to_contain_text("Une idée gardée")
    expect(visitor.locator("main")).not_to_contain_text("Éric Le Gall")
    photo = visitor.locator(".showcase__photos img")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    visitor.wait_for_function(
        "() => [...document.querySelectorAll('.showcase__photos img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(visitor)

    visitor.get_by_role("link", name="Comment relever le défi 1 ?").click()
    expect(visitor.locator("h1")).to_have_text("Comment relever le défi 1 ?")
    expect(visitor.locator("main")).to_contain_text("Prototype de Le guichet qui roule")
    assert_accessible(visitor)
    visitor.emulate_media(media="print")
    expect(visitor.locator(".breadcrumb")).to_be_hidden()
    pdf_page = people_pages(phone=False)
    pdf_page.goto(f"/events/{slug}/showcase")
    assert pdf_page.pdf(format="A4")[:5] == b"%PDF-"

    # The team left off has no page, and its photo is not public.
    assert visitor.goto(f"/events/{slug}/showcase/2").status == 404
    refused = visitor.request.get(hidden_photo, max_redirects=0)
    assert refused.status == 302 and "/sign-in" in refused.headers["location"]
