"""The ideation page's idea cards and the prototyping page's file cards are written in Python
(``workspace/cards.py``), not by template loops: what people typed (an idea's title and
description, a comment, an author's name, a file's name, a refused comment) arrives escaped."""

import pytest

from facilitate.extensions import db
from facilitate.models import Dot, Idea, Membership, PrototypeFile, Role, Stage, TeamComment
from facilitate.models._types import utcnow
from tests.factories import sign_in

HOSTILE = '<script>alert("x")</script>Zoé & co'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;Zoé &amp; co"


@pytest.fixture
def room(make):
    """A team at ideation: two ideas (one retained), a dot, a comment, a photo and a document,
    all of them named by someone hostile."""
    team = make.event(challenges=1).challenges[0].team
    event, team.stage = team.challenge.event, Stage.IDEATION
    member = make.participant(event, team=team, name=HOSTILE)
    facilitator = make.participant(event)
    db.session.add(Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR))
    db.session.flush()
    ideas = [
        Idea(team_id=team.id, title=HOSTILE, description=HOSTILE, author_id=member.id),
        Idea(team_id=team.id, title=HOSTILE, author_id=member.id),
    ]
    db.session.add_all(ideas)
    db.session.flush()
    ideas[1].retained_at, ideas[1].retained_reason = utcnow(), HOSTILE
    ideas[1].endorsed_at, ideas[1].endorsed_by_id = utcnow(), member.id
    db.session.add(Dot(idea_id=ideas[0].id, user_id=member.id, team_id=team.id))
    db.session.add(
        TeamComment(
            team_id=team.id,
            author_id=member.id,
            stage=Stage.IDEATION,
            idea_id=ideas[0].id,
            body=HOSTILE,
        )
    )
    for number, photo in enumerate((True, False)):
        db.session.add(
            PrototypeFile(
                team_id=team.id,
                original_name=HOSTILE,
                content_type="image/png" if photo else "application/pdf",
                size_bytes=100,
                storage_name=f"{team.id:08x}{number:024x}.png",
                is_photo=photo,
                consent_confirmed=True,
            )
        )
    db.session.commit()
    url = f"/events/{event.slug}/teams/1/workspace"
    return {"member": member, "facilitator": facilitator, "ideas": ideas, "url": url}


def _plain(page: str) -> str:
    assert "<script>" not in page
    return page.replace("\u00a0", " ").replace("\u202f", " ")  # French typography's spaces


@pytest.mark.parametrize("who", ["member", "facilitator"])
def test_the_idea_cards_arrive_escaped(client, room, who):
    sign_in(client, room[who])
    page = _plain(client.get(room["url"] + "/ideation").text)
    assert page.count(f'<h4 class="card__title">{ESCAPED}</h4>') == 2
    assert f"<p>{ESCAPED}</p>" in page  # the description and the comment
    assert f"<strong>{ESCAPED}</strong>" in page  # the comment's author
    assert f"{ESCAPED}\n · <time" in page  # the idea's author
    assert f"</strong> {ESCAPED}</p>" in page  # why it is retained
    assert f"Validée par {ESCAPED} le" in page
    assert f'<span class="visually-hidden"> – {ESCAPED}</span>' in page  # dot, comment...


def test_a_refused_comment_comes_back_escaped_on_its_card(client, room):
    sign_in(client, room["member"])
    idea = room["ideas"][0]
    typed = "x" * 2001 + HOSTILE
    response = client.post(
        f"{room['url']}/ideas/{idea.id}/comments?back=ideation",
        data={f"comment-{idea.id}-body": typed},
    )
    assert response.status_code == 400
    page = _plain(response.text)
    card = page[page.index(f'id="idea-{idea.id}"') :]
    assert "<details open>" in card
    assert "x" * 2001 + ESCAPED in card


@pytest.mark.parametrize("who", ["member", "facilitator"])
def test_the_file_cards_arrive_escaped(client, room, who):
    sign_in(client, room[who])
    page = _plain(client.get(room["url"] + "/prototyping").text)
    assert f'alt="Photo du prototype : {ESCAPED}"' in page
    assert f'">{ESCAPED}</a></p>' in page  # the document
    assert f'<p class="card__meta">{ESCAPED} · ' in page  # the photo
    assert page.count(f'<span class="visually-hidden"> {ESCAPED}</span>') == 2  # remove
    assert f'<span class="visually-hidden"> ({ESCAPED})</span>' in page  # may be public
