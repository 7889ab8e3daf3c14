"""The book of the challenges (issue 14, item 5), in Chromium: a challenge owner answers the
question about their name once, builds their challenge's book (built by a worker thread, the
page following its progress) and downloads it, and the PDF's text says what the team did; an
organiser's too long opening text is refused with what they typed kept. axe-core on every new
page."""

import re
import uuid

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from facilitate.models import Membership, Role
from tests.browser.conftest import assert_accessible, catalogue_text
from tests.browser.test_programme import _sign_in_with_code, _sign_in_with_password
from tests.factories import code_of


def test_an_owner_downloads_their_challenge_s_book(page: Page, seed, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    slug = f"book-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=2, themes=1, slug=slug)
        team = event.challenges[0].team
        team.working_question = "Comment faire vivre la glacière l’hiver ?"
        team.pitch = "Des visites contées pour les écoles."
        make.participant(event, team=team, name="Alice Martin", names_consent=True)
        owner = make.participant(event, name="Olga Porteuse")
        make.db.session.add(
            Membership(user=owner, event=event, team=team, role=Role.CHALLENGE_OWNER)
        )
        make.db.session.flush()
        code = code_of(owner)

    _sign_in_with_code(page, code)
    page.goto(f"/events/{slug}/challenges/1")
    # Asked once: the question leads to the page where the answer is given, and back.
    page.locator("a[href^='/account/names']").last.click()
    assert_accessible(page)
    page.locator("input[name=consent][value=yes]").check()
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/events/{slug}/challenges/1$"))
    expect(page.get_by_text(catalogue_text("Answer (once)"))).to_have_count(0)

    page.locator(f"a[href='/events/{slug}/challenges/1/book']").click()
    assert_accessible(page)
    page.locator(f"form[action='/events/{slug}/challenges/1/book/build'] button").click()
    # The worker builds it; the page follows and then offers the download.
    download_link = page.locator(f"a[href='/events/{slug}/challenges/1/book.pdf']")
    expect(download_link).to_be_visible(timeout=30_000)
    assert_accessible(page)
    with page.expect_download() as downloaded:
        download_link.click()
    reader = PdfReader(downloaded.value.path())
    text = "\n".join(p.extract_text() for p in reader.pages)
    for expected in (
        "Comment relever le défi 1",
        "Comment faire vivre la glacière l’hiver",
        "Des visites contées pour les écoles",
        "Alice Martin",
        "Olga Porteuse",
    ):
        assert expected in text, expected
    assert "défi 2" not in text


def test_an_organiser_s_too_long_opening_is_refused_and_kept(page: Page, seed):
    slug = f"book-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(challenges=1, slug=slug)
        organiser = make.organiser(event, names_consent=False)
        email, password = organiser.email, make.PASSWORD

    _sign_in_with_password(page, email, password)
    page.goto(f"/events/{slug}/organise")
    page.locator(f"a[href='/events/{slug}/book']").click()
    assert_accessible(page)
    page.fill("textarea[name=closing]", "Merci à toutes et à tous.")
    page.fill("textarea[name=opening]", "Bienvenue. " * 1000)
    page.locator(f"form[action='/events/{slug}/book/settings'] button").click()
    expect(page.locator(".field__error")).to_contain_text("10000")
    expect(page.locator("textarea[name=closing]")).to_have_value("Merci à toutes et à tous.")
    assert_accessible(page)
    page.fill("textarea[name=opening]", "Bienvenue.")
    page.select_option("select[name=order]", "theme")
    page.locator(f"form[action='/events/{slug}/book/settings'] button").click()
    expect(page.locator("select[name=order]")).to_have_value("theme")
    expect(page.locator("textarea[name=opening]")).to_have_value("Bienvenue.")
    assert_accessible(page)
