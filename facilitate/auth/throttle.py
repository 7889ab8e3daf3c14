"""Failed attempts with an access code or a token, counted per address.

Only the failures are refused once too many: access codes carry 74 random bits and API tokens
256, so guessing one is out of reach whatever the limit, and the limit is there to slow noise and
misbehaving scripts. Refusing every attempt from the address instead would lock a whole venue
out, since its 200 people share one address behind its network's NAT: a few mistyped badges at
the exhibition rush must not stop the others from signing in. (Passwords, which can be
guessed, keep their stricter limits per address and per account: see ``auth.routes``.)
"""

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse_many

from facilitate.extensions import limiter


def note_failed_attempt(scope: str) -> bool:
    """Count one failed attempt from this address; False once it is over SIGN_IN_RATE_LIMIT."""
    if not limiter.enabled:
        return True
    address = get_remote_address()
    items = parse_many(current_app.config["SIGN_IN_RATE_LIMIT"])
    return all([limiter.limiter.hit(item, scope, address) for item in items])
