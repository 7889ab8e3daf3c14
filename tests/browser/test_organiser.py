"""An organiser prepares an event from nothing: creates it, imports the challenge sheets from an
XLSX file (a broken one first), fixes a sheet, imports the attendees from a French Excel CSV,
runs the automatic placement and prints the badges; axe-core finds no serious or critical
violation on the pages on the way, at desktop size and, for three of them, on a 320 px phone.

One journey, in steps that each build on the previous one (a step's failure names the step).
Accessibility problems are collected along the way and reported together at the end, so that
one violation does not hide a broken flow further on.
"""

import re
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from tests.browser.conftest import (
    untranslated,
)
from tests.browser.journey import AccessibilityLog, flash, path_is, step, table_rows
from tests.browser.organiser_data import (
    ATTENDEE_NAMES,
    ATTENDEES,
    ENDS,
    EVENT_NAME,
    FIXED_QUESTION,
    FIXED_STAKEHOLDERS,
    LOST_BADGE,
    MOBILITY,
    NEW_THEME,
    ORGANISER_PLURALS,
    ORGANISER_STRINGS,
    PRE_PLACED,
    SHEETS,
    SOLIDARITY,
    STARTS,
    VENUE,
    organisation_key,
    t,
    tn,
    write_excel_csv,
    write_xlsx,
)


@dataclass
class Organiser:
    email: str
    password: str
    name: str


@pytest.fixture
def organiser(seed) -> Organiser:
    """An account that may create events (and belongs to none yet)."""
    with seed() as make:
        user = make.user(
            password=make.PASSWORD,
            is_organiser=True,
            name="Nathalie Hoarau-Grondin",
            email=f"organisatrice-{uuid.uuid4().hex[:8]}@exemple.re",
        )
        return Organiser(user.email, make.PASSWORD, user.name)


def test_organiser_prepares_an_event_from_spreadsheets_to_badges(
    page: Page, app, organiser: Organiser, tmp_path: Path
):
    slug = f"reunion-{uuid.uuid4().hex[:8]}"
    hub = f"/events/{slug}/organise"
    a11y = AccessibilityLog()

    def event_in_db():
        return db.session.scalar(select(Event).where(Event.slug == slug))

    with step("1. sign in and create the event"):
        page.goto("/sign-in")
        page.get_by_label(t("Email address"), exact=True).fill(organiser.email)
        page.get_by_label(t("Password"), exact=True).fill(organiser.password)
        page.get_by_role("button", name=t("Sign in"), exact=True).click()
        expect(page.get_by_role("banner")).to_contain_text(organiser.name)

        page.goto("/events/new")
        a11y.check(page, "new event form")
        page.get_by_label(t("Name"), exact=True).fill(EVENT_NAME)
        page.get_by_label(t("Identifier in addresses"), exact=True).fill(slug)
        page.get_by_label(t("Venue"), exact=True).fill(VENUE)
        page.get_by_label(t("Time zone of the venue"), exact=True).select_option(
            # Listed by place and offset, as organisers know them.
            label=t("%(place)s (%(offsets)s)", place=t("La Réunion"), offsets="UTC+4")
        )
        page.fill("input[name=starts_at]", STARTS)  # datetime-local, as the brief's browsers do
        page.fill("input[name=ends_at]", ENDS)
        theme_1 = page.get_by_label(t("Theme %(number)d", number=1), exact=True)
        theme_1.fill(MOBILITY)

        # No JavaScript: the button posts the form and it comes back, one theme longer, unsaved,
        # with everything typed so far.
        page.get_by_role("button", name=t("Add a theme")).click()
        theme_2 = page.get_by_label(t("Theme %(number)d", number=2), exact=True)
        expect(theme_2).to_have_value("")
        expect(theme_1).to_have_value(MOBILITY)
        expect(page.get_by_label(t("Name"), exact=True)).to_have_value(EVENT_NAME)
        expect(page.locator("input[name=starts_at]")).to_have_value(STARTS)
        expect(page.get_by_label(t("Time zone of the venue"), exact=True)).to_have_value(
            "Indian/Reunion"
        )
        with app.app_context():
            assert event_in_db() is None, "adding a theme must not save the event"
        a11y.check(page, "new event form, second theme added")
        theme_2.fill(SOLIDARITY)
        page.get_by_role("button", name=t("Save")).first.click()

        path_is(page, hub)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t("Organise: %(name)s", name=EVENT_NAME)
        )
        expect(flash(page)).to_contain_text(t("The event is created. Add its challenges next."))
        with app.app_context():
            event = event_in_db()
            assert event.timezone == "Indian/Reunion"
            # Typed as the venue's wall-clock time, stored in UTC: La Réunion is UTC+4.
            assert (event.starts_at, event.ends_at) == (
                datetime(2026, 10, 5, 4, 30),
                datetime(2026, 10, 7, 13, 0),
            )
            assert [th.name for th in event.themes] == [MOBILITY, SOLIDARITY]
        a11y.check(page, "organiser hub")
        a11y.check_phone(page, "organiser hub")

        page.goto(f"/events/{slug}")
        dates = page.locator("dt", has_text=t("Dates")).locator("+ dd")
        last_day = format_date(date(2026, 10, 7), "d MMMM y", locale="fr")
        expect(dates).to_have_text(f"5–{last_day}")  # "5–7 octobre 2026"

    with step("2. import the challenge sheets from XLSX (a broken file first)"):
        page.goto(hub)
        page.get_by_role("link", name=t("Manage the challenges")).click()
        page.get_by_role("link", name=t("Import a spreadsheet")).click()
        file_field = page.get_by_label(t("Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)"))

        broken = write_xlsx(
            tmp_path / "defis-brouillon.xlsx",
            [
                SHEETS[0].cells(),
                [],  # a blank line in the sheet: lines are counted as the sheet shows them
                [2, "", "Région Réunion"],  # no question
                [2, "Comment accueillir les nouveaux habitants ?", "Commune de Saint-Denis"],
            ],
        )
        file_field.set_input_files(broken)
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.get_by_role("button", name=t("Check the file")).click()
        assert sent.value.status == 400
        expect(page.get_by_role("alert")).to_contain_text(
            tn("Nothing was imported: %(num)d problem to fix in the file.", 2)
        )
        problems = table_rows(page, t("Problems"))
        expect(problems).to_have_count(2)
        expect(problems.nth(0).locator("td")).to_have_text(
            ["4", "Question", t("the question is empty.")]
        )
        expect(problems.nth(1).locator("td")).to_have_text(
            [
                "5",
                "Défi",
                t("challenge %(number)d already appears on line %(other)d.", number=2, other=4),
            ]
        )
        with app.app_context():
            assert event_in_db().challenges == [], "a refused file must create nothing"
        a11y.check(page, "challenge import, problems")

        # The corrected file goes in from the problems page itself.
        good = write_xlsx(tmp_path / "defis.xlsx", [s.cells() for s in SHEETS])
        page.get_by_label(t("Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)")).set_input_files(
            good
        )
        page.get_by_role("button", name=t("Check the file")).click()
        summary = page.get_by_role("status")
        expect(summary).to_contain_text(tn("%(num)d challenge will be created.", 14))
        # Two spellings of one new theme, and the event's theme typed in lower case: one new theme.
        expect(summary).to_contain_text(t("New themes: %(names)s", names=NEW_THEME))
        with app.app_context():
            assert event_in_db().challenges == [], "the preview must create nothing"
        a11y.check(page, "challenge import, preview")
        page.get_by_role("button", name=t("Import"), exact=True).click()

        path_is(page, f"/events/{slug}/challenges/manage")
        expect(flash(page)).to_contain_text(
            t(
                "Import done. Challenges created: %(created)d; updated: %(updated)d.",
                created=14,
                updated=0,
            )
        )
        rows = table_rows(page, t("Challenges"))
        expect(rows).to_have_count(14)
        expect(rows.locator("td:nth-child(1)")).to_have_text([str(s.number) for s in SHEETS])
        expect(rows.locator("td:nth-child(2)")).to_have_text([s.question for s in SHEETS])
        themes = {1: MOBILITY, 2: SOLIDARITY, 5: NEW_THEME, 6: NEW_THEME, 9: ""}
        for number, theme in themes.items():
            expect(rows.nth(number - 1).locator("td").nth(3)).to_have_text(theme)
        a11y.check(page, "challenge list")
        a11y.check_phone(page, "challenge list")

    with step("3. fix challenge 3's sheet"):
        edit_link = f"{t('Edit')} {t('challenge %(number)d', number=3)}"
        page.get_by_role("link", name=edit_link, exact=True).click()
        path_is(page, f"/events/{slug}/challenges/3/edit")
        a11y.check_phone(page, "challenge edit form")

        def stakeholder(n: int):
            return page.get_by_label(f"{t('Stakeholder')} {n}", exact=True)

        expect(stakeholder(2)).to_have_value("Pôle emploi")
        page.get_by_label(t("Question"), exact=True).fill(FIXED_QUESTION)
        page.get_by_role(
            "button", name=t("Move up: %(item)s", item=f"{t('Stakeholder')} 2")
        ).click()
        expect(page.get_by_label(t("Question"), exact=True)).to_have_value(FIXED_QUESTION)
        expect(stakeholder(1)).to_have_value("Pôle emploi")
        expect(stakeholder(2)).to_have_value("CAF de La Réunion")
        page.get_by_role("button", name=f"{t('Remove')} {t('Stakeholder')} 3", exact=True).click()
        expect(stakeholder(3)).to_have_count(0)
        page.get_by_role("button", name=t("Add a stakeholder")).click()
        expect(stakeholder(3)).to_have_value("")
        stakeholder(3).fill(FIXED_STAKEHOLDERS[2])
        a11y.check(page, "challenge edit form, after list changes")
        page.get_by_role("button", name=t("Save")).first.click()

        path_is(page, f"/events/{slug}/challenges/manage")
        expect(flash(page)).to_contain_text(t("Challenge %(number)d is saved.", number=3))
        page.goto(f"/events/{slug}/challenges/3")
        expect(page.get_by_role("heading", level=1)).to_have_text(FIXED_QUESTION)
        sheet = page.get_by_role("article")
        for title, items in (
            ("Stakeholders", FIXED_STAKEHOLDERS),
            ("Users", ["Aidants familiaux", "Personnes âgées"]),  # untouched
        ):
            section = sheet.locator("section").filter(
                has=page.get_by_role("heading", name=t(title), exact=True)
            )
            expect(section.get_by_role("listitem")).to_have_text(items)

    with step("4. import the attendees from a French Excel CSV"):
        page.goto(hub)
        page.get_by_role("link", name=t("Manage the attendees")).click()
        page.get_by_role("link", name=t("Import a spreadsheet")).click()
        people_csv = write_excel_csv(
            tmp_path / "participants.csv", ATTENDEES, domain=f"{slug}.exemple.re"
        )
        page.get_by_label(t("Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)")).set_input_files(
            people_csv
        )
        page.get_by_role("button", name=t("Check the file")).click()
        summary = page.get_by_role("status")
        expect(summary).to_contain_text(tn("%(num)d attendee in the file.", len(ATTENDEES)))
        expect(summary).to_contain_text(tn("%(num)d will be placed in a team.", len(PRE_PLACED)))
        a11y.check(page, "attendee import, preview")
        page.get_by_role("button", name=t("Import"), exact=True).click()

        path_is(page, f"/events/{slug}/people")
        expect(flash(page)).to_contain_text(
            t(
                "Import done. New attendees: %(created)d; already known: %(updated)d; placed in a team: %(placed)d.",
                created=len(ATTENDEES),
                updated=0,
                placed=len(PRE_PLACED),
            )
        )
        expect(page.get_by_role("main")).to_contain_text(tn("%(num)d attendee", len(ATTENDEES)))
        rows = table_rows(page, t("Attendees"))
        expect(rows).to_have_count(len(ATTENDEES))
        # Names, accents and cp1252's own characters (’ and œ) came through the decoding.
        listed = rows.locator("td:nth-child(1)").all_inner_texts()
        assert sorted(text.splitlines()[0] for text in listed) == ATTENDEE_NAMES
        for person in (ATTENDEES[17], ATTENDEES[33], ATTENDEES[25]):
            row = rows.filter(has_text=person.name)
            expect(row.locator("td").nth(1)).to_have_text(person.organisation)
        expect(rows.filter(has_text=ATTENDEES[25].name).locator("td").nth(3)).to_have_text(
            t("Challenge %(number)d", number=12)  # typed "Défi 12"
        )
        a11y.check(page, "attendee list")
        a11y.check_phone(page, "attendee list")

    with step("5. automatic placement"):
        page.goto(hub)
        page.get_by_role("link", name=t("Teams and placement")).click()
        page.get_by_role("link", name=t("Place attendees automatically")).click()
        page.get_by_label(t("Smallest team"), exact=True).fill("2")
        page.get_by_label(t("Largest team"), exact=True).fill("4")
        page.get_by_role("button", name=t("Propose a placement")).click()

        proposal = page.get_by_role("region", name=t("Proposal"))
        cards = proposal.locator(".card")
        expect(cards).to_have_count(len(SHEETS))
        expect(cards.first).to_contain_text(t("Challenge %(number)d", number=1))
        # Every card announces 2 to 4 members, and no warning (below, above, unplaced) shows.
        within_bounds = "|".join(re.escape(tn("%(num)d member", n)) for n in (2, 3, 4))
        for i in range(len(SHEETS)):
            expect(cards.nth(i).get_by_role("heading")).to_contain_text(re.compile(within_bounds))
        expect(proposal.locator(".field__error")).to_have_count(0)
        with app.app_context():
            placed = db.session.scalar(
                select(func.count(Membership.id))
                .join(Event, Event.id == Membership.event_id)
                .where(Event.slug == slug, Membership.role == Role.MEMBER)
            )
            assert placed == len(PRE_PLACED), "a proposal must not be saved before it is accepted"
        a11y.check(page, "placement proposal")
        # Accepted from the button after the proposal, where the review ends (one is also above).
        page.get_by_role("region", name=t("Proposal")).get_by_role(
            "button", name=t("Accept and save this placement")
        ).click()

        path_is(page, f"/events/{slug}/teams")
        expect(flash(page)).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text(t("Everyone has a team."))
        with app.app_context():
            event = event_in_db()
            teams = {
                team_id: owner
                for team_id, owner in db.session.execute(
                    select(Team.id, Challenge.owner_organisation)
                    .join(Challenge, Challenge.id == Team.challenge_id)
                    .where(Team.event_id == event.id)
                )
            }
            team_of = dict(
                db.session.execute(
                    select(User.name, Membership.team_id)
                    .join(Membership, Membership.user_id == User.id)
                    .where(Membership.event_id == event.id, Membership.role == Role.MEMBER)
                ).all()
            )
            numbers = dict(
                db.session.execute(
                    select(Team.id, Challenge.number)
                    .join(Challenge, Challenge.id == Team.challenge_id)
                    .where(Team.event_id == event.id)
                ).all()
            )
        unplaced = [a.name for a in ATTENDEES if a.name not in team_of]
        assert not unplaced, f"not placed: {unplaced}"
        sizes = Counter(team_of.values())
        wrong_sizes = {numbers[i]: sizes[i] for i in teams if not 2 <= sizes[i] <= 4}
        assert not wrong_sizes, f"team sizes outside 2..4, by challenge number: {wrong_sizes}"
        on_own = [
            f"{a.name} ({a.organisation}) on challenge {numbers[team_of[a.name]]}"
            for a in ATTENDEES
            if organisation_key(a.organisation) == organisation_key(teams[team_of[a.name]])
        ]
        assert not on_own, f"placed on their own organisation's challenge: {on_own}"
        owner_of = {s.number: s.owner for s in SHEETS}
        kept = [
            a
            for a in PRE_PLACED
            if organisation_key(a.organisation)
            != organisation_key(owner_of[int(a.challenge.removeprefix("Défi "))])
        ]
        moved_away = [
            a.name
            for a in kept
            if numbers[team_of[a.name]] != int(a.challenge.removeprefix("Défi "))
        ]
        assert not moved_away, f"placed by hand, allowed there, but moved: {moved_away}"
        moved = len(ATTENDEES) - len(kept)
        expect(flash(page)).to_contain_text(
            tn("Placement saved: %(num)d person changed team.", moved)
        )

    with step("6. badges: a lost badge's code is revoked, then every badge printed"):
        page.goto(f"/events/{slug}/people")
        page.get_by_role("link", name=f"{t('Edit')} {LOST_BADGE.name}", exact=True).click()
        # Revoking signs the person out at once, so it asks first.
        page.get_by_role("link", name=t("Revoke the code")).click()
        a11y.check(page, "revoke confirmation")
        page.get_by_role("button", name=t("Revoke the code")).click()
        expect(flash(page)).to_contain_text(
            t("The access code of %(name)s no longer works.", name=LOST_BADGE.name)
        )
        page.goto(f"/events/{slug}/people")
        page.get_by_role("link", name=t("Print badges")).click()
        path_is(page, f"/events/{slug}/badges")

        # Someone without a code has no badge: the page says so and offers to issue codes.
        badges = page.locator(".badge")
        expect(page.get_by_role("main")).to_contain_text(
            tn("%(num)d participant of this event has no access code yet, so no badge.", 1)
        )
        expect(badges).to_have_count(len(ATTENDEES) - 1)
        issue = page.get_by_role("button", name=t("Issue the missing access codes"))
        issue.click()
        expect(flash(page)).to_contain_text(
            tn("%(num)d access code issued: the new badges are ready to print.", 1)
        )
        expect(issue).to_have_count(0)
        expect(badges).to_have_count(len(ATTENDEES))
        expect(page.get_by_role("main")).to_contain_text(tn("%(num)d badge", len(ATTENDEES)))
        on_badges = badges.get_by_role("heading").all_inner_texts()
        assert sorted(on_badges) == ATTENDEE_NAMES, "one badge per attendee, by name"
        expect(badges.locator("svg")).to_have_count(len(ATTENDEES))  # a QR code on each:
        expect(page.locator(".badge:not(:has(svg[role=img]))")).to_have_count(0)
        a11y.check(page, "badges")

        page.emulate_media(media="print")
        try:
            expect(page.get_by_role("banner")).to_be_hidden()
            expect(page.locator(".site-header")).to_be_hidden()
            expect(page.get_by_role("navigation")).to_have_count(0)
            expect(page.locator(".print-intro")).to_be_hidden()
            expect(badges.first).to_be_visible()
        finally:
            page.emulate_media(media="screen")

    with step("7. the badges printed are marked so; none is left to print"):
        expect(page.get_by_role("main")).to_contain_text(
            tn("%(num)d not yet printed", len(ATTENDEES))
        )
        page.get_by_role("button", name=tn("Mark this badge as printed", len(ATTENDEES))).click()
        expect(flash(page)).to_contain_text(tn("%(num)d badge marked as printed.", len(ATTENDEES)))
        expect(page.get_by_role("main")).to_contain_text(tn("%(num)d not yet printed", 0))
        page.get_by_label(t("Printing"), exact=True).select_option(
            label=t("Badges not yet printed")
        )
        page.get_by_role("button", name=t("Show"), exact=True).click()
        expect(page.get_by_role("main")).to_contain_text(
            t("Every badge of this selection has been printed.")
        )
        expect(badges).to_have_count(0)
        a11y.check(page, "badges, none left to print")

    if a11y.problems:
        report = ["Accessibility problems on the organiser's pages:", *a11y.problems]
        pytest.fail("\n".join(report), pytrace=False)


def test_french_catalogue_covers_the_organiser_journey():
    """The journey looks interface text up in the French catalogue, so it passes in English
    until it is translated; this test says what is still missing."""
    missing = untranslated([*ORGANISER_STRINGS, *ORGANISER_PLURALS])
    assert not missing, (
        "Untranslated in facilitate/translations/fr (or the catalogue is not compiled: "
        "pybabel compile -d facilitate/translations --use-fuzzy): " + "; ".join(missing)
    )
