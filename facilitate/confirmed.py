"""An action behind a confirmation button (``ConfirmForm``: CSRF protection only), refused by a
domain rule as any form's would be: said beside the section it concerns (``flash_at``)."""

from collections.abc import Callable

from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.forms import ConfirmForm


def act_confirmed(target: str, act: Callable[[], object]) -> bool:
    """When the confirmation's CSRF token holds, ``act()`` and commit, and say whether it was
    done (the caller then says what it did); a ``DomainError`` it raises is rolled back and
    flashed as an error at the section ``target``."""
    if not ConfirmForm().validate_on_submit():
        return False
    try:
        act()
    except DomainError as error:
        db.session.rollback()
        flash_at(target, error.message, "error")
        return False
    db.session.commit()
    return True
