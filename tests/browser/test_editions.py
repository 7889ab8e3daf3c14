"""A national organiser creates the edition, creates a site in La Réunion and invites its
organiser; axe-core finds no serious or critical violation on each new page, at desktop size
and on a 320 px phone, and nothing scrolls sideways."""

import re
import uuid

from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Edition, NationalOrganiser
from tests.browser.conftest import catalogue_text, untranslated
from tests.browser.journey import AccessibilityLog, step
from tests.factories import PASSWORD

STRINGS = (
    "Email address",
    "Password",
    "Sign in",
    "Editions and their sites",
    "Editions",
    "Create an edition",
    "New edition",
    "Name",
    "Year",
    "Save",
    "Create a site",
    "Identifier in addresses",
    "Venue",
    "Time zone of the venue",
    "Starts",
    "Ends",
    "Co-organisers and invitations",
    "Create the invitation",
    "Appoint or remove organisers",
    "National dashboard",
    "National room screen",
)


def t(msgid: str, **values) -> str:
    assert msgid in STRINGS, msgid
    return catalogue_text(msgid, **values)


def test_journey_strings_are_translated():
    assert untranslated(STRINGS) == []


def test_a_national_organiser_creates_a_site_and_invites_its_organiser(page, seed):
    tag = uuid.uuid4().hex[:8]
    email = f"nationale-{tag}@example.org"
    with seed() as make:
        make.user(password=PASSWORD, is_organiser=True, email=email, name="Nadia Nationale")
    log = AccessibilityLog()

    with step("signs in and opens the editions"):
        page.goto("/sign-in")
        page.get_by_label(t("Email address"), exact=True).fill(email)
        page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=t("Sign in"), exact=True).click()
        page.get_by_role("link", name=t("Editions and their sites")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Editions"))
        log.check(page, "editions")
        log.check_phone(page, "editions")

    with step("creates the edition, first with a year out of range"):
        page.get_by_role("link", name=t("Create an edition")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(t("New edition"))
        log.check(page, "new edition")
        log.check_phone(page, "new edition")
        name = f"Université d’été {tag}"
        page.get_by_label(t("Name"), exact=True).fill(name)
        page.get_by_label(t("Year"), exact=True).fill("1818")
        page.get_by_role("button", name=t("Save")).click()
        expect(page.locator(".form-errors")).to_be_visible()
        log.check(page, "new edition, refused")
        page.get_by_label(t("Year"), exact=True).fill("2018")
        page.get_by_role("button", name=t("Save")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{name} 2018")
        log.check(page, "edition")
        log.check_phone(page, "edition")

    slug = f"reunion-{tag}"
    with step("creates the site of La Réunion, in its own time zone"):
        page.get_by_role("link", name=t("Create a site")).click()
        log.check(page, "new site")
        log.check_phone(page, "new site")
        page.get_by_label(t("Name"), exact=True).fill("Université d’été — La Réunion")
        page.get_by_label(t("Identifier in addresses"), exact=True).fill(slug)
        page.get_by_label(t("Venue"), exact=True).fill("Saint-Denis")
        page.get_by_label(t("Time zone of the venue")).select_option("Indian/Reunion")
        page.get_by_label(t("Starts"), exact=True).fill("2026-07-06T08:30")
        page.get_by_label(t("Ends"), exact=True).fill("2026-07-08T17:00")
        page.get_by_role("button", name=t("Save")).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t("Co-organisers and invitations")
        )

    with step("invites the site's organiser and gets the link"):
        page.get_by_label(t("Email address"), exact=True).fill(f"site-{tag}@example.org")
        page.get_by_label(t("Name"), exact=True).fill("Sacha Site")
        page.get_by_role("button", name=t("Create the invitation")).click()
        expect(page.locator("#invitation-url")).to_have_value(
            re.compile(r"^http://facilitate\.test/invitations/")
        )

    with step("sees the site in the edition"):
        page.goto("/editions")
        page.get_by_role("link", name=f"{name} 2018").click()
        expect(
            page.get_by_role("link", name="Université d’été — La Réunion", exact=True)
        ).to_be_visible()
        expect(
            page.get_by_role("link", name=re.compile(re.escape(t("Appoint or remove organisers"))))
        ).to_be_visible()
        log.check(page, "edition with its site")
        log.check_phone(page, "edition with its site")

    with step("opens the national dashboard"):
        page.get_by_role("link", name=t("National dashboard")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(t("National dashboard"))
        expect(page.get_by_role("heading", name="Université d’été — La Réunion")).to_be_visible()
        log.check(page, "national dashboard")
        log.check_phone(page, "national dashboard")

    with step("opens the national room screen"):
        page.go_back()
        page.get_by_role("link", name=t("National room screen")).click()
        expect(page.get_by_role("heading", name="Saint-Denis")).to_be_visible()
        log.check(page, "national room screen")
        log.check_phone(page, "national room screen")

    assert not log.problems, "\n".join(log.problems)


WORKBOOK_STRINGS = (
    "Download the workbook (Excel)",
    "Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)",
    "Check the file",
    "The workbook is ready to import",
    "Import",
    "History of changes",
)


def test_workbook_strings_are_translated():
    assert untranslated(WORKBOOK_STRINGS) == []


def test_a_national_organiser_exports_the_edition_s_workbook_and_imports_it_back(
    page, seed, tmp_path
):
    tag = uuid.uuid4().hex[:8]
    email = f"classeur-{tag}@example.org"
    with seed() as make:
        edition = Edition(name=f"Université d’été {tag}", year=2018)
        db.session.add(edition)
        db.session.flush()
        for name in ("Rennes", "Cluny"):
            site = make.event(challenges=2, name=f"{name} {tag}", slug=f"{name.lower()}-{tag}")
            site.edition_id = edition.id
            make.participant(site, team=site.challenges[0].team, name=f"Camille {name}")
        person = make.user(password=PASSWORD, email=email, name="Nadia Nationale")
        db.session.add(NationalOrganiser(edition_id=edition.id, user_id=person.id))
        edition_id = edition.id
    log = AccessibilityLog()

    with step("downloads the workbook from the edition's page"):
        page.goto("/sign-in")
        page.get_by_label(catalogue_text("Email address"), exact=True).fill(email)
        page.get_by_label(catalogue_text("Password"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=catalogue_text("Sign in"), exact=True).click()
        page.goto(f"/editions/{edition_id}")
        with page.expect_download() as download:
            page.get_by_role("link", name=catalogue_text("Download the workbook (Excel)")).click()
        path = tmp_path / "edition.xlsx"
        download.value.save_as(path)

    with step("sends it back and sees one section per site"):
        label = catalogue_text("Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)")
        page.get_by_label(label).set_input_files(path)
        page.get_by_role("button", name=catalogue_text("Check the file")).click()
        expect(page.get_by_role("status")).to_contain_text(
            catalogue_text("The workbook is ready to import")
        )
        expect(page.get_by_role("heading", level=2, name=f"Rennes {tag}")).to_be_visible()
        expect(page.get_by_role("heading", level=2, name=f"Cluny {tag}")).to_be_visible()
        log.check(page, "edition workbook preview")
        log.check_phone(page, "edition workbook preview")

    with step("confirms, and is back on the edition"):
        page.get_by_role("button", name=catalogue_text("Import"), exact=True).click()
        expect(page).to_have_url(re.compile(rf"/editions/{edition_id}$"))

    with step("finds the import in the edition's history"):
        page.get_by_role("link", name=catalogue_text("History of changes")).click()
        expect(page).to_have_url(re.compile(rf"/editions/{edition_id}/history$"))
        expect(page.locator(".history__entry")).to_contain_text(f"Rennes {tag}")
        log.check(page, "edition history")
        log.check_phone(page, "edition history")

    assert not log.problems, "\n".join(log.problems)
