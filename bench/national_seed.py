"""The 2018 edition the national benchmark votes in, created before gunicorn starts (so that its
workers never race): a national organiser with a password (for the national dashboard) and six
sites, each an event of the edition in its own time zone, at the exhibition with the vote open;
numbered stands; participants with access codes, each in a team; an organiser with a password
(for the site's dashboards) and an API token (to close the vote and read the results)."""

from dataclasses import dataclass

from ballot_seed import participants, stands
from flask_migrate import upgrade

from facilitate import create_app
from facilitate.api.auth import issue_api_token
from facilitate.auth.services import create_organiser
from facilitate.extensions import db
from facilitate.models import (
    Edition,
    Event,
    Membership,
    NationalOrganiser,
    Role,
    Stage,
    VoteStatus,
)

PASSWORD = "bench-only-password-1"  # noqa: S105 (a throw-away database's organisers)
VOTES = 3


@dataclass(frozen=True)
class Site:
    slug: str
    venue: str
    timezone: str
    challenges: int
    share: float  # of the participants


# About 70 challenges and 1,050 participants in all, Rennes the largest (DOMAIN.md).
SITES = (
    Site("rennes-2018", "Rennes", "Europe/Paris", 14, 200 / 1050),
    Site("aix-2018", "Aix-en-Provence", "Europe/Paris", 12, 170 / 1050),
    Site("cluny-2018", "Cluny", "Europe/Paris", 11, 170 / 1050),
    Site("la-reunion-2018", "La Réunion", "Indian/Reunion", 11, 170 / 1050),
    Site("martinique-2018", "Martinique", "America/Martinique", 10, 170 / 1050),
    Site("strasbourg-2018", "Strasbourg", "Europe/Paris", 12, 170 / 1050),
)


@dataclass
class Voter:
    code: str
    own_team: int


@dataclass
class SeededSite:
    site: Site
    organiser_email: str
    organiser_token: str
    team_ids: list[int]
    voters: list[Voter]


@dataclass
class SeededEdition:
    edition_id: int
    national_email: str  # its national organiser's, who signs in with PASSWORD
    sites: list[SeededSite]


def head_counts(participants: int) -> list[int]:
    """Participants per site, in proportion, summing to ``participants``."""
    counts = [int(participants * site.share) for site in SITES]
    counts[0] += participants - sum(counts)
    return counts


def seed(url: str, participants: int) -> SeededEdition:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only"})
    with app.app_context():
        upgrade()
        edition = Edition(name="Université de l’innovation publique", year=2018)
        national_email = "national@edition-2018.bench.example"
        national = create_organiser(national_email, PASSWORD, name="Organisation nationale")
        db.session.add(edition)
        db.session.flush()
        db.session.add(NationalOrganiser(edition_id=edition.id, user_id=national.id))
        db.session.commit()
        seeded = SeededEdition(edition.id, national_email, [])
        for site, people in zip(SITES, head_counts(participants), strict=True):
            seeded.sites.append(_seed_site(site, people, edition.id))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return seeded


def _seed_site(site: Site, people: int, edition_id: int) -> SeededSite:
    event = Event(
        edition_id=edition_id,
        slug=site.slug,
        name=f"Université de l’innovation publique 2018 — {site.venue}",
        venue=site.venue,
        timezone=site.timezone,
        stage=Stage.EXHIBITION,
        vote_status=VoteStatus.OPEN,
        votes_per_participant=VOTES,
    )
    db.session.add(event)
    db.session.flush()
    teams = stands(event, site.challenges, f"Comment relever le défi {{number}} de {site.venue} ?")
    attendances = participants(event, teams, people, f"{site.slug}.bench.example")
    email = f"orga@{site.slug}.bench.example"
    organiser = create_organiser(email, PASSWORD, name=f"Organisation {site.venue}")
    db.session.add(Membership(user=organiser, event=event, role=Role.ORGANISER))
    db.session.flush()
    _user, token = issue_api_token(email)
    return SeededSite(
        site=site,
        organiser_email=email,
        organiser_token=token,
        team_ids=[team.id for team in teams],
        voters=[Voter(attendance.access_code, team.id) for attendance, team in attendances],
    )
