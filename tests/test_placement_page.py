"""The automatic placement's proposal page: each person once, escaped, with their organisation
and "new" when they change team; a fixed number of SQL statements whatever the event's size
(the page serves a whole edition: 70 teams, 1,050 people)."""

import re

from facilitate.extensions import db
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
    counts = []
    for challenges, people in ((3, 6), (12, 60)):
        event, organiser = _event(make, challenges, people)
        db.session.commit()
        sign_in(client, organiser)
        url = f"/events/{event.slug}/teams/placement"
        with count_queries() as statements:
            response = client.post(url, data=SETTINGS)
        assert response.status_code == 200 and response.text.count("<li>Personne ") == people
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
