"""An organiser prepares an event from nothing: creates it, imports the challenge sheets from an
XLSX file (a broken one first), fixes a sheet, imports the attendees from a French Excel CSV,
runs the automatic placement and prints the badges; axe-core finds no serious or critical
violation on the pages on the way, at desktop size and, for three of them, on a 320 px phone.

One journey, in steps that each build on the previous one (a step's failure names the step).
Accessibility problems are collected along the way and reported together at the end, so that
one violation does not hide a broken flow further on.
"""

import csv
import io
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.dates import format_date
from openpyxl import Workbook
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Team, User
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    accessibility_problems,
    catalogue_plural,
    catalogue_text,
    untranslated,
)

# --- Interface text, looked up in the compiled French catalogue (see conftest.fr) ---------------

ORGANISER_STRINGS = (
    "Email address",
    "Password",
    "Sign in",
    "Name",
    "Identifier in addresses",
    "Venue",
    "Time zone of the venue",
    "La Réunion",
    "Starts",
    "Ends",
    "Add a theme",
    "Theme %(number)d",
    "Save",
    "The event is created. Add its challenges next.",
    "Organise: %(name)s",
    "Dates",
    "Manage the challenges",
    "Import a spreadsheet",
    "Spreadsheet (CSV or Excel XLSX)",
    "Check the file",
    "Problems",
    "the question is empty.",
    "challenge %(number)d already appears on line %(other)d.",
    "Import",
    "New themes: %(names)s",
    "Import done: %(created)d challenges created, %(updated)d updated.",
    "Challenges",
    "Edit",
    "challenge %(number)d",
    "Question",
    "Stakeholder",
    "Stakeholders",
    "Users",
    "Move up: %(item)s",
    "Remove",
    "Add a stakeholder",
    "Challenge %(number)d is saved.",
    "Manage the attendees",
    "Import done: %(created)d new attendees, %(updated)d already known, %(placed)d placed in a team.",
    "Attendees",
    "Challenge %(number)d",
    "Teams and placement",
    "Place attendees automatically",
    "Smallest team",
    "Largest team",
    "Propose a placement",
    "Proposal",
    "Accept and save this placement",
    "Everyone has a team.",
    "Revoke the code",
    "The access code of %(name)s no longer works.",
    "Print badges",
    "Issue the missing access codes",
)
ORGANISER_PLURALS = (
    ("%(num)d challenge will be created.", "%(num)d challenges will be created."),
    (
        "Nothing was imported: %(num)d problem to fix in the file.",
        "Nothing was imported: %(num)d problems to fix in the file.",
    ),
    ("%(num)d attendee in the file.", "%(num)d attendees in the file."),
    ("%(num)d will be placed in a team.", "%(num)d will be placed in a team."),
    ("%(num)d attendee", "%(num)d attendees"),
    ("%(num)d member", "%(num)d members"),
    (
        "Placement saved: %(num)d person changed team.",
        "Placement saved: %(num)d people changed team.",
    ),
    (
        "%(num)d participant of this event has no access code yet, so no badge.",
        "%(num)d participants of this event have no access code yet, so no badge.",
    ),
    (
        "%(num)d access code issued: the new badges are ready to print.",
        "%(num)d access codes issued: the new badges are ready to print.",
    ),
    ("%(num)d badge", "%(num)d badges"),
)


def t(msgid: str, **values) -> str:
    assert msgid in ORGANISER_STRINGS, f"add {msgid!r} to ORGANISER_STRINGS"
    return catalogue_text(msgid, **values)


def tn(singular: str, num: int, **values) -> str:
    plural = dict(ORGANISER_PLURALS).get(singular)
    assert plural, f"add {singular!r} to ORGANISER_PLURALS"
    return catalogue_plural(singular, plural, num, **values)


# --- The event and its spreadsheets ------------------------------------------------------------

EVENT_NAME = "Université de l'innovation publique – La Réunion 2026"
VENUE = "Cité des Arts, Saint-Denis"
STARTS, ENDS = "2026-10-05T08:30", "2026-10-07T17:00"  # at the venue, UTC+4
MOBILITY = "Mobilités et aménagement"
SOLIDARITY = "Solidarités et services aux habitants"
NEW_THEME = "Numérique et données"

CHALLENGE_HEADERS = [
    "Défi",
    "Question",
    "Porteur",
    "Projet",
    "Territoire",
    "Enjeux",
    "Parties prenantes",
    "Usagers",
    "Obstacles",
    "Leviers",
    "Thème",
]


@dataclass(frozen=True)
class SheetRow:
    number: int
    question: str
    owner: str
    theme: str | None = None  # as written in the file
    project: str = ""
    territory: str = ""
    stakes: str = ""
    stakeholders: str = ""  # list cells as people type them: line breaks, or "; "
    users: str = ""
    obstacles: str = ""
    levers: str = ""

    def cells(self) -> list:
        return [
            self.number,
            self.question,
            self.owner,
            self.project,
            self.territory,
            self.stakes,
            self.stakeholders,
            self.users,
            self.obstacles,
            self.levers,
            self.theme or "",
        ]


SHEETS = [
    SheetRow(
        1,
        "Comment faciliter les trajets domicile-travail entre les Hauts et le littoral ?",
        "Commune de Saint-Paul",
        "mobilités  et aménagement",  # the event's theme, typed differently
        project="Hauts en mouvement",
        territory="Saint-Paul, Hauts de l'Ouest",
        stakes="Réduire le temps passé dans les bouchons sans multiplier les voitures.",
        stakeholders="Réseau Kar'Ouest\nRégion Réunion",
        users="Habitants des Hauts\nSalariés du littoral",
        obstacles="Routes saturées aux heures de pointe",
        levers="Covoiturage\nTransport à la demande",
    ),
    SheetRow(
        2,
        "Comment rendre les démarches de la carte solidarité accessibles à tous ?",
        "Région Réunion",
        SOLIDARITY,
    ),
    SheetRow(
        3,
        "Comment mieux accompagner les aidants familiaux des personnes âgées ?",
        "Département de La Réunion",
        SOLIDARITY,
        stakes="Éviter l'épuisement des aidants.",
        stakeholders="CAF de La Réunion\nPôle emploi\nAssociations de quartier",
        users="Aidants familiaux\nPersonnes âgées",
    ),
    SheetRow(
        4,
        "Comment réduire les déchets verts déposés en bord de route ?",
        "CIREST",
        MOBILITY,
        users="Habitants; Jardiniers amateurs; Entreprises d'espaces verts",
    ),
    SheetRow(
        5,
        "Comment faire connaître les aides à la rénovation de l'habitat ?",
        "Commune du Port",
        NEW_THEME,
    ),
    SheetRow(
        6,
        "Comment partager les données de fréquentation des plages ?",
        "Communauté d'agglomération du Sud",
        "NUMÉRIQUE ET DONNÉES",  # the same new theme
    ),
    SheetRow(
        7,
        "Comment sécuriser les abords des écoles aux heures d'entrée ?",
        "Commune de Saint-Pierre",
        MOBILITY,
    ),
    SheetRow(
        8,
        "Comment accueillir les nouveaux habitants dans les services municipaux ?",
        "Commune de Saint-Denis",
        SOLIDARITY,
    ),
    SheetRow(
        9,
        "Comment développer le compostage partagé en habitat collectif ?",
        "CINOR",
    ),
    SheetRow(
        10,
        "Comment désenclaver les îlets lors des fortes pluies ?",
        "Commune de Salazie",
        MOBILITY,
    ),
    SheetRow(
        11,
        "Comment simplifier l'inscription à la restauration scolaire ?",
        "Territoire de la Côte Ouest",
        SOLIDARITY,
    ),
    SheetRow(
        12,
        "Comment faire vivre les sentiers de randonnée hors saison ?",
        "Commune de Cilaos",
        MOBILITY,
    ),
    SheetRow(
        13,
        "Comment associer les habitants à la protection du cœur de parc ?",
        "Parc national de La Réunion",
    ),
    SheetRow(
        14,
        "Comment rapprocher les jeunes des métiers de la mer ?",
        "Commune de Saint-Paul",
        SOLIDARITY,
    ),
]

# Challenge 3, fixed by hand: a clearer question, stakeholders reordered, one gone, one added.
FIXED_QUESTION = "Comment soutenir les aidants familiaux des personnes âgées au quotidien ?"
FIXED_STAKEHOLDERS = ["Pôle emploi", "CAF de La Réunion", "Mission locale Est"]


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Défis"
    sheet.append(CHALLENGE_HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@dataclass(frozen=True)
class Attendee:
    first_name: str
    last_name: str
    organisation: str
    challenge: str = ""  # as typed in the "Défi" column

    @property
    def name(self) -> str:  # "Prénom" and "Nom" make one name, first name first
        return f"{self.first_name} {self.last_name}"

    def email(self, domain: str) -> str:
        plain = unicodedata.normalize("NFKD", f"{self.first_name}.{self.last_name}")
        local = "".join(c for c in plain if c.isascii() and (c.isalnum() or c == ".")).lower()
        return f"{local}@{domain}"


# ~10 organisations; four own challenges (Saint-Paul owns two; the agglomeration is spelt with
# a typographic apostrophe, as Word writes it, where the challenge file has a straight one).
# Ten people come with a challenge number, three of them on their own organisation's challenge,
# which the automatic placement must undo.
ATTENDEES = [
    Attendee("Hélène", "Payet", "Commune de Saint-Paul", "1"),
    Attendee("Jérôme", "Hoarau", "Commune de Saint-Paul"),
    Attendee("Maëlle", "Grondin", "Commune de Saint-Paul"),
    Attendee("Sébastien", "Técher", "Commune de Saint-Paul"),
    Attendee("Noémie", "Fontaine", "Commune de Saint-Paul"),
    Attendee("Cédric", "Rivière", "Commune de Saint-Paul"),
    Attendee("Gaëlle", "Boyer", "Commune de Saint-Paul"),
    Attendee("Frédéric", "Maillot", "Région Réunion", "3"),
    Attendee("Léa", "Lebon", "Région Réunion"),
    Attendee("Anaïs", "Nativel", "Région Réunion"),
    Attendee("Chloé", "Dijoux", "Région Réunion"),
    Attendee("François", "Turpin", "Région Réunion"),
    Attendee("Valérie", "Lauret", "Département de La Réunion", "2"),
    Attendee("Stéphane", "Baret", "Département de La Réunion"),
    Attendee("Aurélie", "Morel", "Département de La Réunion"),
    Attendee("Régis", "Clain", "Département de La Réunion"),
    Attendee("Thérèse", "Ethève", "Département de La Réunion"),
    Attendee("Joël", "Hoareau", "Communauté d’agglomération du Sud", "6"),
    Attendee("Zoé", "Robert", "Communauté d’agglomération du Sud"),
    Attendee("Loïc", "Vienne", "Communauté d’agglomération du Sud"),
    Attendee("Inès", "Sautron", "Communauté d’agglomération du Sud"),
    Attendee("Céline", "Mussard", "CAF de La Réunion", "3"),
    Attendee("Michaël", "Bègue", "CAF de La Réunion"),
    Attendee("Agnès", "Cadet", "CAF de La Réunion"),
    Attendee("Raphaël", "Grenier", "CAF de La Réunion"),
    Attendee("Émilie", "Ramassamy", "Pôle emploi", "Défi 12"),
    Attendee("Benoît", "Latchimy", "Pôle emploi"),
    Attendee("Mélanie", "Folio", "Pôle emploi"),
    Attendee("Jérémie", "Técher", "Pôle emploi"),
    Attendee("Solène", "Hoarau", "Université de La Réunion", "5"),
    Attendee("Théo", "Fontaine", "Université de La Réunion"),
    Attendee("Clémence", "Vitry", "Université de La Réunion"),
    Attendee("Gérard", "Payet", "Université de La Réunion"),
    Attendee("Françoise", "Lo-Pinto", "Association Cœur de quartier", "8"),
    Attendee("Andréa", "Nassibou", "Association Cœur de quartier"),
    Attendee("Pascaline", "Éthève", "Association Cœur de quartier"),
    Attendee("Rémi", "Boyer", "Préfecture de La Réunion", "14"),
    Attendee("Laëtitia", "Mondon", "Préfecture de La Réunion"),
    Attendee("Yannick", "Sévère", "Préfecture de La Réunion"),
    Attendee("Dorothée", "Hibon", "Commune de Saint-Pierre", "7"),
    Attendee("Ludovic", "Damour", "Commune de Saint-Pierre"),
    Attendee("Nathalie", "Férrère", "Commune de Saint-Pierre"),
]
ATTENDEE_NAMES = sorted(a.name for a in ATTENDEES)
PRE_PLACED = [a for a in ATTENDEES if a.challenge]
LOST_BADGE = ATTENDEES[8]  # Léa Lebon: her code is revoked, then issued again from the badges


def write_excel_csv(path: Path, people: list[Attendee], domain: str) -> Path:
    """As French Excel saves "CSV (séparateur : point-virgule)": cp1252, ";", CRLF. Addresses
    are at ``domain``: people are known by email across events, and each run makes new ones."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nom", "Prénom", "Adresse e-mail", "Organisation", "Défi"])
    for p in people:
        writer.writerow([p.last_name, p.first_name, p.email(domain), p.organisation, p.challenge])
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path


def organisation_key(name: str | None) -> str:
    """How a person reads two spellings of one organisation as the same one (written here, not
    taken from the app, so that the placement's own normalisation is what is tested)."""
    text = (name or "").replace("’", "'").casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


# --- Step reporting and accessibility ------------------------------------------------------------


@contextmanager
def step(title: str) -> Iterator[None]:
    """Name the journey's step in any failure inside it."""
    try:
        yield
    except BaseException as error:
        error.add_note(f"-> while the organiser was at step: {title}")
        raise


_SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  // A box that scrolls or clips (a .table-wrap scrolls on purpose) holds in what it contains,
  // but only what is laid out inside it: an absolutely positioned element is held in by its
  // containing block (its nearest positioned ancestor) and that block's own ancestors, so it
  // may escape a non-positioned scrolling box and widen the page.
  const heldIn = e => {
    let position = getComputedStyle(e).position;
    if (position === 'fixed') return false;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (position === 'absolute' && style.position === 'static') continue;
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    overflowing: [...document.querySelectorAll('body *')]
      .filter(e => !heldIn(e) && e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (e.classList.length ? '.' + [...e.classList].join('.') : '')
                + ' "' + e.textContent.trim().slice(0, 30) + '"'),
  };
}"""


@dataclass
class AccessibilityLog:
    """axe results and reflow problems, page by page, reported at the end of the journey."""

    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def check(self, page: Page, label: str) -> None:
        self.checked.append(label)
        lines = accessibility_problems(page)
        if lines:
            self.problems.append(f"{label} ({page.url}):")
            self.problems.extend(lines)

    def check_phone(self, page: Page, label: str) -> None:
        """axe on a 320 px wide viewport, and no sideways scrolling (WCAG 1.4.10).

        The rule: the document itself (documentElement.scrollWidth, what the reader would have
        to scroll) is no wider than the screen. A data table may scroll inside its own labelled,
        focusable box (.table-wrap), which WCAG allows for content that needs two dimensions:
        such a box clips what is laid out inside it, so it does not widen the document, but the
        box itself must fit. Measuring only the body's children would miss what escapes the
        box (see _SIDEWAYS), so the document is measured, and the elements sticking out that no
        scrolling box holds in are named to help find the cause."""
        page.set_viewport_size(PHONE)
        try:
            self.check(page, f"{label} [320px]")
            sideways = page.evaluate(_SIDEWAYS)
            if sideways["scrollWidth"] > PHONE["width"]:
                self.problems.append(
                    f"{label} [320px] ({page.url}): scrolls sideways, "
                    f"{sideways['scrollWidth']} px wide; sticking out: "
                    f"{', '.join(sideways['overflowing']) or '?'}"
                )
        finally:
            page.set_viewport_size(DESKTOP)


def flash(page: Page):
    return page.locator(".flashes")


def path_is(page: Page, path: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(path) + r"(\?.*)?(#.*)?$"))


def table_rows(page: Page, region_name: str):
    return page.get_by_role("region", name=region_name).locator("tbody tr")


# --- The journey ---------------------------------------------------------------------------------


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
            label=t("La Réunion")
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
        file_field = page.get_by_label(t("Spreadsheet (CSV or Excel XLSX)"))

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
        page.get_by_label(t("Spreadsheet (CSV or Excel XLSX)")).set_input_files(good)
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
                "Import done: %(created)d challenges created, %(updated)d updated.",
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
        page.get_by_label(t("Spreadsheet (CSV or Excel XLSX)")).set_input_files(people_csv)
        page.get_by_role("button", name=t("Check the file")).click()
        summary = page.get_by_role("status")
        expect(summary).to_contain_text(tn("%(num)d attendee in the file.", len(ATTENDEES)))
        expect(summary).to_contain_text(tn("%(num)d will be placed in a team.", len(PRE_PLACED)))
        a11y.check(page, "attendee import, preview")
        page.get_by_role("button", name=t("Import"), exact=True).click()

        path_is(page, f"/events/{slug}/people")
        expect(flash(page)).to_contain_text(
            t(
                "Import done: %(created)d new attendees, %(updated)d already known, %(placed)d placed in a team.",
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
