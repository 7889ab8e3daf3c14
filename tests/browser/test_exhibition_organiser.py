"""The organiser runs the exhibition vote in Chromium: opens it from the hub, watches ballots
come in (cast by the test through the ballot service, as phones would), closes it, reveals the
results after confirming, then steps through the reveal screen with the keyboard from the last
place to the first; participants see the ranking once revealed. axe-core checks every page, at
desktop size and on a 320 px phone.
"""

import uuid

from playwright.sync_api import Page, expect
from sqlalchemy import select

from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.models import Event, User
from tests.browser.conftest import (
    catalogue_context_text,
    catalogue_plural,
    catalogue_text,
    untranslated,
)
from tests.browser.journey import AccessibilityLog, flash, step
from tests.factories import code_of

STRINGS = (
    "Run the vote",
    "Exhibition and vote",
    "Exhibition vote",
    "Open the vote",
    "Close the vote",
    "Reveal the results",
    "Yes, close the vote",
    "Yes, reveal the results",
    "Close the vote now?",
    "Reveal the results now?",
    "Reveal screen for the projector",
    "Show the next place",
    "The whole ranking is shown",
    "Participants cannot see these results yet: avoid showing this screen.",
    "Stands with the same number of votes share a rank.",
    "The vote is open: participants can vote from their phones.",
    "Overall ranking",
    "Votes per participant",
    "Save the settings",
    "The vote settings are saved.",
    "Between %(min)d and %(max)d votes.",
    "Results of the vote",
    "The organisers will reveal the results at the end of the exhibition. Come back to this page then.",
)
PLURALS = (("%(num)d ballot cast.", "%(num)d ballots cast."),)
TEAMS = ["La Glacière", "Cantine en un clic", "Tiers-lieu des Monts", "Vélo-bus scolaire"]


VOTE_STATUSES = ("Open", "Closed", "Results revealed")


def status(msgid: str) -> str:
    """A vote status as the page names it (translated in the "vote status" context)."""
    assert msgid in VOTE_STATUSES
    return catalogue_context_text("vote status", msgid)


def t(msgid: str, **values) -> str:
    assert msgid in STRINGS, f"add {msgid!r} to STRINGS"
    return catalogue_text(msgid, **values)


def _sign_in_with_password(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("form[action$='/sign-in/password'] [type=submit]").click()
    expect(page.locator(".site-nav__who")).to_be_visible()


def _cast(app, slug: str, voter_ids: list[int], choices: list[list[int]]) -> None:
    """Ballots as the participants' phones would send them: through the ballot service."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        for user_id, wanted in zip(voter_ids, choices, strict=True):
            person = ballots.voter(event, db.session.get(User, user_id))
            ballots.replace_ballot(event, person, wanted)


def _shown_ranks(page: Page, section: int = 0) -> list[str]:
    section = page.locator("[data-reveal-section]").nth(section)
    return section.locator("[data-reveal-step]:visible").evaluate_all(
        "steps => steps.map(s => s.dataset.rank)"
    )


def test_organiser_runs_the_vote_and_reveals_the_results_place_by_place(
    page: Page, app, browser, live_server, seed
):
    slug = f"expo-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(
            challenges=4, themes=2, slug=slug, name="Université de l'innovation – Rennes"
        )
        for number, (challenge, name) in enumerate(
            zip(event.challenges, TEAMS, strict=True), start=1
        ):
            challenge.team.name = name
            challenge.team.stand_number = number
        organiser = make.organiser(event)
        voters = [make.participant(event) for _ in range(3)]
        watcher = make.participant(event, name="Camille Le Goff")
        email, password = organiser.email, make.PASSWORD
        voter_ids = [v.id for v in voters]
        team_ids = [c.team.id for c in event.challenges]
        watcher_code = code_of(watcher)
    vote_path = f"/events/{slug}/organise/vote"
    a11y = AccessibilityLog()

    with step("the organiser finds the vote on the hub"):
        _sign_in_with_password(page, email, password)
        page.goto(f"/events/{slug}/organise")
        card = page.locator(".card", has=page.get_by_role("heading", name=t("Exhibition and vote")))
        expect(card).to_be_visible()
        card.get_by_role("link", name=t("Run the vote")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Exhibition vote"))
        a11y.check(page, "vote page, not started")
        a11y.check_phone(page, "vote page, not started")

    with step("a wrong number of votes is refused next to the field"):
        field = page.get_by_label(t("Votes per participant"), exact=True)
        field.fill("21")
        page.get_by_role("button", name=t("Save the settings")).click()
        expect(page.locator("#votes_per_participant-error")).to_contain_text(
            t("Between %(min)d and %(max)d votes.", min=1, max=20)
        )
        a11y.check(page, "vote page, settings refused")
        page.get_by_label(t("Votes per participant"), exact=True).fill("2")
        page.get_by_role("button", name=t("Save the settings")).click()
        expect(flash(page)).to_contain_text(t("The vote settings are saved."))

    with step("the organiser opens the vote; ballots come in"):
        page.get_by_role("button", name=t("Open the vote")).click()
        expect(flash(page)).to_contain_text(
            t("The vote is open: participants can vote from their phones.")
        )
        expect(page.locator("#vote-status")).to_have_text(status("Open"))
        # Teams 1 and 2 tie with 2 votes; team 3 has 1; team 4 none: ranks 1, 1, 3, 4.
        _cast(
            app,
            slug,
            voter_ids,
            [[team_ids[0], team_ids[1]], [team_ids[0], team_ids[1]], [team_ids[2]]],
        )
        page.reload()
        expect(page.locator("#ballots-cast")).to_have_text("3")
        expect(page.locator("#results-warning")).to_contain_text(
            t("Participants cannot see these results yet: avoid showing this screen.")
        )
        expect(page.locator("#ranking-overall tbody tr")).to_have_count(4)
        a11y.check(page, "vote page, open")

    with step("participants see only how many voted"):
        watcher_context = browser.new_context(locale="fr-FR", base_url=live_server)
        watcher_page = watcher_context.new_page()
        watcher_page.goto("/sign-in")
        watcher_page.fill("input[name=code]", watcher_code)
        watcher_page.locator("form[action$='/sign-in/code'] [type=submit]").click()
        watcher_page.goto(f"/events/{slug}/results")
        expect(watcher_page.locator("#results-not-revealed")).to_have_text(
            t(
                "The organisers will reveal the results at the end of the exhibition. Come back to this page then."
            )
        )
        expect(watcher_page.get_by_text(TEAMS[0])).to_have_count(0)
        a11y.check(watcher_page, "results page before the reveal")

    with step("the organiser closes the vote after confirming"):
        page.get_by_role("button", name=t("Close the vote")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Close the vote now?"))
        a11y.check(page, "confirm closing")
        page.get_by_role("button", name=t("Yes, close the vote")).click()
        expect(page.locator("#vote-status")).to_have_text(status("Closed"))

    with step("the organiser reveals the results after confirming"):
        page.get_by_role("button", name=t("Reveal the results")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Reveal the results now?"))
        a11y.check(page, "confirm revealing")
        page.get_by_role("button", name=t("Yes, reveal the results")).click()
        expect(page.locator("#vote-status")).to_have_text(status("Results revealed"))
        expect(page.locator("#results-warning")).to_have_count(0)
        expect(page.get_by_role("button", name=t("Open the vote"))).to_have_count(0)
        a11y.check(page, "vote page, revealed")

    with step("the reveal screen shows nothing until asked, then the last place first"):
        page.get_by_role("link", name=t("Reveal screen for the projector")).click()
        next_button = page.get_by_role("button", name=t("Show the next place"))
        expect(next_button).to_be_visible()
        expect(page.locator("[data-reveal-step]:visible")).to_have_count(0)
        expect(
            page.get_by_text(t("Stands with the same number of votes share a rank."))
        ).to_be_visible()
        a11y.check(page, "reveal screen, nothing shown")
        live = page.locator("#reveal-live")

        page.keyboard.press("ArrowRight")
        assert _shown_ranks(page) == ["4"]
        expect(live).to_contain_text(TEAMS[3])
        page.keyboard.press("Space")
        assert _shown_ranks(page) == ["4", "3"]
        expect(live).to_contain_text(TEAMS[2])
        page.keyboard.press("ArrowLeft")  # one step back, then on again
        assert _shown_ranks(page) == ["4"]
        page.keyboard.press("PageDown")
        assert _shown_ranks(page) == ["4", "3"]

    with step("the tie for the first place appears as one place"):
        next_button.focus()
        page.keyboard.press("Space")  # on the focused button: one step, not two
        assert _shown_ranks(page) == ["4", "3", "1"]
        first = page.locator("[data-reveal-section]").first.locator("[data-rank='1']")
        expect(first.locator(".reveal__team")).to_have_text(TEAMS[:2])
        expect(live).to_contain_text(TEAMS[0])
        expect(live).to_contain_text(TEAMS[1])
        a11y.check(page, "reveal screen, overall ranking shown")

    with step("then each theme, from the last place to the first"):
        themes = page.locator("[data-reveal-section]")
        expect(themes).to_have_count(3)
        expect(themes.nth(1)).to_be_hidden()
        # Two places in each theme: Enter on the focused button, then the arrow key.
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
        assert _shown_ranks(page, 1) == ["2", "1"]
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert _shown_ranks(page, 1) == ["2", "1"] and _shown_ranks(page, 2) == ["2", "1"]
        expect(page.locator("#reveal-next")).to_have_text(t("The whole ranking is shown"))
        page.keyboard.press("ArrowRight")  # nothing more: nothing changes
        expect(page.locator("[data-reveal-step]:visible")).to_have_count(7)
        a11y.check(page, "reveal screen, all shown")
        a11y.check_phone(page, "reveal screen, all shown")

    with step("without JavaScript the whole ranking is there, last to first"):
        plain = browser.new_context(locale="fr-FR", base_url=live_server, java_script_enabled=False)
        plain.add_cookies(page.context.cookies())
        plain_page = plain.new_page()
        plain_page.goto(f"/events/{slug}/reveal")
        ranks = plain_page.locator("[data-reveal-section]").first.locator("[data-reveal-step]")
        expect(ranks).to_have_count(3)
        assert ranks.evaluate_all("steps => steps.map(s => s.dataset.rank)") == ["4", "3", "1"]
        expect(plain_page.locator("#reveal-next")).to_be_hidden()
        plain.close()

    with step("participants now see the ranking", who="a participant"):
        watcher_page.reload()
        rows = watcher_page.locator("#ranking-overall tbody tr")
        expect(rows).to_have_count(4)
        expect(rows.first).to_contain_text(TEAMS[0])
        expect(watcher_page.locator("#ballots-cast")).to_have_text(
            catalogue_plural("%(num)d ballot cast.", "%(num)d ballots cast.", 3)
        )
        a11y.check(watcher_page, "results page, revealed")
        a11y.check_phone(watcher_page, "results page, revealed")
        watcher_context.close()

    page.goto(vote_path)
    assert not a11y.problems, "\n".join(a11y.problems)


def test_french_catalogue_covers_the_vote_journey():
    missing = untranslated(STRINGS + PLURALS)
    assert not missing, "Untranslated in facilitate/translations/fr: " + "; ".join(missing)
