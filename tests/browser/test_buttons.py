"""Actions look like actions (issue 12, item 1) and small things that cost trust (item 12).

On a 360 px phone, every page each role uses shows each action as a button: a box of at least
44 x 44 px with a visible background or border, whatever element makes it (a <button>, a link
or a <summary> styled as one). A message about a section shows inside that section, scrolled
into view; a theme's field is wide enough for its name."""

import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from facilitate.extensions import db
from facilitate.models import Idea, Membership, Persona, Role, Stage, VoteStatus
from facilitate.models._types import utcnow
from tests.browser.conftest import accessibility_problems, catalogue_text, untranslated
from tests.browser.team_journey_data import sign_in_with_code, sign_in_with_password
from tests.factories import PASSWORD, code_of

PHONE_360 = {"width": 360, "height": 740}
LONG_THEME = "Transition écologique et aménagement durable du territoire"
ORGANISER, FACILITATOR, MEMBER = "Anne Organisatrice", "Inès Animatrice", "Camille Le Goff"

STRINGS = (
    "Add a persona",
    "Persona's name",
    "Add the persona",
    "Persona added.",
    "Add an idea",
    "Title of the idea",
    "Add the idea",
    "Idea added.",
)


def t(msgid: str) -> str:
    assert msgid in STRINGS, f"add {msgid!r} to STRINGS"
    return catalogue_text(msgid)


def test_french_catalogue_covers_these_checks():
    assert untranslated(STRINGS) == []


# Every control a person acts with, as the page shows it: what is hidden (a closed <details>,
# the Print button before its script runs, a visually-hidden text) is left out.
_ACTIONS = """() => {
  const selector = 'button, input[type=submit], input[type=button], input[type=reset], '
    + 'a.button, summary.button, [role=button]';
  const visible = e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && e.closest('[hidden]') === null;
  };
  const alpha = colour => {
    const m = colour.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return colour === 'transparent' ? 0 : 1;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean);
    return parts.length > 3 ? parseFloat(parts[3]) : 1;
  };
  const looksLikeAButton = e => {
    const s = getComputedStyle(e);
    const background = alpha(s.backgroundColor) > 0 || s.backgroundImage !== 'none';
    const border = ['Top', 'Right', 'Bottom', 'Left'].every(side =>
      s['border' + side + 'Style'] !== 'none' && parseFloat(s['border' + side + 'Width']) >= 1
      && alpha(s['border' + side + 'Color']) > 0);
    return background || border;
  };
  const name = e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
    + ' "' + e.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
  const problems = [];
  let count = 0;
  for (const e of document.querySelectorAll(selector)) {
    if (!visible(e)) continue;
    count++;
    const r = e.getBoundingClientRect();
    if (r.width < 44 - 0.5 || r.height < 44 - 0.5)
      problems.push(`${name(e)}: ${Math.round(r.width)} x ${Math.round(r.height)} px`);
    if (!looksLikeAButton(e)) problems.push(`${name(e)}: no background nor border`);
  }
  // A disclosure that opens a form is an action: it must look like one.
  for (const s of document.querySelectorAll('details > summary')) {
    if (visible(s) && s.parentElement.querySelector('form') && !s.classList.contains('button'))
      problems.push(`${name(s)}: opens a form but is not styled as a button`);
  }
  return {count, problems};
}"""


def button_problems(page: Page) -> tuple[int, list[str]]:
    found = page.evaluate(_ACTIONS)
    return found["count"], found["problems"]


@dataclass(frozen=True)
class World:
    slug: str
    organiser_email: str
    facilitator_email: str
    member_code: str
    member_team_number: int
    stand_team_id: int


@pytest.fixture
def world(seed) -> World:
    """An event at the exhibition with its vote open; four teams, one at each stage, with
    personas, ideas (one retained, not yet endorsed) and stands; an organiser, the facilitator
    and the challenge owner of team 2 (at ideation), and a member of that team."""
    slug = f"boutons-{uuid.uuid4().hex[:10]}"
    with seed() as make:
        event = make.event(
            slug=slug,
            name="Université de l'innovation publique – Rennes",
            themes=2,
            stage=Stage.EXHIBITION,
            vote_status=VoteStatus.OPEN,
            votes_per_participant=3,
        )
        event.themes[0].name = LONG_THEME
        for number, stage in enumerate(Stage, start=1):
            challenge = make.challenge(
                event,
                number=number,
                theme=event.themes[number % 2],
                question=f"Comment simplifier la démarche numéro {number} pour les habitants ?",
                owner_organisation=f"Commune {number}",
            )
            team = challenge.team
            team.stage = stage
            team.stand_number = number
            team.stand_place = "Hall A"
        teams = [c.team for c in event.challenges]
        db.session.flush()
        ideation = teams[1]
        db.session.add(Persona(team_id=ideation.id, name="Juliette", role="Agente d'accueil"))
        db.session.add(Idea(team_id=ideation.id, title="Un guichet unique"))
        db.session.add(
            Idea(
                team_id=ideation.id,
                title="Un formulaire en trois questions",
                retained_at=utcnow(),
                retained_reason="Il répond à l'attente du porteur : aller vite.",
            )
        )
        organiser = make.organiser(event, email=f"orga-{slug}@example.org", name=ORGANISER)
        facilitator = make.user(
            password=PASSWORD, email=f"anim-{slug}@example.org", name=FACILITATOR
        )
        owner = make.participant(event, name="Paul Porteur")
        db.session.add(
            Membership(user=facilitator, event=event, team=ideation, role=Role.FACILITATOR)
        )
        db.session.add(
            Membership(user=owner, event=event, team=ideation, role=Role.CHALLENGE_OWNER)
        )
        member = make.participant(event, team=ideation, name=MEMBER)
        return World(
            slug=slug,
            organiser_email=organiser.email,
            facilitator_email=facilitator.email,
            member_code=code_of(member),
            member_team_number=2,
            stand_team_id=teams[0].id,
        )


def _phone(people_pages) -> Page:
    return people_pages(phone=True, viewport=PHONE_360)


def _check_pages(page: Page, paths: list[str]) -> list[str]:
    """Every action on each page looks like a button and is big enough; axe has nothing
    serious or critical to say."""
    report = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        count, problems = button_problems(page)
        assert count > 0, f"no action at all on {path}?"
        report += [f"{path}: {p}" for p in problems]
        report += [f"{path}: {line}" for line in accessibility_problems(page)]
    return report


def test_every_action_of_the_organiser_is_a_big_enough_button(people_pages, world: World):
    page = _phone(people_pages)
    sign_in_with_password(page, world.organiser_email, PASSWORD, ORGANISER)
    base = f"/events/{world.slug}"
    paths = [
        f"{base}/organise",
        f"{base}/edit",
        f"{base}/challenges/manage",
        f"{base}/challenges/1",
        f"{base}/challenges/1/edit",
        f"{base}/people",
        f"{base}/teams",
        f"{base}/teams/placement",
        f"{base}/dashboard",
        f"{base}/organise/vote",
        f"{base}/organise/stands",
        f"{base}/organise/invitations",
        f"{base}/history",
        # The workspace at each stage, as the organiser sees it (every action allowed).
        *(f"{base}/teams/{number}/workspace" for number in range(1, 5)),
        # Each stage's own page, for the team at framing (its workspace shows them light).
        *(f"{base}/teams/1/workspace/{stage.value}" for stage in Stage),
    ]
    problems = _check_pages(page, paths)
    assert not problems, "\n".join(problems)


def test_every_action_of_the_team_is_a_big_enough_button(people_pages, world: World):
    base = f"/events/{world.slug}"
    workspace = f"{base}/teams/{world.member_team_number}/workspace"
    problems = []

    member = _phone(people_pages)
    sign_in_with_code(member, MEMBER, world.member_code)
    # The disclosures that open a form, opened: their forms' buttons count too.
    member.goto(workspace)
    problems += _check_pages(member, [base, workspace])
    for summary in member.locator("details > summary.button").all():
        summary.click()
    count, opened = button_problems(member)
    problems += [f"{workspace} (opened): {p}" for p in opened]

    facilitator = _phone(people_pages)
    sign_in_with_password(facilitator, world.facilitator_email, PASSWORD, FACILITATOR)
    problems += _check_pages(facilitator, [workspace])

    assert not problems, "\n".join(problems)


def test_every_action_of_a_visitor_at_the_exhibition_is_a_big_enough_button(
    people_pages, world: World
):
    page = _phone(people_pages)
    sign_in_with_code(page, MEMBER, world.member_code)
    base = f"/events/{world.slug}"
    problems = _check_pages(
        page, [f"{base}/stands", f"{base}/stands/{world.stand_team_id}", f"{base}/my-ballot"]
    )
    assert not problems, "\n".join(problems)


def test_a_confirmation_shows_in_its_section_in_view_on_a_phone(people_pages, world: World):
    page = _phone(people_pages)
    sign_in_with_code(page, MEMBER, world.member_code)
    workspace = f"/events/{world.slug}/teams/{world.member_team_number}/workspace"
    # The team is at ideation: its personas are on the framing stage's own page.
    page.goto(f"{workspace}/framing")

    personas = page.locator("#personas")
    personas.get_by_text(t("Add a persona")).click()
    personas.get_by_label(t("Persona's name")).fill("Bernard, 72 ans")
    personas.get_by_role("button", name=t("Add the persona")).click()

    message = page.locator("#personas .flash")
    expect(message).to_have_text(t("Persona added."))
    expect(message).to_be_in_viewport()
    expect(page.locator("main > .flashes")).to_have_count(0)
    assert page.url.split("#")[0].endswith(f"{workspace}/framing"), "back where the form was"

    page.goto(workspace)
    ideation = page.locator("#ideation")
    ideation.get_by_text(t("Add an idea")).click()
    ideation.get_by_label(t("Title of the idea")).fill("Un rendez-vous à domicile")
    ideation.get_by_role("button", name=t("Add the idea")).click()
    card = page.locator(".card", has_text="Un rendez-vous à domicile")
    expect(card.locator(".flash")).to_have_text(t("Idea added."))
    expect(card.locator(".flash")).to_be_in_viewport()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE_360])
def test_a_theme_field_shows_the_whole_name(people_pages, world: World, viewport):
    page = people_pages(phone=viewport["width"] < 600, viewport=viewport)
    sign_in_with_password(page, world.organiser_email, PASSWORD, ORGANISER)
    page.goto(f"/events/{world.slug}/edit")
    field = page.locator("#themes input[type=text]").first
    expect(field).to_have_value(LONG_THEME)
    sizes = field.evaluate(
        """e => ({scroll: e.scrollWidth, client: e.clientWidth,
                 list: e.closest('.list-item').clientWidth})"""
    )
    if viewport["width"] >= 600:
        assert sizes["scroll"] <= sizes["client"], sizes  # nothing cut off
    else:
        assert sizes["client"] >= 0.8 * sizes["list"], sizes  # the width of the screen
