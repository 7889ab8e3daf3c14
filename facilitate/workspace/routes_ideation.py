"""Ideation views: idea cards, dots, the retained idea, the owner's endorsement and comments.
The rules are in ``ideas.py``; the panel is ``templates/workspace/_ideation.html``."""

from flask import abort, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import pass_context
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from facilitate import policy
from facilitate.domain import DomainError, show_on_form
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.i18n import lazy_gettext as _l
from facilitate.models import Idea, Stage, Team
from facilitate.text import FlaskForm
from facilitate.workspace import bp, ideas
from facilitate.workspace.blank_forms import register
from facilitate.workspace.cards import idea_cards
from facilitate.workspace.pages import back_url, render_back
from facilitate.workspace.routes import _team_for

IDEA = "/events/<slug>/teams/<int:number>/workspace/ideas/<int:idea_id>"


class IdeaForm(FlaskForm):
    title = StringField(
        _l("Title of the idea"),
        validators=[
            DataRequired(_l("Give the idea a title.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=5000, message=_l("At most 5,000 characters."))],
    )
    submit = SubmitField(_l("Add the idea"))


class DotForm(FlaskForm):
    """Says what the button showed, so that a second click of the same button is refused
    rather than undoing the first."""

    action = HiddenField(validators=[AnyOf(["place", "remove"])])


class DotVoteForm(FlaskForm):
    action = HiddenField(validators=[AnyOf(["close", "reopen"])])


class RetainForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it answers the challenge owner's expectation"),
        validators=[
            DataRequired(_l("Say why this idea answers the challenge owner's expectation.")),
            Length(max=2000, message=_l("At most 2,000 characters.")),
        ],
    )
    submit = SubmitField(_l("Retain this idea"))


class IdeaCommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"),
        validators=[
            DataRequired(_l("Write something first.")),
            Length(max=2000, message=_l("At most 2,000 characters.")),
        ],
    )
    submit = SubmitField(_l("Send the comment"))


# Stands in for an idea's id in the empty forms of the cards: each card's comment (or retain)
# form is the one empty form (blank_forms.py), its id put in (``_ideation.html``): building and
# rendering a form for each card was a third of the page's cost.
STAMP = "-§-"
register("idea", IdeaForm, "idea")
register("comment", IdeaCommentForm, f"comment{STAMP[:-1]}")
register("retain_hidden", RetainForm, f"retain{STAMP[:-1]}")
register("retain_field", RetainForm, f"retain{STAMP[:-1]}")


bp.add_app_template_global(idea_cards)


# Each card has its own forms: a prefix keeps their fields' ids and names apart.
def _retain_form(idea_id: int, **kwargs) -> RetainForm:
    return RetainForm(prefix=f"retain-{idea_id}", **kwargs)


def _comment_form(idea_id: int, **kwargs) -> IdeaCommentForm:
    return IdeaCommentForm(prefix=f"comment-{idea_id}", **kwargs)


@bp.app_template_global("ideation_for")
@pass_context
def ideation_for(context, team: Team, user) -> dict:
    """The ideation panel's data (two queries whatever the number of ideas), and its forms: the
    one a view refused, with its errors, else empty ones."""
    panel = ideas.ideation_context(team, user)
    refused_on = context.get("ideation_idea_id")

    def given(name):
        def given_for(idea_id):
            form = context.get(name)
            return form if form is not None and refused_on == idea_id else None

        return given_for

    urls: dict[str, tuple[str, str]] = {}

    def idea_url(endpoint: str, idea_id: int) -> str:
        """An action on an idea: ``url_for`` once per action, each card's id put in."""
        parts = urls.get(endpoint)
        if parts is None:
            address = url_for(
                endpoint,
                slug=team.challenge.event.slug,
                number=team.challenge.number,
                idea_id=0,
                back=context.get("back"),
            )
            head, tail = address.split("/ideas/0/", 1)
            parts = urls[endpoint] = (head + "/ideas/", "/" + tail)
        return f"{parts[0]}{idea_id}{parts[1]}"

    return {
        "ideas": panel.ideas,
        "retained": panel.retained,
        "dots_used": panel.dots_used,
        "dots_left": panel.dots_left,
        "dots_per_member": panel.dots_per_member,
        "dots_closed": panel.dots_closed,
        "comments": panel.comments,
        "idea_form": context.get("idea_form"),
        "given_retain_form": given("retain_form"),
        "given_comment_form": given("comment_form"),
        "stamp": STAMP,
        "idea_url": idea_url,
        "error": context.get("ideation_error"),
        "dot_vote_error": context.get("dot_vote_error"),
        "error_idea_id": refused_on,
    }


def _idea_or_404(team: Team, idea_id: int) -> Idea:
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.team_id != team.id:
        abort(404)
    return idea


def _back(team: Team, idea: Idea | None = None):
    return redirect(
        back_url(team, Stage.IDEATION, f"#idea-{idea.id}" if idea else "#ideation"), code=303
    )


def _refuse(team: Team, idea: Idea, message: str, status: int = 409):
    """Show the page again with the refusal next to the idea's card; nothing was saved."""
    return render_back(
        team, Stage.IDEATION, status, ideation_error=message, ideation_idea_id=idea.id
    )


def _not_sent():
    return _("This could not be sent. Reload the page and try again.")


@bp.post("/events/<slug>/teams/<int:number>/workspace/ideas")
def add_idea(slug: str, number: int):
    team = _team_for(slug, number, policy.can_edit_workspace)
    form = IdeaForm(prefix="idea")
    if form.validate():
        try:
            idea = ideas.add_idea(team, current_user, form.title.data, form.description.data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at(f"idea-{idea.id}", _("Idea added."))
            return _back(team, idea)
    return render_back(team, Stage.IDEATION, 400, idea_form=form)


@bp.post(IDEA + "/dot")
def dot(slug: str, number: int, idea_id: int):
    team = _team_for(slug, number, policy.can_place_dots)
    idea = _idea_or_404(team, idea_id)
    form = DotForm()
    if not form.validate():
        return _refuse(team, idea, _not_sent(), 400)
    try:
        if form.action.data == "place":
            ideas.place_dot(team, idea, current_user)
        else:
            ideas.remove_dot(team, idea, current_user)
    except DomainError as error:
        return _refuse(team, idea, error.message)
    db.session.commit()
    return _back(team, idea)


@bp.post("/events/<slug>/teams/<int:number>/workspace/dots")
def dot_vote(slug: str, number: int):
    """Close the team's dot vote, or reopen it (the form says which, as for a dot)."""
    team = _team_for(slug, number, policy.can_close_dot_vote)
    form = DotVoteForm()
    if not form.validate():
        return render_back(team, Stage.IDEATION, 400, dot_vote_error=_not_sent())
    closing = form.action.data == "close"
    try:
        (ideas.close_dot_vote if closing else ideas.reopen_dot_vote)(team, current_user)
    except DomainError as error:
        return render_back(team, Stage.IDEATION, 409, dot_vote_error=error.message)
    db.session.commit()
    flash_at("dot-vote", _("Dot vote closed.") if closing else _("Dot vote reopened."))
    return redirect(back_url(team, Stage.IDEATION, "#dot-vote"), code=303)


@bp.post(IDEA + "/retain")
def retain(slug: str, number: int, idea_id: int):
    team = _team_for(slug, number, policy.can_retain_idea)
    idea = _idea_or_404(team, idea_id)
    form = _retain_form(idea.id)
    status = 400
    if form.validate():
        try:
            ideas.retain_idea(team, idea, current_user, form.reason.data)
        except DomainError as error:
            show_on_form(form, error)
            status = 400 if error.field else 409
        else:
            db.session.commit()
            flash_at(f"idea-{idea.id}", _("Idea retained."))
            return _back(team, idea)
    return render_back(team, Stage.IDEATION, status, retain_form=form, ideation_idea_id=idea.id)


@bp.post(IDEA + "/endorse")
def endorse(slug: str, number: int, idea_id: int):
    team = _team_for(slug, number, policy.can_endorse_idea)
    idea = _idea_or_404(team, idea_id)
    if not ConfirmForm().validate():
        return _refuse(team, idea, _not_sent(), 400)
    try:
        ideas.endorse_idea(team, idea, current_user)
    except DomainError as error:
        return _refuse(team, idea, error.message)
    db.session.commit()
    flash_at(f"idea-{idea.id}", _("Idea endorsed."))
    return _back(team, idea)


@bp.post(IDEA + "/comments")
def comment(slug: str, number: int, idea_id: int):
    team = _team_for(slug, number, policy.can_comment_on_workspace)
    idea = _idea_or_404(team, idea_id)
    form = _comment_form(idea.id)
    if form.validate():
        try:
            ideas.comment_on_idea(team, idea, current_user, form.body.data)
        except DomainError as error:
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at(f"idea-{idea.id}", _("Comment sent."))
            return _back(team, idea)
    return render_back(team, Stage.IDEATION, 400, comment_form=form, ideation_idea_id=idea.id)
