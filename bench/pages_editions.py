"""The edition's pages in bench/pages.py (issue 15's national pages, against issue 13's targets):
the national organiser's editions, edition page, national dashboard and room screen with their
polls, the edition's workbook, the jury's page and results; a site organiser's nominations; a
juror's scoring page; the public edition showcase.

Their rows are named "edition: …" (``--only edition:`` measures them alone). Two scales: an edition of the six sites of 2018 (``bench/national_seed.py``'s, 70 teams and
1,050 people in all: the edition scale), and an edition of two sites of 7 teams and 100 people
each (14 teams, 200 people in all: the site scale). Each site is seeded as bench/pages.py seeds
its event (``pages_seed.seed_event``: teams' work up to a tested prototype, the vote open, every
attendee with a ballot), then, through the project's services: the edition and its national
organiser, the sites attached, two nominations a site, the default rubric, three jurors who
scored every nominee, two teams in three of every site on the showcase. The jury's results are
requested after the reveal.
"""

import tempfile
import time
from dataclasses import dataclass

from flask_migrate import upgrade
from import_bench import fresh_database
from national_seed import SITES, head_counts
from pages import Page, Row, bench_app, measure, signed_in
from pages_seed import PASSWORD, Scale, seed_event
from pages_timing import StatementCounter, Trivial, gather_statistics, new_backend
from sqlalchemy import select
from sqlalchemy.engine import make_url

from facilitate.auth.services import create_organiser
from facilitate.demo.people import casts
from facilitate.editions.services import attach_event, create_edition
from facilitate.extensions import db
from facilitate.jury.scoring import juror_of, reveal, save_scores
from facilitate.jury.services import appoint_juror, nominate, rubric_of
from facilitate.models import Edition, Event, Nomination, User
from facilitate.showcase.services import put_on_showcase

JURORS = 3


@dataclass(frozen=True)
class SeededEdition:
    edition_id: int
    national_email: str
    site_slug: str  # the first site's, whose organiser nominates
    site_organiser_email: str
    juror_email: str


def site_scales(scale: Scale) -> list[Scale]:
    """The sites of an edition of this scale: the six of 2018 at edition scale (their teams
    and people in proportion), two equal halves otherwise (one site below four teams)."""
    if scale.teams >= sum(site.challenges for site in SITES):
        people = head_counts(scale.people)
        return [
            Scale(site.slug, site.challenges, count)
            for site, count in zip(SITES, people, strict=True)
        ]
    if scale.teams < 4:  # each site's teams visit each other's stands: two at least
        return [Scale("site-a", scale.teams, scale.people)]
    half = scale.teams // 2
    return [
        Scale("site-a", half, scale.people // 2),
        Scale("site-b", scale.teams - half, scale.people - scale.people // 2),
    ]


def seed_edition(scale: Scale) -> SeededEdition:
    sites = [
        (seed_event(site, slug=f"edition-{scale.name}-{site.name}"), site)
        for site in site_scales(scale)
    ]
    national = create_organiser(
        f"national-{scale.name}@bench.example", PASSWORD, name="Organisation nationale"
    )
    edition = create_edition("Université de l’innovation publique", 2018, "", national)
    events = []
    for seeded, _site in sites:
        event = db.session.scalar(select(Event).where(Event.slug == seeded.slug))
        attach_event(edition, event, national)
        events.append(event)
    db.session.commit()
    for (seeded, _site), event in zip(sites, events, strict=True):
        organiser = db.session.scalar(select(User).where(User.email == seeded.organiser_email))
        teams = [cast.team for _number, cast in sorted(casts(event).items())]
        for team in teams[:2]:
            nominate(edition, event, team, organiser)
        for number, team in enumerate(teams, start=1):
            if number % 3:
                put_on_showcase(team, True, organiser)
        db.session.commit()
    criteria = rubric_of(edition)
    nominations = db.session.scalars(
        select(Nomination).where(Nomination.edition_id == edition.id).order_by(Nomination.id)
    ).all()
    jurors = []
    for n in range(1, JURORS + 1):
        email = f"juror-{n}-{scale.name}@bench.example"
        create_organiser(email, PASSWORD, name=f"Juré {n}")
        person = appoint_juror(edition, None, email, national)
        juror = juror_of(edition, person)
        for k, nomination in enumerate(nominations):
            given = {c.id: 1 + (n + k + i) % 5 for i, c in enumerate(criteria)}
            save_scores(edition, juror, nomination, criteria, given, f"Avis du juré {n}.")
        jurors.append(email)
    db.session.commit()
    return SeededEdition(
        edition_id=edition.id,
        national_email=national.email,
        site_slug=sites[0][0].slug,
        site_organiser_email=sites[0][0].organiser_email,
        juror_email=jurors[0],
    )


def edition_pages(seeded: SeededEdition) -> list[Page]:
    edition = {"edition_id": seeded.edition_id}
    national = "national"
    return [
        Page("edition: editions (national)", "editions.home", national),
        Page("edition: edition page", "editions.show", national, values=edition),
        Page("edition: national dashboard", "editions.dashboard", national, values=edition),
        Page(
            "edition: national dashboard poll (304)",
            "editions.dashboard_sites",
            national,
            "poll",
            edition,
        ),
        Page("edition: national room screen", "editions.room", national, values=edition),
        Page(
            "edition: national room screen poll (304)",
            "editions.room_sites",
            national,
            "poll",
            edition,
        ),
        Page("edition: edition showcase", "showcase.edition", "anonymous", values=edition),
        *(
            Page(
                f"edition: workbook {fmt.upper()}",
                "editions.workbook",
                national,
                "print",
                {**edition, "workbook_format": fmt},
            )
            for fmt in ("xlsx", "ods")
        ),
        Page("edition: jury page", "jury.organise", national, values=edition),
        Page(
            "edition: jury nominations (site organiser)",
            "jury.nominations",
            "site-organiser",
        ),
        Page("edition: jury scoring (juror)", "jury.score", "juror", values=edition),
        Page("edition: jury results", "jury.results", national, values=edition, revealed=True),
    ]


def _clients(app, seeded: SeededEdition) -> dict:
    def password(email):
        return signed_in(app, "/sign-in/password", {"email": email, "password": PASSWORD}), {}

    return {
        "national": password(seeded.national_email),
        "site-organiser": password(seeded.site_organiser_email),
        "juror": password(seeded.juror_email),
        "anonymous": (app.test_client(), {}),
    }


def _reveal(app, seeded: SeededEdition) -> None:
    with app.app_context():
        national = db.session.scalar(select(User).where(User.email == seeded.national_email))
        reveal(db.session.get(Edition, seeded.edition_id), national)
        db.session.commit()
        db.session.remove()


def _chosen(pages: list[Page], only: str | None) -> list[Page]:
    return [p for p in pages if not only or only.lower() in p.label.lower()]


def bench_editions(
    scale: Scale,
    database_url: str | None,
    repeat: int,
    trivial: Trivial,
    analyze: bool = False,
    only: str | None = None,
) -> tuple[list[Row], str]:
    """Seed an edition of this scale in a fresh database and measure its pages (none, and no
    seeding, when ``only`` names none of them)."""
    if not _chosen(edition_pages(SeededEdition(0, "", "", "", "")), only):
        return [], ""
    with fresh_database(database_url) as (url, database), tempfile.TemporaryDirectory() as tmp:
        app = bench_app(url, tmp)
        with app.app_context():
            upgrade()
            start = time.perf_counter()
            seeded = seed_edition(scale)
            seconds = time.perf_counter() - start
            if analyze:
                gather_statistics()
            db.session.remove()
            counter = StatementCounter(db.engine)
        pid = new_backend(app) if make_url(url).get_backend_name() == "postgresql" else None
        who = _clients(app, seeded)
        rows = []
        chosen = _chosen(edition_pages(seeded), only)
        for revealed in (False, True):
            if revealed:
                _reveal(app, seeded)
            for page in (p for p in chosen if p.revealed == revealed):
                # The site organiser's page is the site's; url_for leaves out a slug of None.
                slug = seeded.site_slug if page.who == "site-organiser" else None
                page_who = {**who, "slug": slug}
                rows.append(measure(app, page, scale, page_who, counter, pid, repeat, trivial.ms()))
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    sites = site_scales(scale)
    note = (
        f"{scale.name} (edition pages): sites {len(sites)}, {sum(s.teams for s in sites)} teams, "
        f"{sum(s.people for s in sites)} people, seeded in {seconds:.1f} s; {database}"
        + ("; statistics gathered (ANALYZE; VACUUM ANALYZE on PostgreSQL)" if analyze else "")
    )
    return rows, note
