"""The stand page a poster's QR code opens: the team's material, the feedback form, and that
feedback in the team's workspace (how people find the stands without a QR code:
test_exhibition_links.py)."""

import re
from html import unescape

from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import FeedbackEntry, VoteStatus
from tests.exhibition.conftest import (
    teams_of,
    with_material,
)
from tests.factories import code_of, sign_in, stand_path

# --- The stand page ---------------------------------------------------------------------------


def test_anonymous_visitors_sign_in_and_come_back_to_the_stand(client, make, event):
    team = teams_of(event)[0]
    person = make.participant(event)
    url = stand_path(team)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
    assert response.headers["Location"] == f"/sign-in?next={url}"
    back = client.post("/sign-in/code", data={"code": code_of(person), "next": url})
    assert back.headers["Location"] == url


def test_people_of_another_event_may_not_visit(client, make, event):
    sign_in(client, make.participant(make.event()))
    team = teams_of(event)[0]
    assert client.get(stand_path(team)).status_code == 403
    feedback = client.post(stand_path(team, "/feedback"), data={"liked": "!"})
    assert feedback.status_code == 403


def test_a_team_of_another_event_is_not_found_here(client, make, event):
    other = make.event(challenges=1)
    sign_in(client, make.participant(event))
    stranger = teams_of(other)[0]
    stranger.stand_number = 8
    # Neither by its stand number, nor by its id (as an old poster would), nor by challenge.
    for number in (8, stranger.id):
        assert client.get(f"/events/{event.slug}/stands/{number}").status_code == 404
    assert client.get(f"/events/{event.slug}/teams/5/stand").status_code == 404


def test_the_stand_page_shows_the_teams_material_light(client, make, event):
    team = teams_of(event)[0]
    team.stand_number, team.stand_place = 4, "Hall B"
    with_material(make, event, team, 1)
    sign_in(client, make.participant(event, team=teams_of(event)[1]))
    page = client.get(stand_path(team))
    assert page.status_code == 200
    text = unescape(page.text)
    for expected in (
        "Stand 4 · Hall B",
        team.challenge.question,
        "Pitch 1",
        "Idée retenue 1",
        "Résumé du prototype 1",
        "What I liked",
        "What could be better",
        "A question for the team",
    ):
        assert expected in text, expected
    image = re.search(r"<img [^>]*>", page.text).group(0)
    for attribute in ('width="', 'height="', 'loading="lazy"', 'alt="'):
        assert attribute in image
    for name in ("liked", "could_be_better", "question"):
        assert f'<label class="field__label" for="{name}">' in page.text


def test_the_stand_page_runs_a_fixed_number_of_queries(client, make, count_queries):
    counts = []
    for count in (1, 30):
        event = make.event(challenges=2, vote_status=VoteStatus.OPEN)
        team = teams_of(event)[0]
        with_material(make, event, team, count)
        for _ in range(count):
            make.participant(event, team=team)
        client.post("/sign-out")
        sign_in(client, make.participant(event, team=teams_of(event)[1]))
        url = stand_path(team)
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # User, team with challenge and event, idea, photo, memberships (roles), voter, ballot.
    assert counts[0] == counts[1] == 7, counts


def test_feedback_reaches_the_team_once_and_the_visitor_comes_back(client, make, event):
    team = teams_of(event)[0]
    visitor = make.participant(event, team=teams_of(event)[1])
    sign_in(client, visitor)
    url = stand_path(team)
    response = client.post(
        f"{url}/feedback",
        data={"liked": " Le parcours ", "could_be_better": "", "question": "Quel coût ?"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == url
    entry = db.session.scalars(select(FeedbackEntry)).one()
    assert (entry.team_id, entry.author_id, entry.at_exhibition) == (team.id, visitor.id, True)
    assert (entry.liked, entry.could_be_better, entry.question) == (
        "Le parcours",
        None,
        "Quel coût ?",
    )
    assert "the team will find your feedback" in client.get(url).text


def test_empty_feedback_is_refused_clearly_and_nothing_is_saved(client, make, event):
    team = teams_of(event)[0]
    sign_in(client, make.participant(event))
    response = client.post(
        stand_path(team, "/feedback"),
        data={"liked": "  ", "could_be_better": "", "question": "\r\n"},
    )
    assert response.status_code == 400
    assert "Write at least one of the three answers." in response.text
    assert 'role="alert"' in response.text
    assert db.session.scalar(select(func.count()).select_from(FeedbackEntry)) == 0


def test_feedback_too_long_is_refused(client, make, event):
    team = teams_of(event)[0]
    sign_in(client, make.participant(event))
    response = client.post(stand_path(team, "/feedback"), data={"liked": "x" * 2001})
    assert response.status_code == 400
    assert 'aria-describedby="liked-error"' in response.text
    assert db.session.scalar(select(func.count()).select_from(FeedbackEntry)) == 0


def test_a_team_does_not_give_feedback_on_its_own_stand(client, make, event):
    team = teams_of(event)[0]
    sign_in(client, make.participant(event, team=team))
    page = client.get(stand_path(team))
    assert page.status_code == 200
    assert 'name="liked"' not in page.text
    response = client.post(stand_path(team, "/feedback"), data={"liked": "!"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(FeedbackEntry)) == 0


# --- In the team's workspace --------------------------------------------------------------------


def test_the_workspace_shows_exhibition_feedback_as_test_results(client, make, event):
    team = teams_of(event)[0]
    member = make.participant(event, team=team)
    visitor = make.participant(event, name="Visiteuse")
    db.session.add_all(
        [
            FeedbackEntry(
                team_id=team.id,
                author_id=visitor.id,
                at_exhibition=True,
                liked="Le parcours usager",
                question="Combien ça coûte ?",
            ),
            FeedbackEntry(team_id=team.id, author_id=member.id, body="Testé avec 5 habitants"),
        ]
    )
    db.session.flush()
    sign_in(client, member)
    page = client.get(f"/events/{event.slug}/teams/1/workspace/prototyping")
    section = unescape(page.text.split('id="feedback-section"')[1].split("</section>")[0])
    assert "At the exhibition" in section
    assert "What I liked" in section and "Le parcours usager" in section
    assert "A question for the team" in section and "Combien ça coûte ?" in section
    assert "What could be better" not in section  # not answered
    assert "Testé avec 5 habitants" in section
    assert section.count("At the exhibition") == 1


def test_the_workspace_feedback_query_count_does_not_grow(client, make, count_queries):
    counts = []
    for count in (1, 25):
        event = make.event(challenges=1)
        team = teams_of(event)[0]
        member = make.participant(event, team=team)
        for n in range(count):
            visitor = make.participant(event)
            db.session.add(
                FeedbackEntry(
                    team_id=team.id, author_id=visitor.id, at_exhibition=True, liked=f"{n}"
                )
            )
        db.session.flush()
        client.post("/sign-out")
        sign_in(client, member)
        url = f"/events/{event.slug}/teams/1/workspace"
        with count_queries() as queries:
            client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Finding the exhibition -----------------------------------------------------------------------
