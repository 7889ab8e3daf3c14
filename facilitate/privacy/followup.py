"""What follow-up (issue 14, item 7) holds of a person, for the privacy services: an erased
person's updates stay on the challenge's timeline without their name, as their work in the
workspace does (photos included: they were put there with the pictured people's consent, for
the challenge); the reminders sent to them go. The updates a person wrote, with their
photos, are part of the data they take away."""

from sqlalchemy import delete, select, update

from facilitate.extensions import db
from facilitate.models import Challenge, Event, FollowUp, FollowUpReminder, FollowUpUpdate, User
from facilitate.workspace import uploads


def _of_event(event: Event):
    return select(FollowUp.id).where(FollowUp.event_id == event.id).scalar_subquery()


def forget_person(event: Event, user: User) -> None:
    """Unsign the person's updates at this event and forget the reminders sent to them."""
    db.session.execute(
        update(FollowUpUpdate)
        .where(
            FollowUpUpdate.follow_up_id.in_(_of_event(event)), FollowUpUpdate.author_id == user.id
        )
        .values(author_id=None)
        .execution_options(synchronize_session=False)
    )
    challenges = select(Challenge.id).where(Challenge.event_id == event.id).scalar_subquery()
    db.session.execute(
        delete(FollowUpReminder)
        .where(FollowUpReminder.challenge_id.in_(challenges), FollowUpReminder.user_id == user.id)
        .execution_options(synchronize_session=False)
    )


def _own_updates(event: Event, user: User) -> list[tuple[FollowUpUpdate, int]]:
    """The person's updates at this event with their challenge's number, oldest first."""
    return db.session.execute(
        select(FollowUpUpdate, Challenge.number)
        .join(FollowUp, FollowUp.id == FollowUpUpdate.follow_up_id)
        .join(Challenge, Challenge.id == FollowUp.challenge_id)
        .where(FollowUp.event_id == event.id, FollowUpUpdate.author_id == user.id)
        .order_by(FollowUpUpdate.happened_on, FollowUpUpdate.id)
    ).all()


def _archive_name(row: FollowUpUpdate) -> str:
    extension = row.storage_name.rsplit(".", 1)[-1]
    return f"follow-up/{row.id}-{uploads.download_name(row.original_name, extension)}"


def own_updates(event: Event, user: User, when) -> list[dict]:
    """What the person's data says of the updates they wrote; ``when`` writes a moment as the
    rest of the data does."""
    return [
        {
            "challenge": number,
            "happened_on": row.happened_on.isoformat(),
            "text": row.text,
            "status": row.status.value,
            "progress": row.progress,
            "photo": row.original_name,
            "in_archive": _archive_name(row) if row.has_photo else None,
            "created_at": when(row.created_at),
        }
        for row, number in _own_updates(event, user)
    ]


def own_photos(event: Event, user: User) -> dict[str, str]:
    """The photos of the person's updates: the stored file by its name in the archive."""
    return {
        _archive_name(row): row.storage_name
        for row, _number in _own_updates(event, user)
        if row.has_photo
    }
