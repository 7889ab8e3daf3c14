"""The exhibition as participants walk it, on their phones: the list of stands, the stand page a
poster's QR code opens (the team's material, feedback, a vote), and my ballot.

The rules are the services' (stands.py, ballots.py) and the policy's; these views load, ask,
call and redirect. Every page reads what it shows in a fixed number of queries.

A stand's pages live at its stand number, or while it has none at its team's challenge number
(see exhibits.py); ``stand_route`` gives a view both addresses and sends an old poster's
address, or a stale one, to the right one.
"""

from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_event_or_404
from facilitate.exhibition import ballots, bp
from facilitate.exhibition.ballots import BallotError
from facilitate.exhibition.exhibits import (
    Exhibit,
    MyVotes,
    StandMoved,
    exhibit_of,
    my_votes,
    team_at_or_404,
    team_of_event,
)
from facilitate.exhibition.forms import BallotForm, StandFeedbackForm, VoteForm
from facilitate.exhibition.stands import (
    Stand,
    add_exhibition_feedback,
    stand_address,
    stands_of,
)
from facilitate.models import Team
from facilitate.people.codes import team_label

# --- The list of stands -----------------------------------------------------------------------


@bp.get("/events/<slug>/stands")
def stands(slug: str):
    event = get_event_or_404(slug)
    policy.require(policy.can_see_people(current_user, event))
    return render_template(
        "exhibition/stands/list.html", event=event, stands=stands_of(event), votes=my_votes(event)
    )


# --- The stand page, its feedback and its vote -------------------------------------------------


def stand_route(suffix: str = "", methods=("GET",)):
    """Register a view of one stand at its two addresses: ``/events/<slug>/stands/<number>``
    and, for a team without a stand number, ``/events/<slug>/teams/<challenge>/stand``. The
    view receives the team. An old poster's address (a team id) or a team's challenge address
    once it has a number is moved permanently: 301 for a page, 308 for a form (which keeps the
    method and what was typed)."""

    def decorate(view):
        @wraps(view)
        def located(slug: str, number: int | None = None, challenge: int | None = None):
            try:
                team = team_at_or_404(slug, number, challenge)
            except StandMoved as moved:
                target = stand_url(moved.team, request.endpoint)
                if request.query_string:
                    target += "?" + request.query_string.decode("latin-1")
                return redirect(target, code=301 if request.method in ("GET", "HEAD") else 308)
            return view(team)

        bp.route(f"/events/<slug>/stands/<int:number>{suffix}", methods=methods)(located)
        bp.route(f"/events/<slug>/teams/<int:challenge>/stand{suffix}", methods=methods)(located)
        return located

    return decorate


def stand_url(team: Team, endpoint: str = "exhibition.stand", **values) -> str:
    """The address of a team's stand page (or of ``endpoint``, a page under it)."""
    return url_for(
        endpoint,
        slug=team.challenge.event.slug,
        **stand_address(team.stand_number, team.challenge.number),
        **values,
    )


def _render_stand(exhibit: Exhibit, status: int = 200, feedback_form=None):
    event = exhibit.challenge.event
    return (
        render_template(
            "exhibition/stands/stand.html",
            event=event,
            exhibit=exhibit,
            team=exhibit.team,
            votes=my_votes(event),
            feedback_form=feedback_form or StandFeedbackForm(formdata=None, team=exhibit.team.id),
        ),
        status,
    )


def _meant(form, team: Team) -> Team | None:
    """None when the form was shown for this stand's team (or says nothing). Otherwise the
    stands were renumbered since: the team it was shown for if still at this event, else this
    stand's team; either way the form is refused, and the person sees where it now lives."""
    shown_for = form.shown_for()
    if shown_for is None or shown_for == team.id:
        return None
    return team_of_event(team.challenge.event, shown_for) or team


def _renumbered() -> str:
    return _(
        "The stands were renumbered while your page was open. This is the stand you were on: "
        "check it, then try again."
    )


@stand_route()
def stand(team: Team):
    policy.require(policy.can_visit_stand(current_user, team))
    return _render_stand(exhibit_of(team))


@stand_route("/feedback", methods=("POST",))
def give_feedback(team: Team):
    policy.require(policy.can_leave_feedback(current_user, team))
    form = StandFeedbackForm()
    if form.validate():
        if meant := _meant(form, team):
            # What was typed comes back on the stand it was written for, not sent elsewhere.
            form.form_errors.append(_renumbered())
            form.team.data = str(meant.id)
            return _render_stand(exhibit_of(meant), 409, feedback_form=form)
        try:
            add_exhibition_feedback(
                team,
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
            return redirect(stand_url(team), code=303)
    return _render_stand(exhibit_of(team), 400, feedback_form=form)


@stand_route("/vote", methods=("POST",))
def cast_vote(team: Team):
    """Give this stand one of my votes, or take it back. A second tap, or a retried request,
    finds the vote already there (or gone) and changes nothing."""
    event = team.challenge.event
    policy.require(policy.can_vote(current_user, event))
    form = VoteForm()
    if not form.validate():
        abort(400)
    if meant := _meant(form, team):
        flash(_renumbered(), "error")
        return redirect(stand_url(meant), code=303)
    back = form.next_url(stand_url(team))
    # Read before the write: the service ends this transaction, which expires the team.
    label = team_label(team.name, team.challenge.number)
    team_id = team.id
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
