"""Accounts that belong to their owners: invitations (instead of passwords handed over), choosing
and changing one's own password, a forgotten password reset by email, and co-organisers."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")

from facilitate.accounts import (  # noqa: E402, F401  (registers the views on bp)
    routes_invitation,
    routes_organise,
    routes_password,
)
