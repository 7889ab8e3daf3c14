"""The rankings written in Python (exhibition.ranking_html): the vote page's and the results'
tables and the reveal screen's places. Jinja's autoescaping does not guard them, so what people
typed must arrive escaped; what is written is kept under the results it was written from, so a
ballot, a name or a photo shows at once; the pages cost the same statements whether it was
kept or not, for 3 stands or 60."""

import pytest

from facilitate.exhibition import ballots, ranking_html
from facilitate.extensions import db
from facilitate.kept import Kept
from facilitate.models import Idea, VoteStatus
from facilitate.models._types import utcnow
from tests.exhibition.conftest import organiser_of, with_material
from tests.factories import sign_in

HOSTILE_TEAM = '<script>alert("team")</script>'
HOSTILE_IDEA = 'Idée <img src=x onerror="alert(1)"> & co'
HOSTILE_QUESTION = '<script>alert("question")</script> ?'
HOSTILE_THEME = 'Thème <b>"été"</b>'
PAGES = ["organise/vote", "results", "reveal"]


@pytest.fixture
def hostile(make, client):
    """Three teams, two themes: one team's name, retained idea, question and theme are
    hostile; two ballots."""
    event = make.event(challenges=3, themes=2, vote_status=VoteStatus.OPEN)
    event.themes[1].name = HOSTILE_THEME  # challenge 1's theme (factories: number % themes)
    challenge = event.challenges[0]
    challenge.question = HOSTILE_QUESTION
    team = challenge.team
    team.name = HOSTILE_TEAM
    team.stand_number = 4
    with_material(make, event, team, 1)
    db.session.flush()
    db.session.scalars(
        db.select(Idea).where(Idea.team_id == team.id, Idea.retained_at.is_not(None))
    ).one().title = HOSTILE_IDEA
    for wanted in ([team.id], [team.id, event.challenges[1].team.id]):
        ballots.replace_ballot(event, ballots.voter(event, make.participant(event)), wanted)
    organiser = organiser_of(make, event)
    db.session.commit()
    sign_in(client, organiser)
    return event


@pytest.mark.parametrize("path", PAGES)
def test_what_people_typed_arrives_escaped_in_the_rankings(client, hostile, path):
    page = client.get(f"/events/{hostile.slug}/{path}").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>" not in page
    team = "&lt;script&gt;alert(&#34;team&#34;)&lt;/script&gt;"
    question = "&lt;script&gt;alert(&#34;question&#34;)&lt;/script&gt; ?"
    assert team in page and question in page
    if path != "reveal":
        # Twice each: overall, then within its theme (named in its heading and caption).
        assert page.count(f">{team}") == 2
        assert page.count("Thème &lt;b&gt;&#34;été&#34;&lt;/b&gt;") >= 3
    if path != "organise/vote":
        idea = "Idée &lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; co"
        assert idea in page
        # The photo's text names the team, escaped within its attribute.
        assert f'alt="Photo of the prototype of {team}"' in page


def test_a_new_ballot_shows_at_once_on_the_vote_page(client, make, hostile):
    path = f"/events/{hostile.slug}/organise/vote"
    before = client.get(path).text
    assert client.get(path).text == before  # kept: the same page
    third = hostile.challenges[2].team
    ballots.replace_ballot(hostile, ballots.voter(hostile, make.participant(hostile)), [third.id])
    db.session.commit()
    after = client.get(path).text
    assert after != before
    row = after[after.index(f'<tr data-team="{third.id}"') :]
    assert '<td class="ranking__votes" data-label="Votes">1</td>' in row[: row.index("</tr>")]


@pytest.mark.parametrize("path", ["results", "reveal"])
def test_a_new_retained_idea_or_name_shows_at_once(client, hostile, path):
    address = f"/events/{hostile.slug}/{path}"
    client.get(address)
    team = hostile.challenges[1].team
    db.session.add(Idea(team_id=team.id, title="Une cantine ouverte", retained_at=utcnow()))
    db.session.commit()
    assert "Une cantine ouverte" in client.get(address).text
    team.name = "Les Nouveaux"
    db.session.commit()
    assert "Les Nouveaux" in client.get(address).text


@pytest.mark.parametrize("path", PAGES)
def test_each_language_has_its_own_rankings(client, hostile, path):
    address = f"/events/{hostile.slug}/{path}"
    english = client.get(address).text
    client.set_cookie("facilitate_lang", "fr")
    french = client.get(address).text
    assert "Défi 1" in french and "Défi 1" not in english
    assert "Challenge 1" in english and "Challenge 1" not in french
    client.set_cookie("facilitate_lang", "en")
    assert client.get(address).text.count("Challenge 1") == english.count("Challenge 1")


def test_no_more_rankings_are_kept_than_the_bound(client, make, hostile, monkeypatch):
    monkeypatch.setattr(ranking_html, "_kept", Kept(3))
    team = hostile.challenges[2].team
    for n in range(5):
        ballots.replace_ballot(
            hostile, ballots.voter(hostile, make.participant(hostile)), [team.id]
        )
        db.session.commit()
        page = client.get(f"/events/{hostile.slug}/organise/vote").text
        assert f'data-label="Votes">{n + 1}</td>' in page
    assert len(ranking_html._kept) == 3


def _event(make, teams: int):
    event = make.event(challenges=teams, themes=3, vote_status=VoteStatus.OPEN)
    team_ids = [c.team.id for c in event.challenges]
    for n in range(2 * teams):
        person = make.participant(event)
        wanted = [team_ids[(n + i) % teams] for i in range(3)]
        ballots.replace_ballot(event, ballots.voter(event, person), wanted)
    with_material(make, event, event.challenges[0].team, 1)
    event.vote_status = VoteStatus.REVEALED
    organiser = organiser_of(make, event)
    member = make.participant(event, team=event.challenges[0].team)
    db.session.commit()
    return event, organiser, member


@pytest.mark.parametrize("path", [*PAGES, "results as a member"])
def test_the_rankings_cost_the_same_statements_kept_or_not_for_3_or_60_stands(
    client, make, count_queries, path
):
    counts = {}
    for teams in (3, 60):
        event, organiser, member = _event(make, teams)
        sign_in(client, member if path.endswith("member") else organiser)
        address = f"/events/{event.slug}/{path.split()[0]}"
        for time in ("first", "kept"):
            with count_queries() as queries:
                response = client.get(address)
            assert response.status_code == 200
            assert "Challenge 1" in response.text
            counts[(teams, time)] = len(queries)
    assert len(set(counts.values())) == 1, counts
