"""Two organisers removing each other at the same moment: an event keeps one organiser."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from facilitate.accounts.organisers import remove_organiser
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import Event, Membership, Role, User
from tests import factories


def test_two_organisers_removing_each_other_leave_one(app):
    with app.app_context():
        event = factories.event()
        first, second = factories.organiser(event), factories.organiser(event)
        db.session.commit()
        ids = (event.id, first.id, second.id)
    event_id, first_id, second_id = ids
    barrier = threading.Barrier(2)

    def remove(actor_id, target_id):
        with app.app_context():
            try:
                event = db.session.get(Event, event_id)
                actor, target = db.session.get(User, actor_id), db.session.get(User, target_id)
                barrier.wait()
                remove_organiser(event, target, actor)
                db.session.commit()
                return "removed"
            except DomainError:
                db.session.rollback()
                return "refused"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(lambda pair: remove(*pair), [(first_id, second_id), (second_id, first_id)])
        )
    assert sorted(results) == ["refused", "removed"]
    with app.app_context():
        left = db.session.scalars(
            select(Membership.user_id).where(
                Membership.event_id == event_id, Membership.role == Role.ORGANISER
            )
        ).all()
        assert len(left) == 1
