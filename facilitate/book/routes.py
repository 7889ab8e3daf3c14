"""The book's pages: the organisers' (texts, order, every book), a challenge's (its owners'),
the PDFs, and the status the pages poll while a book is being built."""

import os

from flask import jsonify, redirect, render_template, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, select

from facilitate import policy
from facilitate.book import bp, builds
from facilitate.book.forms import BookSettingsForm
from facilitate.book.services import save_settings, settings_of
from facilitate.book.state_html import challenge_book_state, challenge_cards, event_book_state
from facilitate.book.storage import pdf_path
from facilitate.challenges.services import get_challenge_or_404
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.models import Challenge, Event
from facilitate.rendered_forms import as_shown


def _language() -> str:
    return str(get_locale() or "fr")


def _event_for_organiser(slug: str) -> Event:
    event = get_event_or_404(slug)
    policy.require(policy.can_manage_book(current_user, event))
    return event


def _challenge_for_reader(slug: str, number: int) -> Challenge:
    challenge = get_challenge_or_404(slug, number)
    policy.require(policy.can_download_challenge_book(current_user, challenge))
    return challenge


# The columns the page shows, not whole challenges (an edition has 70); built once per process.
_CHALLENGES = (
    select(Challenge.id, Challenge.number, Challenge.question)
    .where(Challenge.event_id == bindparam("event_id"))
    .order_by(Challenge.number)
)


def _organise_page(event: Event, refused: BookSettingsForm | None = None, status: int = 200):
    """``refused``: the settings form a POST gives back with its errors; otherwise the form as
    first shown, rendered once while the settings stay the same (``rendered_forms.as_shown``)."""
    challenges = db.session.execute(_CHALLENGES, {"event_id": event.id}).all()
    settings = settings_of(event)
    shown = (event.slug, settings.opening, settings.closing, settings.order.value)

    def settings_form():
        form = refused or BookSettingsForm(
            data={"opening": shown[1], "closing": shown[2], "order": shown[3]}
        )
        return event.slug, form

    states = builds.states(event, challenges, _language(), settings)
    hidden = ConfirmForm().hidden_tag()
    return (
        render_template(
            "book/organise.html",
            event=event,
            settings_form=as_shown(
                "book/_forms.html", "settings", shown, settings_form, refused is not None
            ),
            refused=refused,
            whole_book=event_book_state(event, states[builds.EVENT_SCOPE], hidden),
            challenges=challenge_cards(event, challenges, states, hidden),
        ),
        status,
    )


@bp.get("/events/<slug>/book")
def organise(slug: str):
    return _organise_page(_event_for_organiser(slug))


@bp.post("/events/<slug>/book/settings")
def save(slug: str):
    event = _event_for_organiser(slug)
    form = BookSettingsForm()
    if not form.validate():
        return _organise_page(event, form, 422)
    save_settings(event, form.opening.data or "", form.closing.data or "", form.order.data)
    db.session.commit()
    flash_at("book-settings", _("The book’s texts and order are saved."))
    return redirect(url_for("book.organise", slug=slug, _anchor="book-settings"), 303)


@bp.post("/events/<slug>/book/build")
def build_event_book(slug: str):
    event = _event_for_organiser(slug)
    if ConfirmForm().validate():
        builds.request_build(event, None, _language())
    return redirect(url_for("book.organise", slug=slug, _anchor="whole-book"), 303)


@bp.post("/events/<slug>/challenges/<int:number>/book/build")
def build_challenge_book(slug: str, number: int):
    challenge = _challenge_for_reader(slug, number)
    if ConfirmForm().validate():
        builds.request_build(challenge.event, challenge, _language())
    return redirect(url_for("book.challenge_book", slug=slug, number=number), 303)


@bp.get("/events/<slug>/challenges/<int:number>/book")
def challenge_book(slug: str, number: int):
    challenge = _challenge_for_reader(slug, number)
    return render_template(
        "book/challenge.html",
        event=challenge.event,
        challenge=challenge,
        book_state=challenge_book_state(
            challenge,
            builds.shown_state(challenge.event, challenge, _language()),
            ConfirmForm().hidden_tag(),
        ),
    )


def _send(event: Event, challenge: Challenge | None, name: str, back: str):
    state = builds.state(event, challenge, _language())
    path = pdf_path(state.build) if state.fresh else None
    if path is None or not os.path.exists(path):
        # Stale or never built: the page says so and offers to build it.
        return redirect(back, 303)
    response = send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/events/<slug>/book.pdf")
def event_book_pdf(slug: str):
    event = _event_for_organiser(slug)
    return _send(event, None, f"{event.slug}-book.pdf", url_for("book.organise", slug=slug))


@bp.get("/events/<slug>/challenges/<int:number>/book.pdf")
def challenge_book_pdf(slug: str, number: int):
    challenge = _challenge_for_reader(slug, number)
    return _send(
        challenge.event,
        challenge,
        f"{challenge.event.slug}-challenge-{number}.pdf",
        url_for("book.challenge_book", slug=slug, number=number),
    )


def _status(event: Event, challenge: Challenge | None):
    """What the page's script needs while a build runs: the row alone, no gathering (the page
    itself says, once reloaded, whether the PDF is up to date)."""
    build = builds.find(event, challenge, _language())
    return jsonify(
        status=build.status.value if build else None,
        progress=build.progress if build else 0,
        running=builds.is_running(build),
    )


@bp.get("/events/<slug>/book/status")
def event_book_status(slug: str):
    return _status(_event_for_organiser(slug), None)


@bp.get("/events/<slug>/challenges/<int:number>/book/status")
def challenge_book_status(slug: str, number: int):
    challenge = _challenge_for_reader(slug, number)
    return _status(challenge.event, challenge)
