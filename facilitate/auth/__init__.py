"""Signing in and out: email and password for organisers and facilitators, a personal access
code (typed, or from the QR code on a badge) for participants."""

from flask import Blueprint, Flask

from facilitate.auth.services import load_user_from_session_id
from facilitate.extensions import login_manager
from facilitate.i18n import lazy_gettext

bp = Blueprint("auth", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user_from_session_id)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


from facilitate.auth import routes  # noqa: E402, F401  (registers the views on bp)
