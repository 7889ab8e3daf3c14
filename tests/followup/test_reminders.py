"""The 3- and 6-month invitations, with the clock set by each test: on the person's own page
while they stand, and by email once each from the daily command."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.followup.reminders import invitations_for, send_reminders
from facilitate.followup.services import (
    UpdateDetails,
    add_months,
    add_update,
    is_quiet,
    milestone_dates,
    months_between,
)
from facilitate.models import FollowUpReminder, FollowUpStatus
from facilitate.people.management import remove_attendee
from tests.factories import sign_in
from tests.followup.conftest import owner_of
from tests.smtp import body_of, smtp  # noqa: F401  (fixture)

BEFORE_3_MONTHS = datetime(2026, 4, 9, 12, 0)
AT_3_MONTHS = datetime(2026, 4, 10, 8, 0)
AT_6_MONTHS = datetime(2026, 7, 10, 8, 0)


def _update(challenge, person, now, day=None):
    add_update(
        challenge,
        person,
        UpdateDetails(day or now.date(), "En test au guichet.", FollowUpStatus.TESTING, 20),
        now,
    )
    db.session.commit()


def test_months_are_calendar_months():
    assert add_months(date(2026, 1, 10), 3) == date(2026, 4, 10)
    assert add_months(date(2026, 5, 31), 3) == date(2026, 8, 31)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2026, 10, 31), 4) == date(2027, 2, 28)
    assert months_between(date(2026, 1, 10), date(2026, 6, 9)) == 4
    assert months_between(date(2026, 1, 10), date(2026, 6, 10)) == 5
    assert months_between(date(2026, 5, 31), date(2026, 8, 31)) == 3


def test_milestones_are_counted_from_the_venues_last_day(make):
    """Ended at 23 h on 31 January in Martinique: 1 February in UTC, but the 31st there."""
    event = make.event(ends_at=datetime(2026, 2, 1, 3, 0), timezone="America/Martinique")
    assert milestone_dates(event) == [(3, date(2026, 4, 30)), (6, date(2026, 7, 31))]


def test_the_owner_and_the_members_are_invited_on_their_page_from_three_months(
    make, event, team, owner, member
):
    challenge = team.challenge
    outsider = make.participant(event)
    db.session.commit()
    assert invitations_for(owner, BEFORE_3_MONTHS) == []
    for person in (owner, member):
        (invitation,) = invitations_for(person, AT_3_MONTHS)
        assert (invitation.challenge, invitation.months) == (challenge, 3)
    assert invitations_for(outsider, AT_3_MONTHS) == []
    # An update answers the 3-month invitation; the 6-month one comes back.
    _update(challenge, member, AT_3_MONTHS)
    assert invitations_for(owner, datetime(2026, 6, 1)) == []
    assert invitations_for(owner, AT_3_MONTHS) == []
    (invitation,) = invitations_for(owner, AT_6_MONTHS)
    assert invitation.months == 6
    # Three months after the last milestone, nobody is asked any more.
    assert invitations_for(owner, datetime(2026, 10, 11)) == []


def test_the_home_page_lists_the_invitation(client, event, owner, monkeypatch):
    monkeypatch.setattr("facilitate.events.routes.utcnow", lambda: AT_3_MONTHS)
    sign_in(client, owner)
    page = client.get("/").text
    assert "Que sont devenus vos prototypes\u00a0?" in page
    assert f'href="/events/{event.slug}/follow-up/1"' in page
    monkeypatch.setattr("facilitate.events.routes.utcnow", lambda: BEFORE_3_MONTHS)
    assert "Que sont devenus vos prototypes" not in client.get("/").text


def test_the_home_page_says_how_long_ago_the_event_ended(client, event, owner, monkeypatch):
    """The 3-month invitation stands until someone answers: five months on, it says five."""
    monkeypatch.setattr("facilitate.events.routes.utcnow", lambda: datetime(2026, 6, 12, 8, 0))
    sign_in(client, owner)
    page = client.get("/", headers={"Accept-Language": "en"}).text
    assert f"{event.name} ended 5 months ago." in page


def test_a_removed_person_is_neither_invited_nor_reminded(make, event, team, owner):
    remove_attendee(event, owner, None)
    db.session.commit()
    assert invitations_for(owner, AT_3_MONTHS) == []
    sent = []
    send_reminders(AT_3_MONTHS, deliver=sent.append)
    assert sent == []


def test_reminders_go_once_each_at_three_then_six_months(app, make, event, team, owner, member):
    other_event = make.event(challenges=1, ends_at=datetime(2026, 3, 1))
    owner_of(make, other_event, other_event.challenges[0].team)
    db.session.commit()
    sent = []
    with app.test_request_context(base_url="https://facilitate.example"):
        assert send_reminders(BEFORE_3_MONTHS, deliver=sent.append).sent == 0
        assert send_reminders(AT_3_MONTHS, deliver=sent.append).sent == 2
        assert sorted(m["To"] for m in sent) == sorted([owner.email, member.email])
        body = body_of(sent[0])
        assert "Cela fait 3\u00a0mois" in body
        assert f"https://facilitate.example/events/{event.slug}/follow-up/1" in body
        # The next day's run, and a second run the same day, send nothing again.
        assert send_reminders(AT_3_MONTHS, deliver=sent.append).sent == 0
        assert send_reminders(datetime(2026, 4, 11, 8), deliver=sent.append).sent == 0
        assert send_reminders(AT_6_MONTHS, deliver=sent.append).sent == 2
        assert send_reminders(AT_6_MONTHS, deliver=sent.append).sent == 0
    assert len(sent) == 4
    months = db.session.execute(
        select(FollowUpReminder.months, func.count()).group_by(FollowUpReminder.months)
    ).all()
    assert sorted(months) == [(3, 2), (6, 2)]


def test_no_reminder_once_someone_gave_news_nor_long_after_the_milestone(
    app, event, team, owner, member
):
    sent = []
    with app.test_request_context():
        # The command was installed two months late: no 3-month email, it is past its window.
        assert send_reminders(datetime(2026, 6, 15), deliver=sent.append).sent == 0
        _update(team.challenge, owner, datetime(2026, 6, 12))
        assert send_reminders(AT_6_MONTHS, deliver=sent.append).sent == 0
    assert sent == []


def test_a_message_that_cannot_go_is_not_recorded_and_goes_next_time(app, event, owner):
    def fail(_message):
        raise OSError("connection refused")

    with app.test_request_context():
        report = send_reminders(AT_3_MONTHS, deliver=fail)
        assert (report.sent, report.failed) == (0, 1)
        assert db.session.scalar(select(func.count(FollowUpReminder.id))) == 0
        sent = []
        assert send_reminders(AT_3_MONTHS, deliver=sent.append).sent == 1


def test_the_command_sends_through_smtp_and_is_idempotent(app, event, owner, member, smtp):  # noqa: F811
    runner = app.test_cli_runner()
    args = ["send-follow-up-reminders", "--now", "2026-04-10T08:00:00"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "2\u00a0rappels envoyés." in result.output
    assert len(smtp.wait_for(2)) == 2
    assert "Qu’est devenu le défi 1" in smtp.messages[0]["Subject"]
    result = runner.invoke(args=args)
    assert "0\u00a0rappel envoyé." in result.output
    assert len(smtp.messages) == 2


def test_the_command_says_when_no_mail_server_is_configured(app, event, owner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    result = app.test_cli_runner().invoke(args=["send-follow-up-reminders"])
    assert result.exit_code != 0 and "MAIL_SERVER" in result.output


@pytest.mark.parametrize(
    ("last_news", "today", "quiet"),
    [
        (None, date(2026, 4, 9), False),  # the event ended less than 3 months ago
        (None, date(2026, 4, 10), True),
        (datetime(2026, 2, 1), date(2026, 5, 1), True),
        (datetime(2026, 2, 1), date(2026, 4, 30), False),
    ],
)
def test_quiet_challenges(event, team, owner, last_news, today, quiet):
    follow_up = None
    if last_news:
        _update(team.challenge, owner, last_news)
        from facilitate.followup.services import follow_up_of

        follow_up = follow_up_of(team.challenge)
    assert is_quiet(event, follow_up, today) is quiet
