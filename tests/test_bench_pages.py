"""The pages benchmark (bench/pages.py) still runs: at a tiny scale, every page it requests
answers as it should (200, or 304 for a poll that finds nothing new) and has its row."""

import importlib
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
pages = importlib.import_module("pages")
pages_editions = importlib.import_module("pages_editions")

pytestmark = pytest.mark.own_database


def _database_url() -> str | None:
    """SQLite in a temporary folder, or a database of its own next to the suite's PostgreSQL
    one (the benchmark creates and drops it, also when it fails)."""
    url = os.environ.get("FACILITATE_TEST_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        return None
    parsed = make_url(url)
    # A name of this run's own: one left by an interrupted run never stops the next.
    name = f"{parsed.database}_pagesbench_{os.getpid()}"
    return parsed.set(database=name).render_as_string(False)


def test_every_page_answers_at_a_tiny_scale(capsys):
    argv = ["--teams", "2", "--people", "12", "--repeat", "1"]
    if url := _database_url():
        argv += ["--database-url", url]

    status = pages.main(argv)

    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ")][1:]
    listed = pages.pages(pages.Seeded("x", "", "", "", 1, 2))
    edition = pages_editions.edition_pages(pages_editions.SeededEdition(1, "", "", "", ""))
    # Measured in their order, the event's then the edition's, each after the reveal last.
    labels = [
        page.label
        for group in (listed, edition)
        for page in sorted(group, key=lambda page: page.revealed)
    ]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == labels
    assert status == 0, out  # every page answered 200 (304 for the polls)
    assert "status" not in out
    if url:
        assert all(row.split(" | ")[6] != "–" for row in rows), out  # PostgreSQL's CPU read


def _row(page: str, pg_ms: float, reference: float) -> "pages.Row":
    return pages.Row(
        page=page,
        scale="edition",
        cpu_ms=1.0,
        ratio=8.0,
        statements="3",
        size=100,
        pg_ms=pg_ms,
        pg_reference_ms=reference,
        runs=10,
        statuses={200},
        expected=200,
        over=["PG > 3 ms"] if pg_ms > pages.PG_TARGET else [],
    )


def test_a_postgresql_reading_over_target_in_a_slow_spell_is_marked_and_still_over():
    trivial = pages.Trivial()
    trivial.medians = [0.12]
    report = pages.table(
        [
            _row("quiet", 1.5, 0.08),
            _row("over while quiet", 3.2, 0.09),
            _row("over in a slow spell", 3.4, 0.16),
            _row("under in a slow spell", 2.0, 0.2),
        ],
        trivial,
    )
    lines = {line.split(" | ")[0].removeprefix("| "): line for line in report.splitlines()}
    assert lines["quiet"].endswith("| ok |")
    assert lines["over while quiet"].endswith("| PG > 3 ms |")
    assert lines["over in a slow spell"].endswith("| PG > 3 ms; slow spell: PG reference ×2.0 |")
    assert lines["under in a slow spell"].endswith("| ok |")
    assert "PostgreSQL reference" in report and "0.080 to 0.200" in report
