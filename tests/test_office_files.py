"""Files as LibreOffice and Excel save them (tests/fixtures/spreadsheets, see its README.md),
imported through the challenge and attendee imports: each field of each row lands where it
should, the column report names what is ignored, and files that cannot be imported say why on
the web page, with nothing written."""

import io
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    check_challenge_file,
)
from facilitate.extensions import db
from facilitate.models import Challenge, Membership, Role, User
from facilitate.people.spreadsheet import (
    attendee_table,
    check_attendee_file,
    describe_attendee_import,
    import_attendees,
)
from tests.factories import sign_in

FIXTURES = Path(__file__).parent / "fixtures" / "spreadsheets"

# Challenge 2's question was pasted with a vertical tab: kept as a line break where the file
# still holds it (XLSX), glued where LibreOffice dropped it on saving (ODS, CSV).
QUESTION_2 = "Comment mieux accueillir\nles personnes éloignées du numérique ?"
QUESTION_2_GLUED = "Comment mieux accueillirles personnes éloignées du numérique ?"


def _expected_challenges(question_2: str) -> list[dict]:
    return [
        {
            "number": 1,
            "question": "Comment faciliter les trajets domicile-travail des agents « sans voiture » ?",
            "owner_organisation": "Ville de Rennes",
            "theme": "Mobilités",
            "users": ["Agents de la ville", "Habitant·e·s des quartiers nord", "Commerçants"],
            "levers": ["Plan de mobilité employeur", "Forfait mobilités durables"],
            "info_url": "https://www.rennes.fr/mobilites",
            "territory": "35000 Rennes",
            "stakes": "Réduire l’usage de la voiture individuelle ; améliorer la qualité de l’air.",
            "obstacles": ["Horaires décalés", "Peu de pistes cyclables sécurisées"],
            "stakeholders": [
                "Rennes Métropole",
                "STAR (réseau de transport)",
                "Associations d’usagers",
            ],
        },
        {
            "number": 2,
            "question": question_2,
            "owner_organisation": "Département d'Ille-et-Vilaine",
            "theme": "Solidarités",
            "users": ["Personnes âgées isolées", "Demandeurs d’emploi"],
            "levers": ["Conseillers numériques France Services"],
            "info_url": "https://www.ille-et-vilaine.fr/inclusion-numerique",
            "territory": "Quartier 09",
            "stakes": None,
            "obstacles": ["Méfiance envers le numérique", "Manque de temps des agents"],
            # One item holding a ";": the line break after it says so.
            "stakeholders": ["Les communes ; les CCAS"],
        },
        {
            "number": 3,
            "question": (
                "Comment permettre aux bénéficiaires de l’aide alimentaire de venir sans voiture ?"
            ),
            "owner_organisation": "CCAS de Brest",
            "theme": "Mobilités",
            "users": ["Familles monoparentales", "Étudiant·e·s", "Personnes âgées"],
            "levers": ["Bénévoles de l’épicerie solidaire", "Transport à la demande"],
            "info_url": "https://www.brest.fr/ccas",
            "territory": "29200 Brest",
            "stakes": "Dignité des personnes ; lutte contre le non-recours.",
            "obstacles": ["Horaires d’ouverture limités", "Stigmatisation"],
            "stakeholders": ["Banque alimentaire du Finistère", "Bibus (réseau de transport)"],
        },
    ]


def _challenges(event) -> list[dict]:
    db.session.expire_all()
    challenges = db.session.scalars(
        select(Challenge).where(Challenge.event_id == event.id).order_by(Challenge.number)
    )
    fields = _expected_challenges("")[0].keys() - {"theme"}
    return [
        {name: getattr(c, name) for name in fields} | {"theme": c.theme.name if c.theme else None}
        for c in challenges
    ]


@pytest.mark.parametrize(
    ("name", "question_2", "sheet", "header_line"),
    [
        ("defis-libreoffice.ods", QUESTION_2_GLUED, "Ligne d’en-têtes\xa0: ligne 3.", 3),
        ("defis-libreoffice.xlsx", QUESTION_2, "Ligne d’en-têtes\xa0: ligne 3.", 3),
        ("defis-libreoffice.csv", QUESTION_2_GLUED, "Ligne d’en-têtes\xa0: ligne 3.", 3),
        (
            "defis-deux-feuilles-libreoffice.ods",
            QUESTION_2_GLUED,
            "Feuille «\xa0Défis\xa0» (feuille 2 sur 2), ligne d’en-têtes\xa0: ligne 1.",
            1,
        ),
        (
            "defis-deux-feuilles-libreoffice.xlsx",
            QUESTION_2,
            "Feuille «\xa0Défis\xa0» (feuille 2 sur 2), ligne d’en-têtes\xa0: ligne 1.",
            1,
        ),
    ],
)
def test_challenge_files_saved_by_libreoffice_import_field_by_field(
    make, name, question_2, sheet, header_line
):
    event = make.event()
    with force_locale("fr"):
        checked = check_challenge_file(event, (FIXTURES / name).read_bytes(), name)
        assert checked.problems == []
        assert checked.report.where == sheet
        assert checked.report.header_line == header_line
        assert [(c.letter, c.header) for c in checked.report.ignored] == [
            ("L", "Commentaire interne")
        ]
        assert [c.field for c in checked.report.columns if not c.ignored] == [
            "Défi",
            "Question",
            "Porteur du défi",
            "Thème",
            "Usagers",
            "Leviers",
            "Plus d’informations",
            "Territoire",
            "Enjeux",
            "Obstacles",
            "Parties prenantes",
        ]
    assert checked.new_themes == ["Mobilités", "Solidarités"]
    import_challenges(event, checked)
    assert _challenges(event) == _expected_challenges(question_2)


def test_a_workbook_as_excel_writes_it_is_read_whole_despite_a_stale_dimension(make):
    event = make.event()
    name = "defis-excel.xlsx"
    checked = check_challenge_file(event, (FIXTURES / name).read_bytes(), name)
    assert checked.problems == []
    import_challenges(event, checked)
    # Excel's "_x000D_" before each line feed is a carriage return: it is not kept.
    assert _challenges(event) == _expected_challenges(QUESTION_2)


def test_formulas_saved_without_their_value_are_reported_by_cell(make):
    event = make.event()
    name = "defis-formules-openpyxl.xlsx"
    with force_locale("fr"):
        checked = check_challenge_file(event, (FIXTURES / name).read_bytes(), name)
    assert [(p.line, p.column) for p in checked.problems] == [(2, "N°"), (3, "N°"), (4, "N°")]
    assert checked.problems[0].message.startswith(
        "la cellule A2 contient une formule enregistrée sans sa valeur\xa0: recalculez puis "
        "enregistrez le fichier"
    )
    assert not checked.ok


PEOPLE = {
    "Chloé Martin": ("chloe.martin@rennes.fr", "Ville de Rennes", Role.MEMBER, 1),
    "Éric Le Gall": (None, "Département d'Ille-et-Vilaine", Role.FACILITATOR, 2),
    "Zoë N'Diaye": ("zoe.ndiaye@example.org", "CCAS de Brest", Role.CHALLENGE_OWNER, 3),
    "Ève Durand": ("eve.durand@example.fr", "Rennes Métropole", None, None),
    "Jean-Baptiste Lefèvre": (
        "jb.lefevre@example.fr",
        "Préfecture d'Ille-et-Vilaine",
        Role.MEMBER,
        1,
    ),
}


def _attendees(event) -> dict[str, tuple]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Membership.name, User.email, Membership.organisation)
        .join(User, User.id == Membership.user_id)
        .where(Membership.event_id == event.id, Membership.role == Role.PARTICIPANT)
    ).all()
    roles = {
        user_id: (role, team.challenge.number if team else None)
        for user_id, role, team in (
            (m.user_id, m.role, m.team)
            for m in db.session.scalars(
                select(Membership).where(
                    Membership.event_id == event.id,
                    Membership.role.in_((Role.MEMBER, Role.FACILITATOR, Role.CHALLENGE_OWNER)),
                )
            )
        )
    }
    ids = dict(
        db.session.execute(
            select(Membership.name, Membership.user_id).where(
                Membership.event_id == event.id, Membership.role == Role.PARTICIPANT
            )
        ).all()
    )
    return {
        name: (email, organisation, *roles.get(ids[name], (None, None)))
        for name, email, organisation in rows
    }


@pytest.mark.parametrize(
    "name",
    [
        "participants-libreoffice.ods",
        "participants-libreoffice.xlsx",
        "participants-libreoffice.xls",
        "participants-libreoffice.csv",
        "participants-excel.csv",
    ],
)
def test_attendee_files_saved_by_libreoffice_and_excel_import_field_by_field(make, name):
    event = make.event(challenges=3)
    with force_locale("fr"):
        checked = check_attendee_file(event, (FIXTURES / name).read_bytes(), name)
        assert checked.problems == []
        assert [(c.letter, c.header) for c in checked.report.ignored] == [("G", "Téléphone")]
        lines = describe_attendee_import(event, checked)
    assert "5 nouveaux participants." in lines
    assert any("Ève Durand" in line and "co-organisateurs" in line for line in lines)
    import_attendees(event, checked)
    assert _attendees(event) == PEOPLE
    # Imported again, the file finds everyone (Éric by name and organisation): no change.
    checked = check_attendee_file(event, (FIXTURES / name).read_bytes(), name)
    assert checked.matched == {"email": 4, "name": 1}
    assert (checked.changes, checked.unchanged) == ([], 5)


def test_an_attendee_export_in_ods_reads_back_into_libreoffice_shape(make):
    event = make.event(challenges=3)
    name = "participants-libreoffice.ods"
    import_attendees(event, check_attendee_file(event, (FIXTURES / name).read_bytes(), name))
    headers, rows = attendee_table(event)
    assert headers == ["Identifiant", "Nom", "Adresse e-mail", "Organisation", "Rôle", "Défi"]
    by_name = {row[1]: row[2:] for row in rows}
    assert by_name["Éric Le Gall"] == [
        None,
        "Département d'Ille-et-Vilaine",
        "animateur ou animatrice",
        2,
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("protege.xlsx", "protégé par un mot de passe"),
        ("protege.ods", "protégé par un mot de passe"),
        ("pas-un-tableur.xlsx", "n’est pas un tableur"),
    ],
)
def test_files_that_cannot_be_imported_say_why_on_the_page_and_write_nothing(
    make, client, name, message
):
    event = make.event(challenges=1)
    organiser = make.organiser(event)
    sign_in(client, organiser, event)
    with open(FIXTURES / name, "rb") as file:
        response = client.post(
            f"/events/{event.slug}/people/import",
            data={"file": (file, name)},
            content_type="multipart/form-data",
        )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page, page
    count = select(func.count()).where(
        Membership.event_id == event.id, Membership.role == Role.PARTICIPANT
    )
    assert db.session.scalar(count) == 0


def test_a_file_over_the_upload_limit_gets_the_too_large_page(make, client, app, monkeypatch):
    event = make.event()
    organiser = make.organiser(event)
    sign_in(client, organiser, event)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 5000)
    data = (FIXTURES / "participants-libreoffice.ods").read_bytes()
    assert len(data) > 5000
    response = client.post(
        f"/events/{event.slug}/challenges/import",
        data={"file": (io.BytesIO(data), "participants.ods")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Ce fichier est trop volumineux" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(Challenge.event_id == event.id)) == 0
