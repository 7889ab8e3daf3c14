"""The Content-Security-Policy holds in a real browser, and the browser tests notice when a page
breaks it (see ``WatchedBrowser`` in conftest.py)."""

import pytest
from playwright.sync_api import Page, Route

INJECTIONS = {
    "inline script": "<script>window.inlineScriptRan = true;</script>",
    "style attribute": '<p style="color: red">Rouge</p>',
}


def serve_with(page: Page, path: str, html: str) -> None:
    """Serve the app's real page, with its real headers, as if its template also held ``html``."""

    def inject(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace("</main>", html + "</main>", 1)
        assert html in body
        route.fulfill(response=response, body=body)

    page.route(f"**{path}", inject)


@pytest.mark.parametrize("injection", INJECTIONS)
def test_inline_code_is_refused_and_fails_the_test(page, csp_violations, injection):
    serve_with(page, "/sign-in", INJECTIONS[injection])
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.goto("/sign-in")
    assert page.evaluate("window.inlineScriptRan") is None
    red = "ps => ps.some(p => getComputedStyle(p).color === 'rgb(255, 0, 0)')"
    assert not page.locator("main p[style]").evaluate_all(red)
    assert any("violates the following Content Security Policy" in v for v in csp_violations)
    csp_violations.clear()  # seen: this test provoked it on purpose


def test_pages_opened_without_the_fixtures_are_watched_too(browser, live_server, csp_violations):
    page = browser.new_page(base_url=live_server)
    serve_with(page, "/sign-in", INJECTIONS["inline script"])
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.goto("/sign-in")
    page.close()
    assert len(csp_violations) == 1
    csp_violations.clear()
