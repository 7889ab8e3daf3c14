"""Editions: the sites of one year's innovation university, run together by national organisers.

Each site is an ``Event`` (its venue, time zone, organisers, challenges); an edition only groups
them and says who runs the whole (see ``facilitate.policy``, "Editions and sites")."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import utcnow
from facilitate.models.users import User

FIRST_EDITION_YEAR, LAST_EDITION_YEAR = 2000, 2099


class Edition(db.Model):
    """One year's university, across its sites."""

    __tablename__ = "editions"
    __table_args__ = (
        CheckConstraint("name <> ''", "name_not_empty"),
        CheckConstraint(
            f"year BETWEEN {FIRST_EDITION_YEAR} AND {LAST_EDITION_YEAR}", "year_plausible"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When the national organisers revealed the jury's totals; scores are final from then on.
    jury_revealed_at: Mapped[datetime | None] = mapped_column(DateTime)

    def __repr__(self) -> str:
        return f"<Edition {self.year} {self.name!r}>"


class NationalOrganiser(db.Model):
    """A person who runs the whole edition: creates its sites, appoints their organisers and
    sees every site. Removing the row takes every right it gave away at once."""

    __tablename__ = "national_organisers"
    __table_args__ = (UniqueConstraint("edition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    edition: Mapped[Edition] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<NationalOrganiser user={self.user_id} edition={self.edition_id}>"
