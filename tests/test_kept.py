"""What a process keeps between requests (facilitate/kept.py): bounded, the least recently used
going first, and HTML kept without the CSRF token of the session it was rendered for."""

from facilitate.extensions import db
from facilitate.kept import TOKEN_SLOT, Kept, with_token, without_token
from tests.factories import sign_in


def test_the_least_recently_used_goes_first():
    kept = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "b" is now the oldest used
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c"), len(kept)) == (1, None, 3, 2)


def test_a_value_is_made_once_per_key():
    kept, made = Kept(4), []

    def make():
        made.append(1)
        return "<p>kept</p>"

    assert kept.get_or_make("k", make) == kept.get_or_make("k", make) == "<p>kept</p>"
    assert len(made) == 1
    kept.clear()
    kept.get_or_make("k", make)
    assert len(made) == 2


def test_html_is_kept_without_the_session_s_token():
    html = '<input name="csrf_token" value="secret-of-alice">'
    stored = without_token(html, "secret-of-alice")
    assert "secret-of-alice" not in stored and TOKEN_SLOT in stored
    assert with_token(stored, "secret-of-bob") == html.replace("alice", "bob")
    assert without_token(html, None) == with_token(html, None) == html


def test_a_form_kept_follows_the_root_the_app_is_served_under(make, client):
    """A form as first shown is kept (``rendered_forms.as_shown``) under the root it was
    rendered for: its action is an address under that root."""
    event = make.event(challenges=1)
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    plain = client.get(f"/events/{event.slug}/book").text
    mounted = client.get(f"/events/{event.slug}/book", base_url="http://localhost/mounted").text
    assert f'action="/events/{event.slug}/book/settings"' in plain
    assert f'action="/mounted/events/{event.slug}/book/settings"' in mounted
