"""Export then import changes nothing, whatever the sheets and attendees hold: odd characters,
empty fields, long lists, formulas-looking text, people without email, every role.

Hypothesis draws the events; each example exports them in one format and imports the file back
into the same event (the preview must say "no change") and into a fresh one (every field must
come back as it was)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from facilitate.challenges.export import (
    challenge_table,
)
from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    check_challenge_file,
)
from facilitate.events.theme_colours import PALETTE
from facilitate.extensions import db
from facilitate.models import LIST_FIELDS, Challenge, Membership, Role, Theme
from facilitate.people.spreadsheet import attendee_table, check_attendee_file, import_attendees
from facilitate.spreadsheets import writing

FORMATS = ["csv", "xlsx", "ods"]
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a form or an import can store: no control characters but line feeds, no surrogates.
_CHARACTERS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
)
_ODD = st.sampled_from(["=SOMME(A1)", "'quoted", "+33 6", "-", "@x", "0012", "a;b", '"q"', "é\tè"])


def _line(max_size=60):
    text = st.one_of(st.text(_CHARACTERS, min_size=1, max_size=max_size), _ODD)
    return text.map(lambda t: " ".join(t.split())).filter(bool)


def _paragraphs():
    return st.lists(_line(), min_size=1, max_size=3).map("\n".join)


_SHEET = st.fixed_dictionaries(
    {
        "question": _line(200),
        "owner_organisation": st.none() | _line(),
        "project_name": st.none() | _line(),
        "territory": st.none() | _line(),
        "stakes": st.none() | _paragraphs(),
        "stakeholders": st.lists(_line(), max_size=12),
        "users": st.lists(_line(), max_size=3),
        "obstacles": st.lists(_line(), max_size=3),
        "levers": st.lists(_line(), max_size=3),
        "info_url": st.none() | st.sampled_from(["https://example.org/a?b=c&d=é", "http://x.fr"]),
        "theme": st.none() | st.sampled_from(["Mobilités", "Santé", "Éducation"]),
    }
)


def _file(headers, rows, fmt):
    write = getattr(writing, f"write_{fmt}")
    data = write(headers, rows) if fmt == "csv" else write(headers, rows, "Feuille")
    return data, f"export.{fmt}"


def _sheets(event):
    db.session.expire_all()
    challenges = db.session.scalars(
        select(Challenge).where(Challenge.event_id == event.id).order_by(Challenge.number)
    )
    fields = ("question", "owner_organisation", "project_name", "territory", "stakes", "info_url")
    return [
        (
            c.number,
            *(getattr(c, name) or None for name in fields),
            *(tuple(getattr(c, name) or []) for name in LIST_FIELDS),
            c.theme.name if c.theme else None,
            c.theme.colour if c.theme else None,
        )
        for c in challenges
    ]


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(sheets=st.lists(_SHEET, min_size=1, max_size=5))
def test_challenge_sheets_survive_their_round_trip(make, fmt, sheets):
    event = make.event()
    colours = {"Mobilités": "#1d4e89", "Santé": None, "Éducation": "#aa0000"}
    themes = {}
    for name, colour in colours.items():
        themes[name] = Theme(event_id=event.id, name=name, colour=colour)
        db.session.add(themes[name])
    db.session.flush()
    for number, sheet in enumerate(sheets, start=1):
        theme = themes.get(sheet["theme"])
        make.challenge(
            event, number=number, theme=theme, **{k: v for k, v in sheet.items() if k != "theme"}
        )
    data, filename = _file(*challenge_table(event), fmt)

    checked = check_challenge_file(event, data, filename)
    assert checked.problems == []
    assert (checked.creates, checked.updates, checked.changes) == ([], [], [])

    fresh = make.event()
    checked = check_challenge_file(fresh, data, filename)
    assert checked.problems == []
    import_challenges(fresh, checked)
    expected = _sheets(event)
    got = _sheets(fresh)
    # A theme no challenge uses is not in the file.
    assert [row[:-1] for row in got] == [row[:-1] for row in expected]
    given = {row[-2]: row[-1] for row in expected}
    made = {row[-2]: row[-1] for row in got}
    for theme, colour in given.items():
        if theme is not None and colour is None:
            # A theme the file gives no colour takes a palette colour no other theme has.
            assert made[theme] in PALETTE
            assert made[theme] not in [c for name, c in made.items() if name != theme]
        else:
            assert made[theme] == colour


_PERSON = st.fixed_dictionaries(
    {
        "name": _line(80),
        "organisation": st.none() | _line(80),
        "email": st.booleans(),
        "role": st.sampled_from([Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER]),
        "team": st.none() | st.integers(0, 2),
    }
)


def _attendees(event):
    db.session.expire_all()
    _headers, rows = attendee_table(event)
    return sorted(tuple(row[1:]) for row in rows)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(people=st.lists(_PERSON, min_size=1, max_size=6))
def test_attendees_survive_their_round_trip(make, fmt, people):
    event = make.event(challenges=3)
    teams = [c.team for c in event.challenges]
    for index, person in enumerate(people):
        email = f"p{index}.{event.id}@example.org" if person["email"] else None
        # Two people without email need telling apart by name and organisation.
        name = person["name"] if email else f"{person['name']} {index}"
        user = make.participant(event, name=name, email=email, organisation=person["organisation"])
        team = teams[person["team"]] if person["team"] is not None else None
        role = person["role"]
        if role == Role.CHALLENGE_OWNER and team is None:
            role = Role.MEMBER
        if team is not None or role == Role.FACILITATOR:
            db.session.add(Membership(user=user, event=event, team=team, role=role))
    db.session.flush()
    data, filename = _file(*attendee_table(event), fmt)
    before = _attendees(event)

    checked = check_attendee_file(event, data, filename)
    assert checked.problems == []
    assert checked.changes == []
    assert checked.unchanged == len(people)
    import_attendees(event, checked)
    assert _attendees(event) == before
