"""A team's workspace from framing to exhibition, in the browsers its people use: members on
phones (360 px), the facilitator on a laptop, the challenge owner elsewhere; and two members
saving the same field, where nothing of either is lost.

Each person has their own browser context (their own cookies), as in the room. Accessibility
problems are collected along the way (axe at each stage, on the phone and on the laptop, and no
sideways scrolling on the phone) and reported together at the end, so that one violation does
not hide a broken flow further on.
"""

import re
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.i18n import within_sentence
from facilitate.models import (
    Dot,
    FeedbackEntry,
    Idea,
    Membership,
    PrototypeFile,
    PrototypeKind,
    Role,
    Stage,
    Team,
)
from tests.browser.conftest import (
    DESKTOP,
    STAKEHOLDERS,
    untranslated,
)
from tests.browser.journey import AccessibilityLog, flash, path_is
from tests.browser.team_journey_data import (
    FEEDBACK,
    IDEAS,
    NEW_STAKEHOLDER,
    PHOTO,
    PITCH,
    PLAN,
    REASON,
    REMOVED_STAKEHOLDER,
    SUMMARY,
    TEAM_PLURALS,
    TEAM_STRINGS,
    TESTS,
    WORKING_QUESTION,
    add_idea,
    dots,
    idea_card,
    idea_titles,
    journal,
    open_details,
    open_next_stage,
    place_dot,
    sign_in_with_code,
    sign_in_with_password,
    step,
    t,
    tiny_png,
)
from tests.factories import PASSWORD, code_of

PHONE_360 = {"width": 360, "height": 740}


def test_french_catalogue_covers_the_team_journeys():
    assert untranslated(TEAM_STRINGS + TEAM_PLURALS) == []


@dataclass(frozen=True)
class Team1:
    slug: str
    team_id: int
    question: str
    facilitator_email: str
    facilitator_name: str
    members: tuple[tuple[str, str], ...]  # (name, access code)
    owner: tuple[str, str]

    @property
    def workspace(self) -> str:
        return f"/events/{self.slug}/teams/1/workspace"


def _with_code(make, event, role: Role, team: Team, name: str):
    if role == Role.MEMBER:
        return make.participant(event, team=team, name=name)
    person = make.participant(event, name=name)
    db.session.add(Membership(user=person, event=event, team=team, role=role))
    return person


@pytest.fixture
def team1(seed) -> Team1:
    """An event with two challenges (the first with a full sheet), and team 1's people: a
    facilitator with a password, two members and the challenge owner with badge codes."""
    slug = f"lorient-{uuid.uuid4().hex[:10]}"
    with seed() as make:
        event = make.event(slug=slug, name="Université de l'innovation publique – Lorient")
        challenge = make.challenge(
            event,
            number=1,
            question="Comment redonner vie à la glacière municipale d'Etel ?",
            owner_organisation="Commune d'Etel",
            project_name="La Glacière",
            territory="Etel, ria d'Etel",
            stakes="Disposer de critères pour évaluer la durabilité de la reconversion.",
            stakeholders=list(STAKEHOLDERS),
            users=["Habitants", "Pêcheurs", "Visiteurs estivaux"],
            obstacles=["Peu d'intérêt des partenaires institutionnels"],
            levers=["Préserver l'environnement naturel et l'authenticité du lieu"],
        )
        make.challenge(event, number=2)
        team = challenge.team
        facilitator = make.user(
            password=PASSWORD,
            name="Gwenaëlle Le Bihan",
            email=f"animatrice-{uuid.uuid4().hex[:8]}@exemple.bzh",
        )
        db.session.add(Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR))
        members = [
            _with_code(make, event, Role.MEMBER, team, name)
            for name in ("Camille Le Goff", "Yannick Tanguy")
        ]
        owner = _with_code(make, event, Role.CHALLENGE_OWNER, team, "Maire adjointe d'Etel")
        db.session.flush()
        return Team1(
            slug=slug,
            team_id=team.id,
            question=challenge.question,
            facilitator_email=facilitator.email,
            facilitator_name=facilitator.name,
            members=tuple((m.name, code_of(m)) for m in members),
            owner=(owner.name, code_of(owner)),
        )


@pytest.fixture
def contexts(people_pages):
    """``open(phone=...)``: a new person's browser, French, phone-sized (360 px, touch) or a
    laptop; all closed at the end."""
    return lambda phone: people_pages(phone, viewport=PHONE_360)


TOP_IDEA, SECOND_IDEA, LAST_IDEA = IDEAS[2], IDEAS[0], IDEAS[1]  # by dots: 2, 1, 0


def test_a_team_goes_from_framing_to_exhibition(contexts, team1: Team1, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    a11y = AccessibilityLog()
    (camille, camille_code), (yannick, yannick_code) = team1.members
    phone = contexts(phone=True)
    second_phone = contexts(phone=True)
    laptop = contexts(phone=False)

    def check_both(stage: str) -> None:
        phone.reload()
        laptop.reload()
        a11y.check_as_is(phone, f"workspace at {stage}, member's phone")
        a11y.check(laptop, f"workspace at {stage}, facilitator's laptop")

    with step("1. a member signs in on her phone and opens the workspace"):
        sign_in_with_code(phone, camille, camille_code)
        path_is(phone, f"/events/{team1.slug}")
        phone.get_by_role("link", name=t("Open the team's workspace")).click()
        path_is(phone, team1.workspace)
        expect(phone.get_by_role("heading", level=1)).to_have_text(team1.question)
        a11y.check_as_is(phone, "workspace, nothing done yet")

    with step("2. she frames the challenge: question, stakeholders, persona, journal"):
        phone.get_by_label(t("Working question"), exact=True).fill(WORKING_QUESTION)
        # The list buttons post the form and it comes back, one item longer, nothing saved.
        phone.get_by_role("button", name=t("Add a stakeholder")).click()
        new_item = f"{t('Stakeholder')} {len(STAKEHOLDERS) + 1}"
        phone.get_by_label(new_item, exact=True).fill(NEW_STAKEHOLDER)
        phone.get_by_role("button", name=f"{t('Remove')} {t('Stakeholder')} 2", exact=True).click()
        expect(phone.get_by_label(t("Working question"), exact=True)).to_have_value(
            WORKING_QUESTION
        )
        with app.app_context():
            assert db.session.get(Team, team1.team_id).working_question is None
        phone.get_by_role("button", name=t("Save the framing")).first.click()
        expect(flash(phone)).to_contain_text(t("Framing saved."))
        expect(phone.get_by_role("heading", level=1)).to_have_text(WORKING_QUESTION)
        kept = [s for s in STAKEHOLDERS if s != REMOVED_STAKEHOLDER] + [NEW_STAKEHOLDER]
        for index, name in enumerate(kept, start=1):
            expect(phone.get_by_label(f"{t('Stakeholder')} {index}", exact=True)).to_have_value(
                name
            )

        open_details(phone, t("Add a persona"))
        phone.get_by_label(t("Persona's name"), exact=True).fill("Loïc, pêcheur retraité")
        phone.get_by_label(t("Who they are"), exact=True).fill("Habitant d'Etel depuis 40 ans")
        phone.get_by_label(t("Needs"), exact=True).fill("Un lieu où transmettre son métier")
        phone.get_by_role("button", name=t("Add the persona")).click()
        expect(flash(phone)).to_contain_text(t("Persona added."))
        expect(phone.get_by_role("heading", name="Loïc, pêcheur retraité")).to_be_visible()

        phone.get_by_label(t("New journal entry"), exact=True).fill("Cadrage fait avec Yannick.")
        phone.get_by_role("button", name=t("Add to the journal")).click()
        expect(journal(phone)).to_contain_text("Cadrage fait avec Yannick.")
        expect(journal(phone)).to_contain_text(camille)
        a11y.check_as_is(phone, "workspace at framing, member's phone")

    with step("3. the facilitator sees the framing and opens ideation despite the checklist"):
        sign_in_with_password(laptop, team1.facilitator_email, PASSWORD, team1.facilitator_name)
        laptop.goto(team1.workspace)
        expect(laptop.get_by_role("heading", level=1)).to_have_text(WORKING_QUESTION)
        expect(laptop.get_by_label(t("Working question"), exact=True)).to_have_value(
            WORKING_QUESTION
        )
        expect(laptop.get_by_role("heading", name="Loïc, pêcheur retraité")).to_be_visible()
        a11y.check(laptop, "workspace at framing, facilitator's laptop")

        open_next_stage(laptop, "Ideation")
        # "What already exists" was left empty: a warning, not a refusal.
        warning = laptop.locator(".flash--warning")
        expect(warning).to_contain_text(
            t(
                "Not done yet at the previous stage: %(items)s.",
                items=within_sentence(t("What already exists is noted")),
            )
        )
        expect(journal(laptop).get_by_role("listitem").first).to_contain_text(
            t("Stage changed: %(old)s → %(new)s.", old=t("Framing"), new=t("Ideation"))
        )
        check_both("ideation")

    with step("4. members add three ideas and place their dots; the tally orders them"):
        phone.reload()
        for title in IDEAS:
            add_idea(phone, title)
        place_dot(phone, TOP_IDEA)
        place_dot(phone, SECOND_IDEA)

        sign_in_with_code(second_phone, yannick, yannick_code)
        second_phone.goto(team1.workspace)
        place_dot(second_phone, TOP_IDEA)
        expect(idea_titles(second_phone)).to_have_text([TOP_IDEA, SECOND_IDEA, LAST_IDEA])
        expect(idea_card(second_phone, TOP_IDEA)).to_contain_text(dots(2))
        expect(idea_card(second_phone, SECOND_IDEA)).to_contain_text(dots(1))
        expect(idea_card(second_phone, LAST_IDEA)).to_contain_text(dots(0))
        a11y.check_as_is(second_phone, "ideas with dots, second member's phone")

    with step("5. the facilitator retains the top idea; the challenge owner endorses it"):
        laptop.reload()
        expect(idea_titles(laptop)).to_have_text([TOP_IDEA, SECOND_IDEA, LAST_IDEA])
        card = idea_card(laptop, TOP_IDEA)
        open_details(card, t("Retain this idea"))
        card.get_by_label(t("Why it answers the challenge owner's expectation"), exact=True).fill(
            REASON
        )
        card.get_by_role("button", name=f"{t('Retain this idea')} – {TOP_IDEA}").click()
        expect(flash(laptop)).to_contain_text(t("Idea retained."))
        expect(journal(laptop)).to_contain_text(
            t("Idea retained: “%(title)s”. Why: %(reason)s", title=TOP_IDEA, reason=REASON)
        )

        owner_page = contexts(phone=False)
        sign_in_with_code(owner_page, *team1.owner)
        owner_page.goto(team1.workspace)
        a11y.check(owner_page, "workspace at ideation, challenge owner's laptop")
        idea_card(owner_page, TOP_IDEA).get_by_role(
            "button", name=f"{t('Endorse this idea')} – {TOP_IDEA}"
        ).click()
        expect(flash(owner_page)).to_contain_text(t("Idea endorsed."))
        expect(owner_page.locator("#ideation")).to_contain_text(
            t("endorsed by the challenge owner")
        )

    with step("6. prototyping: description, a photo with consent, feedback"):
        laptop.reload()
        # Yannick placed one dot of three and has left the room: the facilitator closes the vote.
        laptop.get_by_role("button", name=t("Close the dot vote")).click()
        expect(flash(laptop)).to_contain_text(t("Dot vote closed."))
        open_next_stage(laptop, "Prototyping")
        expect(laptop.locator(".flash--warning")).to_have_count(0)  # ideation's list is done
        check_both("prototyping")

        phone.get_by_label(t("Kind of prototype"), exact=True).select_option(
            label=t("Digital mock-up")
        )
        phone.get_by_label(t("What the prototype is"), exact=True).fill(SUMMARY)
        phone.get_by_label(t("What it tests"), exact=True).fill(TESTS)
        phone.get_by_label(t("Test plan"), exact=True).fill(PLAN)
        phone.get_by_role("button", name=t("Save the prototype")).click()
        expect(flash(phone)).to_contain_text(t("Prototype saved."))

        open_details(phone, t("Add a photo or a file"))
        phone.get_by_label(t("Photo or document"), exact=True).set_input_files(
            {"name": PHOTO, "mimeType": "image/png", "buffer": tiny_png()}
        )
        phone.get_by_label(t("The people pictured agreed to this photo being shared.")).check()
        phone.get_by_role("button", name=t("Add the file")).click()
        expect(flash(phone)).to_contain_text(t("File added."))
        photo = phone.get_by_role("img", name=t("Photo of the prototype: %(name)s", name=PHOTO))
        expect(photo).to_be_visible()
        photo.scroll_into_view_if_needed()  # loading="lazy"
        expect(photo).to_have_js_property("complete", True)
        assert photo.evaluate("img => img.naturalWidth") == 2, "the stored photo is served back"

        phone.get_by_label(t("What testers said"), exact=True).fill(FEEDBACK)
        phone.get_by_role("button", name=t("Add the feedback")).click()
        expect(flash(phone)).to_contain_text(t("Feedback added."))
        expect(phone.get_by_role("region", name=t("Feedback from tests"))).to_contain_text(FEEDBACK)
        a11y.check_as_is(phone, "workspace at prototyping, filled, member's phone")

    with step("7. exhibition: the pitch with its counter, and what goes on the poster"):
        laptop.reload()
        open_next_stage(laptop, "Exhibition")
        expect(laptop.locator(".flash--warning")).to_have_count(0)
        check_both("exhibition")

        phone.get_by_label(t("Pitch"), exact=True).fill(PITCH)
        counter = t("%(count)s / %(max)s characters", count=len(PITCH), max=600)
        expect(phone.locator("[data-counter-for=pitch]")).to_have_text(counter)
        phone.get_by_role("button", name=t("Save the pitch")).click()
        expect(flash(phone)).to_contain_text(t("Pitch saved."))
        expect(phone.get_by_label(t("Pitch"), exact=True)).to_have_value(PITCH)
        expect(phone.locator("[data-counter-for=pitch]")).to_have_text(counter)
        poster = phone.get_by_role("region", name=t("For the poster"))
        expect(poster).to_contain_text(TOP_IDEA)
        expect(poster).to_contain_text(REASON)
        expect(poster).to_contain_text(t("Digital mock-up"))
        expect(poster).to_contain_text(SUMMARY)
        a11y.check_as_is(phone, "workspace at exhibition, filled, member's phone")
        laptop.reload()
        a11y.check(laptop, "workspace at exhibition, filled, facilitator's laptop")

    with step("8. everything is in the database"), app.app_context():
        team = db.session.get(Team, team1.team_id)
        assert team.stage == Stage.EXHIBITION
        assert team.working_question == WORKING_QUESTION
        assert team.framing_stakeholders == kept
        assert team.framing_users == ["Habitants", "Pêcheurs", "Visiteurs estivaux"]
        ideas = db.session.scalars(select(Idea).where(Idea.team_id == team.id)).all()
        assert sorted(i.title for i in ideas) == sorted(IDEAS)
        tally = {i.title: 0 for i in ideas}
        for dot in db.session.scalars(select(Dot).where(Dot.team_id == team.id)):
            tally[db.session.get(Idea, dot.idea_id).title] += 1
        assert tally == {TOP_IDEA: 2, SECOND_IDEA: 1, LAST_IDEA: 0}
        (retained,) = [i for i in ideas if i.retained_at is not None]
        assert (retained.title, retained.retained_reason) == (TOP_IDEA, REASON)
        assert retained.endorsed_at is not None and retained.endorsed_by.name == team1.owner[0]
        assert team.prototype_kind == PrototypeKind.DIGITAL_MOCKUP
        assert (team.prototype_summary, team.prototype_tests, team.test_plan) == (
            SUMMARY,
            TESTS,
            PLAN,
        )
        (photo_row,) = db.session.scalars(
            select(PrototypeFile).where(PrototypeFile.team_id == team.id)
        ).all()
        assert (photo_row.original_name, photo_row.content_type) == (PHOTO, "image/png")
        assert photo_row.is_photo and photo_row.consent_confirmed
        assert photo_row.size_bytes == len(tiny_png())
        assert (tmp_path / "uploads" / photo_row.storage_name).read_bytes() == tiny_png()
        feedback = db.session.scalars(
            select(FeedbackEntry.body).where(FeedbackEntry.team_id == team.id)
        ).all()
        assert feedback == [FEEDBACK]
        assert team.pitch == PITCH

    assert not a11y.problems, "\n".join(
        ["Accessibility problems along the journey:", *a11y.problems]
    )


def test_a_conflicting_edit_shows_both_versions_and_loses_nothing(contexts, team1: Team1, app):
    before = "Comment rouvrir la glacière ?"
    theirs = "Comment rouvrir la glacière avec les pêcheurs ?"
    yours = "Comment rouvrir la glacière aux habitants ?"
    merged = "Comment rouvrir la glacière avec les pêcheurs et les habitants ?"
    with app.app_context():
        db.session.get(Team, team1.team_id).working_question = before
        db.session.commit()
    (camille, camille_code), (yannick, yannick_code) = team1.members
    a11y = AccessibilityLog()
    first, second = contexts(phone=False), contexts(phone=True)

    def question(page: Page):
        return page.get_by_label(t("Working question"), exact=True)

    def save(page: Page) -> None:
        page.get_by_role("button", name=t("Save the framing")).first.click()

    def stored() -> str:
        with app.app_context():
            return db.session.get(Team, team1.team_id).working_question

    with step("1. both open the workspace; the first saves a change"):
        for page, (name, code) in ((first, team1.members[0]), (second, team1.members[1])):
            sign_in_with_code(page, name, code)
            page.goto(team1.workspace)
            expect(question(page)).to_have_value(before)
        question(first).fill(theirs)
        save(first)
        expect(flash(first)).to_contain_text(t("Framing saved."))
        assert stored() == theirs

    with step("2. the second, who opened the page before, saves another change"):
        question(second).fill(yours)
        save(second)
        conflict = t(
            "Someone changed this while you were editing. Their version is shown below yours: "
            "merge them, then save again."
        )
        field = question(second)
        expect(field).to_have_value(yours)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(re.escape(conflict)))
        their_version = second.locator(".their-version").filter(has_text=t("Their version:"))
        expect(their_version).to_contain_text(theirs)
        below = their_version.bounding_box()["y"] > field.bounding_box()["y"]
        assert below, "their version is shown below yours"
        assert stored() == theirs, "nothing of the first member's change is lost"
        a11y.check_as_is(second, "framing conflict, member's phone")
        second.set_viewport_size(DESKTOP)
        a11y.check(second, "framing conflict, desktop")
        second.set_viewport_size(PHONE_360)

    with step("3. the second merges both and saves"):
        question(second).fill(merged)
        save(second)
        expect(flash(second)).to_contain_text(t("Framing saved."))
        expect(question(second)).to_have_value(merged)
        expect(second.locator(".their-version")).to_have_count(0)
        assert stored() == merged
        first.reload()
        expect(question(first)).to_have_value(merged)

    assert not a11y.problems, "\n".join(["Accessibility problems:", *a11y.problems])
