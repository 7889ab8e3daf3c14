"""The event's follow-up page (a table and a timeline), each challenge's page where its people
add updates, and the updates' photos."""

import os

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.challenges.services import get_challenge_or_404
from facilitate.domain import DomainError, show_on_form
from facilitate.elision import _catalogue
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.followup import bp
from facilitate.followup.forms import UpdateForm
from facilitate.followup.services import (
    UpdateDetails,
    add_update,
    challenges_of,
    event_day,
    first_day,
    follow_up_of,
    follow_ups_of,
    is_quiet,
    update_of_event_or_none,
    updates_of,
)
from facilitate.followup.timeline import progress_html, table_rows, timeline_items
from facilitate.i18n import day_and_month
from facilitate.models import Challenge, FollowUpStatus
from facilitate.models._types import utcnow
from facilitate.rendered_forms import as_shown
from facilitate.workspace import photos, thumbnails, uploads


@bp.get("/events/<slug>/follow-up")
def event_page(slug: str):
    event = get_event_or_404(slug)
    policy.require(policy.can_read_follow_up(current_user, event))
    follow_ups = follow_ups_of(event)
    today = event_day(event, utcnow())
    rows = [(challenge, follow_ups.get(challenge.id)) for challenge in challenges_of(event)]
    show_quiet = policy.can_see_quiet_follow_ups(current_user, event)
    quiet = []
    if show_quiet:
        quiet = [challenge for challenge, follow_up in rows if is_quiet(event, follow_up, today)]
    return render_template(
        "followup/event.html",
        event=event,
        rows=rows,
        updates=updates_of(event),
        quiet=quiet,
        show_quiet=show_quiet,
    )


def _form(challenge: Challenge, follow_up, submitted: bool, may_judge: bool) -> UpdateForm:
    """The form as the person sees it: without the status and the progress for those who may
    not set them, so that what their page sends is never refused for a field it does not show."""
    form = UpdateForm() if submitted else UpdateForm(formdata=None)
    if not may_judge:
        del form.status
        del form.progress
    form.photo.description = form.photo.description % {"size": _max_size()}
    if not submitted:
        form.happened_on.data = event_day(challenge.event, utcnow())
        if may_judge:
            form.status.data = (follow_up.status if follow_up else FollowUpStatus.TESTING).value
            form.progress.data = follow_up.progress if follow_up else None
    return form


def _max_size() -> str:
    return format_decimal(uploads.max_bytes() / (1024 * 1024), format="#,##0.#")


def _form_html(challenge: Challenge, follow_up, may_judge: bool, refused: UpdateForm | None):
    """The form's HTML (followup/_forms.html): as first shown, rendered once while all it shows
    stays the same (``rendered_forms.as_shown``: the date, the bounds, the status and progress
    it starts from, the size allowed); ``refused``: as a POST gives it back, with its errors."""
    event = challenge.event
    bounds = (local_first_day(event) or False, local_today(event))
    status = follow_up.status.value if follow_up else None
    progress = follow_up.progress if follow_up else None
    return as_shown(
        "followup/_forms.html",
        "update_form",
        (may_judge, *bounds, status, progress, _max_size()),
        lambda: (refused or _form(challenge, follow_up, False, may_judge), may_judge, *bounds),
        refused=refused is not None,
    )


@bp.route("/events/<slug>/follow-up/<int:number>", methods=["GET", "POST"])
def challenge(slug: str, number: int):
    challenge = get_challenge_or_404(slug, number)
    event = challenge.event
    policy.require(policy.can_read_follow_up(current_user, event))
    team = challenge.team
    may_add = team is not None and policy.can_add_follow_up_update(current_user, team)
    may_judge = team is not None and policy.can_change_follow_up_status(current_user, team)
    follow_up = follow_up_of(challenge)
    refused, status = None, 200
    if request.method == "POST":
        policy.require(may_add)
        refused, status = _form(challenge, follow_up, True, may_judge), 400
        if refused.validate():
            try:
                _save(challenge, refused, may_judge)
            except DomainError as error:
                show_on_form(refused, error)
            else:
                db.session.commit()
                flash_at("timeline", _("Update added. Thank you!"))
                return redirect(
                    url_for("followup.challenge", slug=event.slug, number=number) + "#timeline",
                    303,
                )
    return (
        render_template(
            "followup/challenge.html",
            event=event,
            challenge=challenge,
            follow_up=follow_up,
            updates=updates_of(event, challenge),
            form_html=may_add and _form_html(challenge, follow_up, may_judge, refused),
            refused=refused,
            may_judge=may_judge,
        ),
        status,
    )


def _save(challenge: Challenge, form: UpdateForm, may_judge: bool) -> None:
    photo = None
    if form.photo.data and getattr(form.photo.data, "filename", None):
        limit = uploads.max_bytes()
        data = uploads.read_limited(form.photo.data.stream, limit)
        if data and uploads.detect_type(data[:16]) and not form.consent.data:
            raise DomainError(
                _(
                    "Tick this box to confirm the people pictured agreed; otherwise choose another photo."
                ),
                field="consent",
            )
        photo = (data, form.photo.data.filename)
    add_update(
        challenge,
        current_user,
        UpdateDetails(
            happened_on=form.happened_on.data,
            text=form.text.data,
            status=FollowUpStatus(form.status.data) if may_judge else None,
            progress=form.progress.data if may_judge else None,
            photo=photo,
        ),
        now=utcnow(),
    )


def _photo_of(slug: str, number: int, update_id: int):
    challenge = get_challenge_or_404(slug, number)
    policy.require(policy.can_read_follow_up(current_user, challenge.event))
    update = update_of_event_or_none(challenge.event, challenge, update_id)
    if update is None or not update.has_photo:
        abort(404)
    return update


@bp.get("/events/<slug>/follow-up/<int:number>/updates/<int:update_id>/photo/small")
def small_photo(slug: str, number: int, update_id: int):
    """What the timeline shows: some tens of kilobytes instead of up to 8 MB per photo."""
    update = _photo_of(slug, number, update_id)
    return thumbnails.send_small(update.storage_name, update.content_type, update.original_name)


@bp.get("/events/<slug>/follow-up/<int:number>/updates/<int:update_id>/photo")
def photo(slug: str, number: int, update_id: int):
    update = _photo_of(slug, number, update_id)
    path = uploads.path_of(update.storage_name)
    if path is None or not os.path.isfile(path) or not photos.ready_to_serve(update.storage_name):
        abort(404)
    extension = update.storage_name.rsplit(".", 1)[1]
    return uploads.send_inline(path, update.content_type, update.original_name, extension)


_SAID = "_facilitate_follow_up_words"  # in ``g``: what this request already worded


def _once(key, word):
    """``word()``, worked out once per request and reader's language: the event's timeline
    dates and labels a hundred updates and more at an edition."""
    said = g.get(_SAID)
    if said is None:
        said = g.setdefault(_SAID, {})
    key = (id(_catalogue()[0]), key)  # the reader's catalogue: a forced locale has its own
    found = said.get(key)
    if found is None:
        found = said[key] = word()
    return found


@bp.app_template_global()
def local_day(day) -> str:
    """A day as its readers write it: "1er juillet 2018", "1 July 2018"."""
    return _once(day, lambda: day_and_month(day))


@bp.app_template_global()
def challenge_follow_up(event, number: int) -> tuple[str, str]:
    """The address of a challenge's follow-up page and its link's words ("Défi 3"): the event's
    page names each challenge in its table and again in the timeline."""
    return _once(
        ("challenge", number),
        lambda: (
            url_for("followup.challenge", slug=event.slug, number=number),
            _("Challenge %(number)d", number=number),
        ),
    )


@bp.app_template_global()
def follow_up_timeline(event, updates, with_challenge: bool):
    """The timeline's items (``followup/timeline.py``), worded by this page's helpers."""
    return timeline_items(
        event,
        updates,
        with_challenge,
        local_day,
        follow_up_status,
        percent_done,
        challenge_follow_up,
    )


@bp.app_template_global()
def follow_up_rows(event, rows):
    """The rows of the event's table (``followup/timeline.py``), worded by this page's helpers."""
    return table_rows(event, rows, local_day, follow_up_status, challenge_follow_up)


bp.add_app_template_global(progress_html, "follow_up_progress")


@bp.app_template_global()
def percent_done(percent: int) -> str:
    """ "40 % done", in the reader's words (the timeline says it of every update)."""
    return _once(("done", percent), lambda: _("%(percent)d%% done", percent=percent))


@bp.app_template_global()
def follow_up_status(status: FollowUpStatus) -> str:
    """A follow-up's status, in the reader's words."""
    return _once(status, lambda: str(status.label))


@bp.app_template_global()
def local_first_day(event) -> str | None:
    """The event's first day at its venue, for a date field's ``min``."""
    first = first_day(event)
    return first.isoformat() if first else None


@bp.app_template_global()
def local_today(event) -> str:
    """Today at the event's venue, for a date field's ``max``."""
    return event_day(event, utcnow()).isoformat()
