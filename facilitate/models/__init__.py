"""The data model, in the users' terms (see DOMAIN.md's glossary)."""

from facilitate.models.challenges import Challenge, Team
from facilitate.models.events import Event, Stage, Theme
from facilitate.models.memberships import Membership, Role
from facilitate.models.users import User

__all__ = ["Challenge", "Event", "Membership", "Role", "Stage", "Team", "Theme", "User"]
