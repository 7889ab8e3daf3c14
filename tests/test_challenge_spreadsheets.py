"""Challenge sheets in and out of spreadsheets: every problem located by line and column,
nothing written unless every row is right, and an export that imports back unchanged."""

import csv
import io

import openpyxl
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from facilitate.challenges.export import (
    challenge_table,
)
from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    COLUMNS,
    check_challenge_file,
)
from facilitate.extensions import db
from facilitate.models import AuditEntry, Challenge, Team, Theme
from facilitate.spreadsheets.cells import join_list, split_list
from facilitate.spreadsheets.columns import match_columns
from facilitate.spreadsheets.problems import Problem
from facilitate.spreadsheets.writing import write_csv, write_xlsx

FULL_SHEET = {
    "question": (
        "Comment définir les critères de durabilité d’un projet complexe, en prenant pour "
        "étude de cas la reconversion de la glacière municipale ?"
    ),
    "owner_organisation": "Commune d’Étel",
    "project_name": "La Glacière",
    "territory": "Étel",
    "stakes": (
        "Des critères pour évaluer la durabilité de la reconversion ;\n"
        "un lieu « authentique » et ouvert.\n\n"
        "=SOMME(A1:A3) reste du texte"
    ),
    "stakeholders": [
        "Association Autrefois Etel",
        "La commune ; l’intercommunalité",
        "=L’État",
        "- l’Europe",
        "Syndicat mixte « Ria d’Étel »",
    ],
    "users": ["Habitant·e·s", "Touristes"],
    "obstacles": ["Peu d’intérêt des partenaires institutionnels"],
    # A single item with a ";": the export marks it so that the import does not cut it.
    "levers": ["Projet municipal : préserver l’environnement ; être un lieu d’innovation"],
    "info_url": "https://www.etel.fr/glaciere?source=défi&n=1",
}


def _event_with_sheets(make):
    event = make.event()
    transition = Theme(event_id=event.id, name="Transition écologique", position=0)
    solidarities = Theme(event_id=event.id, name="Solidarités", position=1)
    db.session.add_all([transition, solidarities])
    db.session.flush()
    make.challenge(event, number=1, theme=transition, **FULL_SHEET)
    # Only a question and an owner, as several sheets of the sources.
    make.challenge(event, number=2, question="Comment accueillir ?", owner_organisation="CD35")
    make.challenge(
        event,
        number=4,
        theme=solidarities,
        question="=Comment faire ?",
        owner_organisation="-Ville de Brest",
        project_name="+33 : le projet",
        territory="@Finistère",
        stakes="-\tDeux lignes\npour les enjeux",
        stakeholders=["Seule partie ; prenante"],
        users=["'=déjà entre apostrophes", "Œuvres sociales"],
        obstacles=[],
        levers=["Un", "Deux ; trois", "Quatre"],
        info_url="http://example.org/",
    )
    make.challenge(event, number=12, theme=transition, question="Comment ? Pourquoi ?")
    return event


def _sheets(event) -> list[tuple]:
    db.session.expire_all()
    challenges = db.session.scalars(
        select(Challenge).where(Challenge.event_id == event.id).order_by(Challenge.number)
    )
    return [
        (
            c.number,
            c.question,
            c.owner_organisation,
            c.project_name,
            c.territory,
            c.stakes,
            c.stakeholders,
            c.users,
            c.obstacles,
            c.levers,
            c.theme.name if c.theme else None,
            c.info_url,
            c.team is not None,
        )
        for c in challenges
    ]


def _export(event, kind: str) -> tuple[bytes, str]:
    headers, rows = challenge_table(event)
    if kind == "csv":
        return write_csv(headers, rows), "defis.csv"
    return write_xlsx(headers, rows, title="Défis"), "defis.xlsx"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_then_import_into_a_fresh_event_gives_every_field_back(make, kind):
    source = _event_with_sheets(make)
    data, filename = _export(source, kind)
    target = make.event()

    checked = check_challenge_file(target, data, filename)
    assert checked.problems == []
    assert checked.new_themes == ["Transition écologique", "Solidarités"]
    assert (checked.creates, checked.updates, checked.unchanged) == ([1, 2, 4, 12], [], [])
    result = import_challenges(target, checked)
    assert (result.created, result.updated) == (4, 0)

    assert _sheets(target) == _sheets(source)
    assert [(t.name, t.position) for t in target.themes] == [
        ("Transition écologique", 0),
        ("Solidarités", 1),
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_importing_the_export_back_into_the_same_event_changes_nothing(make, kind):
    event = _event_with_sheets(make)
    before = _sheets(event)
    team_ids = db.session.scalars(select(Team.id).order_by(Team.id)).all()
    data, filename = _export(event, kind)

    checked = check_challenge_file(event, data, filename)
    assert checked.problems == []
    assert (checked.creates, checked.updates, checked.new_themes) == ([], [], [])
    assert checked.unchanged == [1, 2, 4, 12]
    result = import_challenges(event, checked)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert _sheets(event) == before
    assert db.session.scalars(select(Team.id).order_by(Team.id)).all() == team_ids
    assert db.session.scalar(select(func.count(Theme.id)).where(Theme.event_id == event.id)) == 2


def test_the_export_is_one_query_with_french_headers_and_neutralised_formulas(make, count_queries):
    event = _event_with_sheets(make)
    db.session.expire_all()
    assert event.id  # loaded again before counting
    with count_queries() as queries:
        headers, rows = challenge_table(event)
    assert len(queries) == 1
    assert headers[:3] == ["Défi", "Question", "Porteur du défi"]
    assert rows[0][0] == 1 and rows[0][6].split("\n")[0] == "Association Autrefois Etel"
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(headers, rows, "Défis"))).active
    assert sheet["B4"].value == "=Comment faire ?"  # a text cell: Excel shows it, never runs it
    assert sheet["B4"].data_type == "s"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_import_recognises_every_header_of_the_export(make, language):
    event = make.event()
    with force_locale(language):
        headers, _rows = challenge_table(event)
    assert set(match_columns(headers, COLUMNS)) == set(COLUMNS)


def test_the_french_headers_organisers_write_are_recognised():
    french = [
        "N°",
        "Intitulé",
        "Porteur",
        "Projet",
        "Territoire",
        "Enjeux",
        "Parties prenantes",
        "Usagers",
        "Freins",
        "Leviers",
        "THÈME",
        "Couleur",
        "Plus d'information",
    ]
    assert list(match_columns(french, COLUMNS)) == list(COLUMNS)
    english = ["#", "Title", "Owner", "project", "territory", "stakes"]
    english += ["stakeholders", "users", "obstacles", "levers", "theme", "colour", "URL"]
    assert list(match_columns(english, COLUMNS)) == list(COLUMNS)
    assert match_columns(["", " ", "Défi"], COLUMNS) == {"number": 2}


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Thématique", "theme"),
        ("Thème", "theme"),
        ("Structure porteuse", "owner_organisation"),
        ("Porteur", "owner_organisation"),
        ("Public cible", "users"),
        ("Usagers", "users"),
        ("Leviers d'action", "levers"),
        ("Leviers d’action", "levers"),
        ("Leviers", "levers"),
        ("Pour en savoir plus", "info_url"),
        ("Lien", "info_url"),
        ("Couleur du thème", "theme_colour"),
    ],
)
def test_the_names_organisers_templates_use_are_recognised(header, name):
    assert match_columns(["N°", header], COLUMNS) == {"number": 0, name: 1}


FRENCH_CSV = (
    "Défi;Question;Porteur du défi;Thème;Parties prenantes;Freins;Plus d’informations\r\n"
    "1;Comment réduire l’empreinte des cantines ?;Département d’Ille-et-Vilaine;Écologie;"
    '"Cuisinier·e·s; élèves ;; parents";;https://ille-et-vilaine.fr/cantines\r\n'
    "2;Comment accueillir « mieux » ?;Région Bretagne;écologie;;Budget;\r\n"
)


def _xlsx(text: str) -> bytes:
    book = openpyxl.Workbook()
    for cells in csv.reader(io.StringIO(text), delimiter=";"):
        book.active.append([int(v) if v.isdigit() else v or None for v in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("encode", "filename"),
    [
        (lambda text: text.encode("cp1252"), "defis.csv"),
        (lambda text: text.encode("utf-8-sig"), "defis.csv"),
        (_xlsx, "defis.xlsx"),
    ],
    ids=["excel-cp1252", "excel-utf8-bom", "xlsx"],
)
def test_french_excel_files_in_every_encoding(make, encode, filename):
    event = make.event()
    data = encode(FRENCH_CSV)
    checked = check_challenge_file(event, data, filename)
    assert checked.problems == []
    assert checked.new_themes == ["Écologie"]
    import_challenges(event, checked)
    first, second = event.challenges
    assert first.question == "Comment réduire l’empreinte des cantines ?"
    assert first.owner_organisation == "Département d’Ille-et-Vilaine"
    assert first.stakeholders == ["Cuisinier·e·s", "élèves", "parents"]
    assert first.obstacles == []
    assert first.info_url == "https://ille-et-vilaine.fr/cantines"
    assert second.question == "Comment accueillir « mieux » ?"
    assert second.obstacles == ["Budget"]
    assert first.theme is second.theme and first.theme.name == "Écologie"
    assert first.team is not None and second.team is not None


def test_english_headers(make):
    event = make.event()
    data = (
        b"number,title,owner organisation,project,stakeholders,levers,theme,link\n"
        b'3,How might we?,City of Brest,Open data,"Residents\nLibraries",Budget; Time,Data,'
        b"https://brest.fr\n"
    )
    checked = check_challenge_file(event, data, "challenges.csv")
    assert checked.problems == []
    import_challenges(event, checked)
    (challenge,) = event.challenges
    assert (challenge.number, challenge.question, challenge.owner_organisation) == (
        3,
        "How might we?",
        "City of Brest",
    )
    assert challenge.stakeholders == ["Residents", "Libraries"]
    assert challenge.levers == ["Budget", "Time"]
    assert challenge.theme.name == "Data"


def _bad_file() -> bytes:
    long = "x" * 201
    lines = [
        "N°;Intitulé;Porteur;Projet;Lien;Thème;Freins",
        ";Comment ?;;;;;",
        "abc;Comment ?;;;;;",
        "0;Comment ?;;;;;",
        "3;Comment ?;;;;;",
        "3;Comment encore ?;;;;;",
        "4;;;;;;",
        f"5;Comment ?;{long};;;;",
        f"6;Comment ?;;{long};;;",
        "7;Comment ?;;;ftp://example.org;;",
        "8;Comment ?;;;https://;;",
        f"9;Comment ?;;;;{long};",
        "²;Comment ?;;;;;",
        f"100001;;{long};;www.example.org;;",
        "10;Comment ?;;;;Nouveau thème;Un ; deux",
        "9" * 5000 + ";Comment ?;;;;;",
    ]
    return "\r\n".join(lines).encode("cp1252")


def test_every_problem_is_reported_with_its_line_and_column_and_nothing_is_written(make):
    event = make.event(challenges=1)
    with force_locale("en"):
        checked = check_challenge_file(event, _bad_file(), "defis.csv")
        problems = [(p.line, p.column, p.message) for p in checked.problems]
        assert str(checked.problems[0]) == "Line 2, column “N°”: the challenge number is empty."
    assert problems == [
        (2, "N°", "the challenge number is empty."),
        (3, "N°", "“abc” is not a challenge number."),
        (4, "N°", "“0” is not a challenge number."),
        (6, "N°", "challenge 3 already appears on line 5."),
        (7, "Intitulé", "the question is empty."),
        (8, "Porteur", "this text is longer than 200 characters."),
        (9, "Projet", "this text is longer than 200 characters."),
        (10, "Lien", "“ftp://example.org” is not a web address starting with http:// or https://."),
        (11, "Lien", "“https://” is not a web address starting with http:// or https://."),
        (12, "Thème", "this text is longer than 200 characters."),
        (13, "N°", "“²” is not a challenge number."),
        (14, "N°", "“100001” is not a challenge number."),
        (14, "Intitulé", "the question is empty."),
        (14, "Porteur", "this text is longer than 200 characters."),
        (14, "Lien", "“www.example.org” is not a web address starting with http:// or https://."),
        (16, "N°", f"“{'9' * 5000}” is not a challenge number."),
    ]
    assert not checked.ok
    with pytest.raises(ValueError):
        import_challenges(event, checked)
    assert [c.number for c in event.challenges] == [1]
    assert db.session.scalar(select(func.count(Theme.id)).where(Theme.event_id == event.id)) == 0


def test_problem_lines_are_spreadsheet_rows_even_after_cells_with_line_breaks(make):
    event = make.event()
    data = 'Défi;Question;Enjeux\n1;Comment ?;"un\ndeux\ntrois"\n\n;Comment ?;\n'.encode()
    checked = check_challenge_file(event, data, "defis.csv")
    # Row 3 is empty; Excel shows the row without a number on row 4, the text's 6th line.
    assert [(p.line, p.column) for p in checked.problems] == [(4, "Défi")]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        ("Porteur;Projet\nA;B\n", "x.csv", "Missing columns: Challenge, Question."),
        ("Defi;Porteur\n1;A\n", "x.csv", "Missing column: Question."),
        ("Défi;Question\n", "x.csv", "The file has no challenge below its header line."),
        ("", "x.csv", "The file is empty."),
        ("not a zip", "x.xlsx", "This file is not a valid XLSX workbook."),
        ("Défi;Question\n1;Q\n", "x.pdf", "Please send a CSV or XLSX file"),
    ],
)
def test_unreadable_files_are_one_problem_for_the_whole_file(make, content, filename, message):
    event = make.event()
    with force_locale("en"):
        checked = check_challenge_file(event, content.encode(), filename)
    assert [(p.line, p.column) for p in checked.problems] == [(None, None)]
    assert message in str(checked.problems[0])
    assert not checked.ok


def test_themes_match_whatever_the_case_and_unknown_ones_are_created_after_the_others(make):
    event = make.event(themes=2)  # "Theme 1", "Theme 2"
    data = (
        "Défi;Question;Thème\n"
        "1;Q1;theme 2\n"
        "2;Q2;  Santé   publique \n"
        "3;Q3;SANTÉ PUBLIQUE\n"
        "4;Q4;\n"
        "5;Q5;Mobilités\n"
    ).encode()
    checked = check_challenge_file(event, data, "defis.csv")
    assert checked.problems == []
    assert checked.new_themes == ["Santé publique", "Mobilités"]
    result = import_challenges(event, checked)
    assert result.themes_created == ["Santé publique", "Mobilités"]
    assert [(t.name, t.position) for t in event.themes] == [
        ("Theme 1", 0),
        ("Theme 2", 1),
        ("Santé publique", 2),
        ("Mobilités", 3),
    ]
    themes = [c.theme.name if c.theme else None for c in event.challenges]
    assert themes == ["Theme 2", "Santé publique", "Santé publique", None, "Mobilités"]


def test_updates_take_the_file_values_and_leave_columns_the_file_lacks(make):
    event = make.event(challenges=2, themes=1)
    organiser = make.organiser(event)
    first, second = event.challenges
    first.stakeholders, first.project_name, first.territory = ["A", "B"], "Projet", "Rennes"
    team_id = first.team.id
    db.session.flush()
    data = (
        "Défi;Question;Parties prenantes;Projet;Thème\n"
        "1;Nouvelle question ?;;;\n"
        f"2;{second.question};;;Theme 1\n"
        "3;Un nouveau défi ?;X\nY;;\n"
    ).encode()
    data = data.replace(b"X\nY", b'"X\nY"')
    checked = check_challenge_file(event, data, "defis.csv")
    assert checked.problems == []
    assert (checked.creates, checked.updates, checked.unchanged) == ([3], [1], [2])
    result = import_challenges(event, checked, actor=organiser)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)

    db.session.expire_all()
    first, second, third = event.challenges
    assert first.question == "Nouvelle question ?"
    assert (first.stakeholders, first.project_name, first.theme) == ([], None, None)
    assert first.territory == "Rennes"  # no "Territoire" column: left as it was
    assert first.owner_organisation == "Commune 1"
    assert first.team.id == team_id
    assert second.theme.name == "Theme 1"
    assert (third.question, third.stakeholders, third.team.event_id) == (
        "Un nouveau défi ?",
        ["X", "Y"],
        event.id,
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.event_id == event.id))
    assert (entry.action, entry.actor_id) == ("challenges.imported", organiser.id)
    assert entry.details == {"created": 1, "updated": 1}


def test_check_and_import_run_a_fixed_number_of_queries(make, count_queries):
    event = make.event(challenges=5, themes=2)
    rows = "".join(f"{n};Question {n} ?;Theme {n % 3 + 1}\n" for n in range(1, 41))
    data = ("Défi;Question;Thème\n" + rows).encode()
    with count_queries() as queries:
        checked = check_challenge_file(event, data, "defis.csv")
    assert len(queries) == 2
    with count_queries() as queries:
        import_challenges(event, checked)
    # Existing themes, then the challenges the file updates; the rest are writes (one per row
    # on SQLite, which cannot batch inserts that return ids; batched on PostgreSQL).
    selects = [q for q in queries if q.lstrip().startswith("SELECT")]
    assert len(selects) == 2, selects


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("", []),
        ("Un", ["Un"]),
        (" Un ; deux;; trois ;", ["Un", "deux", "trois"]),
        ("Un ; deux\nTrois", ["Un ; deux", "Trois"]),
        ("Un ; deux\n", ["Un ; deux"]),
        ("\n\n Un \n\nDeux\n", ["Un", "Deux"]),
    ],
)
def test_list_cells(cell, items):
    assert split_list(cell) == items


@pytest.mark.parametrize(
    "items", [[], ["Un"], ["Un ; deux"], ["Un", "deux ; trois"], ["=Un", "-deux", "+trois"]]
)
def test_a_joined_list_splits_back_to_itself(items):
    assert split_list(join_list(items)) == items


def test_problem_text_names_line_and_column():
    with force_locale("en"):
        assert str(Problem(4, "Défi", "oops.")) == "Line 4, column “Défi”: oops."
        assert str(Problem(4, None, "oops.")) == "Line 4: oops."
        assert str(Problem(None, None, "oops.")) == "oops."
