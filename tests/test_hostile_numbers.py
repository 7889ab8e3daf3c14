"""Numbers nobody means, in every integer field and every list button of the HTML forms, and in
the API's JSON: refused with a message (a 400 or 404, a field's error, or an error flashed on
the way back), never a 500, and nothing changed.

Python's int() alone is no check: it takes "١٢" (Arabic-Indic) and "１２" (fullwidth) as 12,
refuses "²" although "²".isdigit() is true, and refuses more than 4,300 digits. Only the
digits 0 to 9 are numbers here (facilitate/numbers.py).

The fields were found with ``git grep -n -E 'IntegerField|WholeNumberField|coerce=|int\\(|
isdigit|type=int' facilitate``; ``<int:...>`` in addresses is capped by ``DatabaseInteger``.
"""

import json
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from facilitate.api.auth import issue_api_token
from facilitate.extensions import db
from facilitate.models import Ballot, Challenge, Stage, VoteStatus
from tests.factories import code_of, sign_in

HOSTILE = {
    "superscript two": "²",
    "Arabic-Indic twelve": "١٢",
    "fullwidth twelve": "１２",
    "5,000 digits": "9" * 5000,
    "minus one": "-1",
    "exponent": "1e3",
    "empty": "",
}

EVENT_FORM = {
    "name": "Événement",
    "timezone": "Europe/Paris",
    "starts_at": "2026-03-10T09:00",
    "ends_at": "2026-03-12T18:00",
}
SHEET = {"number": "7", "question": "Comment faire ?", "stakeholders-0": "Mairie"}
PERSON = {"name": "Alix Martin", "email": "alix@example.fr", "role": "member"}


@dataclass
class World:
    slug: str
    team_ids: list[int]
    theme_ids: list[int]
    attendee_id: int
    users: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One integer input: who sends it, where, under which name, beside what else; the values
    that are legitimate for it (an optional select's empty choice) are not sent."""

    who: str
    url: str
    name: str
    data: dict = field(default_factory=dict)
    # "form": the value in a field; "action": as the item number of every list button
    # ("<list>:<value>:up"...); "item": as an item's number in a list field's name
    # ("stakeholders-<value>").
    where: str = "form"
    lists: tuple[str, ...] = ()
    legitimate: tuple[str, ...] = ()


CASES = {
    # Challenge sheets (organisers).
    "sheet number": Case("organiser", "/challenges/new", "number", SHEET),
    "sheet number, edit": Case("organiser", "/challenges/1/edit", "number", SHEET),
    "sheet theme": Case("organiser", "/challenges/new", "theme_id", SHEET, legitimate=("",)),
    "sheet owner": Case("organiser", "/challenges/1/owners", "user_id"),
    "sheet list buttons": Case(
        "organiser",
        "/challenges/new",
        "list_action",
        SHEET,
        where="action",
        lists=("stakeholders", "users", "obstacles", "levers"),
    ),
    "sheet list buttons, edit": Case(
        "organiser",
        "/challenges/1/edit",
        "list_action",
        SHEET,
        where="action",
        lists=("stakeholders", "levers"),
    ),
    "sheet list items": Case("organiser", "/challenges/new", "stakeholders", SHEET, where="item"),
    # The event and its themes.
    "theme id": Case(
        "organiser", "/edit", "themes-0-id", {"themes-0-name": "Theme 1"}, legitimate=("",)
    ),
    "theme list buttons": Case(
        "organiser", "/edit", "list_action", where="action", lists=("themes",)
    ),
    "theme list items": Case("organiser", "/edit", "themes", where="item"),
    # Attendees, teams and placement.
    "attendee's team": Case("organiser", "/people/new", "team_id", PERSON, legitimate=("",)),
    "attendee's team, edit": Case(
        "organiser", "/people/{attendee}/edit", "team_id", PERSON, legitimate=("",)
    ),
    "placing in a team": Case("organiser", "/teams/place/{attendee}", "team_id"),
    "smallest team": Case("organiser", "/teams/placement", "min_size", {"max_size": "10"}),
    "largest team": Case("organiser", "/teams/placement", "max_size", {"min_size": "2"}),
    # Empty: the first proposal's draw.
    "placement draw": Case(
        "organiser",
        "/teams/placement",
        "seed",
        {"min_size": "2", "max_size": "10", "save": "1"},
        legitimate=("",),
    ),
    # The room, the stands and the vote.
    "countdown minutes": Case("organiser", "/timer/start", "minutes"),
    "votes per participant": Case("organiser", "/organise/vote/settings", "votes_per_participant"),
    "stand number": Case(
        "organiser",
        "/organise/stands",
        "number_{team}",
        {"place_{team}": "Hall A"},
        legitimate=("",),
    ),
    "my ballot": Case("voter", "/my-ballot", "teams"),
    # The team's framing (participants).
    "framing list buttons": Case(
        "member",
        "/teams/1/workspace/framing",
        "list_action",
        where="action",
        lists=("stakeholders", "users", "obstacles", "levers"),
    ),
    "framing list items": Case("member", "/teams/1/workspace/framing", "users", where="item"),
}


@pytest.fixture
def world(make) -> World:
    event = make.event(challenges=2, themes=2, stage=Stage.EXHIBITION)
    event.vote_status = VoteStatus.OPEN
    first, second = (c.team for c in event.challenges)
    first.framing_stakeholders = ["Mairie", "CCAS"]
    attendee = make.participant(event)
    users = {
        "organiser": make.organiser(event),
        "member": make.participant(event, team=first),
        "voter": make.participant(event, team=second),
    }
    db.session.commit()
    return World(
        slug=event.slug,
        team_ids=[first.id, second.id],
        theme_ids=[t.id for t in event.themes],
        attendee_id=attendee.id,
        users=users,
    )


def _snapshot(*but: str) -> dict:
    """Every row of every table (but these): what "nothing changed" means."""
    return {
        table.name: sorted(map(repr, db.session.execute(select(table)).all()))
        for table in db.metadata.sorted_tables
        if table.name not in but
    }


def _requests(case: Case, world: World, value: str):
    """(address, form data) to send for this value."""
    fill = {"attendee": world.attendee_id, "team": world.team_ids[0]}
    url = f"/events/{world.slug}{case.url.format(**fill)}"
    data = {key.format(**fill): text for key, text in case.data.items()}
    if case.url == "/edit":
        data = {**EVENT_FORM, "slug": world.slug, **data}
    name = case.name.format(**fill)
    if case.where == "form":
        yield url, {**data, name: value}
    elif case.where == "item":
        suffix = "-name" if name == "themes" else ""
        yield url, {**data, f"{name}-{value}{suffix}": "Injecté"}
    else:
        for list_name in case.lists:
            for op in ("up", "down", "remove"):
                yield url, {**data, "list_action": f"{list_name}:{value}:{op}"}


def _flashed_errors(client) -> list[str]:
    with client.session_transaction() as session:
        return [
            message
            for category, message in session.get("_flashes", [])
            if category.partition("@")[0] == "error"  # "error@section": shown beside its section
        ]


def _assert_refused_with_a_message(client, response, where: str) -> None:
    if where == "item":
        # An item number the page could not have written is ignored like an unknown field:
        # the list is read without it (what is shown or saved is checked by the caller).
        assert response.status_code in (200, 303, 400), response.status_code
        assert "Injecté" not in response.text
        return
    assert response.status_code in (303, 400, 404, 422), response.status_code
    if response.status_code == 303:
        assert _flashed_errors(client), "redirected without an error message"
    elif response.status_code != 404:
        assert '<div class="form-errors" role="alert">' in response.text
        assert "<title>Error: " in response.text or "<title>Erreur : " in response.text


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_numbers_are_refused_with_a_message_and_change_nothing(client, world, case):
    sign_in(client, world.users[case.who])
    for label, value in HOSTILE.items():
        if value in case.legitimate:
            continue
        for url, data in _requests(case, world, value):
            before = _snapshot()
            response = client.post(url, data=data, headers={"Accept-Language": "en"})
            assert response.status_code < 500, (label, data)
            _assert_refused_with_a_message(client, response, case.where)
            if case.where != "item":
                assert _snapshot() == before, (label, data)
            _flashed_errors(client)  # read, so that the next request starts without them


def test_the_refusals_speak_french_by_default(client, world):
    sign_in(client, world.users["organiser"])
    url = f"/events/{world.slug}/challenges/new"
    page = client.post(url, data={**SHEET, "number": "١٢"}).text
    assert "Saisissez un nombre entier, avec les chiffres 0 à 9." in page
    page = client.post(url, data={**SHEET, "number": "9" * 5000}).text
    assert "Ce nombre est trop grand." in page
    page = client.post(url, data={**SHEET, "list_action": f"stakeholders:{'9' * 5000}:up"}).text
    assert "Ce bouton ne correspond plus à la liste\u00a0: rien n’a été modifié." in page


def test_a_participant_pressing_a_stale_list_button_keeps_what_they_typed(client, world):
    sign_in(client, world.users["member"])
    response = client.post(
        f"/events/{world.slug}/teams/1/workspace/framing",
        data={
            "working_question": "Comment mieux accueillir ?",
            "stakeholders-0": "Mairie",
            "list_action": "stakeholders:7:remove",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "This button does not match the list any more" in response.text
    assert "Comment mieux accueillir ?" in response.text


def test_list_items_named_with_other_digits_are_not_saved(client, world):
    """The item the page wrote is saved; one named with other digits is not."""
    sign_in(client, world.users["organiser"])
    response = client.post(
        f"/events/{world.slug}/challenges/new",
        data={**SHEET, "stakeholders-١": "Injecté", "stakeholders-" + "9" * 5000: "Injecté"},
    )
    assert response.status_code == 303
    challenge = db.session.scalar(select(Challenge).where(Challenge.number == 7))
    assert challenge.stakeholders == ["Mairie"]


def test_numbers_typed_with_ascii_digits_still_work(client, world):
    """The refusals above are not refusing everything: "12", " 12 " and "+12" are 12."""
    sign_in(client, world.users["organiser"])
    for typed in ("12", " 12 ", "+12", "012"):
        response = client.post(
            f"/events/{world.slug}/organise/vote/settings", data={"votes_per_participant": typed}
        )
        assert response.status_code == 303, typed
    response = client.post(f"/events/{world.slug}/timer/start", data={"minutes": "١٠"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/history?before={value}", (200,)),
        ("/dashboard?theme={value}", (200,)),
        ("/dashboard/teams?theme={value}", (200,)),
        ("/badges?team={value}", (200, 404)),
        ("/badges?batch={value}", (200,)),
        ("/badges?printed=no&batch={value}", (200,)),
        ("/organise/stands/posters?team={value}", (200, 404)),
        ("/people?q={value}", (200,)),
    ],
)
def test_hostile_numbers_in_query_strings_are_ignored_or_not_found(client, world, path, expected):
    """Filters and pages read from the address: an id that is none shows the unfiltered page
    (or, for a team to print, is not found)."""
    sign_in(client, world.users["organiser"])
    for value in [*HOSTILE.values(), "99999999999999999999", "2147483648"]:
        response = client.get(f"/events/{world.slug}{path.format(value=value)}")
        assert response.status_code in expected, (value, response.status_code)


def test_a_hostile_team_to_come_back_to_is_dropped(client, world):
    sign_in(client, world.users["organiser"])
    for value in [*HOSTILE.values(), "99999999999999999999"]:
        response = client.post(f"/events/{world.slug}/badges/issue-missing-codes?team={value}")
        assert response.status_code == 303, value
        assert response.headers["Location"] == f"/events/{world.slug}/badges"


def test_ids_beyond_what_the_database_holds_are_not_found_in_addresses(client, world):
    sign_in(client, world.users["organiser"])
    for number in ("2147483648", "9" * 5000, "١٢"):
        response = client.get(f"/events/{world.slug}/challenges/{number}/edit")
        assert response.status_code in (404, 200), number
    assert client.get(f"/events/{world.slug}/challenges/{'9' * 5000}/edit").status_code == 404


@pytest.mark.parametrize("timezone", ["Pacific/Noumea", "America/Miquelon"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59"])
def test_dates_at_the_ends_of_the_calendar_are_refused_with_a_message(
    client, world, timezone, moment
):
    """Year 1 or 9999 overflowed Python's datetime when moved to UTC or copied with the event."""
    sign_in(client, world.users["organiser"])
    before = _snapshot()
    event_form = {**EVENT_FORM, "timezone": timezone}
    stages = ("starts_at", "ends_at", "framing_at", "exhibition_at")
    for url, data, names in [
        (f"/events/{world.slug}/edit", {**event_form, "slug": world.slug}, stages),
        ("/events/new", {**event_form, "slug": "nouvel-evenement"}, stages),
        (f"/events/{world.slug}/clone", {"name": "Copie", "slug": "copie"}, ("starts_at",)),
    ]:
        for name in names:
            response = client.post(
                url, data={**data, name: moment}, headers={"Accept-Language": "en"}
            )
            assert response.status_code == 400, (url, name)
            assert "Give a date between 2000 and 2099." in response.text, (url, name)
    assert _snapshot() == before


# --- The JSON API -------------------------------------------------------------------------------


def _nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", "/ballot", _nested(1000)),
        ("put", "/ballot", '{"teams": ' + _nested(1000) + "}"),
        ("put", "/ballot", '{"teams": ' + '{"a":' * 1000 + "1" + "}" * 1001),
        ("put", "/ballot", '{"a":' * 5000 + "1" + "}" * 5000),
        ("patch", "/vote", _nested(1000)),
        ("patch", "/vote", '{"status": ' + _nested(1000, '"open"') + "}"),
    ],
    ids=["list", "teams", "objects", "keys", "vote list", "vote status"],
)
def test_json_nested_a_thousand_deep_is_a_400_in_the_apis_format(client, make, method, path, body):
    event = make.event(challenges=2)
    event.vote_status = VoteStatus.OPEN
    organiser = make.organiser(event)
    voter = make.participant(event)
    token = issue_api_token(organiser.email)[1] if path == "/vote" else None
    db.session.commit()
    bearer = token or code_of(voter, event)
    before = _snapshot("api_tokens")  # which records when a token was last used
    for language, word in (("fr", "imbriqué"), ("en", "nested too deeply")):
        response = getattr(client, method)(
            f"/api/v1/events/{event.slug}{path}",
            data=body,
            headers={"Authorization": f"Bearer {bearer}", "Accept-Language": language},
        )
        assert response.status_code == 400, response.data[:200]
        error = response.get_json()["error"]
        assert error["code"] == "invalid_json"
        assert word in error["message"]
    assert _snapshot("api_tokens") == before


@pytest.mark.parametrize(
    "teams",
    [["²"], ["١٢"], [1e3], [10**30], [-1], [""], [True], [[1]], "1", 1],
    ids=repr,
)
def test_odd_team_numbers_in_a_ballot_are_a_422(client, make, teams):
    event = make.event(challenges=2)
    event.vote_status = VoteStatus.OPEN
    voter = make.participant(event)
    db.session.commit()
    response = client.put(
        f"/api/v1/events/{event.slug}/ballot",
        data=json.dumps({"teams": teams}),
        headers={"Authorization": f"Bearer {code_of(voter, event)}"},
    )
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] in ("invalid_ballot", "unknown_team")
    assert db.session.scalars(select(Ballot).where(Ballot.event_id == event.id)).all() == []
