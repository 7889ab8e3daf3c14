"""The exhibition as participants walk it, on their phones: the list of stands, the stand page a
poster's QR code opens (the team's material, feedback, a vote), and my ballot.

The rules are the services' (stands.py, ballots.py) and the policy's; these views load, ask,
call and redirect. Every page reads what it shows in a fixed number of queries.
"""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from facilitate import policy
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_event_or_404
from facilitate.exhibition import ballots, bp
from facilitate.exhibition.ballots import BallotError
from facilitate.exhibition.forms import BallotForm, StandFeedbackForm, VoteForm
from facilitate.exhibition.stands import Stand, add_exhibition_feedback, stands_of
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


# --- The list of stands -----------------------------------------------------------------------


@bp.get("/events/<slug>/stands")
def stands(slug: str):
    event = get_event_or_404(slug)
    policy.require(policy.can_see_people(current_user, event))
    return render_template(
        "exhibition/stands/list.html", event=event, stands=stands_of(event), votes=my_votes(event)
    )


# --- The stand page, its feedback and its vote -------------------------------------------------


def _render_stand(exhibit: Exhibit, status: int = 200, feedback_form=None):
    event = exhibit.challenge.event
    return (
        render_template(
            "exhibition/stands/stand.html",
            event=event,
            exhibit=exhibit,
            team=exhibit.team,
            votes=my_votes(event),
            feedback_form=feedback_form or StandFeedbackForm(formdata=None),
        ),
        status,
    )


@bp.get("/events/<slug>/stands/<int:team_id>")
def stand(slug: str, team_id: int):
    exhibit = exhibit_or_404(slug, team_id)
    policy.require(policy.can_visit_stand(current_user, exhibit.team))
    return _render_stand(exhibit)


@bp.post("/events/<slug>/stands/<int:team_id>/feedback")
def give_feedback(slug: str, team_id: int):
    exhibit = exhibit_or_404(slug, team_id)
    policy.require(policy.can_leave_feedback(current_user, exhibit.team))
    form = StandFeedbackForm()
    if form.validate():
        try:
            add_exhibition_feedback(
                exhibit.team,
                current_user,
                form.liked.data,
                form.could_be_better.data,
                form.question.data,
                anonymous=form.anonymous.data,
            )
        except DomainError as error:
            show_on_form(form, error)
        else:
            flash(_("Thank you: the team will find your feedback in its workspace."), "success")
            return redirect(url_for("exhibition.stand", slug=slug, team_id=team_id), code=303)
    return _render_stand(exhibit, 400, feedback_form=form)


@bp.post("/events/<slug>/stands/<int:team_id>/vote")
def cast_vote(slug: str, team_id: int):
    """Give this stand one of my votes, or take it back. A second tap, or a retried request,
    finds the vote already there (or gone) and changes nothing."""
    team = team_or_404(slug, team_id)
    event = team.challenge.event
    policy.require(policy.can_vote(current_user, event))
    form = VoteForm()
    if not form.validate():
        abort(400)
    back = form.next_url(url_for("exhibition.stand", slug=slug, team_id=team_id))
    # Read before the write: the service ends this transaction, which expires the team.
    label = team_label(team.name, team.challenge.number)
    person = ballots.voter(event, current_user)
    try:
        if form.action.data == "give":
            ballots.give_vote(event, person, team_id)
            flash(_("Your vote for “%(team)s” is counted.", team=label), "success")
        else:
            ballots.withdraw_vote(event, person, team_id)
            flash(_("Your vote for “%(team)s” is withdrawn.", team=label), "success")
    except BallotError as error:
        flash(error.message, "error")
    return redirect(back, code=303)


# --- My ballot ----------------------------------------------------------------------------------


def _choosable(stand_list: list[Stand], votes: MyVotes) -> list[Stand]:
    return [s for s in stand_list if votes.may_vote_for(s.team_id) or s.team_id in votes.placed]


@bp.route("/events/<slug>/my-ballot", methods=["GET", "POST"])
def my_ballot(slug: str):
    event = get_event_or_404(slug)
    policy.require(policy.can_vote(current_user, event))
    stand_list = stands_of(event)
    votes = my_votes(event)
    submitted = request.method == "POST"
    form = BallotForm() if submitted else BallotForm(formdata=None, data={"teams": votes.placed})
    form.teams.choices = [(s.team_id, s.team) for s in _choosable(stand_list, votes)]
    status = 200
    if submitted:
        status = 400
        if form.validate():
            try:
                ballots.replace_ballot(
                    event, ballots.voter(event, current_user), form.teams.data or []
                )
            except BallotError as error:
                form.teams.errors.append(error.message)
                status = error.status
            else:
                flash(_("Your ballot is saved."), "success")
                return redirect(url_for("exhibition.my_ballot", slug=slug), code=303)
    by_id = {s.team_id: s for s in stand_list}
    return (
        render_template(
            "exhibition/stands/my_ballot.html",
            event=event,
            stands=_choosable(stand_list, votes),
            placed=[by_id[t] for t in votes.placed if t in by_id],
            votes=votes,
            ballots_cast=ballots.ballots_cast(event),
            form=form,
        ),
        status,
    )
