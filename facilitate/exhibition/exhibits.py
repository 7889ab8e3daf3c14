"""What a stand shows, for the stand page a poster's QR code opens, the posters and the results:
each team's exhibit (its challenge, its retained idea, its prototype's photos), where its stand
page lives, and what the person looking has left to vote. Read in a fixed number of queries.

A stand's address is its stand number, as printed on its poster: ``/events/<slug>/stands/7``. A
team without a number yet has its stand page at ``/events/<slug>/teams/<challenge>/stand`` (a
team is named by its challenge's number, as its workspace is). Posters printed before stand
numbers were used carry the team's id: ``/events/<slug>/stands/<team id>``. The stand number
comes first; a number that is no stand of the event but the id of one of its teams is such an
old poster, and leads to that team's stand (see ``team_at_or_404``)."""

from dataclasses import dataclass

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager

from facilitate import policy
from facilitate.exhibition import ballots
from facilitate.exhibition.stands import stand_address
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Idea, PrototypeFile, Team, VoteStatus
from facilitate.people.codes import team_label

# --- Where a stand page lives -----------------------------------------------------------------


class StandMoved(Exception):
    """The stand asked for lives at another address: an old poster's team id, or a team's
    challenge address once it has a stand number. ``team`` is the stand found."""

    def __init__(self, team: Team):
        super().__init__(team.id)
        self.team = team


# --- What a stand shows (the stand page and the posters) ---------------------------------------


@dataclass(frozen=True)
class Exhibit:
    """A team's exhibition material: its stand, challenge, pitch, retained idea, prototype and
    the photo shown (the latest photo whose people pictured agreed)."""

    team: Team
    challenge: Challenge
    retained: Idea | None
    photo: PrototypeFile | None

    @property
    def label(self) -> str:
        return team_label(self.team.name, self.challenge.number)

    @property
    def address(self) -> dict[str, int]:
        return stand_address(self.team.stand_number, self.challenge.number)

    @property
    def photo_url(self) -> str | None:
        """The original, for print."""
        return self._photo_url("workspace.show_file")

    @property
    def small_photo_url(self) -> str | None:
        """The 640 px version, for phones on the venue's Wi-Fi."""
        return self._photo_url("workspace.show_small_file")

    def _photo_url(self, endpoint: str) -> str | None:
        return photo_url(self.challenge.event.slug, self.challenge.number, self.photo, endpoint)


def photo_url(
    slug: str,
    challenge_number: int,
    photo: PrototypeFile | None,
    endpoint: str = "workspace.show_small_file",
) -> str | None:
    """A team's photo (by default its 640 px version), or None."""
    if photo is None:
        return None
    return url_for(endpoint, slug=slug, number=challenge_number, file_id=photo.id)


@dataclass(frozen=True)
class Showcase:
    """What a team built, as the reveal screen and the results show it beside its votes: its
    retained idea's title and the photo its stand shows."""

    idea: str | None
    photo_url: str | None


def _retained(*columns):
    return select(*columns).where(
        Idea.team_id.in_(bindparam("team_ids", expanding=True)), Idea.retained_at.is_not(None)
    )


def _photos(*columns):
    """The photos a stand may show, the latest first (see workspace.photos)."""
    return (
        select(*columns)
        .where(
            PrototypeFile.team_id.in_(bindparam("team_ids", expanding=True)),
            PrototypeFile.is_photo.is_(True),
            PrototypeFile.consent_confirmed.is_(True),
        )
        .order_by(PrototypeFile.created_at.desc(), PrototypeFile.id.desc())
    )


# Built once, not at each request (building them cost the results page more than running them):
# the rows for the stand page and the posters, the two columns the results and the reveal show.
_RETAINED, _PHOTOS = _retained(Idea), _photos(PrototypeFile)
_RETAINED_TITLES = _retained(Idea.team_id, Idea.title)
_PHOTO_IDS = _photos(PrototypeFile.team_id, PrototypeFile.id)

_NUMBER, _FILE = 2_000_000_011, 2_000_000_033  # markers, replaced in each photo's address


def _small_photo_url(slug: str):
    """``photo_url(slug, number, photo)`` for many teams: one address built, then filled in."""
    path = url_for("workspace.show_small_file", slug=slug, number=_NUMBER, file_id=_FILE)
    head, _marker, tail = path.rpartition(str(_FILE))
    before, _marker, middle = head.rpartition(str(_NUMBER))
    return lambda number, file_id: f"{before}{int(number)}{middle}{int(file_id)}{tail}"


def showcases(slug: str, stands) -> dict[int, Showcase]:
    """The showcase of each of these stands (anything with ``team_id`` and
    ``challenge_number``, such as vote.StandResult): two queries, whatever their number."""
    team_ids = {"team_ids": [stand.team_id for stand in stands]}
    if not team_ids["team_ids"]:
        return {}
    retained = dict(db.session.execute(_RETAINED_TITLES, team_ids).all())
    photos: dict[int, int] = {}
    for team_id, file_id in db.session.execute(_PHOTO_IDS, team_ids):
        photos.setdefault(team_id, file_id)
    url = _small_photo_url(slug)
    return {
        stand.team_id: Showcase(
            idea=retained.get(stand.team_id),
            photo_url=(
                url(stand.challenge_number, photos[stand.team_id])
                if stand.team_id in photos
                else None
            ),
        )
        for stand in stands
    }


def retained_and_photos(
    team_ids: list[int],
) -> tuple[dict[int, Idea], dict[int, PrototypeFile]]:
    """Each team's retained idea and the photo its stand shows (the latest photo whose people
    pictured agreed, see workspace.photos): two queries, whatever the number of teams."""
    retained: dict[int, Idea] = {}
    photos: dict[int, PrototypeFile] = {}
    if not team_ids:
        return retained, photos
    retained = {
        idea.team_id: idea for idea in db.session.scalars(_RETAINED, {"team_ids": team_ids})
    }
    for photo in db.session.scalars(_PHOTOS, {"team_ids": team_ids}):
        photos.setdefault(photo.team_id, photo)
    return retained, photos


def exhibits_of(teams: list[Team]) -> list[Exhibit]:
    """These teams (with their challenge) and their retained ideas and photos: two queries,
    whatever their number."""
    retained, photos = retained_and_photos([team.id for team in teams])
    return [
        Exhibit(team, team.challenge, retained.get(team.id), photos.get(team.id)) for team in teams
    ]


def _teams_with_challenges():
    return (
        select(Team)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .options(contains_eager(Team.challenge))
    )


def stand_teams(event: Event) -> list[Team]:
    """Every team of the event with its challenge, numbered stands first by number, then by
    challenge: one query."""
    return list(
        db.session.scalars(
            _teams_with_challenges()
            .where(Team.event_id == event.id)
            .order_by(Team.stand_number.is_(None), Team.stand_number, Challenge.number)
        )
    )


def _team_statement(column):
    return (
        _teams_with_challenges()
        .join(Event, Event.id == Team.event_id)
        .options(contains_eager(Team.challenge).contains_eager(Challenge.event))
        .where(Event.slug == bindparam("slug"), column == bindparam("value"))
    )


# One team of an event, found by its stand number, its id or its challenge's number. Every
# stand page runs one of these: built once, not at each request.
_TEAM_BY = {
    "stand": _team_statement(Team.stand_number),
    "id": _team_statement(Team.id),
    "challenge": _team_statement(Challenge.number),
}


def _team_of_event(slug: str, by: str, value: int) -> Team | None:
    """One team of the event named by ``slug``, with its challenge and event: one query."""
    return db.session.scalar(_TEAM_BY[by], {"slug": slug, "value": value})


def team_at_or_404(slug: str, number: int | None = None, challenge: int | None = None) -> Team:
    """The team whose stand is at this address (see ``stand_address``): one query, two for an
    old poster. Raises ``StandMoved`` when the team's stand lives at another address."""
    if number is not None:
        team = _team_of_event(slug, "stand", number)
        if team is None:
            # Posters printed before stand numbers were used carry the team's id.
            team = _team_of_event(slug, "id", number)
            if team is not None:
                raise StandMoved(team)
    else:
        team = _team_of_event(slug, "challenge", challenge)
        if team is not None and team.stand_number is not None:
            raise StandMoved(team)
    if team is None:
        abort(404)
    return team


def team_of_event(event: Event, team_id: int) -> Team | None:
    """A team of this event by its id (a form's hidden field), with its challenge: one query."""
    return _team_of_event(event.slug, "id", team_id)


def exhibit_of(team: Team) -> Exhibit:
    """The team with its material: two more queries."""
    return exhibits_of([team])[0]


# --- The vote, as each page tells it ----------------------------------------------------------


@dataclass(frozen=True)
class MyVotes:
    """Where the vote stands for the person looking: may they vote, is it open, which stands
    hold their votes, and which team is theirs (not to be voted for, unless allowed)."""

    may_vote: bool
    is_open: bool
    placed: list[int]
    total: int
    own_team_ids: frozenset[int]
    own_team_votes_allowed: bool
    status_text: str

    @property
    def left(self) -> int:
        return max(0, self.total - len(self.placed))

    def may_vote_for(self, team_id: int) -> bool:
        return self.may_vote and (self.own_team_votes_allowed or team_id not in self.own_team_ids)


def vote_status_text(event: Event) -> str:
    if event.vote_status == VoteStatus.OPEN:
        return _("The vote is open.")
    if event.vote_status == VoteStatus.REVEALED:
        return _("The vote is over and its results are revealed.")
    return ballots.vote_not_open_message(event.vote_status)


def my_votes(event: Event) -> MyVotes:
    """Two queries for a participant (their memberships, their ballot), none for others."""
    may_vote = policy.can_vote(current_user, event)
    person = ballots.voter(event, current_user) if may_vote else None
    return MyVotes(
        may_vote=may_vote,
        is_open=event.vote_status == VoteStatus.OPEN,
        placed=ballots.current_ballot(event, current_user.id) if may_vote else [],
        total=event.votes_per_participant,
        own_team_ids=person.team_ids if person else frozenset(),
        own_team_votes_allowed=event.own_team_votes_allowed,
        status_text=vote_status_text(event),
    )
