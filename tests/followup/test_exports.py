"""Follow-up in the challenges' exports and the JSON API: the same fields, from one function."""

import io
from datetime import date, datetime

import openpyxl
from flask_babel import force_locale

from facilitate.api.auth import issue_api_token
from facilitate.challenges.export import (
    challenge_table,
)
from facilitate.extensions import db
from facilitate.followup.services import UpdateDetails, add_update
from facilitate.models import FollowUpStatus
from facilitate.spreadsheets.writing import write_xlsx
from tests.factories import code_of


def _news(event, organiser):
    add_update(
        event.challenges[1],
        organiser,
        UpdateDetails(date(2026, 3, 2), "Déployé.", FollowUpStatus.DEPLOYED, 75),
        datetime(2026, 4, 15),
    )
    db.session.commit()


def test_the_export_has_the_status_the_progress_and_the_last_updates_day(make, event):
    organiser = make.organiser(event)
    _news(event, organiser)
    headers, rows = challenge_table(event)
    assert headers[-3:] == [
        "Suivi\u00a0: statut",
        "Suivi\u00a0: avancement (%)",
        "Suivi\u00a0: dernière nouvelle",
    ]
    assert rows[0][-3:] == [None, None, None]
    assert rows[1][-3:] == ["Déployé", 75, date(2026, 3, 2)]
    with force_locale("en"):
        headers, rows = challenge_table(event)
    assert headers[-3:] == [
        "Follow-up: status",
        "Follow-up: progress (%)",
        "Follow-up: last update",
    ]
    assert rows[1][-3] == "Deployed"
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(headers, rows, "Défis"))).active
    assert sheet.cell(row=3, column=len(headers) - 1).value == 75
    assert sheet.cell(row=3, column=len(headers)).value.date() == date(2026, 3, 2)


def test_the_api_lists_the_challenges_with_their_follow_up(client, make, event):
    organiser = make.organiser(event)
    _news(event, organiser)
    _user, token = issue_api_token(organiser.email)
    db.session.commit()
    response = client.get(
        f"/api/v1/events/{event.slug}/challenges", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    listed = response.json
    assert [c["number"] for c in listed] == [1, 2, 3]
    assert listed[0]["follow_up"] == {
        "status": None,
        "status_label": None,
        "progress": None,
        "last_update_on": None,
    }
    assert listed[1]["follow_up"] == {
        "status": "deployed",
        "status_label": "Déployé",
        "progress": 75,
        "last_update_on": "2026-03-02",
    }


def test_the_api_refuses_people_of_another_event(client, make, event):
    outsider = make.participant(make.event(challenges=1))
    db.session.commit()
    response = client.get(
        f"/api/v1/events/{event.slug}/challenges",
        headers={"Authorization": f"Bearer {code_of(outsider)}"},
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
