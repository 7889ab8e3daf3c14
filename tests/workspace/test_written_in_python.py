"""The workspace's track, checklists, light stages and journal entries are written in Python
(``workspace/html.py``), not by template loops: what people typed arrives escaped, on the
workspace, each stage's page and the journal page, for whoever reads them."""

import pytest

from facilitate.extensions import db
from facilitate.models import Idea, JournalEntry, Membership, PrototypeKind, Role, Stage
from facilitate.models._types import utcnow
from facilitate.workspace.journal import IDEA_RETAINED
from facilitate.workspace.services import record_event
from tests.factories import sign_in

HOSTILE = '<img src=x onerror="alert(1)">Zoé & co'
ESCAPED = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Zoé &amp; co"


@pytest.fixture
def room(make):
    event = make.event(challenges=1)
    team = event.challenges[0].team
    member = make.participant(event, team=team, name=HOSTILE)
    owner = make.participant(event)
    db.session.add(Membership(user=owner, event=event, team=team, role=Role.CHALLENGE_OWNER))
    team.working_question = HOSTILE
    team.prototype_kind, team.prototype_summary = PrototypeKind.PROCESS, HOSTILE
    team.pitch = HOSTILE
    idea = Idea(team_id=team.id, title=HOSTILE, author_id=member.id)
    idea.retained_at, idea.endorsed_at, idea.retained_reason = utcnow(), utcnow(), HOSTILE
    db.session.add_all(
        [
            idea,
            JournalEntry(team_id=team.id, stage=Stage.IDEATION, author_id=member.id, body=HOSTILE),
        ]
    )
    db.session.flush()
    record_event(team, member, IDEA_RETAINED, title=HOSTILE, reason="parce que")
    db.session.commit()
    return {"event": event, "team": team, "member": member, "owner": owner}


@pytest.mark.parametrize("who", ["member", "owner"])
@pytest.mark.parametrize("stage", list(Stage))
def test_the_workspace_s_light_stages_and_journal_arrive_escaped(client, room, who, stage):
    room["team"].stage = stage
    db.session.commit()
    sign_in(client, room[who])
    page = client.get(f"/events/{room['event'].slug}/teams/1/workspace").text
    assert "<img src=x" not in page
    page = page.replace("\u00a0", " ").replace("\u202f", " ")  # French typography's spaces
    # The journal: the person's entry and its author; the retained idea told in the reader's
    # language ("Idée retenue : « … »"), its author too.
    assert page.count(f" · <strong>{ESCAPED}</strong>") == 2
    assert f"<p>{ESCAPED}</p>" in page
    assert f"Idée retenue : « {ESCAPED} »" in page
    light = {
        Stage.FRAMING: f"<strong>Question de travail :</strong> {ESCAPED}</p>",
        Stage.IDEATION: f'<strong>Idée retenue :</strong> {ESCAPED} <span class="tag">',
        Stage.PROTOTYPING: f"<strong>Le prototype :</strong> Processus – {ESCAPED}</p>",
        Stage.EXHIBITION: f"<strong>Pitch :</strong> {ESCAPED}</p>",
    }
    for other, summary in light.items():
        assert (summary in page) == (other != stage), other
    link = "Voir et modifier l’étape" if who == "member" else "Voir toute l’étape"
    assert page.count(link) == 3


@pytest.mark.parametrize("path", ["/journal", "/framing"])
def test_the_journal_page_and_a_stage_page_arrive_escaped(client, room, path):
    sign_in(client, room["member"])
    page = client.get(f"/events/{room['event'].slug}/teams/1/workspace{path}").text
    assert "<img src=x" not in page
    assert ESCAPED in page
