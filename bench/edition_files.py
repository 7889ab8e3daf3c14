"""An edition's files as organisers send them, made up the same way at every run (the generator
is seeded): 70 challenge sheets (XLSX) and attendees as French Excel saves a CSV, or both in
another format. ``bench/import_bench.py`` times their import; the exports' and the pages'
benches seed their events with them."""

import csv
import io
import random
import unicodedata

from facilitate.spreadsheets.writing import write_csv, write_ods, write_xlsx

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


def write_file(fmt: str, headers: list[str], rows: list[list], title: str) -> bytes:
    """The table as a file in this format (CSV, ODS; XLSX for anything else)."""
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
    return write_file("xlsx" if fmt == "mixed" else fmt, headers, rows, "Défis")


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
        return write_file(fmt, headers, rows, "Participants")
    writer.writerows(rows)
    return out.getvalue().encode("cp1252")
