"""A person's answer about their name in the books of the challenges (privacy.public_names):
asked once, on every page until answered (base.html), and changed here at any time."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.privacy import bp
from facilitate.privacy.forms import NamesConsentForm
from facilitate.urls import safe_next_url


@bp.route("/account/names", methods=["GET", "POST"])
def own_names():
    policy.require(policy.can_change_own_names_consent(current_user))
    user = current_user._get_current_object()
    answer = None if user.names_consent is None else ("yes" if user.names_consent else "no")
    form = NamesConsentForm(data={"consent": answer})
    if request.method == "POST":
        if not form.validate():
            return render_template("privacy/names.html", form=form), 422
        user.names_consent = form.consent.data == "yes"
        db.session.commit()
        flash_at("names-answer", _("Your answer is saved. You may change it here at any time."))
        return redirect(safe_next_url(request.args.get("next"), url_for("privacy.own_names")), 303)
    return render_template("privacy/names.html", form=form)
