"""The attendee's side of the debrief: one page, made for a phone, to answer and to change the
answers until the organisers close the questionnaire."""

from functools import lru_cache

from babel.numbers import format_decimal
from flask import redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.debrief import bp
from facilitate.debrief.forms import NO_OPINION, answer_form
from facilitate.debrief.services import answer_of, debrief_of, save_answer
from facilitate.domain import DomainError
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.models import Event


def event_for(slug: str, predicate) -> Event:
    event = get_event_or_404(slug)
    policy.require(predicate(current_user, event))
    return event


@bp.route("/events/<slug>/debrief", methods=["GET", "POST"])
def answer(slug: str):
    event = event_for(slug, policy.can_answer_debrief)
    debrief = debrief_of(event)
    is_open = debrief is not None and debrief.is_open
    parts = list(debrief.parts) if debrief else []
    mine = answer_of(event, current_user)
    data = {}
    if mine is not None:
        data = {"keep": mine.keep, "change": mine.change, "show_name": mine.show_name}
        for i, part in enumerate(parts):
            data[f"score_{i}"] = str(mine.scores.get(part, NO_OPINION))
    form = answer_form(parts, data=data)
    status = 200
    if request.method == "POST":
        status = 400 if is_open else 409
        if is_open and form.validate() and form.parts_changed():
            form.form_errors.append(
                _(
                    "The organisers changed the questions since you opened this page: check your scores, then send them again."
                )
            )
        elif is_open and not form.errors:
            try:
                save_answer(
                    event,
                    current_user,
                    form.scores(parts),
                    form.keep.data or "",
                    form.change.data or "",
                    form.show_name.data,
                )
            except DomainError as error:
                form.form_errors.append(error.message)
            else:
                db.session.commit()
                flash_at("debrief-title", _("Thank you: your answers are saved."))
                return redirect(url_for("debrief.answer", slug=event.slug), 303)
        elif not is_open:
            form.form_errors.append(
                _("The questionnaire is closed: your answers could not be saved.")
            )
    return (
        render_template(
            "debrief/answer.html",
            event=event,
            form=form,
            is_open=is_open,
            answered=mine is not None,
        ),
        status,
    )


@bp.app_template_filter()
def debrief_mean(mean: float | None) -> str:
    """A mean score as readers write it (3,7 in French); a dash when nobody rated the part."""
    return "–" if mean is None else _written_mean(mean, str(get_locale()))


@lru_cache(maxsize=4096)
def _written_mean(mean: float, language: str) -> str:
    """Babel's ``format_decimal`` (a fifth of a millisecond): the results page writes each
    part's mean three times (chart, its description, the table), the same for every reader."""
    return format_decimal(mean, format="0.0", locale=language)


@bp.app_template_global()
def debrief_is_open(event: Event) -> bool:
    """For the event page's link (debrief/_event_link.html)."""
    debrief = debrief_of(event)
    return debrief is not None and debrief.is_open
