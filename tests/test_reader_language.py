"""English is complete: what the app writes by itself (journal entries, dates, time zones) reads in
the reader's language, in the venue's time, whoever caused it and in whatever language."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from facilitate.accounts.emails import invitation_email
from facilitate.extensions import db
from facilitate.i18n import local_time
from facilitate.models import (
    Idea,
    Invitation,
    JournalEntry,
    Membership,
    PlannedStage,
    Role,
    Stage,
)
from facilitate.models._types import utc_from_local
from facilitate.privacy.own_data import (
    personal_data,
)
from tests.factories import sign_in

NBSP = "\u00a0"
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
# 07:41 UTC is 11:41 in La Réunion (UTC+4), 08:41 in Paris in winter. This year's: a moment of
# another year is written with its year.
MOMENT = datetime(datetime.now(UTC).year, 12, 4, 7, 41)
# A Friday, for the programme (which names the day of the week, never the year).
FRIDAY = datetime(2026, 12, 4, 7, 41)


@pytest.fixture
def reunion(make):
    """A team in La Réunion and its facilitator, who writes in French."""
    event = make.event(
        challenges=1,
        timezone="Indian/Reunion",
        starts_at=utc_from_local(datetime(2026, 12, 3, 9, 0), "Indian/Reunion"),
    )
    team = event.challenges[0].team
    facilitator = make.participant(event)
    db.session.add(Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR))
    db.session.commit()
    return {"event": event, "team": team, "facilitator": facilitator}


def _workspace(event) -> str:
    return f"/events/{event.slug}/teams/1/workspace"


def _stamp_journal(team, moment=MOMENT) -> None:
    for entry in db.session.scalars(select(JournalEntry).where(JournalEntry.team_id == team.id)):
        entry.created_at = moment
    db.session.commit()


def test_a_stage_change_reads_in_each_readers_language_in_the_venues_time(client, reunion):
    sign_in(client, reunion["facilitator"])
    url = _workspace(reunion["event"])
    client.post(f"{url}/stage", data={"stage": "ideation"}, headers=FRENCH)
    _stamp_journal(reunion["team"])
    entry = db.session.scalar(select(JournalEntry))
    assert (entry.kind, entry.params) == ("stage_changed", {"old": "framing", "new": "ideation"})

    french = client.get(url, headers=FRENCH).text
    assert "Changement d’étape" + NBSP + ": Cadrage → Idéation." in french
    assert f"4 décembre à 11{NBSP}h{NBSP}41" in french

    english = client.get(url, headers=ENGLISH).text
    assert "Stage changed: Framing → Ideation." in english
    assert "4 December at 11:41" in english
    assert "Changement" not in english and "décembre" not in english


def test_a_retained_idea_reads_in_each_readers_language(client, reunion):
    idea = Idea(team_id=reunion["team"].id, title="Une navette partagée")
    db.session.add(idea)
    db.session.commit()
    sign_in(client, reunion["facilitator"])
    url = _workspace(reunion["event"])
    client.post(
        f"{url}/ideas/{idea.id}/retain",
        data={f"retain-{idea.id}-reason": "Elle relie les hauts et le littoral."},
        headers=ENGLISH,
    )
    assert "Idea retained: “Une navette partagée”. Why: Elle relie les hauts et le littoral." in (
        client.get(url, headers=ENGLISH).text
    )
    french = client.get(url, headers=FRENCH).text
    assert (
        f"Idée retenue{NBSP}: «{NBSP}Une navette partagée{NBSP}». "
        f"Pourquoi{NBSP}: Elle relie les hauts et le littoral."
    ) in french


def test_a_persons_own_entry_stays_in_their_words(client, reunion):
    sign_in(client, reunion["facilitator"])
    url = _workspace(reunion["event"])
    client.post(f"{url}/journal", data={"body": "Stage changed: a joke."}, headers=ENGLISH)
    assert "Stage changed: a joke." in client.get(url, headers=FRENCH).text


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (FRENCH, f"4 décembre à 11{NBSP}h{NBSP}41"),
        (ENGLISH, "4 December at 11:41"),
    ],
)
def test_moments_read_in_the_readers_language_in_the_venues_time(app, headers, expected):
    with app.test_request_context(headers=headers):
        assert local_time(MOMENT, "Indian/Reunion") == expected
        # The same moment in Paris is three hours earlier (UTC+1 in December).
        assert local_time(MOMENT, "Europe/Paris", "time") == expected.split(" ")[-1].replace(
            "11", "8" if headers is FRENCH else "08"
        )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (FRENCH, f"1er juillet 2018 à 9{NBSP}h{NBSP}00"),
        (ENGLISH, "1 July 2018 at 09:00"),
    ],
)
def test_the_first_of_the_month_and_other_years_read_in_full(app, headers, expected):
    with app.test_request_context(headers=headers):
        assert local_time(datetime(2018, 7, 1, 7, 0), "Europe/Paris") == expected


def test_the_programme_reads_in_the_venues_time_under_its_zones_name(client, reunion):
    event = reunion["event"]
    db.session.add(PlannedStage(event=event, stage=Stage.IDEATION, starts_at=FRIDAY))
    db.session.commit()
    page = f"/events/{event.slug}"
    french = client.get(page, headers=FRENCH).text
    assert "Heure de La Réunion (UTC+4)" in french
    assert f"vendredi 4 décembre à 11{NBSP}h{NBSP}41" in french
    english = client.get(page, headers=ENGLISH).text
    assert "La Réunion time (UTC+4)" in english
    assert "Friday 4 December at 11:41" in english
    assert "Indian/Reunion" not in french + english


def test_the_event_form_offers_time_zones_by_name_and_offset(client, make):
    event = make.event()
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    french = client.get(f"/events/{event.slug}/edit", headers=FRENCH).text
    assert "La Réunion (UTC+4)" in french
    assert "France métropolitaine (UTC+1, UTC+2 en été)" in french
    english = client.get(f"/events/{event.slug}/edit", headers=ENGLISH).text
    assert "Mainland France (UTC+1, UTC+2 in summer)" in english


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (FRENCH, f"jusqu’au 4 décembre à 11{NBSP}h{NBSP}41 (heure de La Réunion)"),
        (ENGLISH, "until 4 December at 11:41 (La Réunion time)"),
    ],
)
def test_an_invitation_mail_says_until_when_in_the_venues_time(app, reunion, headers, expected):
    invitation = Invitation(
        event=reunion["event"],
        email="helene@example.org",
        name="Hélène",
        role=Role.FACILITATOR,
        secret_digest="x" * 64,
        issued_at=MOMENT,
        expires_at=MOMENT,
    )
    with app.test_request_context(headers=headers):
        mail = invitation_email(invitation, "https://example.org/i/x", reunion["facilitator"])
    assert expected in mail.get_content()


def test_ones_own_data_tells_automatic_entries_in_ones_language(app, client, reunion):
    sign_in(client, reunion["facilitator"])
    client.post(f"{_workspace(reunion['event'])}/stage", data={"stage": "ideation"})
    with app.test_request_context(headers=ENGLISH):
        data = personal_data(reunion["event"], reunion["facilitator"])
    assert [entry["body"] for entry in data["journal"]] == ["Stage changed: Framing → Ideation."]
