"""The juror's page: the nominees and their work, and one scoring form each."""

from functools import cache

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from facilitate import policy
from facilitate import rendered_forms as rendered
from facilitate.domain import DomainError, show_on_form
from facilitate.editions.access import edition_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.jury import bp
from facilitate.jury.forms import FORMS_TEMPLATE, score_choices, scores_form, scores_form_class
from facilitate.jury.scoring import juror_of, nominees, save_scores, with_juror_scores
from facilitate.jury.services import rubric_for_page, rubric_of
from facilitate.models import Edition
from facilitate.numbers import whole_number


def _juror_edition(edition_id: int) -> Edition:
    return edition_or_404(edition_id, policy.can_read_nominees)


def _prefix(nominee) -> str:
    return f"n{nominee.nomination.id}"


def _page(edition: Edition, refused=None, refused_id: int | None = None):
    """The juror's page; ``refused``: the scores form a POST gives back with its errors (the
    nominee ``refused_id``'s). The others show what the juror gave so far, each rendered once
    while that stays so (``rendered.as_shown``)."""
    criteria = rubric_for_page(edition)
    found = nominees(edition)
    if policy.is_juror(current_user, edition):
        found = with_juror_scores(found, edition, current_user)
    forms = {}
    if policy.can_score(current_user, edition):
        # Made once a page, and only when a form is rendered afresh.
        form_class = cache(lambda: scores_form_class(criteria))
        for nominee in found:
            mine = refused if nominee.nomination.id == refused_id else None
            forms[nominee.nomination.id] = _scores_form(
                edition, criteria, nominee, mine, form_class
            )
    return render_template(
        "jury/score.html",
        edition=edition,
        nominees=found,
        forms=forms,
        refused=[refused] if refused is not None else [],
    ), (400 if refused is not None else 200)


def _scores_form(edition: Edition, criteria, nominee, refused, form_class) -> Markup:
    exhibit = nominee.exhibit
    label = exhibit.team.name or exhibit.challenge.number

    def arguments():
        form = refused
        if form is None:
            data = {f"criterion_{c_id}": str(score) for c_id, score in nominee.scores.items()}
            data["comment"] = nominee.comment
            form = scores_form(criteria, _prefix(nominee), data, None, form_class())
        return edition.id, nominee.nomination.id, criteria, form, label, score_choices

    shown = (
        edition.id,
        nominee.nomination.id,
        [(c.id, c.name) for c in criteria],
        sorted(nominee.scores.items()),
        nominee.comment,
        label,
    )
    return rendered.as_shown(FORMS_TEMPLATE, "scores", shown, arguments, refused is not None)


@bp.get("/editions/<int:edition_id>/jury/score")
def score(edition_id: int):
    return _page(_juror_edition(edition_id))


@bp.post("/editions/<int:edition_id>/jury/score/<int:nomination_id>")
def save(edition_id: int, nomination_id: int):
    edition = _juror_edition(edition_id)
    policy.require(policy.can_score(current_user, edition))
    found = {nominee.nomination.id: nominee for nominee in nominees(edition)}
    nominee = found.get(nomination_id)
    if nominee is None:
        abort(404)
    criteria = rubric_of(edition)
    form = scores_form(criteria, _prefix(nominee), formdata=request.form)
    if form.validate():
        given = {
            c.id: whole_number(form[f"criterion_{c.id}"].data or "", max_digits=2) for c in criteria
        }
        try:
            save_scores(
                edition,
                juror_of(edition, current_user),
                nominee.nomination,
                criteria,
                given,
                form.comment.data,
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            anchor = f"nominee-{nominee.nomination.id}"
            flash_at(anchor, _("Your scores are saved."))
            return redirect(url_for("jury.score", edition_id=edition.id) + "#" + anchor, code=303)
    return _page(edition, form, nominee.nomination.id)
