"""The programme's day tables are kept per event data version, language, kind of page and
address root (programme/kept.py): a second view reads no session, and every change a page
shows (a session, a team's challenge number, the event's zone) shows at once."""

import re
from datetime import datetime

from facilitate.extensions import db
from tests.programme.conftest import add, session_data

EN = {"Accept-Language": "en"}


def _page_only(html: str) -> str:
    """The page's own part (no flash), without CSRF tokens."""
    return re.sub(r'value="[^"]{40,}"', "", html.split("<h1>", 1)[1])


def test_a_second_view_reads_no_session_and_shows_the_same(client, event, organiser, count_queries):
    add(
        event,
        title="Ouverture",
        room="Amphi A",
        starts_at=datetime(2018, 7, 9, 5),
        ends_at=datetime(2018, 7, 9, 6),
    )
    add(
        event,
        title="Chevauche",
        room="Amphi A",
        starts_at=datetime(2018, 7, 9, 5, 30),
        ends_at=datetime(2018, 7, 9, 7),
    )
    db.session.commit()
    for path in ("/programme", "/organise/programme"):
        url = f"/events/{event.slug}{path}"
        with count_queries() as first:
            before = client.get(url).text
        with count_queries() as second:
            after = client.get(url).text
        assert len(second) < len(first), path
        assert _page_only(before) == _page_only(after), path
    assert "Chevauche" in after and "programme-clash" in after


def test_each_language_and_page_has_its_own(client, event, organiser):
    add(
        event, title="Ouverture", starts_at=datetime(2018, 7, 9, 5), ends_at=datetime(2018, 7, 9, 6)
    )
    db.session.commit()
    public, manage = f"/events/{event.slug}/programme", f"/events/{event.slug}/organise/programme"
    assert 'data-label="Horaire"' in client.get(public).text
    assert 'data-label="Time"' in client.get(public, headers=EN).text
    assert "/edit" not in client.get(public).text.split("<h1>", 1)[1]
    assert f"/events/{event.slug}/organise/programme/" in client.get(manage).text


def test_a_session_saved_through_the_form_shows_at_once(client, event, organiser):
    manage, public = f"/events/{event.slug}/organise/programme", f"/events/{event.slug}/programme"
    assert "Conférence" not in client.get(public).text
    assert client.get(manage).status_code == 200
    title = "Conférence <script>alert(1)</script>"
    response = client.post(f"{manage}/new", data=session_data(title=title))
    assert response.status_code == 303
    for url in (public, manage):
        page = client.get(url).text
        assert "Conférence &lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)" not in page


def test_a_team_renumbered_or_the_zone_changed_shows_at_once(client, event, organiser):
    team = event.challenges[0].team
    add(
        event,
        title="Point d’équipe",
        team_id=team.id,
        starts_at=datetime(2018, 7, 9, 5),
        ends_at=datetime(2018, 7, 9, 6),
    )
    db.session.commit()
    public = f"/events/{event.slug}/programme"
    number = event.challenges[0].number
    assert f"challenge {number}" in client.get(public, headers=EN).text
    event.challenges[0].number = 42
    db.session.commit()
    assert "challenge 42" in client.get(public, headers=EN).text
    assert ">09:00</time>" in client.get(public, headers=EN).text  # 5:00 UTC in La Réunion
    event.timezone = "Europe/Paris"
    db.session.commit()
    assert ">07:00</time>" in client.get(public, headers=EN).text


def test_the_announcement_form_kept_empty_and_refused_with_its_error(
    client, event, organiser, clock
):
    """The empty form is rendered once per language (rendered_forms.as_shown); refused, it
    shows what was sent and why; the announcement shown is read at each view."""
    manage = f"/events/{event.slug}/organise/programme"
    assert 'name="text"' in client.get(manage).text
    refused = client.post(f"{manage}/announcement", data={"text": " "}, headers=EN)
    assert refused.status_code == 400 and "Write the announcement first." in refused.text
    assert "<title>Error" in refused.text
    text = "Le déjeuner <b>est</b> servi"
    assert client.post(f"{manage}/announcement", data={"text": text}).status_code == 303
    page = client.get(manage, headers=EN).text
    assert "Le déjeuner &lt;b&gt;est&lt;/b&gt; servi" in page and "<title>Error" not in page
    assert page.count("Le déjeuner") == 1  # shown as current, not left in the form
    clock.advance(minutes=11)
    assert "Le déjeuner" not in client.get(manage).text
