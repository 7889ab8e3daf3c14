"""How a page finds the edition it shows: every edition's page, the jury's and the edition
showcase's (a module of its own: they import it, and the editions' views import the jury's)."""

from flask import abort
from flask_login import current_user

from facilitate import policy
from facilitate.editions.services import edition_by_id
from facilitate.models import Edition


def edition_or_404(edition_id: int, allowed) -> Edition:
    """The edition, if there is one of this id (404) and ``allowed(person, edition)`` says so
    (a policy predicate, ``policy.require``)."""
    edition = edition_by_id(edition_id)
    if edition is None:
        abort(404)
    policy.require(allowed(current_user, edition))
    return edition
