import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from facilitate.extensions import db
from facilitate.models._types import enum_column
from facilitate.models.challenges import Team
from facilitate.models.events import Event
from facilitate.models.users import User
from facilitate.names import contains_words


class Role(enum.StrEnum):
    """What a person is at an event. Organisers and participants belong to the whole event;
    members and challenge owners to one team; a facilitator may be placed in a team or not yet."""

    ORGANISER = "organiser"
    FACILITATOR = "facilitator"
    CHALLENGE_OWNER = "challenge_owner"
    MEMBER = "member"
    PARTICIPANT = "participant"

    @property
    def label(self):
        """Lazy: translated when shown, in the reader's language."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.ORGANISER: _l("Organiser"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.CHALLENGE_OWNER: lazy_pgettext("person", "Challenge owner"),
    Role.MEMBER: _l("Team member"),
    Role.PARTICIPANT: _l("Participant"),
}


ATTENDANCE_DETAILS = (
    "(role = 'participant' AND (name IS NOT NULL OR erased_at IS NOT NULL))"
    " OR (role != 'participant' AND name IS NULL AND organisation IS NULL"
    " AND access_code IS NULL AND code_nonce IS NULL AND erased_at IS NULL)"
)


class Membership(db.Model):
    """A person's role at an event. The participant membership is their *attendance*: it holds
    what this event's organisers know of them and may change (name as printed, organisation),
    and the access code that signs them in to this event only, with the nonce of the sessions
    opened with it. Nothing here reaches the person's account or their other events."""

    __tablename__ = "memberships"
    __table_args__ = (
        # A team is only ever a team of the same event.
        ForeignKeyConstraint(
            ["team_id", "event_id"], ["teams.id", "teams.event_id"], ondelete="CASCADE"
        ),
        CheckConstraint(
            "(role IN ('member', 'challenge_owner') AND team_id IS NOT NULL)"
            " OR (role IN ('organiser', 'participant') AND team_id IS NULL)"
            " OR role = 'facilitator'",
            "team_matches_role",
        ),
        # Only the participant membership is an attendance: it alone names the person as this
        # event prints them and holds this event's access code. An erased attendance (see
        # privacy.services) names nobody: it only keeps the person's ballot counting.
        CheckConstraint(ATTENDANCE_DETAILS, "attendance_details"),
        Index(
            "uq_memberships_event_role",
            "user_id",
            "event_id",
            "role",
            unique=True,
            sqlite_where=text("team_id IS NULL"),
            postgresql_where=text("team_id IS NULL"),
        ),
        Index(
            "uq_memberships_team_role",
            "user_id",
            "team_id",
            "role",
            unique=True,
            sqlite_where=text("team_id IS NOT NULL"),
            postgresql_where=text("team_id IS NOT NULL"),
        ),
        # The event's attendances (or organisers) as one range: the vote's figures read its
        # participants from it (exhibition.ballots.attendees), whatever the planner knows.
        Index(
            "ix_memberships_event_role_person",
            "event_id",
            "role",
            "user_id",
            sqlite_where=text("team_id IS NULL"),
            postgresql_where=text("team_id IS NULL"),
        ),
        # A participant works in one team per event.
        Index(
            "uq_memberships_one_team_per_member",
            "user_id",
            "event_id",
            unique=True,
            sqlite_where=text("role = 'member'"),
            postgresql_where=text("role = 'member'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    name: Mapped[str | None] = mapped_column(String(200))
    # The surname within ``name`` when known for sure (an attendee file with separate first and
    # last name columns); otherwise lists read it from the name (see facilitate.names).
    family_name: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    access_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    code_nonce: Mapped[str | None] = mapped_column(String(64))
    # When an organiser erased this attendance (GDPR): its name, organisation and code are gone
    # for good, and it belongs to an anonymous account that nobody can sign in to.
    erased_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When an organiser last marked this attendance's badge as printed; a new access code,
    # name or organisation clears it (see _printed_details), so that the "not yet printed"
    # badges are every badge to (re)print.
    badge_printed_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="memberships")
    event: Mapped[Event] = relationship()
    team: Mapped[Team | None] = relationship(
        back_populates="memberships",
        primaryjoin="Membership.team_id == Team.id",
        foreign_keys=[team_id],
    )

    @validates("name", "organisation", "access_code")
    def _printed_details(self, key: str, value: str | None) -> str | None:
        """A badge printed with another name, organisation or code is out of date: it shows up
        again among the badges not yet printed, whichever service made the change. A new name
        that no longer holds the surname known (or no name: erased) drops it."""
        if value != getattr(self, key):
            self.badge_printed_at = None
        if key == "name" and self.family_name and not contains_words(value, self.family_name):
            self.family_name = None
        return value

    def __repr__(self) -> str:
        return f"<Membership {self.role} user={self.user_id} event={self.event_id} team={self.team_id}>"
