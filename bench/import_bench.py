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
import csv
import io
import random
import sys
import tempfile
import time
import unicodedata
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

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
from facilitate.spreadsheets.writing import write_csv, write_ods, write_xlsx

BUDGET_SECONDS = 5.0
CHALLENGES = 70
ATTENDEES = 1050

THEMES = [
    "Transition écologique",
    "Solidarités et santé",
    "Mobilités et aménagement",
    "Services publics numériques",
]
PLACES = [
    "Rennes", "Brest", "Quimper", "Vannes", "Lorient", "Saint-Brieuc", "Étel", "Fougères",
    "Redon", "Lannion", "Morlaix", "Pontivy", "Vitré", "Dinan", "Concarneau", "Saint-Malo",
    "Fort-de-France", "Saint-Denis (La Réunion)", "Le Lamentin", "Saint-Pierre",
]  # fmt: skip
OWNERS = [
    "Commune de {}", "Ville de {}", "Communauté de communes du pays de {}",
    "Centre communal d’action sociale de {}", "Agglomération de {}",
    "Département", "Région", "Syndicat mixte du bassin de {}",
]  # fmt: skip
ACTIONS = [
    "définir les critères de durabilité d’un projet complexe",
    "mieux accueillir les habitant·e·s éloigné·e·s du numérique",
    "réduire le gaspillage alimentaire dans les cantines",
    "faire connaître les aides au logement aux jeunes actifs",
    "associer les usagers à la conception d’un équipement",
    "rendre les démarches en ligne accessibles à toutes et tous",
    "favoriser le covoiturage pour les trajets domicile-travail",
    "redonner vie à un centre-bourg",
    "mesurer l’effet d’une politique de prévention",
    "ouvrir les données de la collectivité aux associations",
]
CONTEXTS = [
    "en prenant pour étude de cas la reconversion de la glacière municipale",
    "avec un budget contraint",
    "sur un territoire rural peu desservi",
    "en lien avec les partenaires institutionnels",
    "en s’appuyant sur les agents de terrain",
]
STAKEHOLDERS = [
    "La commune", "L’intercommunalité", "L’État", "L’Europe", "La Région", "Le Département",
    "Association Autrefois Etel", "Les syndicats mixtes", "L’observatoire du plancton",
    "Les commerçants ; les artisans", "La caisse d’allocations familiales", "Pôle emploi",
    "Les bailleurs sociaux", "Les écoles", "Les associations de quartier", "L’office de tourisme",
]  # fmt: skip
USERS = [
    "Habitant·e·s", "Touristes", "Jeunes de 16 à 25 ans", "Personnes âgées isolées",
    "Familles monoparentales", "Agents d’accueil", "Élu·e·s", "Commerçants du centre-bourg",
    "Demandeurs d’emploi", "Parents d’élèves", "Personnes en situation de handicap",
]  # fmt: skip
OBSTACLES = [
    "Peu d’intérêt des partenaires institutionnels", "Budget limité", "Calendrier électoral",
    "Données éparpillées entre services", "Habitudes de travail en silo",
    "Méfiance envers le numérique", "Manque de temps des agents", "Réglementation complexe",
    "Turn-over des équipes", "Pas de portage politique clair",
]  # fmt: skip
LEVERS = [
    "Projet municipal : « préserver l’environnement naturel et l’authenticité du lieu »",
    "Être un lieu d’innovation", "Appel à projets régional", "Réseau des tiers-lieux",
    "Volonté des élu·e·s", "Agents volontaires", "Fonds européens (FEDER)",
    "Démarche de design des politiques publiques", "Budget participatif",
    "Partenariat avec l’université",
]  # fmt: skip
FIRST_NAMES = [
    "Hélène", "François", "Zoé", "Noé", "Léa", "Mathéo", "Chloé", "Gaël", "Maëlle", "Loïc",
    "Anaïs", "Jérôme", "Céline", "Théo", "Inès", "Yannick", "Nolwenn", "Erwan", "Aurélie",
    "Sébastien", "Camille", "Rémi", "Elodie", "Benoît", "Mélanie", "Ali", "Fatou", "Karim",
]  # fmt: skip
LAST_NAMES = [
    "Lefèvre", "Ménard", "Le Goff", "Le Gall", "Guého", "Quéré", "Hénaff", "Tanguy", "Bréhier",
    "Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Lemaître", "Diallo", "N’Diaye",
    "Nguyen", "Caradec", "Prigent", "Riou", "Kerhervé", "Jégou", "Cozic", "Rivière",
]  # fmt: skip


def _organisations(rng: random.Random) -> list[str]:
    names = {rng.choice(OWNERS).format(place) for place in PLACES for _ in range(4)}
    names |= {"Conseil départemental du Finistère", "Région Bretagne", "Préfecture"}
    names |= {"CNFPT", "La 27e Région", "DITP"}
    return sorted(names)[:60]


# --format: "mixed" is what organisers mostly send (challenges XLSX, attendees French Excel CSV);
# otherwise both files in that format.
FORMATS = ("mixed", "xlsx", "ods", "csv")


def _write(fmt: str, headers: list[str], rows: list[list], title: str) -> bytes:
    if fmt == "csv":
        return write_csv(headers, rows)
    if fmt == "ods":
        return write_ods(headers, rows, title)
    return write_xlsx(headers, rows, title)


def challenge_workbook(rng: random.Random, fmt: str = "xlsx") -> bytes:
    headers = [
        "Défi", "Question", "Porteur du défi", "Projet", "Territoire", "Enjeux",
        "Parties prenantes", "Usagers", "Obstacles", "Leviers", "Thème", "Plus d'information",
    ]  # fmt: skip
    rows = []
    for number in range(1, CHALLENGES + 1):
        place = rng.choice(PLACES)
        action = rng.choice(ACTIONS)
        rows.append(
            [
                number,
                f"Comment {action}, {rng.choice(CONTEXTS)} ?",
                rng.choice(OWNERS).format(place),
                f"Projet {place} {number}",
                place,
                f"Enjeux pour {place} : {action}.\nUn projet suivi par les élu·e·s ; "
                "un calendrier serré.",
                "\n".join(rng.sample(STAKEHOLDERS, rng.randint(4, 8))),
                "\n".join(rng.sample(USERS, rng.randint(4, 8))),
                "\n".join(rng.sample(OBSTACLES, rng.randint(4, 8))),
                "\n".join(rng.sample(LEVERS, rng.randint(4, 8))),
                THEMES[number % len(THEMES)],
                f"https://www.example.fr/defis/{number}",
            ]
        )
    return _write("xlsx" if fmt == "mixed" else fmt, headers, rows, "Défis")


def attendee_csv(rng: random.Random, run: int, fmt: str = "mixed", count: int = ATTENDEES) -> bytes:
    """``count`` people as French Excel saves "CSV (séparateur : point-virgule)": Windows-1252,
    ";" (or, for another ``fmt``, the same rows in that format)."""
    organisations = _organisations(rng)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    headers = ["Nom", "Prénom", "Adresse e-mail", "Organisation", "Défi"]
    writer.writerow(headers)
    rows = []
    for i in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = unicodedata.normalize("NFKD", f"{first}.{last}".lower().replace(" ", "-"))
        local = local.replace("’", "").encode("ascii", "ignore").decode()
        email = f"{local}.{i}.r{run}@example.fr"
        rows.append([last, first, email, rng.choice(organisations), i % CHALLENGES + 1])
    if fmt not in ("mixed", "csv"):
        return _write(fmt, headers, rows, "Participants")
    writer.writerows(rows)
    return out.getvalue().encode("cp1252")


@contextmanager
def fresh_database(url: str | None):
    """A database that exists for the bench only."""
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3", "SQLite (temporary file)"
        return
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if not parsed.database or path.exists():
            sys.exit(f"{url}: give the path of a SQLite file that does not exist yet.")
        try:
            yield url, f"SQLite ({path})"
        finally:
            path.unlink(missing_ok=True)
        return
    if parsed.get_backend_name() != "postgresql":
        sys.exit("Only SQLite and PostgreSQL URLs are supported.")
    name = parsed.database
    quoted = '"' + name.replace('"', '""') + '"'
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            sys.exit(f"Database {name!r} exists: name one that does not, the bench drops it.")
        connection.execute(text(f"CREATE DATABASE {quoted}"))
    try:
        version = ""
        with create_engine(url).connect() as connection:
            version = connection.scalar(text("SHOW server_version"))
        yield url, f"PostgreSQL {version} ({name}, created for the bench)"
    finally:
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        server.dispose()


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
    same = export_file(headers, rows, people)
    changed = export_file(
        headers, [[*row[:3], f"{row[3]} (modifié)", *row[4:]] for row in rows], people
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


def export_file(headers, rows, fmt: str) -> bytes:
    if fmt == "csv":
        return write_csv(headers, rows)
    return (write_xlsx if fmt == "xlsx" else write_ods)(headers, rows, "Participants")


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
