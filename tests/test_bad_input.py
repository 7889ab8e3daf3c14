"""Whatever an organiser's browser (or anyone) sends, the answer is never a 500 and nothing
half-done is saved."""

import pytest
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.models import AuditEntry, Challenge, Membership
from tests.factories import sign_in

GARBAGE = [
    {},
    {"number": "x" * 5000, "question": "\x00", "theme_id": "999999"},
    {"list_action": "stakeholders:99:up"},
    {"list_action": "nonsense"},
    {"list_action": "themes:-1:remove"},
    {
        "name": "",
        "slug": "../../etc",
        "starts_at": "yesterday",
        "ends_at": "2026-13-45T99:99",
        "timezone": "Mars/Olympus",
    },
    {"min_size": "-3", "max_size": "abc", "seed": "zz", "fingerprint": "x", "save": "1"},
    {"user_id": "abc", "team_id": "9999999999999999999999"},
    {"content": "not base64!!", "filename": "../x.csv"},
    {"number": "9" * 400, "min_size": "9" * 400, "max_size": "-" + "9" * 400, "minutes": "9" * 400},
    {"role": "king", "team_id": "-1", "email": "not-an-email"},
]

POST_URLS = [
    "/events/new",
    "/events/{slug}/edit",
    "/events/{slug}/clone",
    "/events/{slug}/challenges/new",
    "/events/{slug}/challenges/1/edit",
    "/events/{slug}/challenges/1/owners",
    "/events/{slug}/challenges/import",
    "/events/{slug}/people/new",
    "/events/{slug}/people/{person}/edit",
    "/events/{slug}/people/import",
    "/events/{slug}/teams/placement",
    "/events/{slug}/teams/place/{person}",
    "/events/{slug}/teams/unplace/999999",
    "/events/{slug}/history/999999/undo",
    "/events/{slug}/badges/issue-missing-codes",
    "/events/{slug}/badges/printed",
    "/events/{slug}/organise/stands/posters/printed",
]


@pytest.mark.parametrize("url", POST_URLS)
def test_malformed_posts_never_crash_and_change_nothing(client, make, url):
    event = make.event(challenges=2, themes=1)
    person = make.participant(event)
    sign_in(client, make.organiser(event, is_organiser=True))
    counts = lambda: (  # noqa: E731
        db.session.scalar(select(func.count(Challenge.id))),
        db.session.scalar(select(func.count(Membership.id))),
    )
    before = counts()
    for data in GARBAGE:
        response = client.post(url.format(slug=event.slug, person=person.id), data=data)
        assert response.status_code < 500, (url, data, response.status_code)
    assert counts() == before
    # Only the one action that is harmless by design (issuing missing codes) may be recorded.
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert actions <= {"codes.issued"}


@pytest.mark.parametrize(
    "url",
    [
        "/events/{slug}/challenges/abc/edit",
        "/events/{slug}/challenges/0/edit",
        "/events/{slug}/people/0/edit",
        "/events/{slug}/people/abc/edit",
        "/events/{slug}/challenges/export.pdf",
        "/events/{slug}/badges?team=abc",
        "/events/{slug}/history?before=abc",
    ],
)
def test_odd_addresses_are_404_or_fine_never_500(client, make, url):
    event = make.event(challenges=1)
    sign_in(client, make.organiser(event))
    assert client.get(url.format(slug=event.slug)).status_code in (200, 404)


WORKSPACE_POSTS = [
    "/workspace/framing",
    "/workspace/personas",
    "/workspace/personas/999999/remove",
    "/workspace/journal",
    "/workspace/stage",
    "/workspace/ideas",
    "/workspace/ideas/999999/dot",
    "/workspace/ideas/999999/retain",
    "/workspace/ideas/999999/endorse",
    "/workspace/ideas/999999/comments",
    "/workspace/prototype",
    "/workspace/pitch",
    "/workspace/feedback",
    "/workspace/files",
    "/workspace/files/999999/delete",
]
WORKSPACE_GARBAGE = [
    *GARBAGE,
    {"stage": "nowhere", "action": "steal", "prototype_kind": "rocket", "pitch": "x" * 100_000},
    {
        "base_working_question": "x" * 300,
        "working_question": "\x00" * 10,
        "stakeholders-99999": "A",
    },
    {"file": "not a file", "consent": "maybe"},
]


@pytest.mark.parametrize("path", WORKSPACE_POSTS)
def test_malformed_workspace_posts_never_crash(client, make, app, tmp_path, monkeypatch, path):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    event = make.event(challenges=1)
    team = event.challenges[0].team
    organiser = make.organiser(event)  # may do everything: the input alone must be refused
    sign_in(client, organiser)
    for data in WORKSPACE_GARBAGE:
        response = client.post(f"/events/{event.slug}/teams/1{path}", data=data)
        assert response.status_code < 500, (path, data, response.status_code)
    db.session.refresh(team)
    assert team.stage.value == "framing" and team.pitch in (None, "")


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/stage/sideways",
        "/timer/start",
        "/timer/pause",
        "/timer/resume",
        "/timer/reset",
    ],
)
def test_malformed_dashboard_posts_never_crash(client, make, path):
    event = make.event(challenges=1)
    sign_in(client, make.organiser(event))
    for data in [*GARBAGE, {"minutes": "1e309"}, {"minutes": "-0"}, {"minutes": "9" * 400}]:
        assert client.post(f"/events/{event.slug}{path}", data=data).status_code < 500
