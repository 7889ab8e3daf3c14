"""Whether the people pictured in a prototype photo agreed to it being public (the showcase),
beside their consent to its being shared within the event. Here, with the workspace that holds
the photo, rather than with the showcase: the showcase reads the consent, the workspace
records it."""

from facilitate.audit.services import record
from facilitate.models import PrototypeFile, Team


def record_public_consent(team: Team, photo: PrototypeFile, public: bool, actor) -> bool:
    """Record whether the people pictured agreed to the photo being public, noted in the event's
    history as putting a team on the showcase is; whether anything changed."""
    if photo.public_consent == public:
        return False
    photo.public_consent = public
    action = "photo.made_public" if public else "photo.kept_within_event"
    record(team.challenge.event, actor, action, number=team.challenge.number, photo=photo.id)
    return True
