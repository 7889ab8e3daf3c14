"""Each role's main journey with the keyboard alone: Tab to reach a control, Enter or Space to use
it, typing to fill a field; never a click. The address bar is the only other thing used, as a
keyboard user types an address. A control Tab cannot reach fails the test, naming it.

The event (every_page_data, vote open) is built once for the module; each journey writes in a
different team, so they do not depend on one another."""

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Challenge, Event
from tests.browser.conftest import DESKTOP, untranslated
from tests.browser.every_page_data import (
    STRINGS,
    EveryPageEvent,
    Person,
    build,
    idea_title,
    text,
)
from tests.factories import PASSWORD

LANGUAGE = "fr"


@pytest.fixture(scope="module")
def voting(app) -> EveryPageEvent:
    with app.app_context():
        return build(open_vote=True)


@pytest.fixture
def keyboard(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server, viewport=DESKTOP)
    context.set_default_timeout(5_000)
    yield context.new_page()
    context.close()


def t(msgid: str) -> str:
    return text(LANGUAGE, msgid)


_FOCUS_SHOWN = """e => {
  const s = getComputedStyle(e);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
}"""


def test_french_catalogue_covers_these_tests():
    assert untranslated(STRINGS) == []


def tab_to(page: Page, target: Locator, limit: int = 400) -> None:
    """Press Tab until ``target`` has the focus, which it must show (WCAG 2.4.7)."""
    element = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("e => e === document.activeElement", element):
            assert element.evaluate(_FOCUS_SHOWN), f"no visible focus on {target}"
            return
    pytest.fail(f"Tab never reached {target} in {limit} presses on {page.url}", pytrace=False)


def type_into(page: Page, field: Locator, value: str) -> None:
    tab_to(page, field)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(value)


def press(page: Page, control: Locator, key: str = "Enter") -> None:
    tab_to(page, control)
    page.keyboard.press(key)


def sign_in(page: Page, person: Person) -> None:
    page.goto("/sign-in")
    if person.email:
        type_into(page, page.get_by_label(t("Email address"), exact=True), person.email)
        type_into(page, page.get_by_label(t("Password"), exact=True), PASSWORD)
        press(page, page.get_by_role("button", name=t("Sign in"), exact=True))
    else:
        type_into(page, page.get_by_label(t("Access code"), exact=True), person.code)
        press(page, page.get_by_role("button", name=t("Sign in with my code")))
    expect(page.get_by_role("banner")).to_contain_text(person.name)


def open_workspace(page: Page, data: EveryPageEvent) -> None:
    page.goto(data.path)
    press(page, page.get_by_role("link", name=t("Open the team's workspace")))
    expect(page.get_by_role("heading", name=t("Ideation"))).to_be_visible()


def test_participant_signs_in_adds_an_idea_and_places_a_dot(keyboard: Page, voting):
    page = keyboard
    sign_in(page, voting.member)
    open_workspace(page, voting)
    # What unfolds the form (a <summary> today): found by its text, whatever element it is.
    press(page, page.get_by_text(t("Add an idea"), exact=True).first)
    title = "Un guichet itinérant dans les mairies"
    type_into(page, page.get_by_label(t("Title of the idea"), exact=True), title)
    press(page, page.get_by_role("button", name=t("Add the idea")))
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()

    press(page, page.get_by_role("button", name=f"{t('Place a dot')} – {title}"), key="Space")
    expect(page.get_by_role("button", name=f"{t('Take my dot back')} – {title}")).to_be_visible()


def test_facilitator_retains_an_idea(keyboard: Page, voting):
    page = keyboard
    sign_in(page, voting.facilitator)
    open_workspace(page, voting)
    title = idea_title(2)
    press(page, page.get_by_text(f"{t('Retain this idea')} – {title}", exact=True).first)
    reason = "Elle touche les familles sans ordinateur, comme le souhaite le porteur."
    field = page.get_by_role("textbox", name=t("Why it answers the challenge owner's expectation"))
    type_into(page, field.locator("visible=true"), reason)
    press(page, page.get_by_role("button", name=f"{t('Retain this idea')} – {title}"))
    expect(page.get_by_text(t("Idea retained."), exact=True)).to_be_visible()


def test_challenge_owner_endorses_the_retained_idea(keyboard: Page, voting):
    page = keyboard
    sign_in(page, voting.endorser)
    open_workspace(page, voting)
    press(page, page.get_by_role("button", name=f"{t('Endorse this idea')} – {idea_title(1)}"))
    expect(page.get_by_text(t("endorsed by the challenge owner")).first).to_be_visible()


def test_organiser_creates_a_challenge(keyboard: Page, voting, app):
    page = keyboard
    sign_in(page, voting.organiser)
    page.goto(voting.path + "/organise")
    press(page, page.get_by_role("link", name=t("Manage the challenges")))
    press(page, page.get_by_role("link", name=t("Add a challenge")))
    type_into(page, page.get_by_label(t("Challenge number"), exact=True), "15")
    question = "Comment accueillir les saisonniers dans les communes du littoral ?"
    type_into(page, page.get_by_label(t("Question"), exact=True), question)
    press(page, page.get_by_role("button", name=t("Save"), exact=True).last)
    expect(page.get_by_text(t("Challenge %(number)d is created.") % {"number": 15})).to_be_visible()
    expect(page.get_by_role("region", name=t("Challenges"))).to_contain_text(question)
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == voting.slug))
        saved = db.session.scalar(
            select(Challenge).where(Challenge.event_id == event.id, Challenge.number == 15)
        )
        assert saved is not None and saved.question == question


def test_visitor_finds_a_stand_and_votes(keyboard: Page, voting):
    page = keyboard
    sign_in(page, voting.visitor)
    page.goto(voting.path)
    region = page.get_by_role("region", name=t("The exhibition"))
    press(page, region.get_by_role("link", name=t("Stands"), exact=True))
    team = voting.team_names[6]
    press(page, page.get_by_role("link", name=team, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(team)
    press(page, page.get_by_role("button", name=t("Give this stand one of my votes")))
    expect(page.get_by_text(t("This stand has one of your votes."))).to_be_visible()
