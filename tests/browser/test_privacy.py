"""Personal data in a browser: a participant takes away their data, then an organiser erases
them and reads the privacy notice, every page checked with axe."""

import json
import re
import zipfile

from playwright.sync_api import Page, expect
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Event
from tests.browser.conftest import Scenario, assert_accessible, catalogue_text, fr
from tests.factories import PASSWORD

t = catalogue_text  # the strings of these pages, from the catalogue


def test_participant_downloads_their_data_then_an_organiser_erases_them(
    page: Page, browser, live_server, scenario: Scenario, seed, tmp_path
):
    page.goto("/sign-in")
    page.get_by_label(fr("Access code"), exact=True).fill(scenario.badge_code)
    page.get_by_role("button", name=fr("Sign in with my code")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(scenario.event_name)
    page.get_by_role("link", name=t("Download my data")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Download my data"))
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=t("Download my data (ZIP)")).click()
    path = tmp_path / "data.zip"
    download.value.save_as(path)
    data = json.loads(zipfile.ZipFile(path).read("data.json"))
    assert data["attendance"]["name"] == scenario.participant_name

    # The footer leads to the event's notice on every page of the event.
    page.get_by_role("contentinfo").get_by_role(
        "link", name=t("Personal data at this event")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Personal data"))
    assert_accessible(page)

    with seed() as make:
        event = db.session.scalar(select(Event).where(Event.slug == scenario.slug))
        organiser = make.organiser(event, email=f"orga-{scenario.slug}@example.org")
        email = organiser.email
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    organiser_page = context.new_page()
    organiser_page.goto("/sign-in")
    organiser_page.get_by_label(t("Email address"), exact=True).fill(email)
    organiser_page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    organiser_page.get_by_role("button", name=fr("Sign in"), exact=True).click()
    organiser_page.goto(f"{scenario.event_path}/people")
    organiser_page.get_by_role("link", name=re.compile(t("Erase"))).click()
    expect(organiser_page.get_by_role("heading", level=1)).to_contain_text(
        scenario.participant_name
    )
    assert_accessible(organiser_page)
    organiser_page.get_by_role("button", name=t("Erase for good")).click()
    expect(organiser_page.get_by_role("status")).to_contain_text(
        t("The person's personal data is erased.")
    )
    expect(organiser_page.locator("table")).to_contain_text(t("Erased person"))
    assert_accessible(organiser_page)

    # The participant's badge session ended at once.
    page.goto(scenario.event_path + "/my-data")
    expect(page).to_have_url(re.compile("/sign-in"))
    context.close()
