"""Which events' versions a bulk statement changes: the one it names (``of_event``), else every
event, so that nothing is missed; the services' bulk statements all name theirs, so that one
team's work never locks or re-renders the other events of the platform."""

from sqlalchemy import delete, select, update

from facilitate.dashboard.versions import of_event
from facilitate.extensions import db
from facilitate.models import Event, Idea, Membership, Role
from facilitate.workspace.ideas import retain_idea


def _versions(*events) -> list[int]:
    db.session.expire_all()
    return [db.session.scalar(select(Event.data_version).where(Event.id == e.id)) for e in events]


def test_a_statement_naming_its_event_changes_that_event_only(make):
    event, other = make.event(challenges=1), make.event(challenges=1)
    person = make.participant(event, team=event.challenges[0].team)
    db.session.commit()
    before = _versions(event, other)
    db.session.execute(
        of_event(delete(Membership), event.id).where(
            Membership.user_id == person.id, Membership.role == Role.MEMBER
        )
    )
    db.session.commit()
    after = _versions(event, other)
    assert after[0] != before[0]
    assert after[1] == before[1]


def test_a_statement_naming_no_event_changes_every_event(make):
    event, other = make.event(challenges=1), make.event(challenges=1)
    db.session.commit()
    before = _versions(event, other)
    db.session.execute(update(Idea).where(Idea.id == -1).values(title="x"))
    db.session.commit()
    after = _versions(event, other)
    assert after[0] != before[0] and after[1] != before[1]


def test_retaining_an_idea_changes_its_event_only(make):
    event, other = make.event(challenges=1), make.event(challenges=1)
    team = event.challenges[0].team
    facilitator = make.user(name="Dominique Facilitatrice")
    db.session.add(Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR))
    idea = Idea(team_id=team.id, title="Un guichet unique", author_id=facilitator.id)
    db.session.add(idea)
    db.session.commit()
    before = _versions(event, other)
    retain_idea(team, idea, facilitator, "Elle répond à l’attente du porteur.")
    db.session.commit()
    after = _versions(event, other)
    assert after[0] != before[0]
    assert after[1] == before[1]
