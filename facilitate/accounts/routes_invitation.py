"""Following an invitation link. Opening it changes nothing (a messaging app's preview may open
it); the person acts with a button. A link that does not work says why, in the reader's
language, with a 4xx status."""

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user

from facilitate.accounts import bp
from facilitate.accounts.forms import ChoosePasswordForm
from facilitate.accounts.services import (
    InvitationLinkError,
    LinkProblem,
    Step,
    accept_signed_in,
    accept_with_new_password,
    account_with_email,
    next_step,
    open_invitation,
)
from facilitate.domain import DomainError, show_on_form
from facilitate.extensions import db
from facilitate.forms import ConfirmForm
from facilitate.mail import mail_enabled
from facilitate.models import Invitation, Role

_PROBLEMS = {
    LinkProblem.INVALID: (
        404,
        _l("This invitation link does not work"),
        _l(
            "The address may be incomplete: copy the whole link, or scan the QR code again. If it still does not work, ask the event's organisers for a fresh link."
        ),
    ),
    LinkProblem.EXPIRED: (
        410,
        _l("This invitation has expired"),
        _l("An invitation link works for seven days. Ask the event's organisers for a fresh link."),
    ),
    LinkProblem.USED: (
        410,
        _l("This invitation has already been used"),
        _l(
            "An invitation link works only once. If you chose your password with it, sign in with your email address and that password."
        ),
    ),
    LinkProblem.CANCELLED: (
        410,
        _l("This invitation has been cancelled"),
        _l("The event's organisers cancelled it. Ask them if you think it is a mistake."),
    ),
    LinkProblem.REPLACED: (
        410,
        _l("This invitation link has been replaced"),
        _l(
            "The organisers issued a fresh link since: only the latest one works. Use it, or ask them for it."
        ),
    ),
    LinkProblem.WITHDRAWN: (
        410,
        _l("This invitation no longer applies"),
        _l("You no longer have this role at the event. Ask its organisers."),
    ),
}


def private(response):
    """Pages whose address holds a secret: kept out of caches, and out of Referer headers sent
    to other sites. Not ``no-referrer``: over HTTPS, Flask-WTF refuses a form posted without a
    Referer, and these pages hold forms."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def render_notice(status: int, title, message, **context):
    body = render_template("accounts/notice.html", title=title, message=message, **context)
    return private(make_response(body, status))


def _destination(invitation: Invitation) -> str:
    if invitation.role == Role.ORGANISER:
        return url_for("events.organise", slug=invitation.event.slug)
    return url_for("events.show", slug=invitation.event.slug)


def _masked(email: str) -> str:
    """j…@example.org: enough for the person to recognise their address."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def follow_invitation(token: str):
    try:
        invitation = open_invitation(token, lock=request.method == "POST")
    except InvitationLinkError as error:
        return render_notice(*_PROBLEMS[error.problem])
    step = next_step(invitation, current_user)
    if step == Step.WRONG_ACCOUNT:
        return render_notice(
            403,
            _("This invitation is for someone else"),
            _(
                "It is for the address %(email)s, and you are signed in as %(name)s. Sign out, then open the link again.",
                email=_masked(invitation.email),
                name=current_user.name,
            ),
            sign_out=True,
        )
    if step == Step.PROVE_EMAIL:
        return render_notice(
            409 if request.method == "POST" else 200,
            _("Choose your password with a link sent to your address"),
            _(
                "An account with the address %(email)s is already used at other events. To protect it, only a link sent to this address can set its password: use “Forgot your password?”, then open this invitation again.",
                email=_masked(invitation.email),
            )
            if mail_enabled()
            else _(
                "An account with the address %(email)s is already used at other events. To protect it, only a link sent to this address can set its password, and this platform cannot send email: ask the platform's administrators.",
                email=_masked(invitation.email),
            ),
            forgot_password=mail_enabled(),
        )
    if step in (Step.SIGN_IN, Step.ACCEPT):
        return _accept(invitation, step)
    return _choose_password(invitation)


def _accept(invitation: Invitation, step: Step):
    form = ConfirmForm()
    if step == Step.ACCEPT and form.validate_on_submit():
        try:
            accept_signed_in(invitation, current_user._get_current_object())
        except InvitationLinkError as error:
            db.session.rollback()
            return render_notice(*_PROBLEMS[error.problem])
        db.session.commit()
        flash(
            _("Invitation accepted. Welcome to “%(event)s”.", event=invitation.event.name),
            "success",
        )
        return redirect(_destination(invitation), code=303)
    status = 200 if request.method == "GET" else (401 if step == Step.SIGN_IN else 400)
    page = render_template(
        "accounts/invitation_accept.html",
        invitation=invitation,
        step=step.value,
        form=form,
        email=_masked(invitation.email),
    )
    return private(make_response(page, status))


def _choose_password(invitation: Invitation):
    account = account_with_email(invitation.email)
    form = ChoosePasswordForm(
        formdata=request.form if request.method == "POST" else None, name=invitation.name
    )
    if account is not None:
        del form.name
    if request.method == "POST" and form.validate():
        name = form.name.data if "name" in form else None
        try:
            user = accept_with_new_password(invitation, form.password.data, name)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        except InvitationLinkError as error:
            db.session.rollback()
            return render_notice(*_PROBLEMS[error.problem])
        else:
            db.session.commit()
            login_user(user, remember=True)
            flash(_("Your password is chosen. Welcome, %(name)s.", name=user.name), "success")
            return redirect(_destination(invitation), code=303)
    page = render_template(
        "accounts/invitation_choose_password.html",
        invitation=invitation,
        form=form,
        new_account=account is None,
    )
    return private(make_response(page, 400 if request.method == "POST" else 200))
