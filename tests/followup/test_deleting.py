"""Deleting a challenge deletes its follow-up, which undoing the deletion does not bring back:
the confirmation page says so before the organiser confirms."""

from datetime import datetime

from facilitate.extensions import db
from facilitate.followup.services import UpdateDetails, add_update
from facilitate.models import FollowUpStatus
from tests.factories import sign_in
from tests.followup.conftest import owner_of


def test_the_confirmation_says_the_follow_up_goes_for_good(client, make, event, team):
    owner = owner_of(make, event, team)
    organiser = make.organiser(event)
    db.session.commit()
    now = datetime(2026, 4, 15, 10, 0)
    for day in (datetime(2026, 3, 2).date(), datetime(2026, 3, 9).date()):
        add_update(
            team.challenge, owner, UpdateDetails(day, "En test.", FollowUpStatus.TESTING, 20), now
        )
    db.session.commit()
    sign_in(client, organiser)
    page = client.get(f"/events/{event.slug}/challenges/1/delete").text
    assert (
        "2 nouvelles du suivi sont supprimées pour de bon\u00a0: annuler la suppression"
        " ne les fera pas revenir." in page
    )
    other = client.get(f"/events/{event.slug}/challenges/2/delete").text
    assert "du suivi" not in other
