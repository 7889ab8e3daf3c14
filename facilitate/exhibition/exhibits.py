"""What a stand shows, for the stand page a poster's QR code opens and for the posters: each
team's exhibit (its challenge, its retained idea, its prototype's photos), and what the person
looking has left to vote. Read in a fixed number of queries."""

from dataclasses import dataclass

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from facilitate import policy
from facilitate.exhibition import ballots
from facilitate.extensions import db
from facilitate.models import Challenge, Event, Idea, PrototypeFile, Team, VoteStatus
from facilitate.people.codes import team_label

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
    def photo_url(self) -> str | None:
        """The original, for print."""
        return self._photo_url("workspace.show_file")

    @property
    def small_photo_url(self) -> str | None:
        """The 640 px version, for phones on the venue's Wi-Fi."""
        return self._photo_url("workspace.show_small_file")

    def _photo_url(self, endpoint: str) -> str | None:
        if self.photo is None:
            return None
        return url_for(
            endpoint,
            slug=self.challenge.event.slug,
            number=self.challenge.number,
            file_id=self.photo.id,
        )


def _material(teams: list[Team]) -> list[Exhibit]:
    """The retained ideas and photos of these teams: two queries, whatever their number."""
    ids = [team.id for team in teams]
    retained: dict[int, Idea] = {}
    photos: dict[int, PrototypeFile] = {}
    if ids:
        retained = {
            idea.team_id: idea
            for idea in db.session.scalars(
                select(Idea).where(Idea.team_id.in_(ids), Idea.retained_at.is_not(None))
            )
        }
        for photo in db.session.scalars(
            select(PrototypeFile)
            .where(
                PrototypeFile.team_id.in_(ids),
                PrototypeFile.is_photo.is_(True),
                PrototypeFile.consent_confirmed.is_(True),
            )
            .order_by(PrototypeFile.created_at.desc(), PrototypeFile.id.desc())
        ):
            photos.setdefault(photo.team_id, photo)
    return [
        Exhibit(team, team.challenge, retained.get(team.id), photos.get(team.id)) for team in teams
    ]


def _teams_with_challenges():
    return (
        select(Team)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .options(contains_eager(Team.challenge))
    )


def numbered_exhibits(event: Event) -> list[Exhibit]:
    """Every numbered stand of the event, by number: three queries."""
    teams = db.session.scalars(
        _teams_with_challenges()
        .where(Team.event_id == event.id, Team.stand_number.is_not(None))
        .order_by(Team.stand_number)
    ).all()
    return _material(list(teams))


def team_or_404(slug: str, team_id: int) -> Team:
    """One team of the event named by ``slug``, with its challenge and event: one query."""
    team = db.session.scalar(
        _teams_with_challenges()
        .join(Event, Event.id == Team.event_id)
        .options(contains_eager(Team.challenge).contains_eager(Challenge.event))
        .where(Event.slug == slug, Team.id == team_id)
    )
    if team is None:
        abort(404)
    return team


def exhibit_or_404(slug: str, team_id: int) -> Exhibit:
    """The team with its material: three queries."""
    return _material([team_or_404(slug, team_id)])[0]


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
