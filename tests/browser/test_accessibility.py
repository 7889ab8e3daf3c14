"""WCAG 2.1 AA on every public page: axe-core at desktop size and on a 320 px phone, reflow
without sideways scrolling at 320 px, and the keyboard path into a page."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE, Scenario, accessibility_problems, fr


def _sign_in_failed(page: Page, scenario: Scenario) -> None:
    page.goto("/sign-in")
    page.get_by_label(fr("Access code"), exact=True).fill("ABCDE-FGHJK-MNPQR")
    page.get_by_role("button", name=fr("Sign in with my code")).click()
    expect(page.locator(".field__error")).to_be_visible()


def _signed_in_event(page: Page, scenario: Scenario) -> None:
    page.goto(f"/c/{scenario.access_code}")
    page.get_by_role("button", name=fr("Sign in with my code")).click()
    expect(page.get_by_role("button", name=fr("Sign out"))).to_be_visible()


def _not_found(page: Page, scenario: Scenario) -> None:
    response = page.goto(f"{scenario.event_path}/challenges/99")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("Page not found"))


def _go(path: Callable[[Scenario], str]):
    def visit(page: Page, scenario: Scenario) -> None:
        response = page.goto(path(scenario))
        assert response is not None and response.status == 200

    return visit


PAGES = {
    "home": _go(lambda s: "/"),
    "event": _go(lambda s: s.event_path),
    "event-signed-in": _signed_in_event,
    "challenge-full-sheet": _go(lambda s: s.challenge_path(s.full)),
    "challenge-partial-sheet": _go(lambda s: s.challenge_path(s.partial)),
    "sign-in": _go(lambda s: "/sign-in"),
    "sign-in-failed": _sign_in_failed,
    "badge-link": _go(lambda s: f"/c/{s.access_code}"),
    "not-found": _not_found,
}
VIEWPORTS = {"desktop": DESKTOP, "320px": PHONE}

_SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  return {
    scrollWidth: document.documentElement.scrollWidth,
    overflowing: [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (e.classList.length ? '.' + [...e.classList].join('.') : '')),
  };
}"""


@pytest.mark.parametrize("name", PAGES)
def test_page_meets_wcag_aa_on_desktop_and_on_a_320px_phone(
    page: Page, scenario: Scenario, name: str
):
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation at either size, and at
    320 px the page reflows without sideways scrolling (WCAG 1.4.10)."""
    page.set_viewport_size(DESKTOP)
    PAGES[name](page, scenario)
    problems = [f"[desktop] {line}" for line in accessibility_problems(page)]

    page.set_viewport_size(PHONE)  # the same page on a small phone (or at 400 % zoom)
    problems += [f"[320px] {line}" for line in accessibility_problems(page)]
    sideways = page.evaluate(_SIDEWAYS)
    if sideways["scrollWidth"] > PHONE["width"]:
        problems.append(
            f"[320px] scrolls sideways: {sideways['scrollWidth']} px wide; "
            f"sticking out: {', '.join(sideways['overflowing'])}"
        )
    if problems:
        pytest.fail("\n".join([f"{name} ({page.url}):", *problems]), pytrace=False)


def _focus_is_visible(page: Page) -> dict:
    return page.evaluate(
        """() => {
          const e = document.activeElement, s = getComputedStyle(e);
          return {
            element: e.outerHTML.slice(0, 120),
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
            shadow: s.boxShadow !== 'none',
          };
        }"""
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_first_tab_reveals_the_skip_link_and_it_leads_to_the_content(
    page: Page, scenario: Scenario, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(scenario.challenge_path(scenario.full))
    skip = page.get_by_role("link", name=fr("Skip to content"))
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")

    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport(ratio=1)
    focus = _focus_is_visible(page)
    assert focus["outline"] or focus["shadow"], f"no visible focus on {focus['element']}"

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_every_control_shows_where_the_keyboard_focus_is(page: Page, scenario: Scenario):
    """Tab through the whole sign-in page (header, both forms, footer): each stop is visible."""
    page.goto("/sign-in")
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focus = _focus_is_visible(page)
        if focus["element"] in seen:
            break
        seen.append(focus["element"])
        if focus["element"].startswith("<body"):
            break
        assert focus["outline"] or focus["shadow"], f"no visible focus on {focus['element']}"
    assert len(seen) >= 6, seen  # skip link, brand, language, both code and password fields...
