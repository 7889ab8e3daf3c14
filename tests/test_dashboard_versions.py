"""The dashboard's and the room screen's polls answer 304 from the event's data version
(facilitate/dashboard/versions.py): 304 while nothing changed, 200 after each kind of change,
whoever made it and however it was written; and only to the people who may see them."""

import pytest
from sqlalchemy import delete, update

from facilitate.dashboard import services
from facilitate.extensions import db
from facilitate.kept import Kept
from facilitate.models import (
    Dot,
    FeedbackEntry,
    Idea,
    Membership,
    Persona,
    PrototypeFile,
    Role,
    Stage,
    Team,
)
from tests.factories import sign_in


@pytest.fixture
def site(app, client, make):
    """An event with two teams, its organiser signed in on ``client``, a member of team 1
    signed in on ``site.member_client``."""
    event = make.event(challenges=2, themes=2)
    team = event.challenges[0].team
    member = make.participant(event, team=team)
    second = make.participant(event, team=team)
    facilitator = make.user(name="Dominique Facilitatrice")
    db.session.add(Membership(user=facilitator, event=event, team=team, role=Role.FACILITATOR))
    organiser = make.organiser(event)
    db.session.commit()
    sign_in(client, organiser)
    member_client = app.test_client()
    sign_in(member_client, member)

    class Site:
        pass

    s = Site()
    s.event, s.team, s.member, s.second, s.facilitator = event, team, member, second, facilitator
    s.organiser, s.member_client = organiser, member_client
    s.polls = [f"/events/{event.slug}/dashboard/teams", f"/events/{event.slug}/room/state"]
    s.workspace = f"/events/{event.slug}/teams/1/workspace"
    return s


def _tags(client, site) -> list[str]:
    """The ETags the screens hold now, after checking that asking again finds nothing new."""
    tags = []
    for url in site.polls:
        response = client.get(url)
        assert response.status_code == 200
        tag = response.headers["ETag"]
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
        tags.append(tag)
    return tags


def _changes_when(client, site, write, room_too: bool = False) -> None:
    """``write`` then commit: the polls get a new version."""
    tags = _tags(client, site)
    write()
    db.session.commit()
    _assert_changed(client, site, tags, room_too)


def _assert_changed(client, site, tags, room_too: bool = True) -> None:
    """The dashboard (and the room screen, for what it shows) get the new version."""
    teams = client.get(site.polls[0], headers={"If-None-Match": tags[0]})
    assert teams.status_code == 200 and teams.headers["ETag"] != tags[0]
    room = client.get(site.polls[1], headers={"If-None-Match": tags[1]})
    if room_too:
        assert room.status_code == 200 and room.headers["ETag"] != tags[1]
    # And then nothing new again.
    assert (
        client.get(site.polls[0], headers={"If-None-Match": teams.headers["ETag"]}).status_code
        == 304
    )


def test_nothing_new_answers_304_with_no_body_and_no_cache(client, site):
    tags = _tags(client, site)
    for url, tag in zip(site.polls, tags, strict=True):
        response = client.get(url, headers={"If-None-Match": tag})
        assert response.status_code == 304 and response.data == b""
        assert response.headers["ETag"] == tag
        assert "no-cache" in response.headers["Cache-Control"]
        assert "private" in response.headers["Cache-Control"]


# --- Each source of change, the way it happens in the app ---------------------------------------


def test_a_team_moving_stage(client, site):
    tags = _tags(client, site)
    response = client.post(f"{site.workspace}/stage", data={"stage": "ideation"})
    assert response.status_code == 303
    _assert_changed(client, site, tags)
    assert 'data-stage="ideation"' in client.get(site.polls[0]).text


def test_an_idea_added(client, site):
    tags = _tags(client, site)
    response = site.member_client.post(
        f"{site.workspace}/ideas", data={"idea-title": "Un guichet unique"}
    )
    assert response.status_code == 303
    _assert_changed(client, site, tags, room_too=False)


def test_a_dot_placed(client, site):
    idea = Idea(team_id=site.team.id, title="Une idée", author_id=site.member.id)
    db.session.add(idea)
    db.session.commit()
    tags = _tags(client, site)
    response = site.member_client.post(
        f"{site.workspace}/ideas/{idea.id}/dot", data={"action": "place"}
    )
    assert response.status_code == 303
    assert db.session.query(Dot).count() == 1
    _assert_changed(client, site, tags, room_too=False)


def test_the_countdown_started_paused_resumed_reset(client, site):
    base = f"/events/{site.event.slug}/timer"
    for action, data in (
        ("start", {"minutes": "10"}),
        ("pause", {}),
        ("resume", {}),
        ("reset", {}),
    ):
        tags = _tags(client, site)
        assert client.post(f"{base}/{action}", data=data).status_code == 303, action
        _assert_changed(client, site, tags)


def test_the_event_moving_stage(client, site):
    tags = _tags(client, site)
    assert client.post(f"/events/{site.event.slug}/dashboard/stage/next").status_code == 303
    _assert_changed(client, site, tags)
    assert client.get(site.polls[1]).json["stage"] == "ideation"


def test_a_member_joining_and_leaving_a_team(client, site, make):
    newcomer = []
    _changes_when(
        client, site, lambda: newcomer.append(make.participant(site.event, team=site.team))
    )
    membership = db.session.query(Membership).filter_by(user_id=newcomer[0].id, role=Role.MEMBER)
    _changes_when(client, site, lambda: db.session.delete(membership.one()))


def test_a_facilitator_renamed(client, site):
    _changes_when(client, site, lambda: setattr(site.facilitator, "name", "Dominique Renommée"))
    assert "Dominique Renommée" in client.get(site.polls[0]).text


@pytest.mark.parametrize("model", [Persona, PrototypeFile, FeedbackEntry])
def test_work_the_checklist_counts_added_then_removed(client, site, model):
    """Written straight to the database, as no route would (routes also touch the team)."""
    fields = {
        Persona: {"name": "Aïcha"},
        PrototypeFile: {
            "storage_name": "x" * 32,
            "original_name": "x.jpg",
            "content_type": "image/jpeg",
            "size_bytes": 1,
        },
        FeedbackEntry: {"body": "Clair."},
    }[model]
    row = model(team_id=site.team.id, **fields)
    _changes_when(client, site, lambda: db.session.add(row))
    _changes_when(client, site, lambda: db.session.delete(row))


def test_a_team_field_changed_without_touching_its_activity(client, site):
    _changes_when(client, site, lambda: setattr(site.team, "working_question", "Comment ?"))


def test_statements_around_the_flush_count_too(client, site):
    """An UPDATE or DELETE run through the session without naming its event (``of_event``)
    names no rows the flush sees: every event's version changes."""
    tags = _tags(client, site)
    db.session.execute(update(Team).where(Team.id == site.team.id).values(stage=Stage.PROTOTYPING))
    db.session.commit()
    _assert_changed(client, site, tags)
    tags = _tags(client, site)
    db.session.execute(
        delete(Membership).where(
            Membership.user_id == site.second.id, Membership.role == Role.MEMBER
        )
    )
    db.session.commit()
    _assert_changed(client, site, tags, room_too=False)


def test_a_rolled_back_change_changes_nothing(client, site):
    tags = _tags(client, site)
    site.team.stage = Stage.IDEATION
    db.session.flush()
    db.session.rollback()
    for url, tag in zip(site.polls, tags, strict=True):
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 304


def test_another_events_changes_leave_this_one_alone(client, site, make):
    other = make.event(challenges=1)
    db.session.commit()
    tags = _tags(client, site)
    other.challenges[0].team.stage = Stage.IDEATION
    other.stage = Stage.IDEATION
    db.session.commit()
    for url, tag in zip(site.polls, tags, strict=True):
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 304


# --- What else the ETag is made of ---------------------------------------------------------------


def test_the_etag_differs_by_language_and_theme_filter(client, site):
    url = site.polls[0]
    french = client.get(url, headers={"Accept-Language": "fr"})
    english = client.get(url, headers={"Accept-Language": "en"})
    assert french.headers["ETag"] != english.headers["ETag"]
    assert (
        client.get(
            url, headers={"Accept-Language": "en", "If-None-Match": french.headers["ETag"]}
        ).status_code
        == 200
    )
    theme = site.event.themes[0]
    filtered = client.get(f"{url}?theme={theme.id}")
    assert filtered.headers["ETag"] != french.headers["ETag"]
    assert (
        client.get(
            f"{url}?theme={theme.id}", headers={"If-None-Match": french.headers["ETag"]}
        ).status_code
        == 200
    )
    assert (
        client.get(
            f"{url}?theme={theme.id}", headers={"If-None-Match": filtered.headers["ETag"]}
        ).status_code
        == 304
    )
    room_fr = client.get(site.polls[1], headers={"Accept-Language": "fr"})
    room_en = client.get(site.polls[1], headers={"Accept-Language": "en"})
    assert room_fr.headers["ETag"] != room_en.headers["ETag"]
    assert room_en.json["stage_label"] == "Framing" and room_fr.json["stage_label"] == "Cadrage"


@pytest.mark.parametrize("theme", ['1"2', "x" * 300, "-1", "1,2"])
def test_a_strange_theme_parameter_makes_a_well_formed_etag(client, site, theme):
    response = client.get(site.polls[0], query_string={"theme": theme})
    assert response.status_code == 200
    tag = response.headers["ETag"]
    assert tag.count('"') == 2 and "," not in tag and len(tag) < 100
    assert (
        client.get(
            site.polls[0], query_string={"theme": theme}, headers={"If-None-Match": tag}
        ).status_code
        == 304
    )


def test_the_pages_carry_the_etag_their_polls_answer(client, site):
    teams = client.get(site.polls[0]).headers["ETag"].strip('"')
    room = client.get(site.polls[1]).headers["ETag"].strip('"')
    assert f'data-etag="{teams}"' in client.get(f"/events/{site.event.slug}/dashboard").text
    assert f'data-etag="{room}"' in client.get(f"/events/{site.event.slug}/room").text


# --- Cost and who may poll ---------------------------------------------------------------------


def test_a_poll_finding_nothing_new_reads_the_person_and_the_event_only(
    client, make, count_queries
):
    counts = []
    for size in (3, 60):
        event = make.event()
        for number in range(1, size + 1):
            make.participant(event, team=make.challenge(event, number=number).team)
        organiser = make.organiser(event)
        db.session.commit()
        sign_in(client, organiser)
        for path in ("dashboard/teams", "room/state"):
            url = f"/events/{event.slug}/{path}"
            tag = client.get(url).headers["ETag"]
            with count_queries() as queries:
                assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
            counts.append((path, len(queries)))
    assert counts[:2] == counts[2:]
    # The signed-in person, the event and their roles there, in one statement.
    assert all(n == 1 for _path, n in counts), counts


def _get_all(client, slug, tag=None):
    headers = {"If-None-Match": tag} if tag else {}
    return {
        path: client.get(f"/events/{slug}/{path}", headers=headers).status_code
        for path in ("dashboard", "dashboard/teams", "room", "room/state")
    }


def test_an_organiser_of_another_event_sees_neither(client, site, make):
    tag = client.get(site.polls[0]).headers["ETag"]  # an ETag does not open the door
    other = make.event()
    stranger = make.organiser(other)
    db.session.commit()
    sign_in(client, stranger)
    assert set(_get_all(client, site.event.slug, tag).values()) == {403}


def test_a_removed_co_organiser_loses_the_dashboard_at_the_next_poll(client, site, make):
    colleague = make.organiser(site.event)
    db.session.commit()
    sign_in(client, colleague)
    tag = client.get(site.polls[0]).headers["ETag"]
    assert client.get(site.polls[0], headers={"If-None-Match": tag}).status_code == 304
    db.session.execute(
        delete(Membership).where(
            Membership.user_id == colleague.id, Membership.role == Role.ORGANISER
        )
    )
    db.session.commit()
    assert set(_get_all(client, site.event.slug, tag).values()) == {403}


def test_a_participant_sees_the_room_screen_not_the_dashboard(site):
    statuses = _get_all(site.member_client, site.event.slug)
    assert statuses == {"dashboard": 403, "dashboard/teams": 403, "room": 200, "room/state": 200}


def test_an_unknown_event_is_not_found(client, site):
    assert set(_get_all(client, "no-such-event").values()) == {404}


def test_anonymous_people_are_sent_to_sign_in(app, site):
    anonymous = app.test_client()
    for path, status in _get_all(anonymous, site.event.slug).items():
        assert status == 302, path


def test_a_weakened_etag_still_matches(client, site):
    """A proxy compressing the answer (nginx's gzip) turns the ETag into a weak one."""
    for url in site.polls:
        tag = client.get(url).headers["ETag"]
        assert client.get(url, headers={"If-None-Match": f"W/{tag}"}).status_code == 304


def test_a_savepoint_leaves_the_version_to_the_outermost_commit(client, site):
    """Changing it inside a savepoint would hold the event's row lock while the transaction
    goes on taking others."""
    tags = _tags(client, site)
    version = site.event.data_version
    with db.session.begin_nested():
        site.team.stage = Stage.IDEATION
    db.session.refresh(site.event)
    assert site.event.data_version == version
    db.session.commit()
    _assert_changed(client, site, tags)


def test_a_table_rendered_once_is_reused_in_its_language_only(client, site):
    url = f"/events/{site.event.slug}/dashboard"
    french = client.get(url, headers={"Accept-Language": "fr"}).text
    english = client.get(url, headers={"Accept-Language": "en"}).text
    assert "Dernière activité" in french and "Last activity" not in french
    assert "Last activity" in english and "Dernière activité" not in english
    again = client.get(site.polls[0], headers={"Accept-Language": "fr"}).text
    assert "Dernière activité" in again


def test_the_rendered_tables_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(services, "_rendered", Kept(services.RENDERED_KEPT))
    renders = []
    for n in range(37):
        services.rendered_once(1, f"tag-{n}", lambda n=n: renders.append(n) or f"<table {n}>")
    assert len(services._rendered) == services.RENDERED_KEPT
    assert services.rendered_once(1, "tag-36", lambda: "again") == "<table 36>"
    assert services.rendered_once(1, "tag-0", lambda: "again") == "again"  # the oldest went
    assert renders == list(range(37))  # each once: the hit rendered nothing


def test_setting_a_value_it_already_had_changes_nothing(client, site):
    tags = _tags(client, site)
    site.team.stage = site.team.stage
    site.facilitator.name = site.facilitator.name
    db.session.commit()
    for url, tag in zip(site.polls, tags, strict=True):
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 304


def test_an_announcement_posted_then_dismissed_reaches_the_room_screen(client, site):
    base = f"/events/{site.event.slug}/organise/programme/announcement"
    tags = _tags(client, site)
    assert client.post(base, data={"text": "Le déjeuner est servi."}).status_code == 303
    _assert_changed(client, site, tags)
    state = client.get(site.polls[1]).json
    assert state["announcement"]["text"] == "Le déjeuner est servi."
    room = client.get(f"/events/{site.event.slug}/room").text
    assert 'id="screen-announcement"' in room and "Le déjeuner est servi." in room

    tags = _tags(client, site)
    assert client.post(f"{base}/dismiss").status_code == 303
    _assert_changed(client, site, tags)
    assert client.get(site.polls[1]).json["announcement"] is None
