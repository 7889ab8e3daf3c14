"""A juror signs in, finds the national jury, reads the nominees and scores one by keyboard and
mouse, first leaving a criterion out; axe-core finds no serious or critical violation on the
scoring page, refused or saved, at desktop size and on a 320 px phone."""

import uuid

from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Edition, Juror, Nomination
from tests.browser.conftest import catalogue_text, untranslated
from tests.browser.journey import AccessibilityLog, step
from tests.factories import PASSWORD

STRINGS = (
    "Email address",
    "Password",
    "Sign in",
    "Editions and their sites",
    "National jury",
    "Save my scores",
    "Comment",
    "Creativity",
    "Your scores are saved.",
)


def t(msgid: str, **values) -> str:
    assert msgid in STRINGS, msgid
    return catalogue_text(msgid, **values)


def test_journey_strings_are_translated():
    assert untranslated(STRINGS) == []


def test_a_juror_scores_a_nominee(page, seed):
    tag = uuid.uuid4().hex[:8]
    email = f"jure-{tag}@example.org"
    with seed() as make:
        edition = Edition(name=f"Université d’été {tag}", year=2018)
        db.session.add(edition)
        db.session.flush()
        site = make.event(name=f"Rennes {tag}", challenges=2)
        site.edition_id = edition.id
        team = site.challenges[0].team
        team.name, team.pitch = "Les Défricheurs", "Un guichet unique pour les aidants."
        team.prototype_summary = "Une maquette cliquable."
        db.session.add(Nomination(edition_id=edition.id, event_id=site.id, team_id=team.id, slot=1))
        juror = make.user(password=PASSWORD, email=email, name="Jeanne Jure")
        db.session.add(Juror(edition_id=edition.id, user_id=juror.id))
        edition_name = edition.name
    log = AccessibilityLog()

    with step("signs in and finds the jury"):
        page.goto("/sign-in")
        page.get_by_label(t("Email address"), exact=True).fill(email)
        page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=t("Sign in"), exact=True).click()
        page.get_by_role("link", name=t("Editions and their sites")).click()
        page.get_by_role("link", name=f"{t('National jury')} – {edition_name} 2018").click()
        expect(page.get_by_role("heading", name="Les Défricheurs")).to_be_visible()
        expect(page.get_by_text("Un guichet unique pour les aidants.")).to_be_visible()
        log.check(page, "scoring page")
        log.check_phone(page, "scoring page")

    with step("leaves a criterion out and is told which"):
        radios = page.get_by_role("radio")
        # Five criteria of five choices: pick 4 everywhere but in "Créativité".
        for criterion in range(5):
            if criterion == 1:
                continue
            radios.nth(criterion * 5 + 3).check()
        page.get_by_role("button", name=t("Save my scores")).click()
        expect(page.locator(".form-errors")).to_contain_text(t("Creativity"))
        log.check(page, "scoring page, refused")
        log.check_phone(page, "scoring page, refused")

    with step("scores by keyboard and saves"):
        creativity = page.get_by_role("group", name=t("Creativity"))
        creativity.get_by_role("radio").first.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.get_by_label(t("Comment")).fill("Très utile aux aidants.")
        page.get_by_role("button", name=t("Save my scores")).click()
        expect(page.get_by_text(t("Your scores are saved."))).to_be_visible()
        expect(creativity.get_by_role("radio", name="3")).to_be_checked()
        log.check(page, "scoring page, saved")
        log.check_phone(page, "scoring page, saved")

    assert not log.problems, "\n".join(log.problems)
