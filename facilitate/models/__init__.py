"""The data model, in the users' terms (see DOMAIN.md's glossary)."""

from facilitate.models.audit import AuditEntry, EditionAuditEntry
from facilitate.models.book import MAX_BOOK_TEXT, BookBuild, BookOrder, BookSettings, BookStatus
from facilitate.models.challenges import LIST_FIELDS, SHEET_FIELDS, Challenge, Team
from facilitate.models.debrief import Debrief, DebriefAnswer
from facilitate.models.editions import Edition, NationalOrganiser
from facilitate.models.events import (
    MAX_VOTES_PER_PARTICIPANT,
    Event,
    PlannedStage,
    Stage,
    Theme,
    VoteStatus,
)
from facilitate.models.exhibition import ApiToken, Ballot, Vote
from facilitate.models.followup import FollowUp, FollowUpReminder, FollowUpStatus, FollowUpUpdate
from facilitate.models.invitations import INVITABLE_ROLES, Invitation, InvitationStatus
from facilitate.models.jury import (
    HIGHEST_SCORE,
    LOWEST_SCORE,
    NOMINATIONS_PER_SITE,
    Juror,
    JuryComment,
    JuryCriterion,
    JuryScore,
    Nomination,
)
from facilitate.models.memberships import Membership, Role
from facilitate.models.privacy import MAX_RETENTION_MONTHS, PrivacyNotice
from facilitate.models.programme import Announcement, CalendarFeed, ProgrammeSession, SessionKind
from facilitate.models.resources import Resource, ResourceStage
from facilitate.models.teamwork import (
    Dot,
    FeedbackEntry,
    Idea,
    JournalEntry,
    Persona,
    PrototypeFile,
    PrototypeKind,
    TeamComment,
)
from facilitate.models.users import User

__all__ = [
    "HIGHEST_SCORE",
    "LOWEST_SCORE",
    "NOMINATIONS_PER_SITE",
    "JuryComment",
    "JuryCriterion",
    "Juror",
    "JuryScore",
    "Nomination",
    "FollowUp",
    "FollowUpReminder",
    "FollowUpStatus",
    "FollowUpUpdate",
    "MAX_BOOK_TEXT",
    "BookBuild",
    "BookOrder",
    "BookSettings",
    "BookStatus",
    "INVITABLE_ROLES",
    "MAX_RETENTION_MONTHS",
    "MAX_VOTES_PER_PARTICIPANT",
    "Announcement",
    "ApiToken",
    "CalendarFeed",
    "ProgrammeSession",
    "SessionKind",
    "Ballot",
    "Vote",
    "VoteStatus",
    "LIST_FIELDS",
    "SHEET_FIELDS",
    "AuditEntry",
    "EditionAuditEntry",
    "Challenge",
    "Debrief",
    "DebriefAnswer",
    "Dot",
    "FeedbackEntry",
    "Idea",
    "Invitation",
    "InvitationStatus",
    "JournalEntry",
    "Persona",
    "PrivacyNotice",
    "PrototypeFile",
    "PrototypeKind",
    "TeamComment",
    "Edition",
    "Event",
    "NationalOrganiser",
    "Membership",
    "PlannedStage",
    "Resource",
    "ResourceStage",
    "Role",
    "Stage",
    "Team",
    "Theme",
    "User",
]
