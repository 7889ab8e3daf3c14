"""What the organiser journey types and uploads: the event, 14 challenge sheets, 42 attendees,
and the files built from them (XLSX, French Excel CSV)."""

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from tests.browser.conftest import catalogue_plural, catalogue_text

EVENT_NAME = "Université de l'innovation publique – La Réunion 2026"
VENUE = "Cité des Arts, Saint-Denis"
STARTS, ENDS = "2026-10-05T08:30", "2026-10-07T17:00"  # at the venue, UTC+4
MOBILITY = "Mobilités et aménagement"
SOLIDARITY = "Solidarités et services aux habitants"
NEW_THEME = "Numérique et données"

CHALLENGE_HEADERS = [
    "Défi",
    "Question",
    "Porteur",
    "Projet",
    "Territoire",
    "Enjeux",
    "Parties prenantes",
    "Usagers",
    "Obstacles",
    "Leviers",
    "Thème",
]


@dataclass(frozen=True)
class SheetRow:
    number: int
    question: str
    owner: str
    theme: str | None = None  # as written in the file
    project: str = ""
    territory: str = ""
    stakes: str = ""
    stakeholders: str = ""  # list cells as people type them: line breaks, or "; "
    users: str = ""
    obstacles: str = ""
    levers: str = ""

    def cells(self) -> list:
        return [
            self.number,
            self.question,
            self.owner,
            self.project,
            self.territory,
            self.stakes,
            self.stakeholders,
            self.users,
            self.obstacles,
            self.levers,
            self.theme or "",
        ]


SHEETS = [
    SheetRow(
        1,
        "Comment faciliter les trajets domicile-travail entre les Hauts et le littoral ?",
        "Commune de Saint-Paul",
        "mobilités  et aménagement",  # the event's theme, typed differently
        project="Hauts en mouvement",
        territory="Saint-Paul, Hauts de l'Ouest",
        stakes="Réduire le temps passé dans les bouchons sans multiplier les voitures.",
        stakeholders="Réseau Kar'Ouest\nRégion Réunion",
        users="Habitants des Hauts\nSalariés du littoral",
        obstacles="Routes saturées aux heures de pointe",
        levers="Covoiturage\nTransport à la demande",
    ),
    SheetRow(
        2,
        "Comment rendre les démarches de la carte solidarité accessibles à tous ?",
        "Région Réunion",
        SOLIDARITY,
    ),
    SheetRow(
        3,
        "Comment mieux accompagner les aidants familiaux des personnes âgées ?",
        "Département de La Réunion",
        SOLIDARITY,
        stakes="Éviter l'épuisement des aidants.",
        stakeholders="CAF de La Réunion\nPôle emploi\nAssociations de quartier",
        users="Aidants familiaux\nPersonnes âgées",
    ),
    SheetRow(
        4,
        "Comment réduire les déchets verts déposés en bord de route ?",
        "CIREST",
        MOBILITY,
        users="Habitants; Jardiniers amateurs; Entreprises d'espaces verts",
    ),
    SheetRow(
        5,
        "Comment faire connaître les aides à la rénovation de l'habitat ?",
        "Commune du Port",
        NEW_THEME,
    ),
    SheetRow(
        6,
        "Comment partager les données de fréquentation des plages ?",
        "Communauté d'agglomération du Sud",
        "NUMÉRIQUE ET DONNÉES",  # the same new theme
    ),
    SheetRow(
        7,
        "Comment sécuriser les abords des écoles aux heures d'entrée ?",
        "Commune de Saint-Pierre",
        MOBILITY,
    ),
    SheetRow(
        8,
        "Comment accueillir les nouveaux habitants dans les services municipaux ?",
        "Commune de Saint-Denis",
        SOLIDARITY,
    ),
    SheetRow(
        9,
        "Comment développer le compostage partagé en habitat collectif ?",
        "CINOR",
    ),
    SheetRow(
        10,
        "Comment désenclaver les îlets lors des fortes pluies ?",
        "Commune de Salazie",
        MOBILITY,
    ),
    SheetRow(
        11,
        "Comment simplifier l'inscription à la restauration scolaire ?",
        "Territoire de la Côte Ouest",
        SOLIDARITY,
    ),
    SheetRow(
        12,
        "Comment faire vivre les sentiers de randonnée hors saison ?",
        "Commune de Cilaos",
        MOBILITY,
    ),
    SheetRow(
        13,
        "Comment associer les habitants à la protection du cœur de parc ?",
        "Parc national de La Réunion",
    ),
    SheetRow(
        14,
        "Comment rapprocher les jeunes des métiers de la mer ?",
        "Commune de Saint-Paul",
        SOLIDARITY,
    ),
]

# Challenge 3, fixed by hand: a clearer question, stakeholders reordered, one gone, one added.
FIXED_QUESTION = "Comment soutenir les aidants familiaux des personnes âgées au quotidien ?"
FIXED_STAKEHOLDERS = ["Pôle emploi", "CAF de La Réunion", "Mission locale Est"]


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Défis"
    sheet.append(CHALLENGE_HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@dataclass(frozen=True)
class Attendee:
    first_name: str
    last_name: str
    organisation: str
    challenge: str = ""  # as typed in the "Défi" column

    @property
    def name(self) -> str:  # "Prénom" and "Nom" make one name, first name first
        return f"{self.first_name} {self.last_name}"

    def email(self, domain: str) -> str:
        plain = unicodedata.normalize("NFKD", f"{self.first_name}.{self.last_name}")
        local = "".join(c for c in plain if c.isascii() and (c.isalnum() or c == ".")).lower()
        return f"{local}@{domain}"


# ~10 organisations; four own challenges (Saint-Paul owns two; the agglomeration is spelt with
# a typographic apostrophe, as Word writes it, where the challenge file has a straight one).
# Ten people come with a challenge number, three of them on their own organisation's challenge,
# which the automatic placement must undo.
ATTENDEES = [
    Attendee("Hélène", "Payet", "Commune de Saint-Paul", "1"),
    Attendee("Jérôme", "Hoarau", "Commune de Saint-Paul"),
    Attendee("Maëlle", "Grondin", "Commune de Saint-Paul"),
    Attendee("Sébastien", "Técher", "Commune de Saint-Paul"),
    Attendee("Noémie", "Fontaine", "Commune de Saint-Paul"),
    Attendee("Cédric", "Rivière", "Commune de Saint-Paul"),
    Attendee("Gaëlle", "Boyer", "Commune de Saint-Paul"),
    Attendee("Frédéric", "Maillot", "Région Réunion", "3"),
    Attendee("Léa", "Lebon", "Région Réunion"),
    Attendee("Anaïs", "Nativel", "Région Réunion"),
    Attendee("Chloé", "Dijoux", "Région Réunion"),
    Attendee("François", "Turpin", "Région Réunion"),
    Attendee("Valérie", "Lauret", "Département de La Réunion", "2"),
    Attendee("Stéphane", "Baret", "Département de La Réunion"),
    Attendee("Aurélie", "Morel", "Département de La Réunion"),
    Attendee("Régis", "Clain", "Département de La Réunion"),
    Attendee("Thérèse", "Ethève", "Département de La Réunion"),
    Attendee("Joël", "Hoareau", "Communauté d’agglomération du Sud", "6"),
    Attendee("Zoé", "Robert", "Communauté d’agglomération du Sud"),
    Attendee("Loïc", "Vienne", "Communauté d’agglomération du Sud"),
    Attendee("Inès", "Sautron", "Communauté d’agglomération du Sud"),
    Attendee("Céline", "Mussard", "CAF de La Réunion", "3"),
    Attendee("Michaël", "Bègue", "CAF de La Réunion"),
    Attendee("Agnès", "Cadet", "CAF de La Réunion"),
    Attendee("Raphaël", "Grenier", "CAF de La Réunion"),
    Attendee("Émilie", "Ramassamy", "Pôle emploi", "Défi 12"),
    Attendee("Benoît", "Latchimy", "Pôle emploi"),
    Attendee("Mélanie", "Folio", "Pôle emploi"),
    Attendee("Jérémie", "Técher", "Pôle emploi"),
    Attendee("Solène", "Hoarau", "Université de La Réunion", "5"),
    Attendee("Théo", "Fontaine", "Université de La Réunion"),
    Attendee("Clémence", "Vitry", "Université de La Réunion"),
    Attendee("Gérard", "Payet", "Université de La Réunion"),
    Attendee("Françoise", "Lo-Pinto", "Association Cœur de quartier", "8"),
    Attendee("Andréa", "Nassibou", "Association Cœur de quartier"),
    Attendee("Pascaline", "Éthève", "Association Cœur de quartier"),
    Attendee("Rémi", "Boyer", "Préfecture de La Réunion", "14"),
    Attendee("Laëtitia", "Mondon", "Préfecture de La Réunion"),
    Attendee("Yannick", "Sévère", "Préfecture de La Réunion"),
    Attendee("Dorothée", "Hibon", "Commune de Saint-Pierre", "7"),
    Attendee("Ludovic", "Damour", "Commune de Saint-Pierre"),
    Attendee("Nathalie", "Férrère", "Commune de Saint-Pierre"),
]
ATTENDEE_NAMES = sorted(a.name for a in ATTENDEES)
PRE_PLACED = [a for a in ATTENDEES if a.challenge]
LOST_BADGE = ATTENDEES[8]  # Léa Lebon: her code is revoked, then issued again from the badges


def write_excel_csv(path: Path, people: list[Attendee], domain: str) -> Path:
    """As French Excel saves "CSV (séparateur : point-virgule)": cp1252, ";", CRLF. Addresses
    are at ``domain``: people are known by email across events, and each run makes new ones."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nom", "Prénom", "Adresse e-mail", "Organisation", "Défi"])
    for p in people:
        writer.writerow([p.last_name, p.first_name, p.email(domain), p.organisation, p.challenge])
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path


def organisation_key(name: str | None) -> str:
    """How a person reads two spellings of one organisation as the same one (written here, not
    taken from the app, so that the placement's own normalisation is what is tested)."""
    text = (name or "").replace("’", "'").casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


# --- Step reporting and accessibility ------------------------------------------------------------


# --- Interface text, looked up in the compiled French catalogue (see conftest.fr) ---------------

ORGANISER_STRINGS = (
    "Email address",
    "Password",
    "Sign in",
    "Name",
    "Identifier in addresses",
    "Venue",
    "Time zone of the venue",
    "La Réunion",
    "%(place)s (%(offsets)s)",
    "Starts",
    "Ends",
    "Add a theme",
    "Theme %(number)d",
    "Save",
    "The event is created. Add its challenges next.",
    "Organise: %(name)s",
    "Dates",
    "Manage the challenges",
    "Import a spreadsheet",
    "Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)",
    "Check the file",
    "Problems",
    "the question is empty.",
    "challenge %(number)d already appears on line %(other)d.",
    "Import",
    "New themes: %(names)s",
    "Import done. Challenges created: %(created)d; updated: %(updated)d.",
    "Challenges",
    "Edit",
    "challenge %(number)d",
    "Question",
    "Stakeholder",
    "Stakeholders",
    "Users",
    "Move up: %(item)s",
    "Remove",
    "Add a stakeholder",
    "Challenge %(number)d is saved.",
    "Manage the attendees",
    "Import done. New attendees: %(created)d; already known: %(updated)d; placed in a team: %(placed)d.",
    "Attendees",
    "Challenge %(number)d",
    "Teams and placement",
    "Place attendees automatically",
    "Smallest team",
    "Largest team",
    "Propose a placement",
    "Proposal",
    "Accept and save this placement",
    "Everyone has a team.",
    "Revoke the code",
    "The access code of %(name)s no longer works.",
    "Print badges",
    "Issue the missing access codes",
    "Printing",
    "Badges not yet printed",
    "Show",
    "Every badge of this selection has been printed.",
)
ORGANISER_PLURALS = (
    ("%(num)d challenge will be created.", "%(num)d challenges will be created."),
    (
        "Nothing was imported: %(num)d problem to fix in the file.",
        "Nothing was imported: %(num)d problems to fix in the file.",
    ),
    ("%(num)d attendee in the file.", "%(num)d attendees in the file."),
    ("%(num)d will be placed in a team.", "%(num)d will be placed in a team."),
    ("%(num)d attendee", "%(num)d attendees"),
    ("%(num)d member", "%(num)d members"),
    (
        "Placement saved: %(num)d person changed team.",
        "Placement saved: %(num)d people changed team.",
    ),
    (
        "%(num)d participant of this event has no access code yet, so no badge.",
        "%(num)d participants of this event have no access code yet, so no badge.",
    ),
    (
        "%(num)d access code issued: the new badges are ready to print.",
        "%(num)d access codes issued: the new badges are ready to print.",
    ),
    ("%(num)d badge", "%(num)d badges"),
    ("Mark this badge as printed", "Mark these badges as printed"),
    ("%(num)d badge marked as printed.", "%(num)d badges marked as printed."),
    ("%(num)d not yet printed", "%(num)d not yet printed"),
)


def t(msgid: str, **values) -> str:
    assert msgid in ORGANISER_STRINGS, f"add {msgid!r} to ORGANISER_STRINGS"
    return catalogue_text(msgid, **values)


def tn(singular: str, num: int, **values) -> str:
    plural = dict(ORGANISER_PLURALS).get(singular)
    assert plural, f"add {singular!r} to ORGANISER_PLURALS"
    return catalogue_plural(singular, plural, num, **values)


# --- The event and its spreadsheets ------------------------------------------------------------
