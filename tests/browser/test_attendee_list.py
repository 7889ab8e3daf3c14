"""The attendee list of an edition-sized event with the keyboard alone: search for a person
typed without accents, clear, page forward with the page links, on a laptop and at 320 px,
every state checked with axe (issue 13, item 3)."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, assert_accessible, catalogue_text, untranslated
from tests.browser.test_keyboard_only import press, tab_to, type_into
from tests.factories import PASSWORD

t = catalogue_text
STRINGS = [
    "Name, organisation or email",
    "Show",
    "Clear",
    "Next page",
    "Previous page",
    "Pages of the attendee list",
    "Page %(number)s of %(pages)s",
    "Email address",
    "Password",
]


def test_french_catalogue_covers_these_tests():
    assert untranslated(STRINGS) == []


def _people(seed) -> tuple[str, str]:
    with seed() as make:
        event = make.event(challenges=3)
        for i in range(120):
            make.participant(
                event,
                team=event.challenges[i % 3].team if i % 2 else None,
                name=f"Prénom Nom{i:03d}",
                organisation="Ville de Rennes",
            )
        make.participant(event, name="Ève Pérec", organisation="Commune d’Etel")
        organiser = make.organiser(event, email=f"orga-{event.slug}@example.org")
        return event.slug, organiser.email


def _sign_in(page: Page, email: str) -> None:
    page.goto("/sign-in")
    type_into(page, page.get_by_label(t("Email address"), exact=True), email)
    type_into(page, page.get_by_label(t("Password"), exact=True), PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^(?!.*sign-in)"))


def test_an_organiser_searches_and_pages_the_attendee_list_with_the_keyboard(
    page: Page, seed, people_pages
):
    slug, email = _people(seed)
    _sign_in(page, email)
    page.goto(f"/events/{slug}/people")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(50)
    assert_accessible(page)

    # "eve perec" finds Ève Pérec; Enter in the search box submits the form.
    type_into(page, page.get_by_label(t("Name, organisation or email")), "eve perec")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ève Pérec")
    assert_accessible(page)
    press(page, page.get_by_role("link", name=t("Clear")))
    expect(rows).to_have_count(50)

    # Forward with the page links: the second page starts at the 51st surname.
    pages = page.get_by_role("navigation", name=t("Pages of the attendee list"))
    expect(pages).to_contain_text(t("Page %(number)s of %(pages)s", number="1", pages="3"))
    press(page, pages.get_by_role("link", name=t("Next page")))
    expect(rows.first).to_contain_text("Prénom Nom050")
    expect(pages.locator("[aria-current=page]")).to_have_text(re.compile(r"\b2$"))
    assert_accessible(page)
    press(page, pages.get_by_role("link", name=re.compile(r"^Page 3$")))
    expect(rows.first).to_contain_text("Prénom Nom100")
    expect(rows).to_have_count(21)  # 121 people: Ève Pérec last, after the N's

    # A filter and the order survive the page links.
    page.goto(f"/events/{slug}/people?team=none&sort=organisation")
    tab_to(page, pages.get_by_role("link", name=t("Next page")))
    page.keyboard.press("Enter")
    expect(page).to_have_url(
        re.compile(r"team=none.*sort=organisation|sort=organisation.*team=none")
    )

    # At 320 px the form and the links fit: nothing scrolls sideways but the table's region.
    phone = people_pages(phone=True, viewport=PHONE)
    _sign_in(phone, email)
    phone.goto(f"/events/{slug}/people?page=2")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide at 320 px"
    assert_accessible(phone)
