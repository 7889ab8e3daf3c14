"""How bench/pages.py times a request: CPU of this process around the request and the reading
of its body, the SQL statements it sends, and the CPU of the PostgreSQL backend that served it
when PostgreSQL runs on this machine; and the trivial Flask app every page is compared with."""

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import event as sql_event
from sqlalchemy import literal, select, text

from facilitate.extensions import db

WARM_UP = 2
# On PostgreSQL, requests enough for the server to run as it does after its first minute: psycopg
# prepares a statement on a connection's 6th run of it, and PostgreSQL plans a prepared statement
# for its parameters five times before it keeps one generic plan (facilitate/extensions.py keeps
# them across requests). Timed sooner, a page would pay parsing and planning no running server
# pays more than once a connection.
WARM_UP_POSTGRESQL = 12
# A page slower than this is requested only as many times as fit in it (at least 3).
SLOW_PAGE_BUDGET = 3.0  # seconds of CPU


class StatementCounter:
    """SQL statements sent through the engine, as the tests' ``count_queries`` counts them."""

    def __init__(self, engine):
        self.count = 0
        sql_event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, *_args):
        self.count += 1


@dataclass
class Sample:
    cpu: float
    statements: int
    status: int
    size: int
    etag: str
    backend: float | None = None  # seconds of the PostgreSQL backend's CPU, when read


def timed(
    client, path: str, headers: dict, counter, form: dict | None = None, pid: int | None = None
) -> Sample:
    """One request, its body read (a streamed response is produced while it is read); with
    ``pid``, the CPU that PostgreSQL backend used meanwhile."""
    if counter is not None:
        counter.count = 0
    backend_before = backend_cpu(pid) if pid else None
    start = time.process_time()
    response = client.open(path, method="POST" if form else "GET", headers=headers, data=form)
    body = response.get_data()
    cpu = time.process_time() - start
    response.close()
    backend = backend_cpu(pid) - backend_before if pid else None
    statements = counter.count if counter else 0
    etag = response.headers.get("ETag", "")
    return Sample(cpu, statements, response.status_code, len(body), etag, backend)


def repeated(client, path, headers, counter, repeat: int, form=None, pid=None) -> list[Sample]:
    samples: list[Sample] = []
    spent = 0.0
    while len(samples) < repeat and (len(samples) < 3 or spent < SLOW_PAGE_BUDGET):
        samples.append(timed(client, path, headers, counter, form, pid))
        spent += samples[-1].cpu
    return samples


class Trivial:
    """A one-route Flask app returning a short string, timed the same way. It is timed again
    just before each page, so that each ratio compares requests made under the same load."""

    def __init__(self):
        app = Flask("trivial")
        app.add_url_rule("/", "index", lambda: "ok")
        self.client = app.test_client()
        self.medians: list[float] = []
        for _ in range(WARM_UP):
            timed(self.client, "/", {}, None)

    def ms(self, repeat: int = 50) -> float:
        samples = [timed(self.client, "/", {}, None) for _ in range(repeat)]
        self.medians.append(statistics.median(s.cpu for s in samples) * 1000)
        return self.medians[-1]


def backend_cpu(pid: int) -> float:
    """Seconds of CPU a PostgreSQL backend of this machine has used (scheduler's nanoseconds)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def backend_pid(app) -> int | None:
    """The PostgreSQL backend of the app's only pooled connection, if this machine runs it."""
    with app.app_context():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()
    return pid if Path(f"/proc/{pid}/schedstat").exists() else None


def reference_pg_ms(app, pid: int, repeat: int = 40) -> float:
    """The backend's CPU for the least a request asks of PostgreSQL (``SELECT 1`` and its
    COMMIT), median of ``repeat``: timed before each page, as the trivial Flask app is, it
    shows when this machine runs slow (its speed wanders; the same statements can cost half as
    much again a few seconds later)."""
    samples = []
    with app.app_context():
        for _ in range(WARM_UP_POSTGRESQL + repeat):
            before = backend_cpu(pid)
            db.session.execute(select(literal(1)))
            db.session.commit()
            samples.append(backend_cpu(pid) - before)
        db.session.remove()
    return statistics.median(samples[WARM_UP_POSTGRESQL:]) * 1000


def new_backend(app) -> int | None:
    """``backend_pid`` of a connection opened now, the pool's closed first: the pages are served
    by a backend that did not seed the database, as a server's are, not by the one that wrote
    the seed's tens of thousands of rows and holds its caches and prepared statements (once,
    the results page cost that one 3.1 ms of CPU at edition scale; new backends 1.7 to 2.0)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return backend_pid(app)


def gather_statistics() -> None:
    """The planner's statistics (``--analyze``). On PostgreSQL ``VACUUM ANALYZE``, as autovacuum
    does after a load: seeding updates the teams row by row, and the dead rows it leaves (500
    for 70 teams) cost every query on teams a fifth of a millisecond until vacuumed."""
    if db.engine.dialect.name != "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return
    db.session.remove()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
