"""The team journey's story (what people type), the interface text it reads from the French
catalogue, and the page actions it repeats."""

import struct
import zlib

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    STAKEHOLDERS,
    catalogue_plural,
    catalogue_text,
)
from tests.browser.journey import flash
from tests.browser.journey import step as journey_step

TEAM_STRINGS = (
    "Access code",
    "Sign in with my code",
    "Email address",
    "Password",
    "Sign in",
    "Open the team's workspace",
    "Journal",
    # Framing
    "Working question",
    "Save the framing",
    "Add a stakeholder",
    "Stakeholder",
    "Remove",
    "Framing saved.",
    "Add a persona",
    "Persona's name",
    "Who they are",
    "Needs",
    "Add the persona",
    "Persona added.",
    "New journal entry",
    "Add to the journal",
    # Stage gates
    "Framing",
    "Ideation",
    "Prototyping",
    "Exhibition",
    "Open the next stage: %(stage)s",
    "The team is now at the %(stage)s stage.",
    "Not done yet at the previous stage: %(items)s.",
    "What already exists is noted",
    "Stage changed: %(old)s → %(new)s.",
    # Ideation
    "Add an idea",
    "Title of the idea",
    "Add the idea",
    "Idea added.",
    "Place a dot",
    "Take my dot back",
    "Retain this idea",
    "Why it answers the challenge owner's expectation",
    "Idea retained.",
    "Idea retained: “%(title)s”. Why: %(reason)s",
    "Endorse this idea",
    "Idea endorsed.",
    "Close the dot vote",
    "Dot vote closed.",
    "endorsed by the challenge owner",
    # Prototyping
    "Kind of prototype",
    "Digital mock-up",
    "What the prototype is",
    "What it tests",
    "Test plan",
    "Save the prototype",
    "Prototype saved.",
    "Add a photo or a file",
    "Photo or document",
    "The people pictured agreed to this photo being shared.",
    "Add the file",
    "File added.",
    "Photo of the prototype: %(name)s",
    "What testers said",
    "Add the feedback",
    "Feedback added.",
    "Feedback from tests",
    # Exhibition
    "Pitch",
    "Save the pitch",
    "Pitch saved.",
    "%(count)s / %(max)s characters",
    "For the poster",
    # Conflicts
    "Someone changed this while you were editing. Their version is shown below yours: merge them, then save again.",
    "Their version:",
)


TEAM_PLURALS = (("%(num)d dot", "%(num)d dots"),)


def t(msgid: str, **values) -> str:
    assert msgid in TEAM_STRINGS, f"add {msgid!r} to TEAM_STRINGS"
    return catalogue_text(msgid, **values)


def step(title: str):
    return journey_step(title, who="the team")


def sign_in_with_code(page: Page, name: str, code: str) -> None:
    page.goto("/sign-in")
    page.get_by_label(t("Access code"), exact=True).fill(code)
    page.get_by_role("button", name=t("Sign in with my code")).click()
    expect(page.get_by_role("banner")).to_contain_text(name)


def sign_in_with_password(page: Page, email: str, password: str, name: str) -> None:
    page.goto("/sign-in")
    page.get_by_label(t("Email address"), exact=True).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(password)
    page.get_by_role("button", name=t("Sign in"), exact=True).click()
    expect(page.get_by_role("banner")).to_contain_text(name)


def journal(page: Page):
    return page.get_by_role("region", name=t("Journal"), exact=True)


def open_next_stage(page: Page, stage: str) -> None:
    page.get_by_role("button", name=t("Open the next stage: %(stage)s", stage=t(stage))).click()
    expect(flash(page)).to_contain_text(
        t("The team is now at the %(stage)s stage.", stage=t(stage))
    )


def open_details(page_or_card, summary: str) -> None:
    """Unfold a <details> by its summary, as a reader taps it (unless it is already open)."""
    summary_element = page_or_card.locator("summary", has_text=summary).first
    details = summary_element.locator("xpath=..")
    if details.get_attribute("open") is None:
        summary_element.click()


def idea_card(page: Page, title: str):
    return page.locator("#ideation li.card").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def idea_titles(page: Page):
    return page.locator("#ideation ol.card-list > li.card").get_by_role("heading", level=4)


def add_idea(page: Page, title: str) -> None:
    open_details(page, t("Add an idea"))
    page.get_by_label(t("Title of the idea"), exact=True).fill(title)
    page.get_by_role("button", name=t("Add the idea")).click()
    expect(flash(page)).to_contain_text(t("Idea added."))
    expect(idea_card(page, title)).to_be_visible()


def place_dot(page: Page, title: str) -> None:
    idea_card(page, title).get_by_role("button", name=f"{t('Place a dot')} – {title}").click()
    expect(
        idea_card(page, title).get_by_role("button", name=f"{t('Take my dot back')} – {title}")
    ).to_be_visible()


def dots(n: int) -> str:
    return catalogue_plural(*TEAM_PLURALS[0], n)


def tiny_png() -> bytes:
    """A valid 2 x 2 PNG, built here rather than stored as a binary fixture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + b"\x1d\x4e\x89" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


WORKING_QUESTION = (
    "Comment faire de la glacière un lieu vivant toute l'année, avec les pêcheurs et les "
    "habitants ?"
)


NEW_STAKEHOLDER = "Comité local des pêches maritimes"


REMOVED_STAKEHOLDER = STAKEHOLDERS[1]


IDEAS = ("Une halle aux produits de la ria", "Un musée de la glace", "Un atelier partagé")


REASON = "Elle garde les pêcheurs au cœur du lieu, comme le souhaite la commune."


SUMMARY = "Une maquette de l'atelier partagé, en carton, et un site d'inscription."


TESTS = "Les pêcheurs viendraient-ils y réparer leurs filets l'hiver ?"


PLAN = "Samedi au marché d'Etel, avec dix pêcheurs et dix habitants."


FEEDBACK = "Les pêcheurs veulent un accès direct au quai."


PITCH = "À Etel, la glacière devient un atelier partagé où pêcheurs et habitants se retrouvent."


PHOTO = "maquette-atelier.png"
