"""Badges and posters printed by batches (issue 13, item 3): every badge in exactly one batch,
the batches as links, "mark as printed" for exactly the documents shown, the badges and posters
not yet printed, and what makes a printed one out of date (a new code, name, organisation,
stand number or place)."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from facilitate.accounts.organisers import remove_organiser
from facilitate.extensions import db
from facilitate.models import AuditEntry, Membership, Role, Team
from facilitate.models._types import utcnow
from facilitate.printing import services
from facilitate.printing.batches import Batches, batch_number, marks_field, read_marks
from tests import factories
from tests.test_printing import add_participants, badges_of

NAME = re.compile(r'class="badge__name[^"]*">([^<]+)</h2>')
MARKS = re.compile(r'name="marks" type="hidden" value="([^"]*)"')
ACTION = re.compile(r'<form class="print-printed" method="post" action="([^"]+)"')


@pytest.fixture
def client(client):
    """The pages in English, to read their text against the source strings."""
    client.set_cookie("facilitate_lang", "en")
    return client


def organiser_in(client, make, event):
    organiser = make.organiser(event, password=None)
    factories.sign_in(client, organiser)
    return organiser


def names(page: str) -> list[str]:
    return [unescape(name) for name in NAME.findall(page)]


def marks_of(page: str) -> str:
    return unescape(MARKS.search(page).group(1))


def mark(client, page: str):
    """Press the page's "Mark as printed" button."""
    return client.post(unescape(ACTION.search(page).group(1)), data={"marks": marks_of(page)})


def printed_at(*people) -> list:
    return [factories.attendance(person).badge_printed_at for person in people]


# --- Batches, as arithmetic --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "asked", "shown", "first", "last", "count", "noted"),
    [
        (250, None, 1, 1, 100, 3, None),
        (250, 3, 3, 201, 250, 3, None),
        (250, 4, 3, 201, 250, 3, 4),
        (250, -2, 1, 1, 100, 3, -2),
        (250, 0, 1, 1, 100, 3, 0),
        (100, 2, 1, 1, 100, 1, 2),
        (0, None, 1, 0, 0, 1, None),
        (0, 5, 1, 0, 0, 1, 5),
    ],
)
def test_a_batch_asked_out_of_range_is_the_nearest(total, asked, shown, first, last, count, noted):
    batches = Batches.of(total, 100, asked)
    assert (batches.current.number, batches.current.first, batches.current.last) == (
        shown,
        first,
        last,
    )
    assert (batches.count, batches.asked) == (count, noted)
    assert len(batches.cut(list(range(total)))) == (last - first + 1 if total else 0)


@pytest.mark.parametrize(
    ("total", "shown", "leaving", "after"),
    [
        (250, 1, False, 2),
        (250, 3, False, 3),
        (250, 1, True, 1),
        (250, 3, True, 2),  # 200 left: two batches
        (201, 3, True, 2),
        (100, 1, True, 1),
        (0, 1, True, 1),
    ],
)
def test_after_marking_comes_the_batch_holding_the_next_documents(total, shown, leaving, after):
    assert Batches.of(total, 100, shown).after_marking(leaving) == after


@pytest.mark.parametrize(
    ("value", "number"),
    [("3", 3), (" 12 ", 12), ("-1", -1), ("", None), (None, None), ("abc", None), ("1.5", None)]
    + [("9" * 13, None), ("١٢", None), ("\x00", None), ("--2", None)],
)
def test_batch_numbers_are_read_or_ignored(value, number):
    assert batch_number(value) == number


def test_marks_read_back_what_they_wrote_and_refuse_anything_else():
    written = marks_field([(12, "0123456789abcdef"), (7, "fedcba9876543210")])
    assert read_marks(written) == {12: "0123456789abcdef", 7: "fedcba9876543210"}
    for bad in ("", None, "12", "12.xyz", "a.0123456789abcdef", "12.0123456789ABCDEF", "-1.x"):
        assert read_marks(bad) is None, bad
    assert read_marks(" ".join(["1.0123456789abcdef"] * 501)) is None


# --- Badges by batches -------------------------------------------------------------------------


def test_every_badge_is_in_exactly_one_batch(client, make, monkeypatch):
    monkeypatch.setattr(services, "BADGES_PER_BATCH", 10)
    event = make.event(challenges=3)
    people = add_participants(event, 23, teams=[c.team for c in event.challenges])
    organiser_in(client, make, event)

    first = client.get(f"/events/{event.slug}/badges").text
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"/events/{event.slug}/badges?batch={number}").text
        seen += names(page)
        assert len(badges_of(page)) == [10, 10, 3][number - 1]
        assert f'aria-current="page">Batch {number}' in page
    assert sorted(seen) == sorted(p.name for p in people)  # nobody lost, nobody twice
    assert "23 badges" in first and "23 not yet printed" in first
    assert "batch 1 of 3 (badges 1 to 10)" in first
    for number, (start, end) in enumerate([(1, 10), (11, 20), (21, 23)], start=1):
        link = f'href="/events/{event.slug}/badges?batch={number}"'
        assert link in first, link
        assert f"({start} to {end})" in first


def test_batches_keep_the_selection_in_their_links(client, make, monkeypatch):
    monkeypatch.setattr(services, "BADGES_PER_BATCH", 2)
    event = make.event(challenges=2)
    team = event.challenges[0].team
    add_participants(event, 5, teams=[team])
    organiser_in(client, make, event)
    page = client.get(f"/events/{event.slug}/badges?team={team.id}&role=member").text
    assert f"/badges?batch=3&amp;team={team.id}&amp;role=member" in page
    assert len(badges_of(page)) == 2


@pytest.mark.parametrize(
    ("batch", "shown", "note"),
    [("99", 3, True), ("-4", 1, True), ("0", 1, True), ("abc", 1, False), ("2", 2, False)],
)
def test_a_batch_out_of_range_shows_the_nearest_with_a_note(
    client, make, monkeypatch, batch, shown, note
):
    monkeypatch.setattr(services, "BADGES_PER_BATCH", 10)
    event = make.event()
    add_participants(event, 23)
    organiser_in(client, make, event)
    response = client.get(f"/events/{event.slug}/badges?batch={batch}")
    assert response.status_code == 200
    assert f'aria-current="page">Batch {shown}' in response.text
    assert ("here is the nearest one" in response.text) == note


@pytest.mark.parametrize("query", ["printed=yes", "printed=1", "role=admin", "team=abc"])
def test_an_unknown_filter_is_not_found(client, make, query):
    event = make.event(challenges=1)
    organiser_in(client, make, event)
    assert client.get(f"/events/{event.slug}/badges?{query}").status_code == 404


def test_a_small_selection_is_one_batch_without_batch_links(client, make):
    event = make.event()
    add_participants(event, 3)
    organiser_in(client, make, event)
    page = client.get(f"/events/{event.slug}/badges").text
    assert len(badges_of(page)) == 3
    assert "Batch 1" not in page and "print-batches" not in page
    assert "Mark these badges as printed" in page
    response = mark(client, page)
    assert response.headers["Location"] == f"/events/{event.slug}/badges"  # no batch 2
    page = client.get(response.headers["Location"]).text
    assert "3 badges · 0 not yet printed" in page and "nearest" not in page


# --- Marking badges as printed -----------------------------------------------------------------


def test_marking_a_batch_marks_exactly_its_badges_then_they_leave_not_yet_printed(
    client, make, monkeypatch
):
    monkeypatch.setattr(services, "BADGES_PER_BATCH", 10)
    event = make.event()
    people = add_participants(event, 23)
    organiser = organiser_in(client, make, event)
    page = client.get(f"/events/{event.slug}/badges?batch=2").text
    batch_two = set(names(page))

    response = mark(client, page)

    assert response.status_code == 303
    assert response.headers["Location"] == f"/events/{event.slug}/badges?batch=3"
    marked = {p.name for p in people if factories.attendance(p).badge_printed_at is not None}
    assert marked == batch_two and len(marked) == 10
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.event_id == event.id))
    assert (entry.action, entry.details, entry.actor_id) == (
        "badges.printed",
        {"count": 10},
        organiser.id,
    )
    assert "10 badges marked as printed." in client.get(response.headers["Location"]).text

    todo = client.get(f"/events/{event.slug}/badges?printed=no").text
    assert "13 badges" in todo and not set(names(todo)) & batch_two
    assert '<option value="no" selected>' in todo
    every = client.get(f"/events/{event.slug}/badges").text
    assert "23 badges · 13 not yet printed" in every  # still all there, to print again


def test_marking_the_not_yet_printed_returns_to_the_same_batch_number(client, make, monkeypatch):
    monkeypatch.setattr(services, "BADGES_PER_BATCH", 10)
    event = make.event()
    add_participants(event, 23)
    organiser_in(client, make, event)
    for left in (13, 3, 0):
        page = client.get(f"/events/{event.slug}/badges?printed=no").text
        response = mark(client, page)
        assert response.headers["Location"] == f"/events/{event.slug}/badges?printed=no"
        assert len(badges_of(client.get(response.headers["Location"]).text)) == min(left, 10)
    page = client.get(f"/events/{event.slug}/badges?printed=no").text
    assert "Every badge of this selection has been printed." in page
    assert 'name="marks"' not in page


def test_a_badge_changed_since_the_page_was_shown_is_not_marked(client, make):
    event = make.event()
    kept, renewed, renamed, moved = (make.participant(event, name=n) for n in "ABCD")
    organiser_in(client, make, event)
    page = client.get(f"/events/{event.slug}/badges").text
    from facilitate.auth.services import issue_access_code

    issue_access_code(factories.attendance(renewed))
    factories.attendance(renamed).organisation = "Another organisation"
    db.session.flush()

    client.post(f"/events/{event.slug}/badges/printed", data={"marks": marks_of(page)})

    done = printed_at(kept, renewed, renamed, moved)
    assert [value is not None for value in done] == [True, False, False, True]
    shown = client.get(f"/events/{event.slug}/badges?printed=no").text
    assert sorted(names(shown)) == ["B", "C"]


def test_marks_of_another_event_or_malformed_change_nothing(client, make):
    event, other = make.event(), make.event()
    elsewhere = make.participant(other)
    mine = make.participant(event)
    organiser_in(client, make, event)
    theirs = factories.attendance(elsewhere)
    forged = marks_field(
        [(theirs.id, services.badge_digest(theirs.name, theirs.organisation, theirs.access_code))]
    )
    for marks in (forged, "", "1.2", "x" * 5000):
        response = client.post(f"/events/{event.slug}/badges/printed", data={"marks": marks})
        assert response.status_code == 303
    assert printed_at(mine) == [None]
    assert theirs.badge_printed_at is None
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0
    page = client.get(f"/events/{event.slug}/badges").text
    assert "Nothing was marked: reload the page and try again." in page


@pytest.mark.parametrize("count", [10, 120])
def test_a_batch_and_its_marking_run_a_fixed_number_of_queries(client, make, count_queries, count):
    event = make.event(challenges=14)
    add_participants(event, count, teams=[c.team for c in event.challenges])
    organiser_in(client, make, event)
    url = f"/events/{event.slug}/badges?batch=2"
    with count_queries() as queries:
        page = client.get(url).text
    assert len(badges_of(page)) == (count - 100 if count > 100 else count)
    # The session's user, their roles, the event, the teams, the participants and their roles.
    assert len(queries) == 6, queries
    url = f"/events/{event.slug}/badges/printed?batch=2"
    with count_queries() as queries:
        response = client.post(url, data={"marks": marks_of(page)})
    assert response.status_code == 303
    # The event, the user, their roles, the teams; the batch's rows read under lock, marked,
    # the history, the event's data version (dashboard/versions.py).
    assert len(queries) == 8, queries
    marked = db.session.scalar(
        select(func.count(Membership.id)).where(Membership.badge_printed_at.is_not(None))
    )
    assert marked == len(badges_of(page))


# --- What makes a printed badge out of date ---------------------------------------------------


def _printed(*people):
    for person in people:
        factories.attendance(person).badge_printed_at = utcnow()
    db.session.flush()


def test_a_new_code_a_new_name_or_organisation_puts_the_badge_back_to_print(client, make):
    event = make.event()
    coded, named, moved, revoked, same = (make.participant(event, name=n) for n in "ABCDE")
    _printed(coded, named, moved, revoked, same)
    organiser_in(client, make, event)

    client.post(f"/events/{event.slug}/people/{coded.id}/code")
    client.post(
        f"/events/{event.slug}/people/{named.id}/edit",
        data={"name": "B Renamed", "role": "member", "team_id": ""},
    )
    client.post(
        f"/events/{event.slug}/people/{moved.id}/edit",
        data={"name": "C", "organisation": "Région", "role": "member", "team_id": ""},
    )
    client.post(f"/events/{event.slug}/people/{revoked.id}/revoke")
    client.post(
        f"/events/{event.slug}/people/{same.id}/edit",
        data={"name": "E", "role": "member", "team_id": ""},
    )
    db.session.expire_all()

    assert [value is None for value in printed_at(coded, named, moved, revoked, same)] == [
        True,
        True,
        True,
        True,
        False,  # saved unchanged: still printed
    ]
    page = client.get(f"/events/{event.slug}/badges?printed=no").text
    assert sorted(names(page)) == ["A", "B Renamed", "C"]  # D has no code: no badge


def test_a_team_change_keeps_the_badge_printed(make):
    """Only what identifies the person resets the mark: their team is printed too, but
    placements move all through the event, and the code on the badge stays valid."""
    event = make.event(challenges=2)
    person = make.participant(event, name="A")
    _printed(person)
    db.session.add(
        Membership(user=person, event=event, team=event.challenges[1].team, role=Role.MEMBER)
    )
    db.session.flush()
    assert printed_at(person) != [None]


# --- Posters -----------------------------------------------------------------------------------


def _stands(make, count=3):
    event = make.event(challenges=count)
    teams = [c.team for c in event.challenges]
    for number, team in enumerate(teams, start=1):
        team.stand_number = number
    db.session.flush()
    return event, teams


def posters_in(page: str) -> list[str]:
    return re.findall(r'<article class="poster[^"]*" aria-labelledby="poster-(\d+)"', page)


def test_posters_by_team_and_not_yet_printed_then_marked(client, make):
    event, (a, b, c) = _stands(make)
    organiser = organiser_in(client, make, event)
    base = f"/events/{event.slug}/organise/stands/posters"

    every = client.get(base).text
    assert posters_in(every) == [str(a.id), str(b.id), str(c.id)]
    assert "3 numbered stands · 3 posters not yet printed" in every
    one = client.get(f"{base}?team={b.id}").text
    assert posters_in(one) == [str(b.id)]
    assert f'<option value="{b.id}" selected>' in one

    response = client.post(f"{base}/printed?team={b.id}", data={"marks": marks_of(one)})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{base}?team={b.id}"
    todo = client.get(f"{base}?printed=no").text
    assert posters_in(todo) == [str(a.id), str(c.id)]
    assert "3 numbered stands · 2 posters not yet printed" in todo

    client.post(f"{base}/printed?printed=no", data={"marks": marks_of(todo)})
    done = client.get(f"{base}?printed=no").text
    assert posters_in(done) == [] and "Every poster of this selection has been printed." in done
    entries = db.session.scalars(
        select(AuditEntry.details).where(AuditEntry.action == "posters.printed")
    ).all()
    assert entries == [{"count": 1}, {"count": 2}]
    assert {
        e.actor_id
        for e in db.session.scalars(select(AuditEntry).where(AuditEntry.event_id == event.id))
    } == {organiser.id}


def test_a_new_stand_number_or_place_puts_the_poster_back_to_print(client, make):
    event, (a, b, c) = _stands(make)
    for team in (a, b, c):
        team.poster_printed_at = utcnow()
    db.session.flush()
    organiser_in(client, make, event)
    base = f"/events/{event.slug}/organise/stands/posters"
    page = client.get(base).text  # shown before the change
    client.post(
        f"/events/{event.slug}/organise/stands",
        data={
            f"number_{a.id}": "7",
            f"place_{a.id}": "",
            f"number_{b.id}": "2",
            f"place_{b.id}": "Hall B",
            f"number_{c.id}": "3",
            f"place_{c.id}": "",
        },
    )
    db.session.expire_all()
    assert [t.poster_printed_at is None for t in (a, b, c)] == [True, True, False]
    assert posters_in(client.get(f"{base}?printed=no").text) == [str(b.id), str(a.id)]
    # The page shown before: its posters of a and b are out of date, not marked.
    client.post(f"{base}/printed", data={"marks": marks_of(page)})
    db.session.expire_all()
    assert [t.poster_printed_at is None for t in (a, b, c)] == [True, True, False]


@pytest.mark.parametrize("query", ["team=abc", "team=999999", "printed=maybe", "team=-1"])
def test_posters_of_an_unknown_team_or_state_are_not_found(client, make, query):
    event, _teams = _stands(make, 1)
    organiser_in(client, make, event)
    response = client.get(f"/events/{event.slug}/organise/stands/posters?{query}")
    assert response.status_code == 404


def test_posters_of_another_events_team_are_not_found(client, make):
    event, _teams = _stands(make, 1)
    other, (theirs,) = _stands(make, 1)
    organiser_in(client, make, event)
    url = f"/events/{event.slug}/organise/stands/posters?team={theirs.id}"
    assert client.get(url).status_code == 404


def test_one_poster_alone_can_be_marked_printed(client, make):
    event, (a, b, _c) = _stands(make)
    organiser_in(client, make, event)
    page = client.get(f"/events/{event.slug}/stands/2/poster").text
    response = client.post(
        f"/events/{event.slug}/organise/stands/posters/printed?team={b.id}",
        data={"marks": marks_of(page)},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert (a.poster_printed_at, b.poster_printed_at is not None) == (None, True)


@pytest.mark.parametrize("count", [3, 30])
def test_posters_and_their_marking_run_a_fixed_number_of_queries(
    client, make, count_queries, count
):
    event, _teams = _stands(make, count)
    organiser_in(client, make, event)
    base = f"/events/{event.slug}/organise/stands/posters"
    with count_queries() as queries:
        page = client.get(f"{base}?printed=no").text
    assert len(posters_in(page)) == count
    assert len(queries) == 6, queries
    with count_queries() as queries:
        client.post(f"{base}/printed", data={"marks": marks_of(page)})
    # The event, the user, their roles; the posters' rows read under lock, marked, the history,
    # the event's data version (dashboard/versions.py).
    assert len(queries) == 7, queries
    assert (
        db.session.scalar(select(func.count(Team.id)).where(Team.poster_printed_at.is_not(None)))
        == count
    )


# --- Who may mark -----------------------------------------------------------------------------

MARK_URLS = ["/events/{slug}/badges/printed", "/events/{slug}/organise/stands/posters/printed"]


def _marks_for(event, person, team) -> dict:
    """A well-formed form naming a badge and a poster of ``event``."""
    attendance = factories.attendance(person)
    return {
        "marks": marks_field(
            [
                (
                    attendance.id,
                    services.badge_digest(
                        attendance.name, attendance.organisation, attendance.access_code
                    ),
                ),
                (team.id, "0123456789abcdef"),
            ]
        )
    }


@pytest.mark.parametrize("url", MARK_URLS)
@pytest.mark.parametrize("who", ["participant", "other organiser", "removed organiser"])
def test_only_the_events_organisers_may_mark(client, make, url, who):
    event, (team,) = _stands(make, 1)
    person = make.participant(event, team=team)
    if who == "participant":
        factories.sign_in(client, person)
    elif who == "other organiser":
        organiser_in(client, make, make.event())
    else:
        keeper = make.organiser(event, password=None)
        removed = organiser_in(client, make, event)
        remove_organiser(event, removed, keeper)
        db.session.flush()
    response = client.post(url.format(slug=event.slug), data=_marks_for(event, person, team))
    assert response.status_code == 403
    assert printed_at(person) == [None] and team.poster_printed_at is None


@pytest.mark.parametrize("url", MARK_URLS)
def test_anonymous_people_are_sent_to_sign_in(client, make, url):
    event = make.event()
    response = client.post(url.format(slug=event.slug), data={"marks": "1.0123456789abcdef"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("url", MARK_URLS)
def test_marking_needs_the_forms_csrf_token(app, client, make, monkeypatch, url):
    event, (team,) = _stands(make, 1)
    person = make.participant(event, team=team)
    organiser_in(client, make, event)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(url.format(slug=event.slug), data=_marks_for(event, person, team))
    assert response.status_code == 400
    assert printed_at(person) == [None]
