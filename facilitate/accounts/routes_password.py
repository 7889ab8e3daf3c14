"""A person's own password: "forgot your password?" (a link by email, the page never saying
whether an account exists), the reset link, and changing it while signed in."""

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user

from facilitate import policy
from facilitate.accounts import bp
from facilitate.accounts.emails import reset_email
from facilitate.accounts.forms import ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm
from facilitate.accounts.passwords import (
    RESET_MAX_AGE,
    ResetLinkError,
    account_for_reset,
    change_password,
    reset_password,
    reset_url,
    user_for_reset_token,
)
from facilitate.accounts.routes_invitation import private, render_notice
from facilitate.auth.services import landing_page_for, normalise_email
from facilitate.domain import DomainError, show_on_form
from facilitate.extensions import db, limiter
from facilitate.mail import mail_enabled, send_in_background

_RESET_PROBLEMS = {
    "invalid": (
        404,
        _l("This link does not work"),
        _l(
            "The address may be incomplete: copy the whole link from the email. Or ask for a new link."
        ),
    ),
    "expired": (
        410,
        _l("This link has expired"),
        _l("A link to choose a new password works for one hour. Ask for a new one."),
    ),
    "used": (
        410,
        _l("This link has already been used"),
        _l(
            "A link to choose a new password works only once, and stops when the password changes. Ask for a new one if you need it."
        ),
    ),
}


def _reset_limit() -> str:
    return current_app.config["RESET_LINK_RATE_LIMIT"]


def _reset_limit_per_email() -> str:
    return current_app.config["RESET_LINK_RATE_LIMIT_PER_EMAIL"]


def _typed_email() -> str:
    return "password-reset:" + normalise_email(request.form.get("email", ""))


def _account_limit() -> str:
    return current_app.config["CHANGE_PASSWORD_RATE_LIMIT"]


def _signed_in_account() -> str:
    return f"change-password:{current_user.id}"


def _failed(response) -> bool:
    return response.status_code != 303


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@limiter.limit(_reset_limit_per_email, key_func=_typed_email, methods=["POST"])
def forgot_password():
    if not mail_enabled():
        status = 503 if request.method == "POST" else 200
        return render_template("accounts/forgot_password.html", form=None), status
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = account_for_reset(form.email.data)
        if user is not None:
            # Sent from another thread: the answer takes as long whether or not it exists.
            send_in_background(reset_email(user, reset_url(user)))
        return redirect(url_for("accounts.reset_link_sent"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.get("/password/forgot/sent")
def reset_link_sent():
    return render_notice(
        200,
        _("Check your mailbox"),
        _(
            "If an account has this address, a link to choose a new password is on its way. It works once, for %(minutes)d minutes. Look in your junk mail too.",
            minutes=RESET_MAX_AGE // 60,
        ),
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password_page(token: str):
    try:
        user = user_for_reset_token(token, lock=request.method == "POST")
    except ResetLinkError as error:
        return render_notice(*_RESET_PROBLEMS[error.reason], forgot_password=True)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(user, form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            login_user(user, remember=True)
            flash(_("Your new password is saved, and you are signed in."), "success")
            return redirect(landing_page_for(user), code=303)
    status = 400 if request.method == "POST" else 200
    page = render_template("accounts/reset_password.html", form=form, person=user)
    return private(make_response(page, status))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_account_limit, key_func=_signed_in_account, deduct_when=_failed, methods=["POST"])
def change_own_password():
    policy.require(policy.can_change_own_password(current_user))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            # The new password ended every session, this one too: keep this one going.
            login_user(user, remember=True)
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for("accounts.change_own_password"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/change_password.html", form=form), status
