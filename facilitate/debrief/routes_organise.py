"""The organisers' side of the debrief: open and close the questionnaire, choose the parts it
asks about, read the answers gathered and export them."""

from functools import lru_cache

from flask import redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from facilitate import policy
from facilitate.dashboard.versions import event_version
from facilitate.debrief import bp
from facilitate.debrief.forms import PartsForm
from facilitate.debrief.routes import event_for
from facilitate.debrief.services import (
    CHART_BAR_SPACE,
    CHART_LABEL_WIDTH,
    CHART_ROW,
    SCORES,
    Bar,
    Summary,
    answers_table,
    chart_bars,
    debrief_of,
    parts_of,
    set_open,
    set_parts,
    summary,
)
from facilitate.domain import DomainError, show_on_form
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.models import Event
from facilitate.spreadsheets.writing import spreadsheet_download


def _texts(texts: list[tuple[str, str | None]]) -> Markup:
    """The items of a list of what to keep or change, written here rather than by a loop in
    the template (an edition has a thousand answers; the site's hundred cost 0.5 ms there),
    each text and name escaped."""
    if not texts:
        nothing = escape(_("Nothing yet."))
        return Markup(f"<li>{nothing}</li>")  # noqa: S704  (escaped)
    anonymous = escape(_("Anonymous"))
    return Markup(  # noqa: S704  (every value escaped)
        "\n".join(
            f'<li><p>{escape(text)}</p><p class="card__meta">'
            f"{escape(name) if name else anonymous}</p></li>"
            for text, name in texts
        )
    )


@lru_cache(maxsize=64)
def _gathered(
    event_id: int, version: int, parts: tuple[str, ...], language: str
) -> tuple[Summary, Markup, Markup, list[Bar]]:
    """The answers gathered and their lists as written, once per event data version (an answer
    changes it: ``DebriefAnswer`` is among the tables ``dashboard/versions.py`` watches, as
    are the attendees' names), parts asked about and reader's language; not re-read at each
    view of the page (a thousand answers at an edition). The page's form and token are not
    in it."""
    event = db.session.get(Event, event_id)  # in the session already: no query
    found = summary(event, list(parts))
    return found, _texts(found.keep), _texts(found.change), chart_bars(found.parts)


def _results_page(event: Event, parts_form: PartsForm | None = None, status: int = 200):
    debrief = debrief_of(event)
    parts = parts_of(event, debrief)
    found, keep, change, bars = _gathered(
        event.id, event_version(event), tuple(parts), str(get_locale())
    )
    if parts_form is None:
        parts_form = PartsForm(data={"parts": "\n".join(parts)})
    return (
        render_template(
            "debrief/results.html",
            event=event,
            is_open=debrief is not None and debrief.is_open,
            summary=found,
            keep=keep,
            change=change,
            bars=bars,
            chart={"label": CHART_LABEL_WIDTH, "space": CHART_BAR_SPACE, "row": CHART_ROW},
            scores=SCORES,
            parts_form=parts_form,
            form=ConfirmForm(),
        ),
        status,
    )


@bp.get("/events/<slug>/debrief/answers")
def results(slug: str):
    return _results_page(event_for(slug, policy.can_read_debrief_answers))


@bp.post("/events/<slug>/debrief/parts")
def save_parts(slug: str):
    event = event_for(slug, policy.can_read_debrief_answers)
    form = PartsForm()
    if form.validate():
        try:
            set_parts(event, form.parts.data, current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash_at("debrief-settings", _("The parts of the questionnaire are saved."))
            return redirect(url_for("debrief.results", slug=event.slug) + "#debrief-settings", 303)
    return _results_page(event, parts_form=form, status=400)


@bp.post("/events/<slug>/debrief/<any(open, close):action>")
def open_or_close(slug: str, action: str):
    event = event_for(slug, policy.can_read_debrief_answers)
    if ConfirmForm().validate_on_submit():
        set_open(event, action == "open", current_user)
        db.session.commit()
        flash_at(
            "debrief-settings",
            _("The questionnaire is open: attendees find it on the event’s page.")
            if action == "open"
            else _("The questionnaire is closed: answers can no longer be changed."),
        )
    return redirect(url_for("debrief.results", slug=event.slug) + "#debrief-settings", 303)


@bp.get("/events/<slug>/debrief/answers/export.<fmt>")
def export(slug: str, fmt: str):
    event = event_for(slug, policy.can_read_debrief_answers)
    headers, rows = answers_table(event)
    return spreadsheet_download(headers, rows, fmt, f"{event.slug}-debrief", _("Debrief"))
