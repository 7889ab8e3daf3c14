"""An organiser gives a facilitator a link (copied, or its QR code printed); the facilitator
opens it on a phone, is told as they type that a password is too short, chooses one and is
signed in; an organiser invites a co-organiser. axe-core finds no serious or critical violation
on the way, at desktop size and on a 320 px phone, and nothing scrolls sideways."""

import re
import uuid

from playwright.sync_api import expect

from facilitate.extensions import db
from facilitate.models import Membership, Role
from tests.browser.conftest import PHONE, catalogue_text, untranslated
from tests.browser.journey import AccessibilityLog, flash, step
from tests.factories import PASSWORD

STRINGS = (
    "Email address",
    "Password",
    "Sign in",
    "Sign out",
    "Co-organisers and invitations",
    "Manage co-organisers and invitations",
    "Create a link",
    "Create the invitation",
    "Invited as",
    "Name",
    "New password",
    "The new password again",
    "Choose this password",
    "Too short: at least %(min)d characters.",
    "Long enough. It must not be a common password, nor contain your name.",
    "This password is among the most common ones, which are tried first. Choose another one.",
    "Forgot your password?",
    "My password",
    "Current password",
    "Co-organiser of the event",
)
GOOD = "Des prototypes sous la pluie de Rennes"


def t(msgid: str, **values) -> str:
    assert msgid in STRINGS, msgid
    return catalogue_text(msgid, **values)


def test_journey_strings_are_translated():
    assert untranslated(STRINGS) == []


def test_a_facilitator_chooses_a_password_from_a_link_on_a_phone(page, people_pages, seed):
    slug = f"invitations-{uuid.uuid4().hex[:8]}"
    email = f"organisatrice-{slug}@example.org"
    with seed() as make:
        event = make.event(challenges=2, slug=slug, name="Université de l'innovation – Brest")
        make.organiser(event, email=email, name="Odile Organisatrice")
        facilitator = make.participant(
            event, name="Fanny Animatrice", email=f"fanny-{slug}@example.org"
        )
        db.session.add(
            Membership(
                user=facilitator, event=event, team=event.challenges[0].team, role=Role.FACILITATOR
            )
        )
    log = AccessibilityLog()

    with step("signs in and opens the invitations page"):
        page.goto("/sign-in")
        page.get_by_label(t("Email address"), exact=True).fill(email)
        page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=t("Sign in"), exact=True).click()
        page.goto(f"/events/{slug}/organise")
        page.get_by_role("link", name=t("Manage co-organisers and invitations")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            t("Co-organisers and invitations")
        )
        log.check(page, "invitations")
        log.check_phone(page, "invitations")

    with step("creates a link for the facilitator and sees its QR code"):
        page.get_by_role("button", name=f"{t('Create a link')} : Fanny Animatrice").click()
        expect(page.locator(".invitation-card__qr svg")).to_be_visible()
        link = page.locator("#invitation-url").input_value()
        assert link.startswith("http://facilitate.test/invitations/")
        log.check(page, "invitation link")
        log.check_phone(page, "invitation link")

    phone = people_pages(phone=True, viewport=PHONE)
    with step("opens the link on a phone and is told the password is too short", "the facilitator"):
        phone.goto(link.removeprefix("http://facilitate.test"))
        password = phone.get_by_label(t("New password"), exact=True)
        password.fill("court")
        expect(phone.locator(".password-hint")).to_have_text(
            t("Too short: at least %(min)d characters.", min=12)
        )
        log.check_as_is(phone, "choose a password")

    with step("tries a common password, then chooses a good one", "the facilitator"):
        password.fill("azerty123456")
        phone.get_by_label(t("The new password again"), exact=True).fill("azerty123456")
        phone.get_by_role("button", name=t("Choose this password")).click()
        expect(phone.locator(".form-errors")).to_contain_text(
            t(
                "This password is among the most common ones, which are tried first. Choose another one."
            )
        )
        log.check_as_is(phone, "choose a password, refused")
        phone.get_by_label(t("New password"), exact=True).fill(GOOD)
        expect(phone.locator(".password-hint")).to_have_text(
            t("Long enough. It must not be a common password, nor contain your name.")
        )
        phone.get_by_label(t("The new password again"), exact=True).fill(GOOD)
        phone.get_by_role("button", name=t("Choose this password")).click()
        expect(phone).to_have_url(re.compile(rf"/events/{slug}$"))
        expect(phone.get_by_role("button", name=t("Sign out"))).to_be_visible()
        expect(flash(phone)).to_contain_text("Fanny Animatrice")

    with step(
        "finds the page to change the password, and the forgot-password page", "the facilitator"
    ):
        phone.get_by_role("link", name=t("My password")).click()
        expect(phone.get_by_label(t("Current password"), exact=True)).to_be_visible()
        log.check_as_is(phone, "my password")
        phone.goto("/password/forgot")
        log.check_as_is(phone, "forgot password")

    with step("invites a co-organiser by email"):
        page.goto(f"/events/{slug}/organise/invitations")
        page.get_by_label(t("Invited as")).select_option(label=t("Co-organiser of the event"))
        page.get_by_label(t("Email address"), exact=True).fill(f"colette-{slug}@example.org")
        page.get_by_label(t("Name"), exact=True).fill("Colette Collègue")
        page.get_by_role("button", name=t("Create the invitation")).click()
        expect(page.locator(".invitation-card__qr svg")).to_be_visible()
        expect(page.locator("#invitation-url")).to_have_value(
            re.compile(r"^http://facilitate\.test/invitations/")
        )

    assert not log.problems, "\n".join(log.problems)
