"""How long one full edition takes to import: 70 challenge sheets (XLSX) and 1,050 attendees
(a French Excel CSV), checked then written, against a budget of 5 seconds for both.

    .venv/bin/python bench/import_bench.py                    # a temporary SQLite file
    .venv/bin/python bench/import_bench.py --format ods       # both files as ODS (or xlsx, csv)
    .venv/bin/python bench/import_bench.py --format all       # each format in turn
    .venv/bin/python bench/import_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/facilitate_bench

The database named in the URL must not exist: the bench creates it, builds the schema with the
migrations, and drops it at the end. Each of the runs imports into a fresh event (and fresh
attendee accounts); the table shows the best run and, for the record, the slowest total.
Exits with status 1 when the edition does not fit in the budget.
"""

import argparse
import io
import random
import sys
import time
from datetime import UTC, datetime

from bench_databases import fresh_database
from edition_files import (
    ATTENDEES,
    CHALLENGES,
    FORMATS,
    attendee_csv,
    challenge_workbook,
    write_file,
)
from flask_migrate import upgrade
from sqlalchemy import select

from facilitate import create_app
from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    check_challenge_file,
)
from facilitate.extensions import db
from facilitate.models import Event
from facilitate.people.spreadsheet import attendee_table, check_attendee_file, import_attendees

BUDGET_SECONDS = 5.0

# What the other benches import from here, where it was first written.
__all__ = ["attendee_csv", "challenge_workbook", "fresh_database"]


def timed_import(event, check, write, data: bytes, filename: str) -> tuple[float, float, int]:
    start = time.perf_counter()
    checked = check(event, data, filename)
    checked_at = time.perf_counter()
    if not checked.ok:
        raise SystemExit("\n".join(str(p) for p in checked.problems[:10]))
    write(event, checked)
    db.session.commit()
    done = time.perf_counter()
    return checked_at - start, done - checked_at, len(checked.rows)


def run_bench(runs: int, fmt: str = "mixed") -> dict[str, list[tuple[float, float, int]]]:
    rng = random.Random(2018)  # the same edition every time
    workbook = challenge_workbook(rng, fmt)
    kind = "xlsx" if fmt == "mixed" else fmt
    timings: dict[str, list[tuple[float, float, int]]] = {}
    for run in range(1, runs + 1):
        attendees = attendee_csv(rng, run, fmt)
        people = "csv" if fmt == "mixed" else fmt
        event = Event(slug=f"bench-{fmt}-{run}", name=f"Université de l’innovation, essai {run}")
        db.session.add(event)
        db.session.commit()
        for label, check, write, data, filename in (
            (
                f"challenges, {kind.upper()}",
                check_challenge_file,
                import_challenges,
                workbook,
                f"defis.{kind}",
            ),
            (
                "attendees, CSV cp1252" if people == "csv" else f"attendees, {people.upper()}",
                check_attendee_file,
                import_attendees,
                attendees,
                f"x.{people}",
            ),
            (
                "challenges again (no change)",
                check_challenge_file,
                import_challenges,
                workbook,
                f"defis.{kind}",
            ),
            (
                "attendees again (updates)",
                check_attendee_file,
                import_attendees,
                attendees,
                f"x.{people}",
            ),
        ):
            timings.setdefault(label, []).append(timed_import(event, check, write, data, filename))
        db.session.remove()
    return timings


def report(database: str, runs: int, timings) -> bool:
    print(f"Database: {database}; best of {runs} runs, each into a fresh event.")
    print(f"{'':30} {'rows':>6} {'check s':>8} {'import s':>9} {'total s':>8}  {'slowest':>8}")
    edition = 0.0
    for index, (label, results) in enumerate(timings.items()):
        check, write, rows = min(results, key=lambda r: r[0] + r[1])
        slowest = max(r[0] + r[1] for r in results)
        print(
            f"{label:30} {rows:>6} {check:>8.3f} {write:>9.3f} {check + write:>8.3f}  "
            f"{slowest:>8.3f}"
        )
        if index < 2:
            edition += check + write
        if index == 1:
            verdict = "PASS" if edition <= BUDGET_SECONDS else "FAIL"
            print(
                f"{'one full edition':30} {CHALLENGES + ATTENDEES:>6} {'':>8} {'':>9} "
                f"{edition:>8.3f}  {verdict} (budget {BUDGET_SECONDS:.0f} s)"
            )
    return edition <= BUDGET_SECONDS


def time_pages(app, fmt: str) -> list[tuple[str, int, float, int]]:
    """The organisers' pages around the import, at the scale of an edition, through the app
    (the test client: no network), on the last event the bench filled: the preview of the
    attendee file again (1,050 rows found, none changed), of the same file with every
    organisation changed (1,050 changes listed), the exports, and the pages that list people.
    Best of three each."""
    from facilitate.models import Membership, Role, User

    event = db.session.scalars(select(Event).order_by(Event.id.desc())).first()
    organiser = User(
        name="Bench organiser",
        email=f"bench-{event.id}@example.org",
        email_confirmed_at=datetime.now(UTC).replace(tzinfo=None),
    )
    db.session.add(organiser)
    db.session.flush()
    db.session.add(Membership(user_id=organiser.id, event_id=event.id, role=Role.ORGANISER))
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
        session["_fresh"] = True
    people = "csv" if fmt == "mixed" else fmt
    headers, rows = attendee_table(event)
    same = write_file(people, headers, rows, "Participants")
    changed = write_file(
        people,
        headers,
        [[*row[:3], f"{row[3]} (modifié)", *row[4:]] for row in rows],
        "Participants",
    )
    pages = [
        ("preview, attendees unchanged", "post", f"/events/{event.slug}/people/import", same),
        ("preview, 1,050 changes listed", "post", f"/events/{event.slug}/people/import", changed),
        *(
            (
                f"export attendees {kind.upper()}",
                "get",
                f"/events/{event.slug}/people/export.{kind}",
                None,
            )
            for kind in ("csv", "xlsx", "ods")
        ),
        *(
            (
                f"export challenges {kind.upper()}",
                "get",
                f"/events/{event.slug}/challenges/export.{kind}",
                None,
            )
            for kind in ("csv", "xlsx", "ods")
        ),
        ("access codes CSV", "get", f"/events/{event.slug}/people/access-codes.csv", None),
        # Lists of people, sorted by surname in Python after their queries (facilitate.names).
        ("people page", "get", f"/events/{event.slug}/people", None),
        ("teams page", "get", f"/events/{event.slug}/teams", None),
        ("badges page", "get", f"/events/{event.slug}/badges", None),
    ]
    results = []
    for label, method, url, data in pages:
        best, status, size = float("inf"), 0, 0
        for _run in range(3):
            start = time.perf_counter()
            if method == "post":
                response = client.post(
                    url,
                    data={"file": (io.BytesIO(data), f"participants.{people}")},
                    content_type="multipart/form-data",
                )
            else:
                response = client.get(url)
            best = min(best, time.perf_counter() - start)
            status, size = response.status_code, len(response.data)
            db.session.remove()
        results.append((label, status, best, size))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--format",
        choices=(*FORMATS, "all"),
        default="mixed",
        help="mixed (default): challenges XLSX, attendees French Excel CSV; or both files in"
        " one format; all: each in turn",
    )
    args = parser.parse_args()
    formats = FORMATS if args.format == "all" else (args.format,)
    passed = True
    for fmt in formats:
        with fresh_database(args.database_url) as (url, database):
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": url,
                    "SECRET_KEY": "bench-only",
                    "WTF_CSRF_ENABLED": False,
                }
            )
            with app.app_context():
                upgrade()
                timings = run_bench(args.runs, fmt)
                pages = time_pages(app, fmt)
                db.session.remove()
                db.engine.dispose()
        print(f"Format: {fmt}")
        passed = report(database, args.runs, timings) and passed
        print(f"{'page (best of 3)':<32} {'status':>6} {'seconds':>8} {'bytes':>9}")
        for label, status, seconds, size in pages:
            print(f"{label:<32} {status:>6} {seconds:>8.3f} {size:>9,}")
            passed = passed and status == 200
        print()
    if not passed:
        sys.exit(1)


if __name__ == "__main__":
    main()
