"""The automatic placement's proposal page: each person once, escaped, with their organisation
and "new" when they change team; a fixed number of SQL statements whatever the event's size
(the page serves a whole edition: 70 teams, 1,050 people)."""

import re

from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import Membership
from tests.factories import sign_in

SETTINGS = {"min_size": "1", "max_size": "40", "keep_existing": "y", "seed": "0"}


def _event(make, challenges: int, people: int):
    event = make.event(challenges=challenges)
    organiser = make.organiser(event)
    for i in range(people):
        make.participant(event, name=f"Personne {i:03d}", organisation=f"Commune {i % 4}")
    return event, organiser


def test_each_proposed_person_is_listed_escaped_with_organisation_and_new_tag(client, make):
    event, organiser = _event(make, 2, 0)
    make.participant(event, name="Zoé <b>Martin</b>", organisation="Brest & Quimper")
    placed = make.participant(event, team=event.challenges[1].team, name="Yann Kept")
    db.session.commit()
    sign_in(client, organiser)
    page = client.post(f"/events/{event.slug}/teams/placement", data=SETTINGS).text
    assert (
        '<li>Zoé &lt;b&gt;Martin&lt;/b&gt; <span class="card__meta">(Brest &amp; Quimper)'
        '</span> <strong class="tag">nouvelle arrivée</strong></li>'
    ) in page
    assert "<li>Yann Kept</li>" in page  # kept in their team: not new, no organisation
    headings = re.findall(r'<h3 class="card__title">([^<]+)</h3>', page)
    assert sorted(headings) in (
        ["Défi 1 · 0 membre", "Défi 2 · 2 membres"],
        ["Défi 1 · 1 membre", "Défi 2 · 1 membre"],
    ), headings
    assert page.count("Zoé &lt;b&gt;") == 1 and placed


def test_the_proposal_runs_as_many_statements_for_3_teams_as_for_12(client, make, count_queries):
    """Made, then asked again: the proposal is kept per event data version, bounds and
    language (``teams/proposal_page.py``), so the second time the page runs the statements of
    the page without a proposal; each count the same whatever the event's size."""
    made, again, section = (
        [],
        [],
        re.compile(r'<section aria-labelledby="proposal-title">.*</section>', re.S),
    )
    for challenges, people in ((3, 6), (12, 60)):
        event, organiser = _event(make, challenges, people)
        db.session.commit()
        sign_in(client, organiser)
        url = f"/events/{event.slug}/teams/placement"
        pages = []
        for counts in (made, again):
            with count_queries() as statements:
                response = client.post(url, data=SETTINGS)
            assert response.status_code == 200 and response.text.count("<li>Personne ") == people
            counts.append(len(statements))
            pages.append(section.search(response.text)[0])
        assert pages[0] == pages[1]
    with count_queries() as statements:
        client.get(url)
    assert made[0] == made[1] and again == [len(statements)] * 2, (made, again)


def test_a_kept_proposal_changes_with_the_attendees_the_bounds_and_the_language(client, make):
    event, organiser = _event(make, 2, 4)
    db.session.commit()
    sign_in(client, organiser)
    url = f"/events/{event.slug}/teams/placement"
    before = client.post(url, data=SETTINGS).text
    assert "Personne 004" not in before
    # A new attendee, a renamed one: the event's data version changes.
    make.participant(event, name="Personne 004", organisation="Commune 9")
    attendance = db.session.scalar(
        select(Membership).where(Membership.event_id == event.id, Membership.name == "Personne 000")
    )
    attendance.name = "Personne <renommée>"
    db.session.commit()
    after = client.post(url, data=SETTINGS).text
    assert "Personne 004" in after and "Personne &lt;renommée&gt;" in after
    assert "Personne 000" not in after
    fingerprints = re.findall(r'name="fingerprint"[^>]*value="([0-9a-f]+)"', before + after)
    assert len(set(fingerprints)) == 2, fingerprints  # each page's two forms agree
    smaller = client.post(url, data={**SETTINGS, "max_size": "2"}).text
    assert (
        "teams stay" not in smaller
        and smaller.count("personne ne peut") + smaller.count("personnes ne peuvent") == 1
    )
    english = client.post(url, data=SETTINGS, headers={"Accept-Language": "en"}).text
    assert "Challenge 1 ·" in english and "Défi 1 ·" in after


def test_a_kept_proposal_carries_each_reader_s_own_csrf_token(app, client, make):
    event, organiser = _event(make, 2, 4)
    other = make.organiser(event)
    db.session.commit()
    url = f"/events/{event.slug}/teams/placement"
    tokens = []
    for who, browser in ((organiser, client), (other, app.test_client())):
        sign_in(browser, who)
        page = browser.post(url, data=SETTINGS).text
        found = set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page))
        found |= set(re.findall(r'value="([^"]+)"[^>]*name="csrf_token"', page))
        assert len(found) == 1, found  # the kept section's form has the page's own token
        tokens.append(found.pop())
    assert tokens[0] != tokens[1]
