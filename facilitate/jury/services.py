"""What national organisers and sites do for the jury: the rubric, the nominations, the jurors.

A site nominates two of its teams at most: the count is checked with the site's row locked, and
the database's two slots a site refuse a third whatever the timing."""

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from facilitate.audit.services import record, record_edition
from facilitate.auth.services import normalise_email
from facilitate.domain import DomainError
from facilitate.editions.services import editions_of, site_organisers_with_password
from facilitate.extensions import begin_write, db
from facilitate.models import (
    NOMINATIONS_PER_SITE,
    Edition,
    Event,
    Juror,
    JuryCriterion,
    JuryScore,
    Nomination,
    Team,
    User,
)
from facilitate.names import sort_people


def default_criteria() -> list[str]:
    return [
        _("Impact"),
        _("Creativity"),
        _("Feasibility"),
        _("Relevance to the challenge"),
        _("Presentation"),
    ]


_RUBRIC = (  # built once per process: every jury page reads it
    select(JuryCriterion)
    .where(JuryCriterion.edition_id == bindparam("edition_id"))
    .order_by(JuryCriterion.position, JuryCriterion.id)
)


def rubric_of(edition: Edition) -> list[JuryCriterion]:
    """The edition's criteria in order; an edition without any gets the five default ones (in
    the language of whoever opens a jury page first), to be committed by the caller."""
    criteria = list(db.session.scalars(_RUBRIC, {"edition_id": edition.id}))
    if criteria:
        return criteria
    return _default_rubric(edition)


def rubric_for_page(edition: Edition) -> list[JuryCriterion]:
    """``rubric_of`` for a page: the default criteria made on the first visit are committed at
    once; otherwise nothing is (a commit would expire every object the page has read, and each
    would be read again: seven statements on a juror's page)."""
    criteria = rubric_of(edition)
    if db.session.info.pop(_MADE, False):
        db.session.commit()
    return criteria


_MADE = "jury.default_rubric"


def _default_rubric(edition: Edition) -> list[JuryCriterion]:
    criteria = [
        JuryCriterion(edition_id=edition.id, name=name, position=position)
        for position, name in enumerate(default_criteria(), start=1)
    ]
    db.session.add_all(criteria)
    db.session.flush()
    db.session.info[_MADE] = True
    return criteria


def scoring_started(edition: Edition) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    JuryScore.nomination_id == Nomination.id, Nomination.edition_id == edition.id
                )
            )
        )
    )


def _rubric_may_grow_or_shrink(edition: Edition) -> None:
    if scoring_started(edition):
        raise DomainError(
            _(
                "Jurors have started scoring: criteria can still be renamed or reordered, "
                "but not added or removed."
            )
        )


def update_criterion(
    edition: Edition, criterion: JuryCriterion, name: str, position: int, actor
) -> None:
    """Renamed, moved or both: the history says which (nothing changed: nothing is noted)."""
    details: dict = {"name": name.strip()}
    if criterion.name != details["name"]:
        details["previous"] = criterion.name
    if criterion.position != position:
        details["position"] = position
    criterion.name, criterion.position = name.strip(), position
    if len(details) > 1:
        record_edition(edition, actor, "jury.criterion_changed", **details)
    db.session.flush()


def add_criterion(edition: Edition, name: str, actor) -> JuryCriterion:
    _rubric_may_grow_or_shrink(edition)
    last = db.session.scalar(
        select(func.max(JuryCriterion.position)).where(JuryCriterion.edition_id == edition.id)
    )
    criterion = JuryCriterion(edition_id=edition.id, name=name.strip(), position=(last or 0) + 1)
    db.session.add(criterion)
    record_edition(edition, actor, "jury.criterion_added", name=criterion.name)
    db.session.flush()
    return criterion


def remove_criterion(edition: Edition, criterion: JuryCriterion, actor) -> None:
    _rubric_may_grow_or_shrink(edition)
    count = db.session.scalar(
        select(func.count(JuryCriterion.id)).where(JuryCriterion.edition_id == edition.id)
    )
    if count <= 1:
        raise DomainError(_("The rubric keeps at least one criterion."))
    record_edition(edition, actor, "jury.criterion_removed", name=criterion.name)
    db.session.delete(criterion)
    db.session.flush()


def _before_reveal(edition: Edition) -> None:
    if edition.jury_revealed_at is not None:
        raise DomainError(_("The jury’s results are revealed: nominations are final."))


_NOMINATIONS_OF_SITE = (  # built once per process: the site's nominations page reads it
    select(Nomination)
    .options(joinedload(Nomination.team).joinedload(Team.challenge))
    .where(Nomination.event_id == bindparam("event_id"))
    .order_by(Nomination.slot)
)


def nominations_of_site(event: Event) -> list[Nomination]:
    """The site's nominations with their team and its challenge (which the page names): one
    query."""
    return list(db.session.scalars(_NOMINATIONS_OF_SITE, {"event_id": event.id}))


def nominate(edition: Edition, event: Event, team: Team, actor) -> Nomination:
    """Put one of the site's teams before the national jury, two a site at most."""
    _before_reveal(edition)
    if team.event_id != event.id or event.edition_id != edition.id:
        raise DomainError(_("Nominate one of this site’s teams."))
    begin_write()
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    taken = {nomination.team_id: nomination.slot for nomination in nominations_of_site(event)}
    if team.id in taken:
        raise DomainError(_("This team is already nominated."))
    free = [slot for slot in range(1, NOMINATIONS_PER_SITE + 1) if slot not in taken.values()]
    if not free:
        raise DomainError(
            _("A site nominates two teams at most: withdraw a nomination before making another.")
        )
    nomination = Nomination(
        edition_id=edition.id,
        event_id=event.id,
        team_id=team.id,
        slot=free[0],
        nominated_by_id=actor.id,
    )
    db.session.add(nomination)
    record(event, actor, "jury.nominated", number=team.challenge.number)
    db.session.flush()
    return nomination


def withdraw(edition: Edition, event: Event, nomination: Nomination, actor) -> None:
    """The nominee leaves the jury's list, and the scores it received with it."""
    _before_reveal(edition)
    number = nomination.team.challenge.number
    db.session.execute(delete(Nomination).where(Nomination.id == nomination.id))
    record(event, actor, "jury.withdrawn", number=number)
    db.session.flush()


def juries_of(user) -> list[Edition]:
    """The editions whose jury this person sits on, the latest first: one query."""
    return editions_of(user, through=Juror)


_JURORS = (  # built once per process, as ``_RUBRIC``
    select(User)
    .join(Juror, Juror.user_id == User.id)
    .where(Juror.edition_id == bindparam("edition_id"))
    .order_by(User.id)
)


def jurors_of(edition: Edition) -> list[User]:
    return sort_people(
        db.session.scalars(_JURORS, {"edition_id": edition.id}), key=lambda user: user.name
    )


def juror_candidates(edition: Edition) -> list[User]:
    return site_organisers_with_password(edition, Juror)


def appoint_juror(edition: Edition, user_id: int | None, email: str | None, actor) -> User:
    """A site organiser chosen in the list, or any account with a password found by its
    address: a juror signs in with a password, never an access code, and a password whose
    address is unconfirmed opens only the events that invited it (see ``policy``)."""
    if email and email.strip():
        user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
        if user is None or user.password_hash is None or user.email_confirmed_at is None:
            raise DomainError(
                _(
                    "This address belongs to no account with a password and a confirmed "
                    "address: the person needs one first."
                ),
                field="email",
            )
    else:
        user = {candidate.id: candidate for candidate in juror_candidates(edition)}.get(user_id)
        if user is None:
            raise DomainError(
                _("Choose a site organiser or give the address of an account."), field="user_id"
            )
    already = db.session.scalar(
        select(Juror.id).where(Juror.edition_id == edition.id, Juror.user_id == user.id)
    )
    if already is not None:
        raise DomainError(_("This person is already a juror."), field="email")
    try:
        # Two organisers appointing the same person at once: the unique row decides.
        with db.session.begin_nested():
            db.session.add(Juror(edition_id=edition.id, user_id=user.id))
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(_("This person is already a juror."), field="email") from error
    record_edition(edition, actor, "juror.appointed", user_id=user.id, name=user.name)
    return user


def remove_juror(edition: Edition, user: User, actor) -> None:
    db.session.execute(
        delete(Juror).where(Juror.edition_id == edition.id, Juror.user_id == user.id)
    )
    record_edition(edition, actor, "juror.removed", user_id=user.id, name=user.name)
    db.session.flush()
