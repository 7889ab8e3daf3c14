"""Every page of the app, as each role reaches it, with realistic data (long French names and
organisations, 14 teams at all four stages, votes): in French and in English, on a phone (axe at
360 px, then nothing wider than the screen at 320 px) and on a laptop (axe at 1280 px).

Two events are built for the whole module, one whose vote is revealed and one whose vote is
open, and only read here, so the 20 runs (role x width x language) share them. Pages are mostly
opened by path: the point is to see each of them, not how one gets there (the journeys and the
keyboard tests do that)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.every_page_data import EveryPageEvent, Person, build, sign_in_as, text
from tests.browser.journey import AccessibilityLog, sideways
from tests.browser.organiser_data import ATTENDEES, SHEETS, write_excel_csv, write_xlsx

PHONE_360 = {"width": 360, "height": 740}
PHONE_320 = {"width": 320, "height": 640}
LOCALES = {"fr": "fr-FR", "en": "en-GB"}


@pytest.fixture(scope="module")
def revealed(app) -> EveryPageEvent:
    with app.app_context():
        return build(open_vote=False)


@pytest.fixture(scope="module")
def voting(app) -> EveryPageEvent:
    """The same event while its vote is open: the ballot, the vote buttons, results not yet."""
    with app.app_context():
        return build(open_vote=True)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    """14 challenge sheets (XLSX) and 42 attendees (French Excel CSV), for the import previews."""
    folder = tmp_path_factory.mktemp("every-page")
    return {
        "challenges": write_xlsx(folder / "defis.xlsx", [s.cells() for s in SHEETS]),
        "people": write_excel_csv(folder / "participants.csv", ATTENDEES, "exemple.re"),
    }


@dataclass(frozen=True)
class Run:
    data: EveryPageEvent
    voting: EveryPageEvent
    language: str
    files: dict  # what to import, by kind


@dataclass(frozen=True)
class Visit:
    label: str
    path: Callable[[EveryPageEvent], str] | None = None
    action: Callable[[Page, Run, EveryPageEvent], None] | None = None
    vote_open: bool = False  # in the event whose vote is open (else revealed)

    def open(self, page: Page, run: Run) -> None:
        data = run.voting if self.vote_open else run.data
        if self.action:
            self.action(page, run, data)
            return
        response = page.goto(self.path(data))
        assert response is not None and response.status < 400, (self.label, response.status)


def _go(label: str, path: str, vote_open: bool = False) -> Visit:
    """``path`` relative to the event (``/...``) unless it starts with ``~`` (the site's root)."""
    if path.startswith("~"):
        return Visit(label, lambda d: path[1:] or "/")
    return Visit(label, lambda d: d.path + path, vote_open=vote_open)


def _stand_page(page: Page, run: Run, data: EveryPageEvent) -> None:
    page.goto(data.path + "/stands")
    page.get_by_role("link", name=data.team_names[5], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(data.team_names[5])


def _poster_page(page: Page, run: Run, data: EveryPageEvent) -> None:
    """Stand 6's poster, from the stands page (where the organiser finds it)."""
    page.goto(data.path + "/organise/stands")
    of_stand = text(run.language, "of stand %(number)d") % {"number": 6}
    page.get_by_role("link", name=f"{text(run.language, 'Poster')} {of_stand}").click()
    expect(page.get_by_role("article")).to_contain_text(data.team_names[5])


def _person(label: str, path: str) -> Visit:
    return Visit(label, lambda d: f"{d.path}/people/{d.member_id}{path}")


def _import_preview(kind: str) -> Callable[[Page, Run, EveryPageEvent], None]:
    """The import page of ``kind`` (challenges, people), sent its file: the preview."""

    def upload(page: Page, run: Run, data: EveryPageEvent) -> None:
        page.goto(f"{data.path}/{kind}/import")
        label = text(run.language, "Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)")
        page.get_by_label(label).set_input_files(run.files[kind])
        page.get_by_role("button", name=text(run.language, "Check the file")).click()
        button = page.get_by_role("button", name=text(run.language, "Import"), exact=True)
        expect(button).to_be_visible()

    return upload


SIGNED_OUT = [
    _go("home", "~"),
    _go("event page", ""),
    _go("programme", "/programme"),
    _go("challenge sheet", "/challenges/1"),
    _go("sign-in", "~/sign-in"),
    _go("privacy", "~/privacy"),
    _go("event's privacy notice", "/privacy"),
    _go("showcase", "/showcase"),
    _go("a challenge on the showcase", "/showcase/2"),
    Visit("edition showcase", lambda d: f"/editions/{d.edition_id}/showcase"),
]
EXHIBITION = [
    _go("stands", "/stands"),
    Visit("a stand", action=_stand_page),
    _go("results", "/results"),
]
VOTE_OPEN = [
    _go("stands, vote open", "/stands", vote_open=True),
    Visit("a stand, vote open", action=_stand_page, vote_open=True),
    _go("results, vote open", "/results", vote_open=True),
]


def _sign_in_visit(role: str) -> Visit:
    """Sign out, then in as the role's person of the event whose vote is open."""

    def sign_in_again(page: Page, run: Run, data: EveryPageEvent) -> None:
        page.get_by_role("button", name=text(run.language, "Sign out")).click()
        sign_in_as(page, person_of(role, data), run.language)

    return Visit("sign in, vote open", action=sign_in_again, vote_open=True)


PAGES = {
    "organiser": [
        _go("home", "~"),
        _go("event page", ""),
        _go("organiser hub", "/organise"),
        _go("event settings", "/edit"),
        _go("copy the event", "/clone"),
        _go("challenges", "/challenges/manage"),
        _go("new challenge", "/challenges/new"),
        _go("challenge form", "/challenges/2/edit"),
        _go("challenge sheet", "/challenges/2"),
        _go("challenge import", "/challenges/import"),
        Visit("challenge import preview", action=_import_preview("challenges")),
        _go("attendees", "/people"),
        _go("new attendee", "/people/new"),
        _go("attendee import", "/people/import"),
        Visit("attendee import preview", action=_import_preview("people")),
        _person("attendee form", "/edit"),
        _person("revoke a code", "/revoke"),
        _person("remove an attendee", "/remove"),
        _person("erase an attendee", "/erase"),
        _go("delete a challenge", "/challenges/2/delete"),
        _go("challenge sheets to print", "/challenges/print"),
        _go("challenge sheet to print", "/challenges/2/print"),
        _go("teams", "/teams"),
        _go("placement", "/teams/placement"),
        _go("team page", "/challenges/2/team"),
        _go("workspace at framing", "/teams/1/workspace"),
        _go("workspace at ideation", "/teams/2/workspace"),
        _go("workspace at prototyping", "/teams/3/workspace"),
        _go("workspace at exhibition", "/teams/4/workspace"),
        # Each stage's own page, for a team elsewhere (the workspace shows that stage light).
        _go("ideation page, team at framing", "/teams/1/workspace/ideation"),
        _go("prototyping page, team at framing", "/teams/1/workspace/prototyping"),
        _go("exhibition page, team at framing", "/teams/1/workspace/exhibition"),
        _go("framing page, team at exhibition", "/teams/4/workspace/framing"),
        _go("journal page", "/teams/2/workspace/journal"),
        _go("dashboard", "/dashboard"),
        _go("room screen", "/room"),
        _go("programme to edit", "/organise/programme"),
        _go("new session", "/organise/programme/new"),
        _go("programme import", "/organise/programme/import"),
        _go("programme screen", "/programme/screen?room=Grand+auditorium"),
        _go("stands to number", "/organise/stands"),
        _go("posters", "/organise/stands/posters"),
        Visit("a poster", action=_poster_page),
        *EXHIBITION,
        _go("vote", "/organise/vote"),
        _go("reveal", "/reveal"),
        _go("history", "/history"),
        _go("follow-up", "/follow-up"),
        _go("a challenge's follow-up", "/follow-up/2"),
        _go("invitations and organisers", "/organise/invitations"),
        _go("privacy notice form", "/organise/privacy"),
        _go("purge", "/organise/purge"),
        _go("badges", "/badges"),
        _go("book of the challenges", "/book"),
        _go("a challenge's book", "/challenges/2/book"),
        _go("account", "~/account/password"),
        _go("my name in books", "~/account/names"),
        _sign_in_visit("organiser"),
        _go("vote, vote open", "/organise/vote", vote_open=True),
        *VOTE_OPEN,
    ],
    "facilitator": [
        _go("event page", ""),
        _go("team page", "/challenges/2/team"),
        _go("workspace", "/teams/2/workspace"),
        _go("framing page", "/teams/2/workspace/framing"),
        _go("prototyping page", "/teams/2/workspace/prototyping"),
        *EXHIBITION,
        _go("account", "~/account/password"),
    ],
    "owner": [
        _go("event page", ""),
        _go("challenge sheet", "/challenges/2"),
        _go("workspace", "/teams/2/workspace"),
        _go("framing page", "/teams/2/workspace/framing"),
        *EXHIBITION,
        _go("follow-up", "/follow-up"),
        _go("their challenge's follow-up", "/follow-up/2"),
        _go("my data", "/my-data"),
        _go("the challenge's book", "/challenges/2/book"),
        _go("my name in books", "~/account/names"),
    ],
    "participant": [
        _go("event page", ""),
        _go("programme", "/programme"),
        _go("a room's programme", "/programme/room?name=Grand+auditorium"),
        _go("my calendar", "/programme/my-calendar"),
        _go("workspace", "/teams/2/workspace"),
        _go("prototyping page", "/teams/2/workspace/prototyping"),
        *EXHIBITION,
        _go("my ballot", "/my-ballot"),
        _go("their team's follow-up", "/follow-up/2"),
        _go("my data", "/my-data"),
    ],
    "visitor": [
        *SIGNED_OUT,
        Visit(
            "sign in", action=lambda page, run, data: sign_in_as(page, data.visitor, run.language)
        ),
        *EXHIBITION,
        _go("my ballot", "/my-ballot"),
        _sign_in_visit("visitor"),
        *VOTE_OPEN,
        _go("my ballot, vote open", "/my-ballot", vote_open=True),
    ],
}


def person_of(role: str, data: EveryPageEvent) -> Person:
    return {
        "organiser": data.organiser,
        "facilitator": data.facilitator,
        "owner": data.owner,
        "participant": data.member,
        "visitor": data.visitor,
    }[role]


_TABLES = """() => [...document.querySelectorAll('table')].flatMap((table, i) => {
  const caption = table.querySelector(':scope > caption');
  const box = table.closest('[role=region][tabindex="0"]');
  const name = `table ${i + 1} ("${(caption || table).textContent.trim().slice(0, 30)}")`;
  if (!caption || !caption.id) return [`${name} has no caption with an id`];
  if (!box || box.getAttribute('aria-labelledby') !== caption.id)
    return [`${name} is not in a focusable region labelled by its caption`];
  return [];
})"""


def check_tables(page: Page, label: str, log: AccessibilityLog) -> None:
    """Each table has a caption and sits in a focusable region the caption names: the box that
    scrolls when the table is wider than the screen, reachable and scrollable from the keyboard."""
    log.problems.extend(f"{label} ({page.url}): {problem}" for problem in page.evaluate(_TABLES))


def check_phone(page: Page, label: str, log: AccessibilityLog) -> None:
    """axe at 360 px, then at 320 px no element sticks out of the screen (outside a box that
    scrolls on purpose) and the page does not scroll sideways."""
    page.set_viewport_size(PHONE_360)
    log.check(page, f"{label} [360px]")
    page.set_viewport_size(PHONE_320)
    check_tables(page, label, log)
    found = sideways(page, scrolling_only=True)
    if found["scrollWidth"] > PHONE_320["width"] or found["overflowing"]:
        log.problems.append(
            f"{label} [320px] ({page.url}): {found['scrollWidth']} px wide; sticking out: "
            + (", ".join(found["overflowing"]) or "?")
        )
    page.set_viewport_size(PHONE_360)


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("width", ["phone", "desktop"])
@pytest.mark.parametrize("role", PAGES)
def test_every_page_of_each_role_reads_on_a_phone_and_a_laptop(
    browser, live_server, revealed: EveryPageEvent, voting, files, role, width, language
):
    phone = width == "phone"
    options = {"viewport": PHONE_360, "is_mobile": True, "has_touch": True} if phone else {}
    context = browser.new_context(
        locale=LOCALES[language], base_url=live_server, **({"viewport": DESKTOP} | options)
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    log = AccessibilityLog()
    run = Run(revealed, voting, language, files)
    try:
        if role != "visitor":  # who starts signed out
            sign_in_as(page, person_of(role, revealed), language)
        for visit in PAGES[role]:
            visit.open(page, run)
            label = f"{role}, {visit.label} ({language})"
            if phone:
                check_phone(page, label, log)
            else:
                log.check(page, f"{label} [1280px]")
    finally:
        context.close()
    assert not log.problems, "\n".join(
        [f"{len(log.problems)} problems on {len(log.checked)} pages:", *log.problems]
    )


_CELLS = """table => [...table.tBodies[0].rows[0].cells].map(cell => ({
  label: getComputedStyle(cell, '::before').content.replace(/^"|"$/g, ''),
  header: table.tHead.rows[0].cells[cell.cellIndex].textContent.trim(),
  text: cell.textContent.trim(),
}))"""


def test_the_results_table_with_votes_reads_row_by_row_on_a_320px_phone(
    browser, live_server, revealed
):
    """The page the issue was about: the ranking, with votes, on a 320 px phone. The table fits
    the screen (nothing to scroll sideways, even inside its box) and every cell of a row says
    which column it is, as the header row does on a wider screen."""
    context = browser.new_context(
        locale="fr-FR", base_url=live_server, viewport=PHONE_320, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        sign_in_as(page, revealed.visitor, "fr")
        page.goto(revealed.path + "/results")
        table = page.get_by_role("table", name=text("fr", "Overall ranking, best first"))
        expect(table.get_by_role("row")).to_have_count(15)  # a header row and 14 stands
        box = page.get_by_role("region", name=text("fr", "Overall ranking, best first"))
        assert box.evaluate("b => b.scrollWidth <= b.clientWidth")
        assert table.bounding_box()["width"] <= PHONE_320["width"]
        found = sideways(page)
        assert found["scrollWidth"] <= PHONE_320["width"] and not found["overflowing"], found
        cells = table.evaluate(_CELLS)
        assert [c["label"] for c in cells] == [c["header"] for c in cells], cells
        assert cells[-1]["header"] == text("fr", "Votes") and cells[-1]["text"].isdigit(), cells
    finally:
        context.close()
