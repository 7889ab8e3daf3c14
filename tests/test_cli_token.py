"""``flask create-token EMAIL``: an organiser's token for the JSON API, printed once, kept only
as a digest, refused to anyone who organises nothing."""

import hashlib

import pytest
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import ApiToken, Membership, Role, VoteStatus
from tests.test_api import call


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=list(args), catch_exceptions=False)

    return invoke


def test_the_token_is_printed_once_and_only_its_digest_is_kept(cli, make):
    event = make.event()
    organiser = make.organiser(event, email="chef@example.org")
    db.session.commit()
    result = cli("create-token", "Chef@Example.org")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert "\n" not in token and len(token) >= 64
    assert "affiché cette seule fois" in result.stderr
    stored = db.session.scalars(select(ApiToken).where(ApiToken.user_id == organiser.id)).one()
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.digest, str(stored.id)}


def test_the_printed_token_opens_the_organisers_endpoints(cli, client, make):
    event = make.event(challenges=2, vote_status=VoteStatus.OPEN)
    make.organiser(event, email="chef@example.org")
    db.session.commit()
    token = cli("create-token", "chef@example.org").stdout.strip()
    response = call(client, "PATCH", f"/events/{event.slug}/vote", token, {"status": "closed"})
    assert response.status_code == 200
    assert response.json["status"] == "closed"
    used = db.session.scalars(select(ApiToken.last_used_at)).one()
    assert used is not None


def test_each_call_makes_a_new_token_and_the_old_ones_keep_working(cli, client, make):
    event = make.event()
    make.organiser(event, email="chef@example.org")
    db.session.commit()
    first = cli("create-token", "chef@example.org").stdout.strip()
    second = cli("create-token", "chef@example.org").stdout.strip()
    assert first != second
    for token in (first, second):
        assert call(client, "GET", f"/events/{event.slug}/results", token).status_code == 200


def test_an_organiser_of_one_event_without_the_create_right_gets_a_token(cli, make):
    event = make.event()
    person = make.user(email="co@example.org")
    db.session.add(Membership(user=person, event=event, role=Role.ORGANISER))
    db.session.commit()
    assert cli("create-token", "co@example.org").exit_code == 0


def test_an_unknown_email_is_refused_in_french(cli):
    result = cli("create-token", "nobody@example.org")
    assert result.exit_code != 0
    assert "Aucun compte n’a l’adresse e-mail «\u00a0nobody@example.org\u00a0»." in result.output
    assert db.session.scalars(select(ApiToken)).all() == []


def test_a_participant_is_refused_and_told_to_use_their_code(cli, make):
    event = make.event()
    make.participant(event, email="p@example.org")
    db.session.commit()
    result = cli("create-token", "p@example.org")
    assert result.exit_code != 0
    assert "n’est pas un compte d’organisateur" in result.output
    assert "code d’accès" in result.output
    assert db.session.scalars(select(ApiToken)).all() == []
