"""What follow-up (issue 14, item 7) holds of a person, for the privacy services: an erased
person's updates stay on the challenge's timeline without their name, as their work in the
workspace does (photos included: they were put there with the pictured people's consent, for
the challenge); and the reminders sent to them go."""

from sqlalchemy import delete, select, update

from facilitate.extensions import db
from facilitate.models import Challenge, Event, FollowUp, FollowUpReminder, FollowUpUpdate, User


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
