"""The programme (issue 14, items 1 and 2), in Chromium: an organiser builds a day of it, a
participant subscribes to their calendar (read back with ``icalendar``, right in La Réunion's
and Martinique's time), and a room's screen moves to the next session when its time comes, with
the server's and the browser's clocks both under the test's control. axe-core on every page."""

import re
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from facilitate.extensions import db
from facilitate.models import ProgrammeSession, SessionKind, _types
from tests.browser.conftest import assert_accessible, catalogue_text
from tests.factories import code_of

# Tuesday 10 July 2018, 9:00 in La Réunion (UTC+4).
DAY = "2018-07-10"


def _sign_in_with_password(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("form[action$='/sign-in/password'] [type=submit]").click()
    expect(page.locator(".site-nav__who")).to_be_visible()


def _sign_in_with_code(page: Page, code: str) -> None:
    page.goto("/sign-in")
    page.fill("input[name=code]", code)
    page.locator("form[action$='/sign-in/code'] [type=submit]").click()
    expect(page.locator(".site-nav__who")).to_be_visible()


def _add_session(page: Page, slug: str, **fields) -> None:
    page.goto(f"/events/{slug}/organise/programme/new")
    page.select_option("select[name=kind]", fields.get("kind", "talk"))
    page.fill("input[name=title]", fields["title"])
    page.fill("input[name=starts_at]", f"{DAY}T{fields['starts']}")
    page.fill("input[name=ends_at]", f"{DAY}T{fields['ends']}")
    page.fill("input[name=room]", fields.get("room", "Amphi A"))
    page.fill("input[name=speakers]", fields.get("speakers", ""))
    page.locator("form.stacked-form [type=submit]").click()


def test_an_organiser_builds_a_day_of_programme(page: Page, seed):
    slug = f"prog-{uuid.uuid4().hex[:8]}"
    with seed() as make:
        event = make.event(
            challenges=2,
            slug=slug,
            timezone="Indian/Reunion",
            starts_at=datetime(2018, 7, 10, 4, 0),
            ends_at=datetime(2018, 7, 12, 13, 0),
        )
        organiser = make.organiser(event)
        email, password = organiser.email, make.PASSWORD

    _sign_in_with_password(page, email, password)
    page.goto(f"/events/{slug}/organise")
    page.locator(f"a[href='/events/{slug}/organise/programme']").click()
    expect(page.locator("h1")).to_have_text(catalogue_text("Programme"))
    assert_accessible(page)

    _add_session(page, slug, title="Ouverture", starts="09:00", ends="09:30", kind="plenary")
    expect(page.locator("#sessions-title ~ .flashes")).to_contain_text("Ouverture")
    _add_session(page, slug, title="Conférence introductive", starts="09:30", ends="10:30")
    _add_session(
        page, slug, title="Déjeuner", starts="12:30", ends="13:45", kind="meal", room="Hall"
    )

    # A session ending before it starts: refused, with everything typed kept.
    _add_session(page, slug, title="Atelier à l’envers", starts="15:00", ends="14:00")
    error = catalogue_text("The session must end after it starts: check the end time.")
    expect(page.locator(".field__error").first).to_have_text(error)
    expect(page.locator("input[name=title]")).to_have_value("Atelier à l’envers")
    assert_accessible(page)
    page.fill("input[name=ends_at]", f"{DAY}T16:00")
    page.locator("form.stacked-form [type=submit]").click()

    # Overlapping the talk in the same room: saved, and flagged.
    _add_session(
        page, slug, title="Mini-conférence", starts="10:00", ends="10:30", kind="short_talk"
    )
    expect(page.locator(".flash--warning").first).to_be_visible()
    assert page.locator(".programme-clash").count() == 2
    assert page.locator(".programme-table tbody tr").count() == 5
    assert_accessible(page)

    page.goto(f"/events/{slug}/programme")
    expect(page.locator(".programme-zone__venue")).to_contain_text("UTC+4")
    assert page.locator(".programme-table tbody tr").count() == 5
    assert_accessible(page)
    page.locator(".programme-rooms a", has_text="Hall").click()
    # The room's page, once loaded (a count right after the click may see neither page).
    expect(page).to_have_url(re.compile(r"/programme/room\?name=Hall$"))
    expect(page.locator(".programme-table tbody tr")).to_have_count(1)
    assert_accessible(page)
    page.goto(f"/events/{slug}/programme")
    page.locator(".programme-table__title", has_text="Conférence introductive").click()
    expect(page.locator("h1")).to_have_text("Conférence introductive")
    assert_accessible(page)

    # Deleting asks first.
    page.goto(f"/events/{slug}/organise/programme")
    page.locator("tr", has_text="Déjeuner").locator("a.button--danger").click()
    expect(page.locator("h1")).to_contain_text("Déjeuner")
    assert_accessible(page)
    page.locator("form.inline-actions button[type=submit]").click()
    expect(page.locator(".programme-table tbody tr")).to_have_count(4)


@pytest.mark.parametrize(("zone", "utc_hour"), [("Indian/Reunion", 5), ("America/Martinique", 13)])
def test_a_participant_subscribes_to_their_calendar(browser, live_server, seed, zone, utc_hour):
    """The browser runs in Paris: the programme shows the venue's time and the reader's beside."""
    slug = f"agenda-{uuid.uuid4().hex[:8]}"
    start = _types.utc_from_local(datetime(2018, 7, 10, 9, 0), zone)
    with seed() as make:
        event = make.event(challenges=2, slug=slug, timezone=zone, starts_at=start)
        participant = make.participant(event, team=event.challenges[0].team)
        for title, team in (("Plénière", None), ("Notre atelier", event.challenges[0].team)):
            db.session.add(
                ProgrammeSession(
                    event_id=event.id,
                    kind=SessionKind.PLENARY,
                    title=title,
                    room="Amphi",
                    description="",
                    team_id=team.id if team else None,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                )
            )
        code = code_of(participant)

    context = browser.new_context(locale="fr-FR", base_url=live_server, timezone_id="Europe/Paris")
    page = context.new_page()
    _sign_in_with_code(page, code)
    page.goto(f"/events/{slug}/programme")
    expect(page.locator("[data-viewer-zone]")).to_be_visible()
    expect(page.locator("[data-viewer-time]").first).to_be_visible()
    assert_accessible(page)
    page.locator(f"a[href='/events/{slug}/programme/my-calendar']").click()
    assert_accessible(page)
    page.locator("form[action$='/my-calendar/renew'] [type=submit]").click()
    address = page.locator("#calendar-address").input_value()
    webcal = page.locator("a[href^='webcal://']").get_attribute("href")
    assert webcal == "webcal://" + address.split("://", 1)[1]
    assert_accessible(page)
    context.close()

    # The phone subscribes without any session: the address alone.
    with urllib.request.urlopen(address) as response:  # noqa: S310  (our own live server)
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.read())
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [zone]
    entries = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(entries) == {"Plénière", "Notre atelier"}
    starts = entries["Plénière"].decoded("DTSTART")
    assert (starts.hour, str(starts.tzinfo)) == (9, zone)
    assert starts.astimezone(UTC).hour == utc_hour
    assert str(entries["Plénière"]["URL"]).startswith(f"{live_server}/events/{slug}/programme/")


def test_the_room_screen_moves_to_the_next_session_on_time(
    page: Page, browser, live_server, seed, monkeypatch
):
    slug = f"ecran-{uuid.uuid4().hex[:8]}"
    now = datetime(2018, 7, 10, 6, 0)  # 10:00 in La Réunion
    clock = {"now": now}
    monkeypatch.setattr(_types, "utcnow", lambda: clock["now"])
    with seed() as make:
        event = make.event(slug=slug, timezone="Indian/Reunion", starts_at=now)
        organiser = make.organiser(event)
        email, password = organiser.email, make.PASSWORD
        ids = {}
        for title, begins, minutes in (("Conférence", -20, 30), ("Mini-conférence", 10, 30)):
            ids[title] = session = ProgrammeSession(
                event_id=event.id,
                kind=SessionKind.TALK,
                title=title,
                room="Amphi A",
                description="",
                starts_at=now + timedelta(minutes=begins),
                ends_at=now + timedelta(minutes=begins + minutes),
            )
            db.session.add(session)
        db.session.flush()
        next_id = ids["Mini-conférence"].id

    screen_context = browser.new_context(locale="fr-FR", base_url=live_server)
    screen = screen_context.new_page()
    # The projector's own clock is the server's, under the test's control.
    screen.clock.install(time=now.replace(tzinfo=UTC).timestamp())
    try:
        screen.goto(f"/events/{slug}/programme/screen?room=Amphi+A")
        expect(screen.locator("#pscreen-title")).to_have_text("Conférence")
        screen.clock.run_for(1_000)
        expect(screen.locator("#pscreen-timer")).to_have_text("9:59")
        assert screen.locator(".site-header, .site-footer").count() == 0
        assert_accessible(screen)

        # Ten minutes later, on both clocks: the next session, without reloading.
        clock["now"] = now + timedelta(minutes=10, seconds=1)
        screen.clock.run_for(10 * 60 * 1000)
        expect(screen.locator("#pscreen-title")).to_have_text("Mini-conférence")
        expect(screen.locator("#pscreen-qr")).to_have_attribute(
            "src",
            f"/events/{slug}/programme/sessions/{next_id}/qr.svg",
        )

        # An organiser's announcement reaches the screen at its next poll.
        _sign_in_with_password(page, email, password)
        page.goto(f"/events/{slug}/organise/programme")
        page.fill("textarea[name=text]", "Le déjeuner est servi dans le hall.")
        page.locator("form[action*='/programme/announcement#'] [type=submit]").click()
        expect(page.locator(".programme-announce__current")).to_be_visible()
        assert_accessible(page)
        screen.clock.run_for(11_000)
        expect(screen.locator("#screen-announcement")).to_contain_text("Le déjeuner est servi")
        assert_accessible(screen)
        # It leaves by itself after ten minutes.
        clock["now"] += timedelta(minutes=10)
        screen.clock.run_for(10 * 60 * 1000)
        expect(screen.locator("#screen-announcement")).to_be_hidden()
    finally:
        screen_context.close()
