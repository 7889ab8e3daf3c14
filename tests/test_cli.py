"""The command line: database, organisers, demo, attendee import and access-code export."""

import csv
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from facilitate.auth.codes import format_access_code
from facilitate.extensions import db
from facilitate.models import Challenge, Membership, Role, User
from facilitate.spreadsheets.problems import Problem
from tests.factories import code_of


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=list(args), catch_exceptions=False)

    return invoke


def _attendee_count(event) -> int:
    return db.session.scalar(
        select(func.count()).where(
            Membership.event_id == event.id, Membership.role == Role.PARTICIPANT
        )
    )


def test_create_organiser_prints_a_generated_password_that_works(cli, client):
    result = cli("create-organiser", "Chef@Example.org")
    assert result.exit_code == 0, result.output
    password = result.output.split("Mot de passe\u00a0: ")[1].strip()
    user = db.session.scalar(select(User).where(User.email == "chef@example.org"))
    assert user.is_organiser and user.check_password(password)


def test_create_organiser_refuses_a_short_password(cli):
    result = cli("create-organiser", "chef@example.org", "--password", "short")
    assert result.exit_code != 0
    assert "au moins 12 caractères" in result.output


def test_create_organiser_refuses_a_common_password_like_the_browser_does(cli):
    result = cli("create-organiser", "chef@example.org", "--password", "motdepasse123")
    assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.email == "chef@example.org")) is None


def test_create_organiser_can_attach_them_to_an_event(cli, make):
    event = make.event()
    result = cli(
        "create-organiser",
        "o@example.org",
        "--password",
        "a good long password",
        "--event",
        event.slug,
    )
    assert result.exit_code == 0
    user = db.session.scalar(select(User).where(User.email == "o@example.org"))
    assert [m.role for m in user.memberships] == [Role.ORGANISER]


def test_demo_command_prints_the_sign_ins_and_is_idempotent(cli, app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert "organisateur@example.org" in first.output
    second = cli("demo")
    assert "déjà chargé" in second.output
    assert first.output.splitlines()[1:] == second.output.splitlines()[1:]


FRENCH_EXCEL_CSV = (
    "Nom;Prénom;Adresse e-mail;Organisation;Défi\r\n"
    "Lefèvre;Hélène;helene.lefevre@rennes.fr;Ville de Rennes;3\r\n"
    "Ménard;François;f.menard@cd35.fr;Département d’Ille-et-Vilaine;\r\n"
    "Nguyễn;An;an.nguyen@etel.fr;Commune d’Etel;1\r\n"
)


def test_import_french_excel_csv_in_windows_1252(cli, make, tmp_path):
    event = make.event(challenges=3)
    path = tmp_path / "inscrits.csv"
    # Windows-1252 cannot hold "ễ": Excel would have written "?"; keep the rest.
    path.write_bytes(FRENCH_EXCEL_CSV.replace("ễ", "e").encode("cp1252"))
    result = cli("import-participants", event.slug, str(path))
    assert result.exit_code == 0, result.output
    helene = db.session.scalar(select(User).where(User.email == "helene.lefevre@rennes.fr"))
    assert helene.name == "Hélène Lefèvre"
    assert make.attendance(helene).organisation == "Ville de Rennes"
    assert code_of(helene)
    team_numbers = {m.team.challenge.number for m in helene.memberships if m.role == Role.MEMBER}
    assert team_numbers == {3}
    assert _attendee_count(event) == 3
    menard = db.session.scalar(select(User).where(User.email == "f.menard@cd35.fr"))
    assert make.attendance(menard).organisation == "Département d’Ille-et-Vilaine"


def test_import_utf8_with_bom_and_reimport_updates_without_duplicating(cli, make, tmp_path):
    event = make.event(challenges=3)
    path = tmp_path / "inscrits.csv"
    path.write_bytes(FRENCH_EXCEL_CSV.encode("utf-8-sig"))
    assert cli("import-participants", event.slug, str(path)).exit_code == 0
    an = db.session.scalar(select(User).where(User.email == "an.nguyen@etel.fr"))
    assert an.name == "An Nguyễn"
    code = code_of(an)
    path.write_bytes(FRENCH_EXCEL_CSV.replace(";1\r\n", ";2\r\n").encode("utf-8-sig"))
    result = cli("import-participants", event.slug, str(path))
    assert "Déjà connus (mis à jour)\u00a0: 3" in result.output
    assert _attendee_count(event) == 3
    db.session.refresh(an)
    assert code_of(an) == code  # a re-import never invalidates printed badges
    assert {m.team.challenge.number for m in an.memberships if m.role == Role.MEMBER} == {2}


def test_import_xlsx(cli, make, tmp_path):
    event = make.event(challenges=2)
    book = openpyxl.Workbook()
    book.active.append(["name", "email", "organisation", "challenge"])
    book.active.append(["Alex Martin", "alex@example.org", "Région Bretagne", 2])
    book.active.append(["Sam Roux", "sam@example.org", None, None])
    path = tmp_path / "attendees.xlsx"
    book.save(path)
    result = cli("import-participants", event.slug, str(path))
    assert result.exit_code == 0, result.output
    assert _attendee_count(event) == 2


def test_bad_rows_are_all_reported_with_their_line_and_nothing_is_imported(cli, make, tmp_path):
    event = make.event(challenges=2)
    path = tmp_path / "inscrits.csv"
    path.write_text(
        "nom;email;organisation;défi\n"
        "Alex Martin;alex@example.org;Région;1\n"
        ";vide@example.org;;\n"
        "Sam Roux;pas-une-adresse;;\n"
        "Lou Bern;alex@example.org;;\n"
        "Kim Lee;kim@example.org;;9\n"
        "Max Ode;max@example.org;;deux\n",
        encoding="utf-8",
    )
    result = cli("import-participants", event.slug, str(path))
    assert result.exit_code != 0
    # Each problem names its line and its column as the file's header line writes it.
    for expected in (
        Problem(3, "nom", "le nom n’est pas renseigné."),
        Problem(4, "email", "«\u00a0pas-une-adresse\u00a0» n’est pas une adresse e-mail valide."),
        Problem(5, "email", "alex@example.org figure déjà à la ligne 2."),
        Problem(6, "défi", "cet événement ne comporte pas de défi numéro 9."),
        Problem(7, "défi", "«\u00a0deux\u00a0» n’est pas un numéro de défi."),
    ):
        assert str(expected) in result.output, result.output
    assert "Rien n’a été importé" in result.output
    assert _attendee_count(event) == 0
    assert db.session.scalar(select(User).where(User.email == "alex@example.org")) is None


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"societe;ville\nA;B\n", "x.csv", "Colonne manquante\u00a0: Nom"),
        (b"nom;email\n", "x.csv", "aucune personne"),
        (b"", "x.csv", "Le fichier est vide"),
        (b"\x81\x8d\x8f\x90\x9d", "x.csv", "encodage"),
        (b"not a zip", "x.xlsx", "classeur XLSX valide"),
        (b"nom;email\nA;a@b.fr\n", "x.pdf", "CSV ou XLSX"),
    ],
)
def test_unreadable_files_are_explained_and_nothing_is_imported(
    cli, make, tmp_path, content, filename, message
):
    event = make.event()
    path = tmp_path / filename
    path.write_bytes(content)
    result = cli("import-participants", event.slug, str(path))
    assert result.exit_code != 0
    assert message in result.output, result.output
    assert _attendee_count(event) == 0


def test_import_into_unknown_event_is_refused(cli, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("nom;email\nA;a@example.org\n")
    result = cli("import-participants", "nowhere", str(path))
    assert result.exit_code != 0
    assert "Aucun événement n’a pour identifiant « nowhere »" in result.output.replace(
        "\u00a0", " "
    )


def test_export_codes_for_badges(cli, make, client, tmp_path):
    event = make.event(challenges=2)
    team = event.challenges[1].team
    placed = make.participant(event, team=team, name="Zoé Petit", organisation="Ville de Brest")
    unplaced = make.participant(event, name="Ali Diallo")
    make.organiser(event)  # organisers have no badge code to print
    out = tmp_path / "codes.csv"
    result = cli("export-codes", event.slug, "--output", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # opens in French Excel as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Nom",
        "Adresse e-mail",
        "Organisation",
        "Rôle",
        "Équipe",
        "Défi",
        "Code d’accès",
        "Lien de connexion",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Zoé Petit", "Ali Diallo"}
    zoe = by_name["Zoé Petit"]
    assert zoe[2:6] == ["Ville de Brest", "", "Équipe du défi 2", "2"]
    assert zoe[6] == format_access_code(code_of(placed))
    assert zoe[7] == f"http://facilitate.test/c/{code_of(placed)}"
    assert by_name["Ali Diallo"][3:6] == ["", "", ""]
    assert by_name["Ali Diallo"][6] == format_access_code(code_of(unplaced))
    # The printed link leads to the sign-in confirmation with the code filled in.
    page = client.get(zoe[7].removeprefix("http://facilitate.test"))
    assert zoe[6] in page.text


def test_import_challenges_prints_the_column_report_and_dry_run_writes_nothing(cli, make, tmp_path):
    event = make.event()
    path = tmp_path / "defis.csv"
    path.write_text(
        "N°;Intitulé du défi;Structure porteuse;Remarque\n1;Comment ?;CCAS de Brest;à relire\n",
        encoding="utf-8",
    )
    result = cli("import-challenges", event.slug, str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "A “N°” → Défi" in result.output
    assert "C “Structure porteuse” → Porteur du défi" in result.output
    assert "D “Remarque”: Colonne inconnue de cet import" in result.output
    assert db.session.scalar(select(func.count()).where(Challenge.event_id == event.id)) == 0
    result = cli("import-challenges", event.slug, str(path))
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert [(c.number, c.owner_organisation) for c in event.challenges] == [(1, "CCAS de Brest")]
