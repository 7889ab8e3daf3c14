import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from facilitate.extensions import db
from facilitate.models._types import utcnow


def _new_session_nonce() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A person: an organiser or facilitator signs in with a password, a participant with an
    access code printed on their badge. The same person may attend several events."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    access_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    # May create events; managing an event is decided by an organiser membership on it.
    is_organiser: Mapped[bool] = mapped_column(Boolean, default=False)
    # Part of the session identity: changing it (new code, new password) signs the person out
    # everywhere at once.
    session_nonce: Mapped[str] = mapped_column(String(64), default=_new_session_nonce)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_nonce = _new_session_nonce()

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        self.session_nonce = _new_session_nonce()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email or self.name!r}>"
