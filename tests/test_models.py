"""The rules that matter are enforced by the database itself, not only by the code."""

import pytest
from sqlalchemy.exc import IntegrityError

from facilitate.extensions import db
from facilitate.models import Challenge, Membership, Role, Team, User


def _violates(*objects):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add_all(objects)
        db.session.flush()


def test_challenge_numbers_are_unique_within_an_event_but_not_across(make):
    first, second = make.event(challenges=1), make.event()
    _violates(Challenge(event_id=first.id, number=1, question="Doublon ?"))
    make.challenge(second, number=1)  # another event may have its own challenge 1


def test_a_challenge_needs_a_question_and_a_positive_number(make):
    event = make.event()
    _violates(Challenge(event_id=event.id, number=1, question=""))
    _violates(Challenge(event_id=event.id, number=0, question="Comment ?"))


def test_a_challenge_has_at_most_one_team(make):
    event = make.event(challenges=1)
    _violates(Team(event_id=event.id, challenge_id=event.challenges[0].id))


def test_a_team_cannot_belong_to_another_event_than_its_challenge(make):
    event, other = make.event(challenges=1), make.event()
    challenge = event.challenges[0]
    db.session.delete(challenge.team)
    db.session.flush()
    _violates(Team(event_id=other.id, challenge_id=challenge.id))


def test_a_challenge_theme_must_be_of_the_same_event(make):
    event, other = make.event(), make.event(themes=1)
    _violates(Challenge(event_id=event.id, number=1, question="Q ?", theme_id=other.themes[0].id))


def test_memberships_are_unique(make):
    event = make.event(challenges=1)
    person = make.participant(event)
    _violates(Membership(user_id=person.id, event_id=event.id, role=Role.PARTICIPANT, name="Twice"))


def test_a_person_is_a_member_of_one_team_per_event(make):
    event = make.event(challenges=2)
    person = make.participant(event, team=event.challenges[0].team)
    _violates(
        Membership(
            user_id=person.id,
            event_id=event.id,
            team_id=event.challenges[1].team.id,
            role=Role.MEMBER,
        )
    )


def test_team_roles_need_a_team_and_event_roles_have_none(make):
    event = make.event(challenges=1)
    person = make.user()
    _violates(Membership(user_id=person.id, event_id=event.id, role=Role.MEMBER))
    _violates(
        Membership(
            user_id=person.id,
            event_id=event.id,
            team_id=event.challenges[0].team.id,
            role=Role.ORGANISER,
        )
    )


def test_a_membership_team_must_be_of_the_same_event(make):
    event, other = make.event(challenges=1), make.event()
    person = make.user()
    team = event.challenges[0].team
    _violates(Membership(user_id=person.id, event_id=other.id, team_id=team.id, role=Role.MEMBER))


def test_emails_and_access_codes_are_unique(make):
    event, other_event = make.event(), make.event()
    make.user(email="same@example.org")
    _violates(User(name="Someone", email="same@example.org"))
    person = make.participant(event)
    code = make.code_of(person)
    other = make.user()
    # An access code is one attendance's, never shared, not even with another event.
    _violates(
        Membership(
            user_id=other.id,
            event_id=other_event.id,
            role=Role.PARTICIPANT,
            name="Other",
            access_code=code,
        )
    )


def test_only_an_attendance_carries_a_name_an_organisation_and_a_code(make):
    event = make.event()
    person = make.user()
    _violates(Membership(user_id=person.id, event_id=event.id, role=Role.PARTICIPANT))
    _violates(
        Membership(
            user_id=person.id,
            event_id=event.id,
            role=Role.ORGANISER,
            name="Named",
            access_code="AAAAABBBBBCCCCC",
        )
    )


def test_deleting_an_event_removes_its_challenges_teams_and_memberships(make):
    event = make.event(challenges=2, themes=1)
    make.participant(event, team=event.challenges[0].team)
    db.session.delete(event)
    db.session.flush()
    assert db.session.query(Challenge).count() == 0
    assert db.session.query(Team).count() == 0
    assert db.session.query(Membership).count() == 0
