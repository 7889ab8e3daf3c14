"""The organiser's teams page at an edition's scale (issue 13: 70 teams, 1,050 people): the
teams searched, filtered and ordered, 20 a page with their people, and the attendees without a
team 50 a page, each with the select that places them.

Four queries whatever the size, all of light rows (see ``people.attendee_list`` for why):
the teams with their challenges, the themes, the team roles, the attendees. Only the people
shown are sorted by surname: the members of the page's teams and the attendees without one.
"""

from dataclasses import dataclass, field
from operator import itemgetter

from sqlalchemy import String, select, type_coerce

from facilitate.extensions import db
from facilitate.models import Challenge, Event, Membership, Role, Stage, Team, Theme
from facilitate.names import name_key
from facilitate.numbers import whole_number
from facilitate.people.attendance import Attendee
from facilitate.people.attendee_list import EVENT_ID, EventTeam
from facilitate.people.management import TEAM_ROLES
from facilitate.search import matcher

# The four statements, built once (see people.attendee_list).
_themes, _teams, _challenges = Theme.__table__, Team.__table__, Challenge.__table__
_memberships = Membership.__table__
_THEMES = (
    select(_themes.c.id, _themes.c.name)
    .where(_themes.c.event_id == EVENT_ID)
    .order_by(_themes.c.position, _themes.c.id)
)
_TEAMS = (
    select(
        _teams.c.id,
        _teams.c.name,
        _teams.c.stage,
        _challenges.c.number,
        _challenges.c.question,
        _challenges.c.project_name,
        _challenges.c.owner_organisation,
        _challenges.c.theme_id,
    )
    .join(_challenges, _challenges.c.id == _teams.c.challenge_id)
    .where(_teams.c.event_id == EVENT_ID)
    .order_by(_challenges.c.number)
)
_PEOPLE = select(
    _memberships.c.user_id,
    _memberships.c.name,
    _memberships.c.organisation,
    _memberships.c.family_name,
).where(
    _memberships.c.event_id == EVENT_ID,
    _memberships.c.role == Role.PARTICIPANT,
    _memberships.c.erased_at.is_(None),
)
# The role as its text, which equals its ``Role`` (a StrEnum): not made a ``Role`` row by row
# (SQLAlchemy's conversion was a sixth of the rosters' cost).
_TEAM_ROLES = select(
    _memberships.c.user_id, type_coerce(_memberships.c.role, String), _memberships.c.team_id
).where(_memberships.c.event_id == EVENT_ID, _memberships.c.role.in_(TEAM_ROLES))
# Neither is ordered by the database: ordered by account id, SQLite walked every membership of
# the platform (10,000 attendees) along the index on accounts rather than the event's range.
# They are sorted by account id here.

TEAMS_PER_PAGE = 20  # a card holds a team's roster: fifteen people with their buttons
NO_THEME = "none"


@dataclass
class TeamCard:
    """A team as the page shows it: its challenge, stage, theme and people."""

    id: int
    name: str | None
    stage: Stage
    number: int
    question: str
    project_name: str | None
    owner_organisation: str | None
    theme: str | None
    theme_id: int | None
    members: list[Attendee] = field(default_factory=list)
    facilitators: list[Attendee] = field(default_factory=list)
    owners: list[Attendee] = field(default_factory=list)

    @property
    def groups(self) -> tuple[list[Attendee], ...]:
        return (self.members, self.facilitators, self.owners)


@dataclass(frozen=True)
class TeamFilters:
    """What the organiser asked for; empty: every team (see ``TeamListForm``)."""

    q: str = ""
    theme: str = ""  # a theme's id, NO_THEME, or "" for every theme
    stage: str = ""
    facilitator: str = ""  # "with", "without" or ""
    sort: str = "number"  # "number", "members" (fewest first) or "stage" (least advanced first)


@dataclass
class Overview:
    teams: list[TeamCard]
    unplaced: list[Attendee]  # attendees with no role in any team, unsorted
    themes: list[tuple[int, str]]

    @property
    def choices(self) -> list[EventTeam]:
        """The teams to place someone in, by challenge number."""
        return [EventTeam(t.id, t.number, t.question) for t in self.teams]


def overview(event: Event) -> Overview:
    """Every team of the event with its people, and who has no team yet."""
    event_id = {"event_id": event.id}
    themes = db.session.execute(_THEMES, event_id).all()
    theme_names = dict(themes)
    cards = {
        row.id: TeamCard(*row[:-1], theme=theme_names.get(row.theme_id), theme_id=row.theme_id)
        for row in db.session.execute(_TEAMS, event_id).all()
    }
    # Rows fetched all at once, not one by one: 200 to 2,000 of them.
    attendees = sorted(map(Attendee._make, db.session.execute(_PEOPLE, event_id).all()))
    people = {person.id: person for person in attendees}
    with_role: set[int] = set()
    groups = {Role.MEMBER: "members", Role.FACILITATOR: "facilitators"}
    roles = sorted(db.session.execute(_TEAM_ROLES, event_id).all(), key=itemgetter(0))
    for user_id, role, team_id in roles:
        person = people.get(user_id)
        if person is None:
            continue
        with_role.add(user_id)
        card = cards.get(team_id)
        if card is not None:
            getattr(card, groups.get(role, "owners")).append(person)
    unplaced = [person for user_id, person in people.items() if user_id not in with_role]
    return Overview(list(cards.values()), unplaced, [tuple(t) for t in themes])


def _keeps(card: TeamCard, filters: TeamFilters) -> bool:
    if filters.theme == NO_THEME and card.theme_id is not None:
        return False
    if filters.theme not in ("", NO_THEME) and str(card.theme_id) != filters.theme:
        return False
    if filters.stage and card.stage.value != filters.stage:
        return False
    return not filters.facilitator or bool(card.facilitators) == (filters.facilitator == "with")


def _found(card: TeamCard, search: str) -> bool:
    """A number finds its challenge ("3": challenge 3, not 13); words find the question,
    project, team name, owner organisation or anyone's name in the team."""
    number = whole_number(search)
    if number is not None:
        return card.number == number
    people = (p.name for group in card.groups for p in group)
    texts = (card.question, card.project_name, card.name, card.owner_organisation, card.theme)
    return matcher(search)(*texts, *people)


def select_teams(cards: list[TeamCard], filters: TeamFilters) -> list[TeamCard]:
    """The teams the filters keep, in the order asked (then by challenge number)."""
    search = filters.q.strip()
    kept = [c for c in cards if _keeps(c, filters) and (not search or _found(c, search))]
    stages = list(Stage)
    if filters.sort == "members":
        return sorted(kept, key=lambda c: (len(c.members), c.number))
    if filters.sort == "stage":
        return sorted(kept, key=lambda c: (stages.index(c.stage), c.number))
    return sorted(kept, key=lambda c: c.number)


def sort_shown(cards: list[TeamCard], unplaced: list[Attendee]) -> list[Attendee]:
    """The people of the teams shown in surname order, and those without a team sorted."""
    by_name = name_key()

    def key(person: Attendee):
        return by_name(person.name, person.family_name)

    for card in cards:
        for group in card.groups:
            group.sort(key=key)
    return sorted(unplaced, key=key)
