"""The exhibition vote under load, through the JSON API served by gunicorn: one edition's 1,000
participants send their ballots within moments, 200 change their minds, the organiser closes the
vote and reads the results, which must equal the tally the bench keeps itself.

    .venv/bin/python bench/ballot_bench.py                    # a temporary SQLite file
    .venv/bin/python bench/ballot_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/facilitate_bench

As bench/import_bench.py: a PostgreSQL database named in the URL must not exist; the bench
creates it, and drops it at the end. The schema (migrations) and the event (70 numbered stands,
1,000 participants with access codes, an organiser with an API token, the vote open) are in
place before gunicorn starts its workers (2 sync workers by default), so that they never race.

The client runs on the same cores as the server: 64 threads, each request on a new connection
(sync workers close them). Figures vary from run to run on shared cores: compare the ballots'
rate with the trivial endpoint's (``GET /api/v1/``, no database), measured by the same client
before and after the ballots; the CPU per request of gunicorn's processes (and of a local
PostgreSQL's backends), read from /proc, varies less. ``--wsgi module:app`` serves another
application object, to try a variant. Exits with status 1 when anything is incorrect (a 5xx, a
refused ballot, results that differ from the bench's own tally), never for speed.
"""

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ballot_seed import PARTICIPANTS, SLUG, VOTES, Seeded, seed
from import_bench import fresh_database
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[1]
CHANGES = 200
TRIVIAL_REQUESTS = 3000


# --- The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int, wsgi: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "FACILITATE_DATABASE_URL": url,
        "FACILITATE_SECRET_KEY": "bench-only",
        "FACILITATE_BASE_URL": f"http://127.0.0.1:{port}",
    }
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--no-control-socket",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", wsgi,
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped while starting")
        try:
            if request(port, "GET", "/api/v1/").status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    sys.exit("gunicorn did not answer within 30 seconds")


def _cpu(pid: int | str) -> float:
    """CPU seconds a process has used, from /proc (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of gunicorn's arbiter and of each worker."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return {each: _cpu(each) for each in [str(pid), *children]}


def database_cpu(url: str) -> dict[str, float]:
    """CPU seconds of the PostgreSQL backends serving the bench's database, when the server runs
    on this machine (their /proc entries are readable); empty for SQLite, which runs inside the
    workers and is counted with them."""
    if not url.startswith("postgresql"):
        return {}
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        pids = connection.scalars(
            text(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
    engine.dispose()
    return {str(pid): _cpu(pid) for pid in pids if Path(f"/proc/{pid}").exists()}


def used(before: dict[str, float], after: dict[str, float]) -> float:
    """CPU used between two snapshots; processes that appeared meanwhile count from zero."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


# --- The client -------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float


def request(port: int, method: str, path: str, token: str | None = None, body=None) -> Reply:
    """One request on a new connection, as a phone on the venue's Wi-Fi makes it."""
    headers = {"Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    if data is not None:
        headers["Content-Type"] = "application/json"
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()
    return Reply(response.status, payload, time.perf_counter() - start)


@dataclass
class Phase:
    name: str
    replies: list[Reply] = field(default_factory=list)
    seconds: float = 0.0
    server_cpu: float = 0.0
    database_cpu: float | None = None
    client_cpu: float = 0.0

    def percentile(self, q: float) -> float:
        times = sorted(r.seconds for r in self.replies)
        return times[min(len(times) - 1, int(q * len(times)))] * 1000

    @property
    def rate(self) -> float:
        return len(self.replies) / self.seconds

    def statuses(self) -> Counter:
        return Counter(r.status for r in self.replies)


@dataclass
class Target:
    """What the bench measures: the gunicorn arbiter's pid and the database's URL."""

    port: int
    pid: int
    url: str


def run_phase(name: str, target: Target, connections: int, calls) -> Phase:
    phase = Phase(name)
    server, database = server_cpu(target.pid), database_cpu(target.url)
    client = time.process_time()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        phase.replies = list(pool.map(lambda call: call(), calls))
    phase.seconds = time.perf_counter() - start
    phase.client_cpu = time.process_time() - client
    phase.server_cpu = used(server, server_cpu(target.pid))
    if target.url.startswith("postgresql"):
        phase.database_cpu = used(database, database_cpu(target.url))
    return phase


def ballot_call(port: int, code: str, teams: list[int]):
    return lambda: request(port, "PUT", f"/api/v1/events/{SLUG}/ballot", code, {"teams": teams})


def choose(rng: random.Random, team_ids: list[int], own: int, avoid=None) -> list[int]:
    while True:
        picks = rng.sample([t for t in team_ids if t != own], VOTES)
        if picks != avoid:
            return picks


# --- Checking and reporting -------------------------------------------------------------------


def expected_results(ballots: dict[str, list[int]], team_ids: list[int]) -> dict:
    tally = Counter(team for teams in ballots.values() for team in teams)
    votes = {team: tally.get(team, 0) for team in team_ids}
    # Standard competition ranks: equal votes share a rank, the next rank is skipped.
    ranks = {team: 1 + sum(1 for v in votes.values() if v > votes[team]) for team in team_ids}
    return {
        "ballots": sum(1 for teams in ballots.values() if teams),
        "stands": {team: (votes[team], ranks[team]) for team in team_ids},
    }


def check(phases: list[Phase], results: Reply, expected: dict, late: Reply) -> list[str]:
    problems = []
    for phase in phases:
        for status, count in sorted(phase.statuses().items()):
            if status != 200:
                problems.append(f"{phase.name}: {count} responses with status {status}")
    if results.status != 200:
        return [*problems, f"results: status {results.status}: {results.body[:300]!r}"]
    got = json.loads(results.body)
    stands = {s["team_id"]: (s["votes"], s["rank"]) for s in got["stands"]}
    if got["status"] != "closed":
        problems.append(f"results: the vote is {got['status']!r}, not closed")
    if got["ballots"] != expected["ballots"]:
        problems.append(
            f"results: {got['ballots']} ballots, the bench counted {expected['ballots']}"
        )
    wrong = [team for team in expected["stands"] if stands.get(team) != expected["stands"][team]]
    if wrong or len(stands) != len(expected["stands"]):
        problems.append(f"results differ from the bench's tally for teams {wrong[:10]}")
    if late.status != 409:
        problems.append(f"a ballot after the close got {late.status}, not 409")
    return problems


def report(database: str, args, phases: list[Phase]) -> None:
    print(
        f"Database: {database}; gunicorn {args.wsgi}, {args.workers} sync workers;"
        f" {args.connections} connections, a new one per request."
    )
    print(
        f"{'':36} {'requests':>8} {'seconds':>7} {'per s':>6} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'server cpu ms/req':>17} {'db cpu ms/req':>13}  statuses"
    )
    for phase in phases:
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(phase.statuses().items()))
        count = len(phase.replies)
        db_cpu = "" if phase.database_cpu is None else f"{phase.database_cpu * 1000 / count:.2f}"
        print(
            f"{phase.name:36} {count:>8} {phase.seconds:>7.2f} {phase.rate:>6.0f}"
            f" {phase.percentile(0.5):>7.1f} {phase.percentile(0.99):>7.1f}"
            f" {phase.server_cpu * 1000 / count:>17.2f} {db_cpu:>13}  {statuses}"
        )
    trivial = [p for p in phases if p.name.startswith("trivial")]
    ballots = [p for p in phases if "ballots" in p.name]
    reference = sum(len(p.replies) for p in trivial) / sum(p.seconds for p in trivial)
    rate = sum(len(p.replies) for p in ballots) / sum(p.seconds for p in ballots)
    ratio = rate / reference
    verdict = "reached" if ratio >= 1 / 3 else "NOT reached"
    print(
        f"Ballots: {rate:.0f} per second; the trivial endpoint, before and after: {reference:.0f}"
        f" per second. Ratio {ratio:.0%} (aim: at least 33%, {verdict})."
    )
    print(f"Client CPU (the bench itself): {sum(p.client_cpu for p in phases):.1f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument(
        "--wsgi", default="wsgi:app", help="the application gunicorn serves (default wsgi:app)"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with fresh_database(args.database_url) as (url, database):
        seeded = seed(url)
        port = free_port()
        server = start_gunicorn(url, port, args.workers, args.wsgi)
        try:
            target = Target(port=port, pid=server.pid, url=url)
            phases, results, late, ballots = exercise(seeded, target, args.connections, rng)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(database, args, phases)
    problems = check(phases, results, expected_results(ballots, seeded.team_ids), late)
    if problems:
        print("INCORRECT:", *problems, sep="\n  ")
        sys.exit(1)
    print("Correct: no error, every ballot counted, results equal to the bench's own tally.")


def exercise(seeded: Seeded, target: Target, connections: int, rng: random.Random):
    port = target.port
    trivial = [lambda: request(port, "GET", "/api/v1/")] * (TRIVIAL_REQUESTS // 2)
    phases = [run_phase("trivial endpoint GET /api/v1/", target, connections, trivial)]

    ballots = {code: choose(rng, seeded.team_ids, own) for code, own in seeded.voters}
    calls = [ballot_call(port, code, teams) for code, teams in ballots.items()]
    phases.append(run_phase(f"{PARTICIPANTS} first ballots (PUT)", target, connections, calls))

    changed = rng.sample(seeded.voters, CHANGES)
    for code, own in changed:
        ballots[code] = choose(rng, seeded.team_ids, own, avoid=ballots[code])
    calls = [ballot_call(port, code, ballots[code]) for code, _own in changed]
    phases.append(run_phase(f"{CHANGES} changed ballots (PUT)", target, connections, calls))
    # The reference again: the machine's load may have changed meanwhile.
    phases.append(run_phase("trivial endpoint again", target, connections, trivial))

    def close():
        path = f"/api/v1/events/{SLUG}/vote"
        return request(port, "PATCH", path, seeded.organiser_token, {"status": "closed"})

    phases.append(run_phase("organiser closes the vote (PATCH)", target, 1, [close]))
    code, own = seeded.voters[0]
    late = ballot_call(port, code, choose(rng, seeded.team_ids, own))()
    results = request(port, "GET", f"/api/v1/events/{SLUG}/results", seeded.organiser_token)
    return phases, results, late, ballots


if __name__ == "__main__":
    main()
