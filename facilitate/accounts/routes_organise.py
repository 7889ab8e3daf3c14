"""The organiser's page "Co-organisers and invitations", and what its buttons do.

A link is shown only to the organiser who created it, right after: the database keeps only a
digest of its secret. It waits in that organiser's session, for the few latest links, so that the
page can be reloaded and printed: tied to that organiser's account, shown only on this event's
pages, and dropped when they sign out (the session cookie is signed, not encrypted, and a shared
computer at a venue must not keep working links in it). Later, a fresh link replaces it.
"""

from flask import abort, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, user_logged_out

from facilitate import policy
from facilitate.accounts import bp
from facilitate.accounts.emails import invitation_email
from facilitate.accounts.forms import InvitationForm
from facilitate.accounts.invitee_rows import invitee_rows
from facilitate.accounts.organisers import organisers_of, remove_organiser
from facilitate.accounts.routes_invitation import private
from facilitate.accounts.services import (
    InvitationLinkError,
    IssuedLink,
    cancel_invitation,
    create_invitation,
    get_invitation,
    invitation_url,
    invitees,
    mark_emailed,
    open_invitation,
    open_invitations,
    refresh_invitation,
)
from facilitate.domain import DomainError, show_on_form
from facilitate.events.services import get_event_or_404
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm
from facilitate.mail import MailError, mail_enabled, send
from facilitate.models import Event, Invitation, Role
from facilitate.models._types import utcnow
from facilitate.printing.services import qr_code_svg

_LINKS = "invitation_links"  # session key: {"user": id, "links": {invitation id: token}}
_LINKS_KEPT = 5


def _event(slug: str) -> Event:
    event = get_event_or_404(slug)
    policy.require(policy.can_manage_invitations(current_user, event))
    return event


def _invitation(event: Event, invitation_id: int) -> Invitation:
    invitation = get_invitation(event, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _page(event: Event, form: InvitationForm, status: int = 200):
    invitations = open_invitations(event)
    now = utcnow()
    listed = invitees(event, invitations)
    return (
        render_template(
            "accounts/organise.html",
            event=event,
            form=form,
            organisers=organisers_of(event),
            invitees=listed,
            invitee_rows=listed and invitee_rows(event, listed, now),
            invitations=invitations,
            now=now,
            mail_enabled=mail_enabled(),
            button=ConfirmForm(),
        ),
        status,
    )


def _kept_links() -> dict[str, str]:
    kept = session.get(_LINKS) or {}
    return dict(kept.get("links", {})) if kept.get("user") == current_user.id else {}


def _keep_link(issued: IssuedLink) -> None:
    links = _kept_links()
    links.pop(str(issued.invitation.id), None)
    links[str(issued.invitation.id)] = issued.token
    session[_LINKS] = {"user": current_user.id, "links": dict(list(links.items())[-_LINKS_KEPT:])}


@user_logged_out.connect
def _forget_links(_app, **_extra) -> None:
    session.pop(_LINKS, None)


def _shown_link(invitation: Invitation) -> str | None:
    """The link this organiser was given for this invitation, if it still works."""
    token = _kept_links().get(str(invitation.id))
    if not token:
        return None
    try:
        still = open_invitation(token)
    except InvitationLinkError:
        return None
    return invitation_url(token) if still.id == invitation.id else None


def _email(issued: IssuedLink) -> None:
    """Send the link when the platform has email; the organiser has it to copy either way."""
    if not mail_enabled():
        return
    try:
        send(invitation_email(issued.invitation, issued.url, current_user))
    except MailError:
        flash(
            _("The email could not be sent. Copy the link or print it for the person."),
            "warning",
        )
        return
    mark_emailed(issued.invitation)
    db.session.commit()
    flash(_("The link was also sent to %(email)s.", email=issued.invitation.email), "success")


def _issued(event: Event, issued: IssuedLink):
    db.session.commit()
    _keep_link(issued)
    _email(issued)
    return redirect(
        url_for("accounts.invitation_link", slug=event.slug, invitation_id=issued.invitation.id),
        code=303,
    )


@bp.get("/events/<slug>/organise/invitations")
def invitations(slug: str):
    event = _event(slug)
    return _page(event, InvitationForm(formdata=None))


@bp.post("/events/<slug>/organise/invitations")
def create(slug: str):
    event = _event(slug)
    form = InvitationForm()
    if form.validate():
        try:
            issued = create_invitation(
                event, Role(form.role.data), form.email.data, form.name.data, current_user
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            return _issued(event, issued)
    return _page(event, form, 400)


@bp.get("/events/<slug>/organise/invitations/<int:invitation_id>")
def invitation_link(slug: str, invitation_id: int):
    event = _event(slug)
    invitation = _invitation(event, invitation_id)
    url = _shown_link(invitation) if invitation.is_open else None
    qr_code = (
        qr_code_svg(url, _("QR code of the invitation of %(name)s", name=invitation.name))
        if url
        else None
    )
    page = render_template(
        "accounts/invitation_link.html",
        event=event,
        invitation=invitation,
        status=invitation.status(utcnow()),
        url=url,
        qr_code=qr_code,
        button=ConfirmForm(),
    )
    return private(make_response(page))


@bp.post("/events/<slug>/organise/invitations/<int:invitation_id>/refresh")
def refresh(slug: str, invitation_id: int):
    event = _event(slug)
    invitation = _invitation(event, invitation_id)
    if ConfirmForm().validate_on_submit():
        try:
            issued = refresh_invitation(invitation, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("A fresh link is ready; the previous one no longer works."), "success")
            return _issued(event, issued)
    return redirect(url_for("accounts.invitations", slug=event.slug), code=303)


@bp.post("/events/<slug>/organise/invitations/<int:invitation_id>/cancel")
def cancel(slug: str, invitation_id: int):
    event = _event(slug)
    invitation = _invitation(event, invitation_id)
    if ConfirmForm().validate_on_submit():
        try:
            cancel_invitation(invitation, current_user)
        except DomainError as error:
            db.session.rollback()
            flash_at("invitations-title", error.message, "error")
        else:
            db.session.commit()
            flash_at("invitations-title", _("Invitation cancelled: its link no longer works."))
    return redirect(
        url_for("accounts.invitations", slug=event.slug) + "#invitations-title", code=303
    )


@bp.route("/events/<slug>/organise/organisers/<int:user_id>/remove", methods=["GET", "POST"])
def remove(slug: str, user_id: int):
    event = get_event_or_404(slug)
    policy.require(policy.can_manage_organisers(current_user, event))
    organisers = organisers_of(event)
    person = next((o for o in organisers if o.id == user_id), None)
    if person is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        leaving = person.id == current_user.id
        try:
            remove_organiser(event, person, current_user)
        except DomainError as error:
            db.session.rollback()
            flash_at("organisers-title", error.message, "error")
            return redirect(
                url_for("accounts.invitations", slug=event.slug) + "#organisers-title", code=303
            )
        db.session.commit()
        if leaving:
            flash(_("You no longer organise “%(event)s”.", event=event.name), "success")
            return redirect(url_for("events.home"), code=303)
        flash_at("organisers-title", _("%(name)s no longer organises the event.", name=person.name))
        return redirect(
            url_for("accounts.invitations", slug=event.slug) + "#organisers-title", code=303
        )
    return render_template(
        "accounts/remove_organiser.html",
        event=event,
        person=person,
        last=len(organisers) <= 1 and event.edition_id is None,
        form=form,
    )
