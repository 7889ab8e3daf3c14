"""Follow-up in the event's history: who moved a prototype's status or progress, and when;
news that leaves them as they were (a member's, or an owner's next paragraph) adds nothing."""

from datetime import datetime

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import AuditEntry
from tests.factories import sign_in
from tests.followup.test_updates import _post


@pytest.fixture(autouse=True)
def _after_the_event(monkeypatch):
    now = datetime(2026, 4, 15, 10, 0)
    monkeypatch.setattr("facilitate.followup.routes.utcnow", lambda: now)


def _entries(event):
    return db.session.execute(
        select(AuditEntry.actor_id, AuditEntry.details)
        .where(AuditEntry.event_id == event.id, AuditEntry.action == "followup.changed")
        .order_by(AuditEntry.id)
    ).all()


def test_status_and_progress_changes_are_in_the_history_with_who_made_them(
    app, client, make, event, owner, member
):
    owners_client = app.test_client()
    sign_in(owners_client, owner)
    assert _post(owners_client, event, status="testing", progress="40").status_code == 303
    assert _post(owners_client, event, status="testing", progress="40").status_code == 303
    sign_in(client, member)
    assert _post(client, event, text="Présenté au conseil.").status_code == 303
    assert _post(owners_client, event, status="deployed", progress="80").status_code == 303

    assert _entries(event) == [
        (owner.id, {"number": 1, "status": "testing", "progress": 40}),
        (owner.id, {"number": 1, "status": "deployed", "progress": 80}),
    ]
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    history = client.get(f"/events/{event.slug}/history").text
    assert "a modifié le suivi du défi 1\u00a0: Déployé, avancement\u00a0: 80\u00a0%" in history
    assert "a modifié le suivi du défi 1\u00a0: En test, avancement\u00a0: 40\u00a0%" in history


def test_the_history_page_runs_a_fixed_number_of_queries(client, make, event, count_queries):
    from facilitate.audit.services import record

    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    counts = []
    for entries in (3, 120):
        for number in range(entries):
            record(event, organiser, "team.shown_on_showcase", number=number)
        db.session.commit()
        client.get(f"/events/{event.slug}/history")
        with count_queries() as queries:
            assert client.get(f"/events/{event.slug}/history").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_history_pages_fifty_entries_at_a_time_newest_first(client, make, event):
    """The latest page and the older ones (their statements built once per process)."""
    import re

    from sqlalchemy import select

    from facilitate.audit.services import record
    from facilitate.models import AuditEntry

    organiser = make.organiser(event)
    for number in range(120):
        record(event, organiser, "team.shown_on_showcase", number=number)
    db.session.commit()
    ids = db.session.scalars(
        select(AuditEntry.id).where(AuditEntry.event_id == event.id).order_by(AuditEntry.id)
    ).all()
    sign_in(client, organiser)
    seen, url = [], f"/events/{event.slug}/history"
    while url:
        page = client.get(url).text
        seen.append(page.count('class="history__entry"'))
        older = re.search(r'href="(/events/[^"]+/history\?before=(\d+))"', page)
        url = older and older.group(1)
        if older:
            assert int(older.group(2)) == ids[-50 * len(seen)]  # the last one shown
    assert seen == [50, 50, len(ids) - 100]
