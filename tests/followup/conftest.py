"""Fixtures for the follow-up tests (issue 14, item 7): an event that ended on 10 January
2026 (Paris), its challenge 1 with an owner and a member, and the upload folder of the
prototyping tests."""

from datetime import datetime

import pytest

from facilitate.extensions import db
from facilitate.models import Membership, Role
from tests.test_workspace_prototyping import folder  # noqa: F401  (shared with them)

ENDED = datetime(2026, 1, 10, 16, 0)  # UTC: 17 h in Paris


@pytest.fixture
def event(make):
    return make.event(challenges=3, starts_at=datetime(2026, 1, 8, 8, 0), ends_at=ENDED)


@pytest.fixture
def team(event):
    return event.challenges[0].team


def owner_of(make, event, team, **fields):
    person = make.participant(event, **fields)
    db.session.add(Membership(user=person, event=event, team=team, role=Role.CHALLENGE_OWNER))
    db.session.flush()
    return person


@pytest.fixture
def owner(make, event, team):
    person = owner_of(make, event, team)
    db.session.commit()
    return person


@pytest.fixture
def member(make, event, team):
    person = make.participant(event, team=team)
    db.session.commit()
    return person
