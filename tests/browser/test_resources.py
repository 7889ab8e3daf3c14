"""Resources and the debrief (issue 14, items 3 and 4), in Chromium: an organiser writes a page
and sees an unsafe link refused with the text kept; a team opens a resource from its stage; an
attendee answers the debrief on a phone and the organiser reads the answers gathered. axe-core
on every new page."""

import uuid

from playwright.sync_api import Page, expect

from facilitate.models import Debrief, Resource, ResourceStage, Stage
from tests.browser.conftest import assert_accessible, catalogue_text
from tests.browser.journey import sideways
from tests.browser.test_programme import _sign_in_with_code, _sign_in_with_password
from tests.factories import code_of


def test_an_organiser_writes_a_resource_and_an_unsafe_link_is_refused(page: Page, seed):
    slug = f"res-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=1, slug=slug)
        organiser = make.organiser(event)
        email, password = organiser.email, make.PASSWORD

    _sign_in_with_password(page, email, password)
    page.goto(f"/events/{slug}/organise")
    page.locator(f"a[href='/events/{slug}/resources']").click()
    assert_accessible(page)
    page.locator(f"a[href='/events/{slug}/resources/new']").click()
    assert_accessible(page)

    page.fill("input[name=title]", "Les rôles")
    page.fill("input[name=grouping]", "Rôles")
    page.fill("textarea[name=body]", "## Animateur\n\nVoir [la charte](javascript:alert(1)).")
    page.locator("input[name=stages][value=framing]").check()
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator(".field__error")).to_contain_text("javascript:alert(1)")
    expect(page.locator("textarea[name=body]")).to_have_value(
        "## Animateur\n\nVoir [la charte](javascript:alert(1))."
    )
    assert_accessible(page)

    page.fill("textarea[name=body]", "## Animateur\n\nVoir [la charte](https://example.org).")
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Les rôles")
    expect(page.locator(".resource-body h3")).to_have_text("Animateur")
    assert_accessible(page)

    page.locator("a[href$='/edit']").click()
    expect(page.locator("input[name=stages][value=framing]")).to_be_checked()
    assert_accessible(page)
    page.go_back()
    page.locator("a[href$='/delete']").click()
    assert_accessible(page)
    page.locator("form button.button--danger").click()
    expect(page.locator("h1")).to_have_text(catalogue_text("Resources"))
    expect(page.locator(".resource-list")).to_have_count(0)


def test_a_team_opens_a_resource_from_its_stage(page: Page, seed):
    slug = f"res-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=1, slug=slug)
        member = make.participant(event, team=event.challenges[0].team)
        code = code_of(member)
        for title, stage in (
            ("Reformuler la question", Stage.FRAMING),
            ("Crazy 8", Stage.IDEATION),
        ):
            make.db.session.add(
                Resource(
                    event_id=event.id,
                    grouping="Méthodologies",
                    title=title,
                    body_markdown="Une **méthode**.",
                    body_html="<p>Une <strong>méthode</strong>.</p>",
                    stage_links=[ResourceStage(stage=stage)],
                )
            )

    _sign_in_with_code(page, code)
    page.goto(f"/events/{slug}/teams/1/workspace")
    section = page.locator(".stage-resources")
    expect(section.locator("h3")).to_have_text(catalogue_text("For this stage"))
    expect(section.locator("li")).to_have_count(1)
    section.get_by_role("link", name="Reformuler la question").click()
    expect(page.locator("h1")).to_have_text("Reformuler la question")
    expect(page.locator(".resource-body strong")).to_have_text("méthode")
    assert_accessible(page)


def test_an_attendee_answers_the_debrief_on_a_phone_and_the_organiser_reads_it(people_pages, seed):
    slug = f"deb-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=1, slug=slug, stage=Stage.EXHIBITION)
        person = make.participant(event)
        code = code_of(person)
        organiser = make.organiser(event)
        email, password = organiser.email, make.PASSWORD
        make.db.session.add(Debrief(event_id=event.id, is_open=True, parts=["Accueil", "Idéation"]))

    phone = people_pages(phone=True)
    _sign_in_with_code(phone, code)
    phone.goto(f"/events/{slug}")
    phone.locator(f"a[href='/events/{slug}/debrief']").click()
    assert_accessible(phone)
    found = sideways(phone)
    assert found["scrollWidth"] <= 320 and not found["overflowing"], found
    phone.locator("label[for=score_0-3]").click()
    phone.locator("label[for=score_1-4]").click()
    phone.fill("textarea[name=keep]", "Le rythme des trois jours")
    phone.locator("form.debrief-form button[type=submit]").click()
    expect(phone.locator("#debrief-title ~ .flashes")).to_be_visible()
    expect(phone.locator("#score_0-3")).to_be_checked()
    assert_accessible(phone)

    laptop = people_pages(phone=False)
    _sign_in_with_password(laptop, email, password)
    laptop.goto(f"/events/{slug}/organise")
    laptop.locator(f"a[href='/events/{slug}/debrief/answers']").click()
    expect(laptop.locator("svg.debrief-chart rect")).to_have_count(2)
    expect(laptop.locator(".debrief-texts").first).to_contain_text("Le rythme des trois jours")
    assert_accessible(laptop)
    laptop.locator("form[action$='/debrief/close'] button").click()
    expect(laptop.locator("form[action$='/debrief/open']")).to_be_visible()

    phone.reload()
    expect(phone.locator("form.debrief-form")).to_have_count(0)
    assert_accessible(phone)
