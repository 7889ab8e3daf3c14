"""One edition's six sites voting at once, served by two app instances (gunicorn) on one
PostgreSQL database and one Redis, as a deployment past one process runs (issue 15, item 5).

    .venv/bin/python bench/national.py
    .venv/bin/python bench/national.py --participants 300 --connections 8   # a loaded machine
    .venv/bin/python bench/national.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/facilitate_national \\
        --redis-url redis://127.0.0.1:6379/14

The PostgreSQL database named in the URL must not exist: the bench creates it, migrates it and
drops it (as bench/ballot_bench.py). The 2018 edition, its national organiser and its six sites
(Rennes, Aix-en-Provence, Cluny, La Réunion, Martinique, Strasbourg, each in its own time zone)
are seeded before the instances start, at the exhibition with the vote open.

Every participant does what a phone does, through the web pages: opens the sign-in page, signs
in with the badge's code, opens "my ballot" and sends it; a fifth of them later change their
ballot. Each participant acts at a moment of ten simulated minutes, played in that order as fast
as ``--connections`` concurrent phones allow, and every request goes to the two instances in
turn, so that a phone's session moves from one process to the other. Meanwhile each site's
organiser has the dashboard and the room screen open, and the national organiser the national
dashboard and the national room screen: they poll (If-None-Match) every ``--poll-interval``
seconds, also in turn. Then the organisers close each site's vote through
the API and read the results, which must equal the bench's own tally for that site; and wrong
badge codes sent to the two instances in turn must be refused from the 11th (the sign-in limit
of 10 a minute, counted once in Redis, not 10 per instance).

Exits with status 1 when anything is incorrect (a 5xx, an unexpected status, a site's results
unlike its tally, a rate limit not shared), never for speed.
"""

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ballot_bench import expected_results
from import_bench import fresh_database
from national_seed import PASSWORD, VOTES, SeededEdition, SeededSite, Voter, seed

from facilitate.auth.codes import new_access_code

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.instances.servers import Instance, start_instances, stop_instances  # noqa: E402

SIMULATED_SECONDS = 600
CHANGING = 0.2  # of the participants change their ballot
SIGN_IN_LIMIT = 10  # wrong codes a minute from one address (SIGN_IN_RATE_LIMIT's default)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


# --- The client ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    kind: str
    status: int
    seconds: float


class Recorder:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.problems: list[str] = []

    def note(self, kind: str, status: int, seconds: float, expected: set[int], where: str):
        self.replies.append(Reply(kind, status, seconds))
        if status not in expected:
            self.problems.append(f"{kind} {where}: status {status}")


class Phone:
    """One browser: its own cookies, each request to the next instance in turn."""

    def __init__(self, instances: list[Instance], turn, recorder: Recorder):
        self.instances, self.turn, self.recorder = instances, turn, recorder
        self.cookies: dict[str, str] = {}

    def request(self, kind, method, path, expected, form=None, headers=None):
        headers = {"Accept-Language": "fr", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        instance = self.instances[next(self.turn) % len(self.instances)]
        start = time.perf_counter()
        try:
            response = instance.request(method, path, form=form, headers=headers, timeout=60)
        except OSError as error:
            self.recorder.problems.append(f"{kind} {path}: {error}")
            return None
        self.recorder.note(kind, response.status, time.perf_counter() - start, expected, path)
        self.cookies.update(response.set_cookies())
        return response

    def csrf(self, response) -> str:
        found = _CSRF.search(response.text) if response is not None else None
        return (found.group(1) or found.group(2)) if found else ""


# --- What people do -------------------------------------------------------------------------------


def sign_in_and_vote(phone: Phone, site: SeededSite, voter: Voter, teams: list[int]) -> None:
    page = phone.request("sign-in page", "GET", "/sign-in", {200})
    form = {"code": voter.code, "csrf_token": phone.csrf(page)}
    if phone.request("sign in (code)", "POST", "/sign-in/code", {303}, form) is None:
        return
    send_ballot(phone, site, teams, "ballot")


def send_ballot(phone: Phone, site: SeededSite, teams: list[int], kind: str) -> None:
    path = f"/events/{site.site.slug}/my-ballot"
    page = phone.request(f"{kind} page", "GET", path, {200})
    phone.request(kind, "POST", path, {303}, {"teams": teams, "csrf_token": phone.csrf(page)})


def organiser_phone(instances, turn, recorder, email: str) -> Phone:
    phone = Phone(instances, turn, recorder)
    page = phone.request("sign-in page", "GET", "/sign-in", {200})
    form = {"email": email, "password": PASSWORD, "csrf_token": phone.csrf(page)}
    phone.request("sign in (password)", "POST", "/sign-in/password", {303}, form)
    return phone


def site_screens(site: SeededSite) -> list[tuple[str, str]]:
    """The dashboard and the room screen of one site."""
    slug = site.site.slug
    return [
        ("dashboard poll", f"/events/{slug}/dashboard/teams"),
        ("room screen poll", f"/events/{slug}/room/state"),
    ]


def national_screens(edition: SeededEdition) -> list[tuple[str, str]]:
    """The national dashboard and the national room screen: every site's figures."""
    return [
        ("national dashboard poll", f"/editions/{edition.edition_id}/dashboard/sites"),
        ("national room poll", f"/editions/{edition.edition_id}/room/sites"),
    ]


def watch_screens(phone: Phone, screens: list[tuple[str, str]], interval, stop: threading.Event):
    """Screens open on one person's computer, polling as their scripts do."""
    etags: dict[str, str] = {}
    while not stop.is_set():
        for kind, path in screens:
            headers = {"If-None-Match": etags[path]} if path in etags else {}
            response = phone.request(kind, "GET", path, {200, 304}, headers=headers)
            if response is not None and response.headers.get("ETag"):
                etags[path] = response.headers["ETag"]
        stop.wait(interval)


def choose(rng: random.Random, team_ids: list[int], own: int, avoid=None) -> list[int]:
    while True:
        picks = sorted(rng.sample([t for t in team_ids if t != own], VOTES))
        if picks != avoid:
            return picks


@dataclass
class Action:
    at: float  # simulated seconds
    site: SeededSite
    voter: Voter
    teams: list[int]
    change: bool


def plan(sites: list[SeededSite], rng: random.Random) -> tuple[list[Action], dict]:
    """Every first ballot and change at its moment of the ten minutes, in order; and the ballots
    each site should end with."""
    actions, final = [], defaultdict(dict)
    for site in sites:
        for voter in site.voters:
            at = rng.uniform(0, SIMULATED_SECONDS)
            teams = choose(rng, site.team_ids, voter.own_team)
            actions.append(Action(at, site, voter, teams, change=False))
            if rng.random() < CHANGING:
                teams = choose(rng, site.team_ids, voter.own_team, avoid=teams)
                later = rng.uniform(at, SIMULATED_SECONDS)
                actions.append(Action(later, site, voter, teams, change=True))
            final[site.site.slug][voter.code] = teams
    return sorted(actions, key=lambda a: a.at), final


def play(actions: list[Action], instances, turn, recorder, connections: int) -> float:
    """The actions in simulated order, ``connections`` at a time; a change waits for its
    person's first ballot (submitted earlier, so already taken by a phone: no deadlock)."""
    phones: dict[str, Phone] = {}
    voted: dict[str, threading.Event] = defaultdict(threading.Event)

    def act(action: Action) -> None:
        code = action.voter.code
        if action.change:
            voted[code].wait()
            send_ballot(phones[code], action.site, action.teams, "changed ballot")
            return
        phones[code] = phone = Phone(instances, turn, recorder)
        try:
            sign_in_and_vote(phone, action.site, action.voter, action.teams)
        finally:
            voted[code].set()

    for action in actions:  # created here, not from the phones' threads
        voted[action.voter.code]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        list(pool.map(act, actions))
    return time.perf_counter() - start


# --- Checks -----------------------------------------------------------------------------------


def check_results(phone: Phone, sites: list[SeededSite], final: dict) -> list[str]:
    problems = []
    for site in sites:
        slug = site.site.slug
        bearer = {"Authorization": f"Bearer {site.organiser_token}"}
        instance = phone.instances[0]
        closed = instance.request(
            "PATCH", f"/api/v1/events/{slug}/vote", json_body={"status": "closed"}, headers=bearer
        )
        if closed.status != 200:
            problems.append(f"{slug}: closing the vote answered {closed.status}")
        results = phone.instances[1].request(
            "GET", f"/api/v1/events/{slug}/results", headers=bearer
        )
        if results.status != 200:
            problems.append(f"{slug}: results answered {results.status}")
            continue
        got = results.json()
        expected = expected_results(final[slug], site.team_ids)
        stands = {s["team_id"]: (s["votes"], s["rank"]) for s in got["stands"]}
        exact = got["ballots"] == expected["ballots"] and stands == expected["stands"]
        votes = sum(v for v, _rank in stands.values())
        print(
            f"  {site.site.venue:16} {site.site.timezone:19} {len(site.voters):>5} participants"
            f" {got['ballots']:>5} ballots {votes:>5} votes: {'exact' if exact else 'DIFFERENT'}"
        )
        if not exact:
            problems.append(f"{slug}: results differ from the bench's tally")
    return problems


def check_shared_limit(instances, turn, recorder) -> list[str]:
    """Wrong codes from one address, to the instances in turn: refused from the 11th."""
    phone = Phone(instances, turn, Recorder())  # expected refusals: kept out of the figures
    token = phone.csrf(phone.request("sign-in page", "GET", "/sign-in", {200}))
    statuses = []
    for _ in range(SIGN_IN_LIMIT + 4):
        wrong = new_access_code()
        response = phone.request(
            "wrong code", "POST", "/sign-in/code", {401, 429}, {"code": wrong, "csrf_token": token}
        )
        statuses.append(response.status if response else None)
    expected = [401] * SIGN_IN_LIMIT + [429] * 4
    print(f"Wrong badge codes, the two instances in turn: {statuses}")
    if statuses != expected:
        return [f"sign-in limit not shared across instances: {statuses}"]
    print(
        f"  refused from the {SIGN_IN_LIMIT + 1}th across both instances (counted per instance,"
        f" it would have been the {2 * SIGN_IN_LIMIT + 1}st)."
    )
    return []


# --- Report -------------------------------------------------------------------------------------


def percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(recorder: Recorder, seconds: float) -> None:
    by_kind = defaultdict(list)
    for reply in recorder.replies:
        by_kind[reply.kind].append(reply)
    print(f"{'':24} {'requests':>8} {'p50 ms':>7} {'p99 ms':>7}  statuses")
    for kind, replies in sorted(by_kind.items()):
        times = [r.seconds for r in replies]
        statuses = ", ".join(
            f"{s}×{n}" for s, n in sorted(Counter(r.status for r in replies).items())
        )
        print(
            f"{kind:24} {len(replies):>8} {percentile(times, 0.5):>7.1f} {percentile(times, 0.99):>7.1f}  {statuses}"
        )
    times = [r.seconds for r in recorder.replies]
    errors = sum(1 for r in recorder.replies if r.status >= 500)
    print(
        f"{'all':24} {len(times):>8} {percentile(times, 0.5):>7.1f} {percentile(times, 0.99):>7.1f}"
        f"  5xx: {errors}; mean {statistics.mean(times) * 1000:.1f} ms"
    )
    print(
        f"Ten simulated minutes played in {seconds:.1f} s"
        f" ({len(recorder.replies) / seconds:.0f} requests a second)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=f"postgresql+psycopg://postgres@127.0.0.1:5432/facilitate_national_{os.getpid()}",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--participants", type=int, default=1050)
    parser.add_argument("--connections", type=int, default=16, help="phones acting at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--poll-interval", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        sys.exit("Several instances share a PostgreSQL database: give a postgresql URL.")
    import redis

    redis_client = redis.Redis.from_url(args.redis_url, socket_connect_timeout=2)
    redis_client.ping()
    prefix = f"national-bench-{os.getpid()}:"
    rng = random.Random(args.seed)
    recorder, problems = Recorder(), []
    with (
        fresh_database(args.database_url) as (url, database),
        tempfile.TemporaryDirectory() as uploads,
    ):
        edition = seed(url, args.participants)
        sites = edition.sites
        settings = {
            "FACILITATE_DATABASE_URL": url,
            "FACILITATE_SECRET_KEY": "bench-only",
            "FACILITATE_RATELIMIT_STORAGE_URI": args.redis_url,
            "FACILITATE_RATELIMIT_KEY_PREFIX": prefix,
            "FACILITATE_UPLOAD_FOLDER": uploads,
        }
        instances = start_instances(
            Path(uploads), [settings, settings], workers=args.workers, starting=120
        )
        turn = itertools.count()
        try:
            stop = threading.Event()
            screens = [(site.organiser_email, site_screens(site)) for site in sites]
            screens.append((edition.national_email, national_screens(edition)))
            watchers = [
                threading.Thread(
                    target=watch_screens,
                    args=(
                        organiser_phone(instances, turn, recorder, email),
                        polled,
                        args.poll_interval,
                        stop,
                    ),
                )
                for email, polled in screens
            ]
            for watcher in watchers:
                watcher.start()
            actions, final = plan(sites, rng)
            seconds = play(actions, instances, turn, recorder, args.connections)
            stop.set()
            for watcher in watchers:
                watcher.join()
            print(
                f"{database}; Redis {args.redis_url}; 2 instances × {args.workers} gunicorn workers;"
                f" {args.connections} phones at once; {sum(len(s.voters) for s in sites)} participants,"
                f" {sum(a.change for a in actions)} changed ballots; site and national screens poll every {args.poll_interval} s."
            )
            report(recorder, seconds)
            print("Results per site (closed through one instance, read through the other):")
            problems += check_results(Phone(instances, turn, recorder), sites, final)
            problems += check_shared_limit(instances, turn, recorder)
        finally:
            stop_instances(instances)
            for key in redis_client.scan_iter(match=f"*{prefix}*"):
                redis_client.delete(key)
    problems = recorder.problems + problems
    if problems:
        print("INCORRECT:", *problems[:30], sep="\n  ")
        sys.exit(1)
    print("Correct: no 5xx, every ballot counted on its site, the sign-in limit shared.")


if __name__ == "__main__":
    main()
