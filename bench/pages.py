"""What each page costs to serve, at the scale of one site (14 teams, 200 people) and of a whole
edition (70 teams, 1,050 people), against the targets of issue 13.

    .venv/bin/python bench/pages.py                        # both scales, SQLite in a temporary folder
    .venv/bin/python bench/pages.py --scale edition --repeat 50
    .venv/bin/python bench/pages.py --platform             # 10,000 attendees on the platform
    .venv/bin/python bench/pages.py --analyze              # planner statistics: stable plans
    .venv/bin/python bench/pages.py --teams 2 --people 12 --repeat 1   # a quick check
    .venv/bin/python bench/pages.py --only edition:       # an edition's pages (pages_editions.py)
    .venv/bin/python bench/pages.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/facilitate_pages

Each scale gets a fresh database (a PostgreSQL database named in the URL must not exist: the
script creates it, migrates it and drops it), seeded through the project's services (see
``bench/pages_seed.py``): an event at the exhibition, every team's work up to a tested
prototype, every attendee with a ballot. Then every page is requested in this process, with
Flask's test client signed in as the person who uses it (no network, no server): a member of
a team, the organiser, or the JSON API with a badge's code or an organiser's token. The results
pages, the reveal and the results export are requested after the vote is closed and revealed.

Per page: the median CPU time of a request (``time.process_time`` around the request and the
reading of its body, after three warm-up requests, thirteen on PostgreSQL, whose prepared
statements and generic plans come after a few runs; ``--repeat`` times, fewer for a page
slower than ``SLOW_PAGE_BUDGET``), its ratio to a one-route Flask app timed the same way in the same
process, the SQL statements it runs, the bytes it answers, and on PostgreSQL the CPU the
server's backend used per request (``/proc/<pid>/schedstat`` of the one connection the app
uses, opened after the seeding, read before and after each request: the median, like the CPU
column's, in nanoseconds' precision). Rows over the
targets are flagged. Before each page on PostgreSQL, the backend's CPU for a ``SELECT 1`` and
its COMMIT is timed too (``reference_pg_ms``): this machine's speed wanders, and a page read
over the PostgreSQL target while that reference took half as much again as its least in the
run is marked as read in a slow spell.

SQLite's query plans: the database has no planner statistics (nothing runs ANALYZE, here as in
production), and where two indexes tie SQLite takes the one created last, an order that
changes from one run of the migrations to the next (on SQLite, Alembic's batch mode recreates
the memberships table and its indexes). So a query can change plan from one fresh database to the next: counting the eligible voters took
0.4 ms with ``ix_memberships_user_id`` and 7 ms with ``ix_memberships_event_id`` at site scale
(issue 13, item 6). PostgreSQL has no statistics either until autovacuum analyzes the
freshly seeded tables: the dashboard's work counts cost it 95 ms a request at edition scale
without them, 8 ms with. Compare runs with care, or pass ``--analyze`` for stable plans.

Exits with status 1 when a page answers anything but what it should
(200, or 304 for a poll that finds nothing new), never for speed.
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass

import pages_event_extra as event_extra
from flask import url_for
from flask_migrate import upgrade
from import_bench import fresh_database
from pages_list import (  # noqa: F401  (imported from here too)
    PAGE_TARGET,
    PG_TARGET,
    POLL_TARGET,
    PRINT_TARGET,
    SLOW_SPELL,
    Page,
    pages,
)
from pages_seed import (
    PASSWORD,
    PLATFORM_ATTENDEES,
    SCALES,
    Scale,
    Seeded,
    attendees_on_platform,
    fill_platform,
    seed_event,
)
from pages_timing import (
    SLOW_PAGE_BUDGET,
    WARM_UP,
    WARM_UP_POSTGRESQL,
    StatementCounter,
    Trivial,
    backend_pid,
    gather_statistics,
    new_backend,
    reference_pg_ms,
    repeated,
    timed,
)
from sqlalchemy import select
from sqlalchemy.engine import make_url

from facilitate import create_app
from facilitate.exhibition.vote import change_vote_status
from facilitate.extensions import db
from facilitate.models import Event, User, VoteStatus


@dataclass
class Row:
    page: str
    scale: str
    cpu_ms: float
    ratio: float
    statements: str
    size: int
    pg_ms: float | None
    pg_reference_ms: float | None  # ``reference_pg_ms`` just before the page
    runs: int
    statuses: set[int]
    expected: int
    over: list[str]

    @property
    def ok(self) -> bool:
        return self.statuses == {self.expected}


# --- Signing in --------------------------------------------------------------------------------


def _csrf_token(client, path: str = "/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return match.group(1) if match else ""


def signed_in(app, form_path: str, data: dict):
    client = app.test_client()
    response = client.post(form_path, data={**data, "csrf_token": _csrf_token(client)})
    if response.status_code != 303:
        sys.exit(f"Signing in at {form_path} answered {response.status_code}")
    return client


def clients(app, seeded: Seeded) -> dict[str, tuple]:
    """Per role, a client and the headers it sends."""
    organiser = signed_in(
        app, "/sign-in/password", {"email": seeded.organiser_email, "password": PASSWORD}
    )
    member = signed_in(app, "/sign-in/code", {"code": seeded.member_code})
    anonymous = app.test_client()
    return {
        "organiser": (organiser, {}),
        "member": (member, {}),
        "api-member": (anonymous, {"Authorization": f"Bearer {seeded.member_code}"}),
        "api-organiser": (anonymous, {"Authorization": f"Bearer {seeded.organiser_token}"}),
        **event_extra.clients(app, seeded, signed_in),
    }


# --- One scale ---------------------------------------------------------------------------------


def target_of(page: Page, scale: Scale) -> float:
    if page.kind == "print":
        return PRINT_TARGET
    if page.kind == "poll":
        return POLL_TARGET
    return PAGE_TARGET["site"] if scale.people <= SCALES["site"].people else PAGE_TARGET["edition"]


def measure(app, page: Page, scale: Scale, who: dict, counter, pid, repeat, trivial) -> Row:
    """``trivial``: the trivial app's median CPU in ms, just measured."""
    client, headers = who[page.who]
    with app.test_request_context():
        path = url_for(page.endpoint, slug=who["slug"], **page.values)
    expected = 200
    form = page.form and {**page.form, "csrf_token": _csrf_token(client, path)}
    first = timed(client, path, headers, None, form)
    if page.kind == "poll":  # the version the page has: nothing new since
        headers = {**headers, "If-None-Match": first.etag}
        expected = 304
    on_postgresql = (
        make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql"
    )
    for _ in range(WARM_UP_POSTGRESQL if on_postgresql else WARM_UP):
        timed(client, path, headers, None, form)
    reference = reference_pg_ms(app, pid) if pid else None
    samples = repeated(client, path, headers, counter, repeat, form, pid)
    pg_ms = None
    if pid and backend_pid(app) == pid:  # else the connection was replaced: not its work
        pg_ms = statistics.median(s.backend for s in samples) * 1000
    cpu_ms = statistics.median(s.cpu for s in samples) * 1000
    counts = sorted({s.statements for s in samples})
    over = []
    if cpu_ms > target_of(page, scale):
        over.append(f"CPU > {target_of(page, scale):g} ms")
    if pg_ms is not None and pg_ms > PG_TARGET:
        over.append(f"PG > {PG_TARGET:g} ms")
    return Row(
        page=page.label,
        scale=scale.name,
        cpu_ms=cpu_ms,
        ratio=cpu_ms / trivial,
        statements=str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}",
        size=samples[-1].size,
        pg_ms=pg_ms,
        pg_reference_ms=reference,
        runs=len(samples),
        statuses={s.status for s in samples},
        expected=expected,
        over=over,
    )


def bench_app(url: str, upload_folder: str):
    options = {"pool_pre_ping": True}
    if make_url(url).get_backend_name() == "postgresql":
        # One connection, so that its backend is the one whose CPU is read.
        options |= {"pool_size": 1, "max_overflow": 0, "pool_timeout": 10}
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": options,
            "SECRET_KEY": "bench-only",
            "UPLOAD_FOLDER": upload_folder,
            "API_RATE_LIMIT": "1000000 per minute",
        }
    )


def seed(app, scale: Scale, platform: bool, analyze: bool = False) -> tuple[Seeded, float, int]:
    with app.app_context():
        upgrade()
        start = time.perf_counter()
        seeded = seed_event(scale)
        event_extra.seed(seeded)
        seconds = time.perf_counter() - start
        if platform:
            fill_platform(seeded.organiser_email)
        attendees = attendees_on_platform()
        if analyze:
            gather_statistics()
        db.session.remove()
    return seeded, seconds, attendees


def reveal_results(app, seeded: Seeded) -> None:
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == seeded.slug))
        organiser = db.session.scalar(select(User).where(User.email == seeded.organiser_email))
        for status in (VoteStatus.CLOSED, VoteStatus.REVEALED):
            change_vote_status(event, organiser, status)
        db.session.remove()


def bench_scale(
    scale: Scale,
    database_url: str | None,
    repeat: int,
    trivial: Trivial,
    platform: bool = False,
    analyze: bool = False,
    only: str | None = None,
) -> tuple[list[Row], str]:
    """Seed a fresh database at this scale and measure every page; rows and a note."""
    with fresh_database(database_url) as (url, database), tempfile.TemporaryDirectory() as tmp:
        app = bench_app(url, tmp)
        seeded, seconds, attendees = seed(app, scale, platform, analyze)
        with app.app_context():
            counter = StatementCounter(db.engine)
        pid = new_backend(app) if make_url(url).get_backend_name() == "postgresql" else None
        who = {**clients(app, seeded), "slug": seeded.slug}
        rows = []
        all_pages = [p for p in pages(seeded) if not only or only.lower() in p.label.lower()]
        for revealed in (False, True):
            if revealed:
                reveal_results(app, seeded)
            for page in (p for p in all_pages if p.revealed == revealed):
                rows.append(measure(app, page, scale, who, counter, pid, repeat, trivial.ms()))
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    note = (
        f"{scale.name}: {scale.teams} teams, {scale.people} people, seeded in {seconds:.1f} s; "
        f"{attendees:,} attendees on the platform; {database}"
        + ("; statistics gathered (ANALYZE; VACUUM ANALYZE on PostgreSQL)" if analyze else "")
    )
    if make_url(url).get_backend_name() == "postgresql" and pid is None:
        note += "; PostgreSQL CPU not read (its backend is not a process of this machine)"
    return rows, note


# --- Report ------------------------------------------------------------------------------------


def table(rows: list[Row], trivial: Trivial) -> str:
    lines = [
        "| page | scale | median CPU ms | × trivial | SQL | bytes | median PG CPU ms | over target |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    references = [row.pg_reference_ms for row in rows if row.pg_reference_ms]
    fastest = min(references, default=None)
    for row in rows:
        pg = "–" if row.pg_ms is None else f"{row.pg_ms:.2f}"
        flags = list(row.over)
        if fastest and row.pg_reference_ms and row.pg_ms and row.pg_ms > PG_TARGET:
            spell = row.pg_reference_ms / fastest
            if spell >= SLOW_SPELL:
                flags.append(f"slow spell: PG reference ×{spell:.1f}")
        if not row.ok:
            flags.insert(0, f"status {sorted(row.statuses)}, expected {row.expected}")
        lines.append(
            f"| {row.page} | {row.scale} | {row.cpu_ms:.2f} | {row.ratio:.0f} | "
            f"{row.statements} | {row.size:,} | {pg} | {'; '.join(flags) or 'ok'} |"
        )
    low, high = min(trivial.medians), max(trivial.medians)
    report = "\n".join(lines) + (
        f"\n\nTrivial Flask app: {statistics.median(trivial.medians):.3f} ms CPU per request"
        f" (median; {low:.3f} to {high:.3f} when timed before each page)."
    )
    if references:
        report += (
            f"\nPostgreSQL reference (a SELECT 1 and its COMMIT, the backend's CPU):"
            f" {statistics.median(references):.3f} ms (median; {fastest:.3f} to"
            f" {max(references):.3f} when timed before each page). A page over the PostgreSQL"
            f" target while the reference took {SLOW_SPELL:g} times its least or more is marked"
            " as read in a slow spell."
        )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=(*SCALES, "both"), default="both")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument(
        "--repeat", type=int, default=20, help="timed requests per page (default 20)"
    )
    parser.add_argument(
        "--platform",
        action="store_true",
        help=f"add other events, up to {PLATFORM_ATTENDEES:,} attendees on the platform",
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="gather the planner's statistics (ANALYZE) after seeding, for stable query plans",
    )
    parser.add_argument(
        "--only", metavar="TEXT", help="only the pages whose name holds TEXT (e.g. 'poll')"
    )
    parser.add_argument("--teams", type=int, help="a scale of your own (with --people)")
    parser.add_argument("--people", type=int, help="a scale of your own (with --teams)")
    args = parser.parse_args(argv)
    scales = list(SCALES.values()) if args.scale == "both" else [SCALES[args.scale]]
    if args.teams or args.people:
        if not (args.teams and args.people) or args.people < 6 * args.teams:
            parser.error("--teams and --people go together, with at least 6 people a team")
        scales = [Scale("custom", args.teams, args.people)]
    trivial = Trivial()
    rows, notes = [], []
    for scale in scales:
        scale_rows, note = bench_scale(
            scale, args.database_url, args.repeat, trivial, args.platform, args.analyze, args.only
        )
        rows += scale_rows
        notes.append(note)
        from pages_editions import bench_editions  # noqa: PLC0415  (it imports this module)

        scale_rows, note = bench_editions(
            scale, args.database_url, args.repeat, trivial, args.analyze, args.only
        )
        rows, notes = rows + scale_rows, notes + ([note] if note else [])
    print(table(rows, trivial))
    for note in notes:
        print(f"- {note}")
    slow = [f"{r.page} at {r.scale} ({r.runs})" for r in rows if r.runs < args.repeat]
    if slow:
        print(f"- Fewer runs (at most {SLOW_PAGE_BUDGET:g} s of CPU a page): {', '.join(slow)}")
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
