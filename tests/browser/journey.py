"""Helpers for step-by-step browser journeys: named steps, an accessibility log reported at the
end, and small page look-ups."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    accessibility_problems,
)


@contextmanager
def step(title: str, who: str = "the organiser") -> Iterator[None]:
    """Name the journey's step in any failure inside it."""
    try:
        yield
    except BaseException as error:
        error.add_note(f"-> while {who} was at step: {title}")
        raise


_SIDEWAYS = """scrollingOnly => {
  const width = document.documentElement.clientWidth;
  const holds = overflow => scrollingOnly ? ['auto', 'scroll'].includes(overflow) : overflow !== 'visible';
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
      if (holds(style.overflowX)) return true;
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
            self.check_as_is(page, label)
        finally:
            page.set_viewport_size(DESKTOP)

    def check_as_is(self, page: Page, label: str) -> None:
        """axe and no sideways scrolling at the page's own viewport, left as it is: for a page
        opened in a phone-sized browser context (see ``check_phone`` for the rule)."""
        width = page.viewport_size["width"]
        self.check(page, f"{label} [{width}px]")
        sideways = page.evaluate(_SIDEWAYS)
        if sideways["scrollWidth"] > width:
            self.problems.append(
                f"{label} [{width}px] ({page.url}): scrolls sideways, "
                f"{sideways['scrollWidth']} px wide; sticking out: "
                f"{', '.join(sideways['overflowing']) or '?'}"
            )


def sideways(page: Page, scrolling_only: bool = False) -> dict:
    """The document's width, and the first elements sticking out of the viewport that no
    scrolling box holds in (see ``AccessibilityLog.check_phone``); with ``scrolling_only``, a
    box that clips what sticks out (overflow: hidden) does not count, since what it cuts off
    cannot be read."""
    return page.evaluate(_SIDEWAYS, scrolling_only)


def flash(page: Page):
    return page.locator(".flashes")


def path_is(page: Page, path: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(path) + r"(\?.*)?(#.*)?$"))


def table_rows(page: Page, region_name: str):
    return page.get_by_role("region", name=region_name).locator("tbody tr")


# --- The journey ---------------------------------------------------------------------------------
