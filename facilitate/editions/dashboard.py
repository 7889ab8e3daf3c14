"""The national dashboard: every site of an edition at a glance, live as a site's dashboard is.

Its poll compares one ETag made of the sites' data versions (dashboard/versions.py: they change
with every stage, team, checklist, attendance and photo) and the edition's ballots (which the
versions do not follow: a ballot changes no site dashboard), read in one query."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask_babel import get_locale
from sqlalchemy import bindparam, exists, func, select

from facilitate.auth.services import PASSWORD_SESSION_COLUMNS
from facilitate.dashboard.services import is_behind
from facilitate.editions.services import site_events
from facilitate.extensions import db
from facilitate.models import (
    Ballot,
    Challenge,
    Edition,
    Event,
    Membership,
    NationalOrganiser,
    PrototypeFile,
    Role,
    Team,
    User,
)
from facilitate.workspace.checklists import checklist_marks
from facilitate.workspace.services import work_counts


@dataclass(frozen=True)
class TeamProgress:
    number: int
    team: Team
    done: int
    total: int
    behind: bool


@dataclass(frozen=True)
class SiteProgress:
    event: Event
    teams: list[TeamProgress]
    attendees: int
    ballots: int
    photos: int

    @property
    def behind(self) -> int:
        """How many teams are at an earlier stage than their site."""
        return sum(team.behind for team in self.teams)

    @property
    def done(self) -> int:
        return sum(team.done for team in self.teams)

    @property
    def total(self) -> int:
        return sum(team.total for team in self.teams)


def _count_by_event(statement) -> dict[int, int]:
    return {event_id: n for event_id, n in db.session.execute(statement)}


def edition_progress(edition: Edition) -> list[SiteProgress]:
    """Each site with its teams' progress, attendees, ballots and photos: six queries, whatever
    the number of sites and teams."""
    sites = site_events(edition)
    site_ids = [site.id for site in sites]
    pairs = db.session.execute(
        select(Team, Challenge.number)
        .join(Challenge, Challenge.id == Team.challenge_id)
        .where(Team.event_id.in_(site_ids))
        .order_by(Team.event_id, Challenge.number)
    ).all()
    counts = work_counts([team.id for team, _number in pairs])
    attendees = _count_by_event(
        select(Membership.event_id, func.count(Membership.id))
        .where(Membership.event_id.in_(site_ids), Membership.role == Role.PARTICIPANT)
        .group_by(Membership.event_id)
    )
    ballots = _count_by_event(
        select(Ballot.event_id, func.count(Ballot.id))
        .where(Ballot.event_id.in_(site_ids))
        .group_by(Ballot.event_id)
    )
    photos = _count_by_event(
        select(Team.event_id, func.count(PrototypeFile.id))
        .join(Team, Team.id == PrototypeFile.team_id)
        .where(Team.event_id.in_(site_ids), PrototypeFile.is_photo.is_(True))
        .group_by(Team.event_id)
    )
    by_site: dict[int, list[TeamProgress]] = {site_id: [] for site_id in site_ids}
    stage_of = {site.id: site.stage for site in sites}
    for team, number in pairs:
        marks = checklist_marks(team, team.stage, counts[team.id])
        by_site[team.event_id].append(
            TeamProgress(
                number=number,
                team=team,
                done=sum(marks),
                total=len(marks),
                behind=is_behind(team.stage, stage_of[team.event_id]),
            )
        )
    return [
        SiteProgress(
            event=site,
            teams=by_site[site.id],
            attendees=attendees.get(site.id, 0),
            ballots=ballots.get(site.id, 0),
            photos=photos.get(site.id, 0),
        )
        for site in sites
    ]


def _stamp() -> str:
    """This code's and the fragments' own version, as the site dashboard's ETag has."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for fragment in ("_sites.html", "_room_sites.html"):
        digest.update((Path(__file__).parent / "templates/editions" / fragment).read_bytes())
    return digest.hexdigest()[:8]


STAMP = _stamp()


_EDITIONS, _EVENTS, _BALLOTS, _NATIONAL, _USERS = (
    model.__table__ for model in (Edition, Event, Ballot, NationalOrganiser, User)
)
_USER_ID = bindparam("user_id")
# Built once per process: a poll comes every few seconds from every screen.
_POLLED = (
    select(
        _EDITIONS.c.id.label("edition_id"),
        exists()
        .where(_NATIONAL.c.edition_id == _EDITIONS.c.id, _NATIONAL.c.user_id == _USER_ID)
        .label("runs"),
        # What the rule of password sessions reads of the account: a poll checks one with
        # them without Flask-Login reading the account (a query).
        *PASSWORD_SESSION_COLUMNS,
        _EVENTS.c.id,
        _EVENTS.c.data_version,
        select(func.count())
        .select_from(_BALLOTS)
        .where(_BALLOTS.c.event_id == _EVENTS.c.id)
        .scalar_subquery()
        .label("ballots"),
    )
    .select_from(_EDITIONS)
    .outerjoin(_EVENTS, _EVENTS.c.edition_id == _EDITIONS.c.id)
    .outerjoin(_USERS, _USERS.c.id == _USER_ID)  # one row at most: none without a person
    .where(_EDITIONS.c.id == bindparam("edition_id"))
    .order_by(_EVENTS.c.id)
)


@dataclass(frozen=True)
class Polled:
    """What a poll reads before it knows whether anything changed, in one query and without
    building an ``Edition``: whether the edition exists, whether the person has a national
    organiser's row there (``policy.runs_edition_as_read`` says whether it counts), and the
    ETag; and what the rule of password sessions reads of the account
    (``auth.services.PASSWORD_SESSION_COLUMNS``), for a poll that checks a password session
    itself (``routes_dashboard._polled``)."""

    found: bool
    runs: bool
    etag: str
    session_nonce: str | None = None
    email_confirmed_at: datetime | None = None


def polled_edition(edition_id: int, user_id: int | None) -> Polled:
    """What the national dashboard shows is made of, in one query: each site's data version
    and ballots (an index's count each); in the reader's language."""
    rows = db.session.execute(_POLLED, {"edition_id": edition_id, "user_id": user_id}).all()
    if not rows:
        return Polled(False, False, "")
    sites = [(row.id, row.data_version, row.ballots) for row in rows if row.id is not None]
    digest = hashlib.sha256(repr(sites).encode()).hexdigest()[:16]
    etag = f"edition-{edition_id}-{digest}-{get_locale()}-{STAMP}"
    first = rows[0]
    return Polled(True, bool(first.runs), etag, first.session_nonce, first.email_confirmed_at)


def edition_etag(edition: Edition) -> str:
    return polled_edition(edition.id, None).etag
