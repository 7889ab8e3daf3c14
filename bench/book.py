"""How long the whole event's book takes to build at the scale of an edition: 70 challenges,
each team's work up to a tested prototype with its photo, the vote revealed (issue 14, item 5:
under a minute on the project's machine).

    .venv/bin/python bench/book.py                     # 70 teams, 1,050 people, SQLite
    .venv/bin/python bench/book.py --teams 2 --people 12   # a quick check
    .venv/bin/python bench/book.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/facilitate_book

The event is seeded as the pages benchmark seeds it (``bench/pages_seed.py``: the project's
own services and the Rennes demo's helpers), then the results are revealed and every other
person agrees to be named. The book is built as a worker builds it (``book.builds.run_build``),
in this process, in French; the time is wall-clock time from asking for the build to the PDF on
disk: gathering the content, laying out the pages (the photos' small versions are made on the
way) and writing the tagged PDF.

Exits with status 1 when the PDF is not built or misses a challenge, never for speed.
"""

import argparse
import io
import sys
import tempfile
import time

from flask_migrate import upgrade
from import_bench import fresh_database
from pages import bench_app, reveal_results, signed_in
from pages_seed import PASSWORD, Scale, seed_event
from pypdf import PdfReader
from sqlalchemy import select, update

from facilitate.book import builds
from facilitate.book.storage import pdf_path
from facilitate.extensions import db
from facilitate.models import BookStatus, Event, User

TARGET_SECONDS = 60


def _seed(app, scale: Scale):
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        seeded = seed_event(scale, slug="bench-book")
        # Half the people agree to be named, as people do.
        db.session.execute(update(User).where(User.id % 2 == 0).values(names_consent=True))
        db.session.commit()
        db.session.remove()
    reveal_results(app, seeded)
    return seeded, time.perf_counter() - started


def _build(app, slug: str) -> tuple[float, str | None, str]:
    with app.app_context(), app.test_request_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        started = time.perf_counter()
        build = builds.request_build(event, None, "fr", background=False)
        seconds = time.perf_counter() - started
        db.session.refresh(build)
        path = pdf_path(build) if build.status == BookStatus.DONE else None
        return seconds, path, build.error or ""


def _organisers_page(app, seeded) -> float:
    """Wall-clock time of one request for the organisers' page, once warmed up."""
    client = signed_in(
        app, "/sign-in/password", {"email": seeded.organiser_email, "password": PASSWORD}
    )
    url = f"/events/{seeded.slug}/book"
    assert client.get(url).status_code == 200
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=70)
    parser.add_argument("--people", type=int, default=1050)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args(argv)
    scale = Scale("book", args.teams, args.people)
    with fresh_database(args.database_url) as (url, database), tempfile.TemporaryDirectory() as tmp:
        app = bench_app(url, tmp)
        seeded, seeding = _seed(app, scale)
        seconds, path, error = _build(app, seeded.slug)
        if path is None:
            print(f"The book was not built: {error}")
            return 1
        with open(path, "rb") as f:
            data = f.read()
        reader = PdfReader(io.BytesIO(data))
        text = "".join(page.extract_text() for page in reader.pages[:3])
        missing = [n for n in range(1, args.teams + 1) if f"Défi {n} –" not in text]
        print(
            f"Book of {args.teams} challenges ({args.people} people; {database}, seeded in "
            f"{seeding:.0f} s): built in {seconds:.1f} s (target under {TARGET_SECONDS} s), "
            f"{len(reader.pages)} A4 pages, {len(data) / 1e6:.1f} MB."
        )
        page_ms = _organisers_page(app, seeded)
        print(
            f"The organisers' book page (the state of the whole book and of each challenge's, "
            f"each checked against the data): {page_ms:.0f} ms."
        )
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if missing:
            print(f"The contents miss challenges {missing}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
