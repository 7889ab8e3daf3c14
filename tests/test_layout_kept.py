"""The layout's header and footer are rendered once per kind of page and kept
(facilitate/layout.py): each reader must still see their own name, language, links and CSRF
token, and never anyone else's; what a person typed arrives escaped."""

import re

import pytest

from facilitate import layout
from facilitate.extensions import db
from tests.factories import sign_in

HOSTILE = '<script>alert(1)</script>"Zoé'
HOSTILE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&#34;Zoé"


def header_of(page: str) -> str:
    return page[page.index('<a class="skip-link"') : page.index("</header>")]


def footer_of(page: str) -> str:
    return page[page.index('<footer class="site-footer">') : page.index("</footer>")]


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', header_of(page))[1]


@pytest.fixture
def people(make):
    event = make.event(challenges=1)
    other = make.event(challenges=1)
    people = {
        "event": event,
        "other": other,
        "organiser": make.organiser(event, name="Olga Organiser"),
        "zoe": make.participant(event, name=HOSTILE),
        "yann": make.participant(event, name="Yann Participant"),
    }
    make.join(other, people["yann"])
    db.session.commit()
    return people


def client_of(app, person, event=None):
    client = app.test_client()
    sign_in(client, person, event)
    return client


def test_each_reader_sees_their_own_name_and_token_never_another(app, people):
    event = people["event"]
    pages = {}
    for who in ("organiser", "zoe", "yann"):
        client = client_of(app, people[who], event)
        pages[who] = client.get(f"/events/{event.slug}", headers={"Accept-Language": "en"}).text
    assert '<li class="site-nav__who">Olga Organiser</li>' in header_of(pages["organiser"])
    assert f'<li class="site-nav__who">{HOSTILE_ESCAPED}</li>' in header_of(pages["zoe"])
    assert '<li class="site-nav__who">Yann Participant</li>' in header_of(pages["yann"])
    for who, page in pages.items():
        others = {"organiser": "Olga Organiser", "zoe": "Zoé", "yann": "Yann Participant"}
        for name in (text for person, text in others.items() if person != who):
            assert name not in header_of(page)
        assert "<script>alert(1)" not in page
    tokens = {who: token_of(page) for who, page in pages.items()}
    assert len(set(tokens.values())) == 3
    for page in pages.values():  # the sign-out form and the language switch: the same token
        header = header_of(page)
        assert len(set(re.findall(r'name="csrf_token" value="([^"]+)"', header))) == 1


def test_the_kept_fragments_hold_no_name_token_or_address(app, people):
    event = people["event"]
    client = client_of(app, people["zoe"])
    page = client.get(f"/events/{event.slug}/privacy").text
    kept = "".join("".join(pieces) for pieces in app.jinja_env.layout_fragments.values())
    for value in ("Zoé", token_of(page), event.slug, "/events/"):
        assert value not in kept


def test_the_language_changes_the_header_and_footer(app, people):
    client = client_of(app, people["yann"], people["event"])
    path = f"/events/{people['event'].slug}"
    french = client.get(path, headers={"Accept-Language": "fr"}).text
    english = client.get(path, headers={"Accept-Language": "en"}).text
    assert "Se déconnecter" in header_of(french) and "Sign out" not in header_of(french)
    assert "Sign out" in header_of(english) and "Se déconnecter" not in header_of(english)
    assert 'aria-label="Switch to English"' in header_of(french)
    assert 'aria-label="Passer en français"' in header_of(english)
    assert "Données personnelles de l’événement" in footer_of(french)
    assert "Personal data at this event" in footer_of(english)


def test_a_password_account_has_its_password_link_a_code_does_not(app, people):
    path = f"/events/{people['event'].slug}"
    organiser = client_of(app, people["organiser"]).get(path).text
    participant = client_of(app, people["yann"], people["event"]).get(path).text
    assert 'href="/account/password"' in header_of(organiser)
    assert 'href="/account/password"' not in header_of(participant)
    for page in (organiser, participant):
        assert 'action="/sign-out"' in header_of(page)


def test_nobody_signed_in_gets_a_sign_in_link_back_to_the_page(app, people):
    client = app.test_client()
    event = people["event"]
    page = client.get(f"/events/{event.slug}/privacy?x=1&y=2").text
    header = header_of(page)
    assert f'href="/sign-in?next=/events/{event.slug}/privacy?x%3D1%26y%3D2"' in header
    assert f'name="next" value="/events/{event.slug}/privacy?x=1&amp;y=2"' in header
    assert "site-nav__who" not in header and 'action="/sign-out"' not in header
    sign_in_page = client.get("/sign-in").text
    assert 'href="/sign-in">' in header_of(sign_in_page)  # no way back to itself


def test_the_page_address_is_escaped_in_the_language_switch(app, people):
    page = app.test_client().get('/privacy?q="><script>alert(2)</script>').text
    header = header_of(page)
    assert "<script>alert(2)" not in page
    assert 'value="/privacy?q=&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in header


def test_the_footer_links_to_the_privacy_notice_of_the_page_event(app, people):
    client = client_of(app, people["yann"], people["event"])
    one, other = people["event"], people["other"]
    first = footer_of(client.get(f"/events/{one.slug}").text)
    assert f'href="/events/{one.slug}/privacy"' in first and other.slug not in first
    client = client_of(app, people["yann"], other)
    second = footer_of(client.get(f"/events/{other.slug}").text)
    assert f'href="/events/{other.slug}/privacy"' in second and one.slug not in second
    platform = footer_of(client.get("/privacy").text)
    assert "/privacy" in platform and "/events/" not in platform


def test_kept_fragments_give_the_html_rendered_afresh(app, people):
    """With templates reloaded (nothing kept), the same pages, byte for byte."""
    event = people["event"]
    clients = {
        "anonymous": app.test_client(),
        "organiser": client_of(app, people["organiser"]),
        "participant": client_of(app, people["zoe"]),
    }
    paths = ["/", f"/events/{event.slug}", f"/events/{event.slug}/privacy", "/privacy", "/nowhere"]

    def pages():
        return {
            (who, path, language): client.get(path, headers={"Accept-Language": language}).text
            for who, client in clients.items()
            for path in paths
            for language in ("fr", "en")
        }

    for client in clients.values():  # the messages of signing in, shown once
        client.get("/")
    kept = pages()
    app.jinja_env.auto_reload = True
    try:
        afresh = pages()
    finally:
        app.jinja_env.auto_reload = False
    assert kept == afresh


def test_the_fragments_kept_are_bounded(app, people, monkeypatch):
    monkeypatch.setattr(app.jinja_env, "layout_fragments", {})
    with app.test_request_context():
        for n in range(layout.KEPT + 10):
            layout._fragment(app.jinja_env, "_layout_footer.html", ("test", n), {"event_href": ""})
    assert len(app.jinja_env.layout_fragments) == layout.KEPT
    assert ("test", 0) not in app.jinja_env.layout_fragments  # the oldest went first
