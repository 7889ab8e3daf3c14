"""Each checklist item says when it ticks, on hover and on keyboard focus (issue 12, item 8); the
facilitator closes the dot vote with the keyboard and the item ticks."""

import uuid

from playwright.sync_api import Page, expect

from facilitate.extensions import db
from facilitate.models import Idea, Membership, Role, Stage
from tests.browser.conftest import assert_accessible, catalogue_text, untranslated
from tests.factories import code_of

STRINGS = ("Close the dot vote", "Members have placed their dots")


def test_the_rule_of_each_item_shows_on_focus_and_the_facilitator_closes_the_dots(page: Page, seed):
    assert not untranslated(STRINGS)
    slug = f"gommettes-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=1, slug=slug, stage=Stage.IDEATION)
        team = event.challenges[0].team
        team.stage = Stage.IDEATION
        make.participant(event, team=team)  # absent: places no dot
        facilitator = make.participant(event, name="Zoë Animatrice")
        db.session.add(Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR))
        db.session.add(Idea(team_id=team.id, title="Un guichet unique"))
        code = code_of(facilitator)

    page.goto("/sign-in")
    page.fill("input[name=code]", code)
    page.locator("form[action$='/sign-in/code'] [type=submit]").click()
    page.goto(f"/events/{slug}/teams/1/workspace")

    item = page.locator("#stage-ideation .checklist__item").nth(1)
    rule = item.locator(".checklist__rule")
    expect(item).to_contain_text(catalogue_text("Members have placed their dots"))
    expect(rule).to_be_hidden()
    # Keyboard: Tab reaches the item, its rule appears and is its accessible description.
    label = item.locator(".checklist__label")
    label.focus()
    expect(rule).to_be_visible()
    assert label.evaluate("e => document.getElementById(e.getAttribute('aria-describedby'))")
    page.keyboard.press("Tab")
    expect(rule).to_be_hidden()
    # Hover shows it too.
    item.hover()
    expect(rule).to_be_visible()
    assert_accessible(page)
    expect(item.locator('[aria-hidden="true"]')).to_have_text("○")

    close = page.get_by_role("button", name=catalogue_text("Close the dot vote"))
    close.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#dot-vote")
    item = page.locator("#stage-ideation .checklist__item").nth(1)
    expect(item.locator('[aria-hidden="true"]')).to_have_text("✓")
