"""What each export costs as the event grows: peak memory (Python's allocations, ``tracemalloc``)
and CPU of one request, at an edition's 1,050 attendees and at 10,000, to check that the exports
stream (issue 13, item 7): their peak should not grow with the rows.

    .venv/bin/python bench/exports.py                       # 1,050 and 10,000, SQLite temporary file
    .venv/bin/python bench/exports.py --people 1050 2000
    .venv/bin/python bench/exports.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/facilitate_exports

Each size gets a fresh database (a PostgreSQL one named in the URL must not exist: the script
creates and drops it), filled the way organisers fill it: 70 challenge sheets and the attendees
imported from spreadsheets (``bench/import_bench.py``'s), every attendee in a team with an access
code, and as many stand feedback entries as attendees. Each export is requested once to warm
up, then through Flask's test client as a signed-in organiser, its body read chunk by chunk and
thrown away, as a server sends it: CPU is the median of three requests; the peak is what
``tracemalloc`` saw during a fourth (which it slows down), above what was allocated before.
"""

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

from flask_migrate import upgrade
from import_bench import attendee_csv, challenge_workbook, fresh_database
from sqlalchemy import insert, select

from facilitate import create_app
from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    check_challenge_file,
)
from facilitate.extensions import db
from facilitate.models import Event, FeedbackEntry, Membership, Role, Team, User

EXPORTS = [
    ("attendees", "people/export.{}", ("csv", "xlsx", "ods")),
    ("access codes", "people/access-codes.{}", ("csv",)),
    ("challenges", "challenges/export.{}", ("csv", "xlsx", "ods")),
    ("feedback", "organise/vote/feedback.{}", ("csv", "xlsx", "ods")),
    ("results", "organise/vote/results.{}", ("csv", "xlsx", "ods")),
]


def seed(people: int) -> tuple[str, str]:
    """The event's slug and what its organiser's session holds."""
    from facilitate.people.spreadsheet import check_attendee_file, import_attendees

    rng = random.Random(2018)
    event = Event(slug="exports", name="Université de l’innovation")
    organiser = User(
        name="Organisatrice",
        email="orga@bench.example",
        email_confirmed_at=datetime.now(UTC).replace(tzinfo=None),
    )
    db.session.add_all([event, organiser])
    db.session.flush()
    db.session.add(Membership(user_id=organiser.id, event_id=event.id, role=Role.ORGANISER))
    for check, write, content, name in (
        (check_challenge_file, import_challenges, challenge_workbook(rng), "defis.xlsx"),
        (check_attendee_file, import_attendees, attendee_csv(rng, 1, count=people), "p.csv"),
    ):
        checked = check(event, content, name)
        if not checked.ok:
            sys.exit("\n".join(str(p) for p in checked.problems[:10]))
        write(event, checked)
    db.session.commit()
    teams = db.session.scalars(select(Team.id).where(Team.event_id == event.id)).all()
    for number, team_id in enumerate(teams, start=1):
        db.session.execute(
            Team.__table__.update().where(Team.id == team_id).values(stand_number=number)
        )
    authors = db.session.scalars(
        select(Membership.user_id).where(
            Membership.event_id == event.id, Membership.role == Role.PARTICIPANT
        )
    ).all()
    start = datetime(2026, 7, 3, 14)
    db.session.execute(
        insert(FeedbackEntry.__table__),
        [
            {
                "team_id": teams[i % len(teams)],
                "author_id": author,
                "body": "",
                "at_exhibition": True,
                "liked": f"Le prototype n°{i} : clair, « concret » ; bien présenté.",
                "could_be_better": "=Un tableau des coûts" if i % 7 == 0 else "Le budget",
                "question": "Qui finance la suite ?\nEt quand ?",
                "anonymous": i % 5 == 0,
                "created_at": start + timedelta(seconds=i),
            }
            for i, author in enumerate(authors)
        ],
    )
    db.session.commit()
    return event.slug, organiser.get_id()


def measure(client, url: str) -> tuple[float, int, int, int]:
    """Median CPU ms of three requests, peak bytes of a fourth, the status and body size."""

    def request() -> tuple[int, int]:
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.iter_encoded())
        response.close()
        return response.status_code, size

    request()  # warm-up
    samples = []
    for _ in range(3):
        start = time.process_time()
        status, size = request()
        samples.append(time.process_time() - start)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    request()
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    return statistics.median(samples) * 1000, peak, status, size


def bench(people: int, database_url: str | None) -> list[tuple]:
    rows = []
    with fresh_database(database_url) as (url, database):
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only", "RATELIMIT_ENABLED": False}
        )
        with app.app_context():
            upgrade()
            slug, session_id = seed(people)
            db.session.remove()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
        for label, path, formats in EXPORTS:
            for fmt in formats:
                url_path = f"/events/{slug}/{path.format(fmt)}"
                cpu, peak, status, size = measure(client, url_path)
                rows.append((people, f"{label} {fmt.upper()}", cpu, peak, status, size, database))
        with app.app_context():
            db.engine.dispose()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1050, 10_000])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args(argv)
    rows = []
    for people in args.people:
        rows += bench(people, args.database_url)
    print("| attendees | export | median CPU ms | peak memory KiB | bytes | status |")
    print("|---:|---|---:|---:|---:|---:|")
    for people, label, cpu, peak, status, size, _database in rows:
        print(f"| {people:,} | {label} | {cpu:.1f} | {peak / 1024:,.0f} | {size:,} | {status} |")
    print(f"- {rows[0][-1]}" if rows else "")
    return 0 if all(row[4] == 200 for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
