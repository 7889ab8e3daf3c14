"""Fixtures shared by the programme tests (issue 14): an event in La Réunion with two
challenges, its organiser signed in, a controlled clock, and sessions made directly."""

from datetime import datetime, timedelta

import pytest

from facilitate.extensions import db
from facilitate.models import (
    ProgrammeSession,
    SessionKind,
    _types,
)
from tests.factories import sign_in

# 9 July 2018, 6:00 UTC: 8:00 in Paris, 10:00 in La Réunion, 2:00 in Martinique.
T0 = datetime(2018, 7, 9, 6, 0, 0)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = T0

        def advance(self, **delta):
            self.now += timedelta(**delta)

    c = Clock()
    monkeypatch.setattr(_types, "utcnow", lambda: c.now)
    return c


@pytest.fixture
def event(make):
    return make.event(
        challenges=2,
        timezone="Indian/Reunion",
        starts_at=datetime(2018, 7, 9, 5, 0),
        ends_at=datetime(2018, 7, 11, 14, 0),
    )


@pytest.fixture
def organiser(client, make, event):
    person = make.organiser(event)
    db.session.commit()
    sign_in(client, person)
    return person


def session_data(**fields) -> dict:
    """A form as the organiser fills it: times at the venue."""
    return {
        "kind": "talk",
        "title": "Conférence introductive",
        "starts_at": "2018-07-09T09:30",
        "ends_at": "2018-07-09T10:30",
        "room": "Amphi A",
        "speakers": "Marie Dupont",
        "description": "",
        "stage": "",
        "team": "",
    } | fields


def add(event, **fields) -> ProgrammeSession:
    values = {
        "kind": SessionKind.TALK,
        "title": "Session",
        "room": "Amphi A",
        "description": "",
    } | fields
    session = ProgrammeSession(event_id=event.id, **values)
    db.session.add(session)
    db.session.flush()
    return session
