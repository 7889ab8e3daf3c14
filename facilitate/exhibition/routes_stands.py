"""The exhibition as participants walk it, on their phones: the list of stands, the stand page a
poster's QR code opens (the team's material, feedback, a vote), and my ballot.

The rules are the services' (stands.py, ballots.py) and the policy's; these views load, ask,
call and redirect. Every page reads what it shows in a fixed number of queries.
"""

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
    exhibit_or_404,
    my_votes,
    team_or_404,
)
from facilitate.exhibition.forms import BallotForm, StandFeedbackForm, VoteForm
from facilitate.exhibition.stands import Stand, add_exhibition_feedback, stands_of
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
