"""Browser journeys: headless Chromium (Debian's, through Playwright) against the app served from a
thread.

The browser app has its own database, because the server runs in other threads and must see
what a test commits: a SQLite file in a temporary folder, or, when FACILITATE_TEST_DATABASE_URL
names a PostgreSQL database, a sibling database ``<name>_browser`` on the same server. CSRF
protection stays on: a real browser sends the token, and the tests prove the forms carry it.

Each test creates its own data (a fresh event slug) and commits it, so tests never depend on one
another or on their order.
"""

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

from facilitate import PACKAGE_DIR, create_app
from facilitate.auth.codes import format_access_code
from facilitate.elision import elide_french
from facilitate.extensions import db
from tests import factories
from tests.conftest import reset_database, sibling_database_url, test_config
from tests.factories import code_of

HERE = Path(__file__).parent
AXE_SCRIPT = HERE / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("FACILITATE_CHROMIUM", "/usr/bin/chromium")
TRANSLATIONS = PACKAGE_DIR / "translations"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")

# --- Interface text -------------------------------------------------------------------------
# Interface strings are looked up in the compiled French catalogue rather than copied here, so
# that a translator's rewording does not break a journey. Until a string is translated, the app
# (and this lookup) falls back to the English source text; a test in test_participant.py,
# test_french_catalogue_covers_these_journeys, checks that every string below is translated.

INTERFACE_STRINGS = (
    "Access code",
    "Challenge %(number)d",
    "Challenge owner",
    "Stakeholders",
    "Users",
    "Obstacles",
    "Levers",
    "Stakes",
    "Challenges without a theme",
    "Sign in with my code",
    "Sign out",
    "Sign in",
    "Skip to content",
    "Welcome, %(name)s.",
    "You are signed out.",
    "This access code is not valid. Check it against your badge and try again.",
    "The challenge owner has not detailed this sheet yet.",
    "Page not found",
)

_french = Translations.load(str(TRANSLATIONS), ["fr"])


def fr(msgid: str, **values) -> str:
    """The French interface text for an English source string, as the app would show it."""
    assert msgid in INTERFACE_STRINGS, f"add {msgid!r} to INTERFACE_STRINGS"
    return catalogue_text(msgid, **values)


def catalogue_text(msgid: str, **values) -> str:
    """``fr`` for journeys that keep their own list of strings (and check it is translated with
    ``untranslated``)."""
    text = _french.gettext(msgid)
    return elide_french(text, values) % values if values else text


def catalogue_context_text(context: str, msgid: str) -> str:
    """The French text of a ``pgettext`` message (a word whose meaning needs its context)."""
    return _french.pgettext(context, msgid)


def catalogue_plural(singular: str, plural: str, num: int, **values) -> str:
    """The French text of an ``ngettext`` message for ``num``, as the app would show it."""
    values = {"num": num, **values}
    return elide_french(_french.ngettext(singular, plural, num), values) % values


def untranslated(msgids) -> list[str]:
    """The strings (or, for plurals, (singular, plural) pairs) the French catalogue lacks."""
    catalogue = getattr(_french, "_catalog", {})  # empty when no compiled catalogue was found
    missing = []
    for m in msgids:
        key = (m[0], 0) if isinstance(m, tuple) else m
        if not catalogue.get(key):
            missing.append(m if isinstance(m, str) else m[0])
    return missing


def untranslated_interface_strings() -> list[str]:
    return untranslated(INTERFACE_STRINGS)


# --- The app, its database and its server ------------------------------------------------------


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The browser tests' own app (this overrides the unit tests' ``app`` under tests/browser)."""
    app = create_app(
        test_config(sibling_database_url(tmp_path_factory, "browser"), WTF_CSRF_ENABLED=True)
    )
    reset_database(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The app served on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


# --- Chromium ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(csp_violations) -> Iterator[Browser]:
    """Chromium, whose every page reports Content Security Policy violations (see below)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}, which is missing or not executable. "
            "Install it with `apt-get install chromium` (or `make browser-deps`), or point "
            "FACILITATE_CHROMIUM at a Chromium binary.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield WatchedBrowser(browser, csp_violations)
        browser.close()


# --- Content Security Policy --------------------------------------------------------------------
# The app refuses inline scripts and styles (facilitate/security.py). A page that needs one is
# broken for real people, and Chromium only says so in the console: "Executing inline script
# violates the following Content Security Policy directive ..." (older versions: "Refused to
# execute inline script because it violates ..."), or in an uncaught error (eval). Every context
# the tests open comes from ``browser.new_context`` (or ``browser.new_page``), so every page of
# every test is watched; a test during which any page reported a violation errors at teardown,
# listing them.

CSP_MESSAGE = "Content Security Policy"


class WatchedBrowser:
    """The Playwright browser, whose contexts note CSP violations in ``violations``."""

    def __init__(self, browser: Browser, violations: list[str]):
        self._browser = browser
        self._violations = violations

    def new_context(self, **options) -> BrowserContext:
        context = self._browser.new_context(**options)
        context.on("console", lambda message: self._note(message.page, message.text))
        context.on("weberror", lambda error: self._note(error.page, str(error.error)))
        return context

    def new_page(self, **options) -> Page:
        """A page in a context of its own, as Playwright's ``Browser.new_page``."""
        context = self.new_context(**options)
        page = context.new_page()
        page.on("close", lambda _page: context.close())
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def _note(self, page: Page | None, text: str) -> None:
        if CSP_MESSAGE.lower() in text.lower():
            self._violations.append(f"{page.url if page else '?'}: {text}")


@pytest.fixture(scope="session")
def csp_violations() -> list[str]:
    """What the pages of the current test reported (emptied before each test)."""
    return []


@pytest.fixture(autouse=True)
def _fail_on_csp_violations(csp_violations) -> Iterator[None]:
    """Autouse, so set up before the test's pages and checked after they are closed."""
    csp_violations.clear()
    yield
    if csp_violations:
        pytest.fail(
            "Content Security Policy violations:\n" + "\n".join(csp_violations), pytrace=False
        )


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    """A fresh browser profile (no cookies) whose Accept-Language is French."""
    context = browser.new_context(locale="fr-FR", base_url=live_server, viewport=DESKTOP)
    context.set_default_timeout(5_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def people_pages(browser, live_server) -> Iterator:
    """``open(phone=..., viewport=PHONE)``: a new person's browser in French, a touch phone of
    that width or a laptop; all closed at the end of the test."""
    opened = []

    def open_page(phone: bool, viewport: dict = PHONE) -> Page:
        options = (
            {"viewport": viewport, "is_mobile": True, "has_touch": True}
            if phone
            else {"viewport": DESKTOP}
        )
        context = browser.new_context(locale="fr-FR", base_url=live_server, **options)
        context.set_default_timeout(5_000)
        opened.append(context)
        return context.new_page()

    yield open_page
    for context in opened:
        context.close()


# --- Accessibility ----------------------------------------------------------------------------

_AXE_SOURCE = "() => {" + AXE_SCRIPT.read_text() + "\n}"
_RUN_AXE = """
async tags => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target.flat().join(' ')),
  }));
}
"""


def axe_violations(page: Page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe-core finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does
        # not govern: add_script_tag would insert an inline <script>, which it rightly refuses.
        page.evaluate(_AXE_SOURCE)
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


def accessibility_problems(page: Page) -> list[str]:
    """The serious and critical violations on the page, one line per rule then one per node."""
    lines = []
    for v in axe_violations(page):
        if v["impact"] in BLOCKING_IMPACTS:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            lines.extend(f"    {target}" for target in v["targets"])
    return lines


def assert_accessible(page: Page) -> None:
    """Fail listing every serious or critical WCAG 2.1 A/AA violation axe finds on the page:
    rule id, help text, and the selector of every offending node."""
    problems = accessibility_problems(page)
    if problems:
        report = "\n".join([f"Accessibility violations on {page.url}:", *problems])
        pytest.fail(report, pytrace=False)


# --- Test data --------------------------------------------------------------------------------


@pytest.fixture
def seed(app):
    """``with seed() as make: ...``: build data with tests/factories.py in the browser app's
    database; committed when the block ends. Read the ids and codes you need inside the block."""

    @contextmanager
    def seeding():
        with app.app_context():
            yield factories
            db.session.commit()

    return seeding


@dataclass(frozen=True)
class Sheet:
    number: int
    question: str
    owner: str
    theme: str | None


@dataclass(frozen=True)
class Scenario:
    slug: str
    event_name: str
    full: Sheet  # a challenge whose sheet has every field
    partial: Sheet  # only a question and an owner, as several real sheets
    unthemed: Sheet
    themes: tuple[str, ...]
    stakeholders: tuple[str, ...]
    participant_name: str
    access_code: str  # as stored: 15 symbols, no dashes

    @property
    def event_path(self) -> str:
        return f"/events/{self.slug}"

    def challenge_path(self, sheet: Sheet) -> str:
        return f"{self.event_path}/challenges/{sheet.number}"

    @property
    def badge_code(self) -> str:
        """The code as printed on the badge: three dashed groups of five."""
        return format_access_code(self.access_code)


STAKEHOLDERS = (
    "Association Autrefois Etel",
    "Commune d'Etel",
    "Communauté de communes Auray Quiberon Terre Atlantique",
    "Syndicat mixte de la ria d'Etel",
    "Observatoire du plancton",
)


@pytest.fixture
def scenario(seed) -> Scenario:
    """An event in the spirit of Rennes 2018 (long French words included, to test reflow), with
    two themes, a full sheet, a partial one, a challenge without theme, and one participant."""
    slug = f"rennes-{uuid.uuid4().hex[:10]}"
    with seed() as make:
        event = make.event(
            themes=2,
            slug=slug,
            name="Université de l'innovation publique territoriale – Rennes",
            venue="Le Tambour, Université Rennes 2",
            starts_at=datetime(2018, 7, 9, 7, 30),
            ends_at=datetime(2018, 7, 11, 15, 0),
            description="Trois jours pour relever les défis apportés par les collectivités.",
        )
        event.themes[0].name = "Transition écologique et aménagement durable"
        event.themes[1].name = "Services aux habitants"
        full = make.challenge(
            event,
            number=1,
            theme=event.themes[0],
            question=(
                "Comment définir les critères de durabilité d'un projet complexe, en prenant "
                "pour étude de cas la reconversion de la glacière municipale ?"
            ),
            owner_organisation="Commune d'Etel",
            project_name="La Glacière",
            territory="Etel, ria d'Etel",
            stakes="Disposer de critères pour évaluer la durabilité de la reconversion.",
            stakeholders=list(STAKEHOLDERS),
            users=["Habitants", "Pêcheurs", "Visiteurs estivaux"],
            obstacles=["Peu d'intérêt des partenaires institutionnels"],
            levers=["Préserver l'environnement naturel et l'authenticité du lieu"],
            info_url="https://www.example.org/defis/la-glaciere",
        )
        partial = make.challenge(
            event,
            number=2,
            theme=event.themes[1],
            question="Comment simplifier l'inscription des enfants à la cantine ?",
            owner_organisation="Intercommunalité Lamballe Terre & Mer",
        )
        unthemed = make.challenge(
            event,
            number=3,
            question="Comment faire vivre un tiers-lieu rural toute l'année ?",
            owner_organisation="Département d'Ille-et-Vilaine",
        )
        person = make.participant(event, name="Camille Le Goff")
        return Scenario(
            slug=slug,
            event_name=event.name,
            full=Sheet(1, full.question, full.owner_organisation, event.themes[0].name),
            partial=Sheet(2, partial.question, partial.owner_organisation, event.themes[1].name),
            unthemed=Sheet(3, unthemed.question, unthemed.owner_organisation, None),
            themes=(event.themes[0].name, event.themes[1].name),
            stakeholders=STAKEHOLDERS,
            participant_name=person.name,
            access_code=code_of(person),
        )
