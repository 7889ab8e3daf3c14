"""``act_confirmed``: an action behind a confirmation button, done and committed, or refused by a
domain rule (rolled back, said beside its section)."""

from flask import get_flashed_messages

from facilitate.confirmed import act_confirmed
from facilitate.domain import DomainError


def test_nothing_is_done_without_the_confirmation(app):
    done = []
    with app.test_request_context("/", method="GET"):
        assert act_confirmed("here", lambda: done.append(1)) is False
    assert done == []


def test_the_action_is_done_or_its_refusal_said_beside_its_section(app):
    def refuse():
        raise DomainError("Not like that.")

    with app.test_request_context("/", method="POST", data={}):
        assert act_confirmed("here", lambda: None) is True
        assert get_flashed_messages(with_categories=True) == []
    with app.test_request_context("/", method="POST", data={}):
        assert act_confirmed("here", refuse) is False
        assert get_flashed_messages(with_categories=True) == [("error@here", "Not like that.")]
