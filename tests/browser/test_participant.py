"""What a participant does with a phone and a badge: sign in, read the challenges, sign out,
and switch language."""

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import Scenario, assert_accessible, fr, untranslated_interface_strings


def code_field(page: Page):
    return page.get_by_label(fr("Access code"), exact=True)


def sign_out_button(page: Page):
    return page.get_by_role("button", name=fr("Sign out"))


def test_participant_signs_in_with_badge_code_reads_a_challenge_and_signs_out(
    page: Page, scenario: Scenario
):
    page.goto("/sign-in")
    code_field(page).fill(scenario.badge_code)  # as printed: ABCDE-FGHJK-MNPQR
    page.get_by_role("button", name=fr("Sign in with my code")).click()

    # Their only event is where they land, greeted and named in the header.
    expect(page).to_have_url(re.compile(re.escape(scenario.event_path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(scenario.event_name)
    expect(page.get_by_role("status")).to_contain_text(
        fr("Welcome, %(name)s.", name=scenario.participant_name)
    )
    expect(page.get_by_role("banner")).to_contain_text(scenario.participant_name)

    # Challenges are grouped by theme, each theme a labelled region listing its cards.
    first_theme, second_theme = (page.get_by_role("region", name=t) for t in scenario.themes)
    expect(first_theme.get_by_role("link")).to_have_text([scenario.full.question])
    expect(second_theme.get_by_role("link")).to_have_text([scenario.partial.question])
    others = page.get_by_role("region", name=fr("Challenges without a theme"))
    expect(others.get_by_role("link")).to_have_text([scenario.unthemed.question])
    expect(first_theme).to_contain_text(fr("Challenge %(number)d", number=1))
    expect(first_theme).to_contain_text(scenario.full.owner)

    first_theme.get_by_role("link", name=scenario.full.question).click()

    # The whole sheet.
    expect(page).to_have_url(re.compile(re.escape(scenario.challenge_path(scenario.full)) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(scenario.full.question)
    sheet = page.get_by_role("article")
    expect(sheet).to_contain_text(fr("Challenge %(number)d", number=1))
    expect(sheet).to_contain_text(scenario.full.theme)
    expect(sheet.locator("dt", has_text=fr("Challenge owner")).locator("+ dd")).to_have_text(
        scenario.full.owner
    )
    for title, items in [
        ("Stakeholders", list(scenario.stakeholders)),
        ("Users", ["Habitants", "Pêcheurs", "Visiteurs estivaux"]),
        ("Obstacles", ["Peu d'intérêt des partenaires institutionnels"]),
        ("Levers", ["Préserver l'environnement naturel et l'authenticité du lieu"]),
    ]:
        section = sheet.locator("section").filter(
            has=page.get_by_role("heading", name=fr(title), exact=True)
        )
        expect(section.get_by_role("listitem")).to_have_text(items)
    stakes = sheet.locator("section").filter(has=page.get_by_role("heading", name=fr("Stakes")))
    expect(stakes).to_contain_text("Disposer de critères pour évaluer la durabilité")
    expect(sheet).to_contain_text("La Glacière")
    expect(sheet).not_to_contain_text(fr("The challenge owner has not detailed this sheet yet."))
    assert_accessible(page)  # signed in: the header holds their name and a sign-out button
    # The breadcrumb leads back to the event.
    expect(
        page.get_by_role("navigation").get_by_role("link", name=scenario.event_name)
    ).to_have_attribute("href", scenario.event_path)

    sign_out_button(page).click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("status")).to_contain_text(fr("You are signed out."))
    expect(sign_out_button(page)).to_have_count(0)
    expect(page.get_by_role("banner")).not_to_contain_text(scenario.participant_name)
    expect(page.get_by_role("link", name=fr("Sign in"), exact=True)).to_be_visible()


def test_code_typed_in_lower_case_with_spaces_signs_in(page: Page, scenario: Scenario):
    typed = scenario.badge_code.lower().replace("-", " ")  # "abcde fghjk mnpqr"
    page.goto("/sign-in")
    code_field(page).fill(typed)
    code_field(page).press("Enter")

    expect(page).to_have_url(re.compile(re.escape(scenario.event_path) + "$"))
    expect(page.get_by_role("banner")).to_contain_text(scenario.participant_name)


def test_badge_qr_link_prefills_the_code_and_signs_in_on_confirmation(
    page: Page, scenario: Scenario
):
    page.goto(f"/c/{scenario.access_code}")

    # Opening the link alone signs nobody in: the code waits for confirmation.
    expect(code_field(page)).to_have_value(scenario.badge_code)
    expect(sign_out_button(page)).to_have_count(0)

    page.get_by_role("button", name=fr("Sign in with my code")).click()

    expect(page).to_have_url(re.compile(re.escape(scenario.event_path) + "$"))
    expect(page.get_by_role("banner")).to_contain_text(scenario.participant_name)
    expect(sign_out_button(page)).to_be_visible()


def test_wrong_code_shows_the_error_next_to_the_field_and_keeps_what_was_typed(
    page: Page, scenario: Scenario
):
    wrong = "ABCDE-FGHJK-MNPQR"
    assert wrong.replace("-", "") != scenario.access_code
    page.goto("/sign-in")
    code_field(page).fill(wrong)
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name=fr("Sign in with my code")).click()
    assert sent.value.status == 401

    field = code_field(page)
    expect(field).to_have_value(wrong)
    expect(field).to_have_attribute("aria-invalid", "true")
    # The message sits in the field's own block and is read out with the field.
    error = page.locator(".field", has=field).locator(".field__error")
    message = fr("This access code is not valid. Check it against your badge and try again.")
    expect(error).to_have_text(message)
    error_id = error.get_attribute("id")
    assert error_id in (field.get_attribute("aria-describedby") or "").split()
    expect(field).to_have_accessible_description(re.compile(re.escape(message)))
    expect(sign_out_button(page)).to_have_count(0)

    # Correcting the code is all it takes.
    field.fill(scenario.badge_code)
    page.get_by_role("button", name=fr("Sign in with my code")).click()
    expect(page).to_have_url(re.compile(re.escape(scenario.event_path) + "$"))


def test_language_switch_to_english_sticks_across_pages_and_switches_back(
    page: Page, scenario: Scenario
):
    page.goto(scenario.event_path)
    html = page.locator("html")
    # French by Accept-Language: dates come from Babel's French locale data.
    expect(html).to_have_attribute("lang", "fr")
    expect(page.get_by_role("main")).to_contain_text("juillet 2018")

    page.get_by_role("button", name="Switch to English").click()

    expect(page).to_have_url(re.compile(re.escape(scenario.event_path) + "$"))
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("main")).to_contain_text("July")
    expect(page.get_by_role("heading", name="Challenges", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Switch to English")).to_have_count(0)

    # The choice is remembered (a cookie) on the next page, over the browser's French.
    page.get_by_role("link", name=scenario.partial.question).click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("main")).to_contain_text("Challenge 2")
    expect(page.get_by_role("main")).to_contain_text(
        "The challenge owner has not detailed this sheet yet."
    )

    page.get_by_role("button", name="Passer en français").click()

    expect(page).to_have_url(re.compile(re.escape(scenario.challenge_path(scenario.partial)) + "$"))
    expect(html).to_have_attribute("lang", "fr")
    expect(page.get_by_role("main")).to_contain_text(fr("Challenge %(number)d", number=2))
    page.goto(scenario.event_path)
    expect(html).to_have_attribute("lang", "fr")
    expect(page.get_by_role("main")).to_contain_text("juillet 2018")


def test_french_catalogue_covers_these_journeys():
    """The journeys above look interface text up in the French catalogue, so they pass in
    English until it is translated; this test says what is still missing."""
    missing = untranslated_interface_strings()
    assert not missing, (
        "Untranslated in facilitate/translations/fr (or the catalogue is not compiled: "
        "pybabel compile -d facilitate/translations --use-fuzzy): " + "; ".join(missing)
    )
