"""What organisers give every team to work with (issue 14): pages written in Markdown and
documents (a PDF or an image), grouped as the event chooses, some linked to the stages they
help with."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitate.extensions import db
from facilitate.models._types import enum_column, utcnow
from facilitate.models.events import Stage


class Resource(db.Model):
    """A page, a document or both: the Markdown as typed and the HTML it was rendered to when
    saved (sanitised then, so that no request renders or trusts it again), and the stored
    file, checked and named as the workspace's files are (workspace.uploads)."""

    __tablename__ = "resources"
    __table_args__ = (
        CheckConstraint("title <> ''", "title_not_empty"),
        CheckConstraint("grouping <> ''", "grouping_not_empty"),
        CheckConstraint("body_markdown <> '' OR storage_name IS NOT NULL", "has_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # The heading it is listed under: "Rôles", "Glossaire"... as the event chooses.
    grouping: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    storage_name: Mapped[str | None] = mapped_column(String(64))
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    stage_links: Mapped[list["ResourceStage"]] = relationship(
        cascade="all, delete-orphan", order_by="ResourceStage.stage"
    )

    @property
    def stages(self) -> list[Stage]:
        linked = {link.stage for link in self.stage_links}
        return [stage for stage in Stage if stage in linked]

    @property
    def has_document(self) -> bool:
        return self.storage_name is not None

    @property
    def is_image(self) -> bool:
        return bool(self.content_type and self.content_type.startswith("image/"))

    def __repr__(self) -> str:
        return f"<Resource {self.title!r}>"


class ResourceStage(db.Model):
    """A resource shown in the workspace under "For this stage" while a team is at it."""

    __tablename__ = "resource_stages"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    stage: Mapped[Stage] = mapped_column(enum_column(Stage), primary_key=True)
