"""The privacy pages, a person's own data, erasing a person and purging an event."""

import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from facilitate import policy
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.forms import ConfirmForm
from facilitate.models import Event
from facilitate.people.routes import get_attendance_or_404
from facilitate.privacy import bp
from facilitate.privacy.forms import NoticeForm, PurgeForm
from facilitate.privacy.own_data import (
    data_archive,
    record_download,
)
from facilitate.privacy.services import (
    DEFAULT_RETENTION_MONTHS,
    NoticeDetails,
    erasable_count,
    erase_attendee,
    erasure_plan,
    has_ended,
    notice_of,
    purge_personal_data,
    save_notice,
)


def _event_for(slug: str, allowed) -> Event:
    """Load (404), then authorize (403) with one of policy's predicates."""
    event = get_event_or_404(slug)
    policy.require(allowed(current_user, event))
    return event


def _platform():
    config = current_app.config
    return {
        "controller": config.get("PRIVACY_CONTROLLER"),
        "contact": config.get("PRIVACY_CONTACT"),
    }


@bp.get("/privacy")
def platform():
    return render_template("privacy/platform.html", platform=_platform())


@bp.get("/events/<slug>/privacy")
def event_notice(slug: str):
    event = _event_for(slug, policy.can_read_privacy_notice)
    return render_template(
        "privacy/event_notice.html",
        event=event,
        notice=notice_of(event),
        platform=_platform(),
        default_months=DEFAULT_RETENTION_MONTHS,
    )


@bp.route("/events/<slug>/organise/privacy", methods=["GET", "POST"])
def edit_notice(slug: str):
    event = _event_for(slug, policy.can_edit_privacy_notice)
    notice = notice_of(event)
    if request.method == "GET":
        form = NoticeForm(
            formdata=None,
            controller=notice.controller if notice else None,
            contact_email=notice.contact_email if notice else None,
            retention_months=notice.retention_months if notice else DEFAULT_RETENTION_MONTHS,
            details=notice.details if notice else "",
        )
    else:
        form = NoticeForm()
        if form.validate():
            details = NoticeDetails(
                controller=form.controller.data.strip(),
                contact_email=(form.contact_email.data or "").strip().lower() or None,
                retention_months=form.retention_months.data,
                details=(form.details.data or "").strip(),
            )
            save_notice(event, details, current_user)
            db.session.commit()
            flash(_("The privacy notice is saved."), "success")
            return redirect(url_for("privacy.event_notice", slug=event.slug), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("privacy/notice_form.html", event=event, form=form), status


@bp.get("/events/<slug>/my-data")
def own_data(slug: str):
    event = _event_for(slug, policy.can_download_own_data)
    return render_template("privacy/own_data.html", event=event, form=ConfirmForm())


@bp.post("/events/<slug>/my-data")
def download_own_data(slug: str):
    event = _event_for(slug, policy.can_download_own_data)
    if not ConfirmForm().validate_on_submit():
        flash(_("The page had expired: try again."), "error")
        return redirect(url_for("privacy.own_data", slug=slug), code=303)
    archive = data_archive(event, current_user)
    record_download(event, current_user)
    db.session.commit()
    response = send_file(
        io.BytesIO(archive),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"mes-donnees-{event.slug}.zip",
    )
    response.cache_control.no_store = True
    return response


@bp.route("/events/<slug>/people/<int:user_id>/erase", methods=["GET", "POST"])
def erase(slug: str, user_id: int):
    event = _event_for(slug, policy.can_erase_attendees)
    attendance = get_attendance_or_404(event, user_id)
    plan = erasure_plan(event, attendance.user)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            erase_attendee(event, attendance, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The person's personal data is erased."), "success")
        return redirect(url_for("people.manage", slug=slug), code=303)
    return render_template(
        "privacy/erase.html", event=event, attendance=attendance, plan=plan, form=form
    )


@bp.route("/events/<slug>/organise/purge", methods=["GET", "POST"])
def purge(slug: str):
    event = _event_for(slug, policy.can_purge_personal_data)
    form = PurgeForm(expected=event.slug)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                count = purge_personal_data(event, current_user)
            except DomainError as error:
                db.session.rollback()
                show_on_form(form, error)
            else:
                db.session.commit()
                message = ngettext(
                    "The personal data of %(num)d person is erased.",
                    "The personal data of %(num)d people is erased.",
                    count,
                )
                flash(message, "success")
                return redirect(url_for("events.organise", slug=slug), code=303)
    return render_template(
        "privacy/purge.html",
        event=event,
        form=form,
        ended=has_ended(event),
        count=erasable_count(event),
    ), status
