"""The national organisers' jury page (rubric, jurors, progress, reveal), the sites'
nominations and the results."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, select

from facilitate import policy
from facilitate import rendered_forms as rendered
from facilitate.confirmed import act_confirmed
from facilitate.domain import DomainError, show_on_form
from facilitate.editions.access import edition_or_404
from facilitate.editions.services import edition_by_id
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.jury import bp
from facilitate.jury.forms import (
    FORMS_TEMPLATE,
    CriterionForm,
    JurorForm,
    NewCriterionForm,
    NominateForm,
)
from facilitate.jury.scoring import nominee_names, progress, reveal, standings
from facilitate.jury.services import (
    add_criterion,
    appoint_juror,
    juror_candidates,
    jurors_of,
    nominate,
    nominations_of_site,
    remove_criterion,
    remove_juror,
    rubric_for_page,
    update_criterion,
    withdraw,
)
from facilitate.models import Challenge, Edition, JuryCriterion, Nomination, Team


def _jury_edition(edition_id: int) -> Edition:
    return edition_or_404(edition_id, policy.can_manage_jury)


def _to_jury(edition: Edition, anchor: str):
    return redirect(url_for("jury.organise", edition_id=edition.id) + anchor, code=303)


def _page(edition: Edition, status: int = 200, **refused):
    """The jury's page; ``refused``: the form a POST gives back with its errors (a criterion's
    as ``criterion_forms``, ``new_criterion`` or ``juror``). The others are shown as stored,
    rendered once while that stays so (``rendered.as_shown``)."""
    criteria = rubric_for_page(edition)
    criterion_forms = refused.get("criterion_forms", {})
    new_form = refused.get("new_criterion")
    candidates = [(u.id, u.name) for u in juror_candidates(edition)]
    jurors, scored = progress(edition)
    return render_template(
        "jury/organise.html",
        edition=edition,
        refused=[*criterion_forms.values(), *filter(None, (new_form, refused.get("juror")))],
        rubric=_rubric(edition, criteria, criterion_forms, new_form),
        juror_form=_juror_form(edition, candidates, refused.get("juror")),
        jurors=jurors_of(edition),
        juror_count=jurors,
        scored=scored,
        nominees=nominee_names(edition),
        button=ConfirmForm(),
    ), status


def _rubric(edition: Edition, criteria, criterion_forms: dict, new_form) -> Markup:
    def arguments():
        forms = {
            criterion.id: criterion_forms.get(criterion.id)
            or CriterionForm(formdata=None, obj=criterion, prefix=f"c{criterion.id}")
            for criterion in criteria
        }
        return (
            edition.id,
            criteria,
            forms,
            new_form or NewCriterionForm(formdata=None),
            ConfirmForm(),
        )

    shown = (edition.id, [(c.id, c.name, c.position) for c in criteria])
    refused = bool(criterion_forms or new_form)
    return rendered.as_shown(FORMS_TEMPLATE, "rubric", shown, arguments, refused)


def _juror_form(edition: Edition, candidates: list, form: JurorForm | None) -> Markup:
    def arguments():
        juror_form = form or JurorForm(formdata=None)
        juror_form.user_id.choices = [("", _("Choose…")), *candidates]
        return edition.id, juror_form

    shown = (edition.id, candidates)
    return rendered.as_shown(FORMS_TEMPLATE, "juror", shown, arguments, form is not None)


@bp.get("/editions/<int:edition_id>/jury")
def organise(edition_id: int):
    return _page(_jury_edition(edition_id))


@bp.post("/editions/<int:edition_id>/jury/criteria/<int:criterion_id>")
def change_criterion(edition_id: int, criterion_id: int):
    edition = _jury_edition(edition_id)
    criterion = db.session.get(JuryCriterion, criterion_id)
    if criterion is None or criterion.edition_id != edition.id:
        abort(404)
    form = CriterionForm(prefix=f"c{criterion.id}")
    if form.validate():
        update_criterion(edition, criterion, form.name.data, form.position.data, current_user)
        db.session.commit()
        flash_at("rubric-title", _("Changes saved."))
        return _to_jury(edition, "#rubric-title")
    return _page(edition, 400, criterion_forms={criterion.id: form})


@bp.post("/editions/<int:edition_id>/jury/criteria")
def new_criterion(edition_id: int):
    edition = _jury_edition(edition_id)
    form = NewCriterionForm()
    if form.validate():
        try:
            add_criterion(edition, form.name.data, current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at("rubric-title", _("The criterion is added."))
            return _to_jury(edition, "#rubric-title")
    return _page(edition, 400, new_criterion=form)


@bp.post("/editions/<int:edition_id>/jury/criteria/<int:criterion_id>/remove")
def delete_criterion(edition_id: int, criterion_id: int):
    edition = _jury_edition(edition_id)
    criterion = db.session.get(JuryCriterion, criterion_id)
    if criterion is None or criterion.edition_id != edition.id:
        abort(404)
    if act_confirmed("rubric-title", lambda: remove_criterion(edition, criterion, current_user)):
        flash_at("rubric-title", _("The criterion is removed."))
    return _to_jury(edition, "#rubric-title")


@bp.post("/editions/<int:edition_id>/jury/jurors")
def appoint(edition_id: int):
    edition = _jury_edition(edition_id)
    form = JurorForm()
    form.user_id.choices = [("", "")] + [(u.id, u.name) for u in juror_candidates(edition)]
    if form.validate():
        try:
            person = appoint_juror(edition, form.user_id.data, form.email.data, current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at("jurors-title", _("%(name)s is now a juror.", name=person.name))
            return _to_jury(edition, "#jurors-title")
    return _page(edition, 400, juror=form)


@bp.post("/editions/<int:edition_id>/jury/jurors/<int:user_id>/remove")
def remove(edition_id: int, user_id: int):
    edition = _jury_edition(edition_id)
    person = next((u for u in jurors_of(edition) if u.id == user_id), None)
    if person is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        remove_juror(edition, person, current_user)
        db.session.commit()
        flash_at("jurors-title", _("%(name)s is no longer a juror.", name=person.name))
    return _to_jury(edition, "#jurors-title")


@bp.post("/editions/<int:edition_id>/jury/reveal")
def reveal_results(edition_id: int):
    edition = _jury_edition(edition_id)
    if ConfirmForm().validate_on_submit():
        reveal(edition, current_user)
        db.session.commit()
        flash(_("The jury’s results are revealed."), "success")
    return redirect(url_for("jury.results", edition_id=edition.id), code=303)


@bp.get("/editions/<int:edition_id>/jury/results")
def results(edition_id: int):
    edition = edition_or_404(edition_id, policy.can_see_jury_results)
    criteria = rubric_for_page(edition)
    shown = edition.jury_revealed_at is not None
    return render_template(
        "jury/results.html",
        edition=edition,
        criteria=criteria,
        standings=standings(edition, nominee_names(edition)) if shown else [],
        decimal=lambda value: format_decimal(float(value), format="0.00"),
    )


def _nominations_page(event, form: NominateForm | None = None, status: int = 200):
    """The site's nominations; ``form``: the nomination a POST gives back with its errors,
    else the form as first shown, rendered once while the teams it offers stay the same."""
    edition = edition_by_id(event.edition_id)
    taken = nominations_of_site(event)
    nominate_form = None
    if edition.jury_revealed_at is None:
        choices = _nominable(event, taken)

        def arguments():
            shown = form or NominateForm(formdata=None)
            shown.team.choices = choices
            return event.slug, shown

        shown = (event.slug, choices)
        nominate_form = rendered.as_shown(
            FORMS_TEMPLATE, "nominate", shown, arguments, form is not None
        )
    return render_template(
        "jury/nominations.html",
        event=event,
        edition=edition,
        nominations=taken,
        nominate_form=nominate_form,
        refused=[form] if form is not None else [],
        button=ConfirmForm(),
    ), status


_TEAMS_OF_SITE = (  # built once per process: the site's nominations page reads it
    select(Team.id, Challenge.number, Challenge.question)
    .join(Challenge, Challenge.id == Team.challenge_id)
    .where(Team.event_id == bindparam("event_id"))
    .order_by(Challenge.number)
)


def _nominable(event, taken) -> list[tuple[int, str]]:
    already = {nomination.team_id for nomination in taken}
    rows = db.session.execute(_TEAMS_OF_SITE, {"event_id": event.id})
    label = _("Challenge %(number)d: %(question)s")  # translated once, not once a team
    return [
        (team_id, label % {"number": number, "question": question})
        for team_id, number, question in rows
        if team_id not in already
    ]


def _nominating_event(slug: str):
    event = get_event_or_404(slug)
    policy.require(policy.can_nominate(current_user, event))
    return event


@bp.get("/events/<slug>/jury/nominations")
def nominations(slug: str):
    return _nominations_page(_nominating_event(slug))


@bp.post("/events/<slug>/jury/nominations")
def add_nomination(slug: str):
    event = _nominating_event(slug)
    form = NominateForm()
    form.team.choices = _nominable(event, nominations_of_site(event))
    if form.validate():
        team = db.session.get(Team, form.team.data)
        try:
            nominate(edition_by_id(event.edition_id), event, team, current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at("nominations-title", _("The team is nominated for the national jury."))
            return redirect(url_for("jury.nominations", slug=event.slug), code=303)
    return _nominations_page(event, form, 400)


@bp.post("/events/<slug>/jury/nominations/<int:nomination_id>/withdraw")
def withdraw_nomination(slug: str, nomination_id: int):
    event = _nominating_event(slug)
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or nomination.event_id != event.id:
        abort(404)
    if act_confirmed(
        "nominations-title",
        lambda: withdraw(edition_by_id(event.edition_id), event, nomination, current_user),
    ):
        flash_at("nominations-title", _("The nomination is withdrawn."))
    return redirect(url_for("jury.nominations", slug=event.slug), code=303)
