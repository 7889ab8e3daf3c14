import math

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from facilitate.auth import bp, devices, remember_way_back, way_back
from facilitate.auth.codes import format_access_code, normalise_access_code
from facilitate.auth.forms import AccessCodeForm, PasswordSignInForm, SignOutForm
from facilitate.auth.services import (
    authenticate_with_code,
    authenticate_with_password,
    end_code_sessions,
    landing_page_for,
)
from facilitate.auth.throttle import PAIR, Refusal, note_failed_attempt, password_attempt
from facilitate.extensions import db
from facilitate.urls import safe_next_url

WRONG_CREDENTIALS = 401
TOO_MANY_ATTEMPTS = 429


def _render_sign_in(code_form=None, password_form=None, status=200, headers=None):
    next_url = request.values.get("next", "")
    code_form = code_form or AccessCodeForm(next=next_url, formdata=None)
    password_form = password_form or PasswordSignInForm(next=next_url, formdata=None)
    return (
        render_template("auth/sign_in.html", code_form=code_form, password_form=password_form),
        status,
        headers or {},
    )


def _duration(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    return ngettext("%(num)d minute", "%(num)d minutes", math.ceil(seconds / 60))


def _wait_message(refusal: Refusal) -> str:
    duration = _duration(refusal.retry_after)
    if refusal.reason == PAIR:
        return _(
            "Too many wrong passwords for this account from this connection. Wait %(duration)s, "
            "then try again.",
            duration=duration,
        )
    return _(
        "For this account's security, attempts are spaced out after several wrong passwords. "
        "Wait %(duration)s, then try again. The browser you usually sign in with is not slowed "
        "down.",
        duration=duration,
    )


def _signed_in(user, form):
    login_user(user, remember=True)
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    return redirect(way_back(form.next.data) or landing_page_for(user), code=303)


@bp.get("/sign-in")
def sign_in():
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next"), url_for("events.home")))
    remember_way_back(safe_next_url(request.args.get("next"), None))
    return _render_sign_in()


@bp.post("/sign-in/code")
def sign_in_with_code():
    """Wrong codes are counted per address and refused past the limit; right ones never are
    (see auth.throttle: one venue, one address)."""
    form = AccessCodeForm()
    if not form.validate_on_submit():
        return _render_sign_in(code_form=form, status=400)
    user = authenticate_with_code(form.code.data)
    if user is None:
        if not note_failed_attempt("sign-in-code"):
            abort(429)
        form.code.errors.append(
            _("This access code is not valid. Check it against your badge and try again.")
        )
        return _render_sign_in(code_form=form, status=WRONG_CREDENTIALS)
    return _signed_in(user, form)


@bp.post("/sign-in/password")
def sign_in_with_password():
    """Guessing is slowed down per account and refused per account and client, before any
    password is checked; the owner's usual browser is never held back (see auth.throttle)."""
    form = PasswordSignInForm()
    if not form.validate_on_submit():
        return _render_sign_in(password_form=form, status=400)
    attempt = password_attempt(form.email.data)
    if refusal := attempt.refusal():
        form.form_errors.append(_wait_message(refusal))
        return _render_sign_in(
            password_form=form,
            status=TOO_MANY_ATTEMPTS,
            headers={"Retry-After": str(refusal.retry_after)},
        )
    user = authenticate_with_password(form.email.data, form.password.data)
    if user is None:
        attempt.failed()
        form.form_errors.append(_("Wrong email address or password."))
        return _render_sign_in(password_form=form, status=WRONG_CREDENTIALS)
    attempt.succeeded()
    response = _signed_in(user, form)
    devices.remember(response, attempt.account)
    return response


@bp.get("/c/<code>")
def code_link(code: str):
    """The sign-in link printed as a QR code on a badge. Opening it only fills in the form: the
    person confirms with a button, so that a link opened by someone else's scanner or preview
    never signs anyone in by itself."""
    form = AccessCodeForm(formdata=None, code=format_access_code(normalise_access_code(code)[:64]))
    return render_template("auth/code_link.html", form=form)


@bp.post("/sign-out")
@login_required
def sign_out():
    form = SignOutForm()
    if form.validate_on_submit():
        # Ends the session on the server too: this cookie, or a copy of it, is refused from now.
        if current_user.code_attendance is not None:
            end_code_sessions(current_user.code_attendance)
        else:
            current_user.end_sessions()
        db.session.commit()
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("events.home"), code=303)
