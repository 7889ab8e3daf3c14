"""The attendee file's columns and the words its role cells may hold, in French and English."""

from flask_babel import gettext as _

from facilitate.models import Role
from facilitate.spreadsheets.columns import header_key

COLUMNS = {
    "id": ("identifiant", "id", "identifier", "n° participant"),
    "name": (
        "name",
        "nom",
        "full name",
        "nom complet",
        "nom et prénom",
        "prénom nom",
        "prénom et nom",
        "participant",
        "participante",
    ),
    "first_name": ("prénom", "first name", "given name"),
    "last_name": ("nom de famille", "last name", "family name", "surname"),
    "email": (
        "email",
        "e-mail",
        "mail",
        "mél",
        "courriel",
        "adresse mail",
        "adresse e-mail",
        "adresse email",
        "adresse électronique",
        "adresse de courriel",
        "email address",
    ),
    "organisation": (
        "organisation",
        "organization",
        "structure",
        "collectivité",
        "employeur",
        "organisme",
        "administration",
        "employer",
    ),
    "role": ("rôle", "role", "rôle dans l'équipe", "role in the team"),
    "challenge": (
        "challenge",
        "défi",
        "équipe",
        "team",
        "challenge number",
        "numéro du défi",
        "n° du défi",
        "n° défi",
        "numéro de défi",
    ),
}
MAX_NAME = 200
MAX_ORGANISATION = 200
# Co-organisers are exported with their role; the file does not give or take organiser rights,
# which an invitation gives (the person proves their address) and the organisers page takes.
CO_ORGANISER = "co-organiser"

# The words a role cell may hold, as ``header_key`` spells them, whatever the gender or the
# language.
ROLE_WORDS = {
    Role.MEMBER: (
        "membre",
        "membre de l'équipe",
        "participant",
        "participante",
        "member",
        "team member",
    ),
    Role.FACILITATOR: (
        "animateur",
        "animatrice",
        "animateur ou animatrice",
        "animateur·rice",
        "facilitateur",
        "facilitatrice",
        "facilitator",
    ),
    Role.CHALLENGE_OWNER: (
        "porteur",
        "porteuse",
        "porteur du défi",
        "porteuse du défi",
        "porteur ou porteuse du défi",
        "porteur de défi",
        "porteuse de défi",
        "porteur ou porteuse de défi",
        "challenge owner",
        "owner",
    ),
    CO_ORGANISER: (
        "co-organisateur",
        "co-organisatrice",
        "co-organisateur ou co-organisatrice",
        "organisateur",
        "organisatrice",
        "co-organiser",
        "co-organizer",
        "organiser",
        "organizer",
    ),
}
ROLE_BY_WORD = {header_key(word): role for role, words in ROLE_WORDS.items() for word in words}


def export_headers() -> dict[str, str]:
    """The export's header for each column, in the reader's language; the preview names the
    fields the same way."""
    return {
        "id": _("Identifier"),
        "name": _("Name"),
        "email": _("Email"),
        "organisation": _("Organisation"),
        "role": _("Role"),
        "challenge": _("Challenge"),
    }


def field_labels() -> dict[str, str]:
    return export_headers() | {"first_name": _("First name"), "last_name": _("Last name")}


def role_words() -> dict[object, str]:
    """The word the export writes for each role, in the reader's language."""
    return {
        Role.MEMBER: _("member"),
        Role.FACILITATOR: _("facilitator"),
        Role.CHALLENGE_OWNER: _("challenge owner"),
        CO_ORGANISER: _("co-organiser"),
    }
