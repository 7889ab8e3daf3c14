"""``read_table`` on files as organisers' programs save them (tests/fixtures/spreadsheets, see
its README.md): every cell of every row, the header line found below title rows or on a second
sheet, formulas saved without a value, CSV dialects, and what is refused, with the message."""

import contextlib
import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.spreadsheets import workbooks
from facilitate.spreadsheets.problems import SpreadsheetError
from facilitate.spreadsheets.reading import cell_reference, read_table
from facilitate.spreadsheets.writing import write_csv

FIXTURES = Path(__file__).parent / "fixtures" / "spreadsheets"

CHALLENGE_HEADERS = [
    "N°", "Intitulé du défi", "Structure porteuse", "Thématique", "Public cible",
    "Leviers d'action", "Pour en savoir plus", "Territoire", "Enjeux", "Obstacles",
    "Parties prenantes", "Commentaire interne",
]  # fmt: skip
# The question of challenge 2 was pasted with a vertical tab between "accueillir" and "les":
# read as a line break ("\n"), where the file still holds it.
QUESTION_2 = "Comment mieux accueillir\nles personnes éloignées du numérique ?"
# LibreOffice drops it when it saves an ODS or a CSV: the words are then glued.
QUESTION_2_GLUED = "Comment mieux accueillirles personnes éloignées du numérique ?"
CHALLENGES = [
    [
        "1",
        "Comment faciliter les trajets domicile-travail des agents « sans voiture » ?",
        "Ville de Rennes",
        "Mobilités",
        "Agents de la ville\nHabitant·e·s des quartiers nord\nCommerçants",
        "Plan de mobilité employeur\nForfait mobilités durables",
        "https://www.rennes.fr/mobilites",
        "35000 Rennes",
        "Réduire l’usage de la voiture individuelle ; améliorer la qualité de l’air.",
        "Horaires décalés\nPeu de pistes cyclables sécurisées",
        "Rennes Métropole\nSTAR (réseau de transport)\nAssociations d’usagers",
        "Relancer le service RH avant mars",
    ],
    [
        "2",
        QUESTION_2,
        "Département d'Ille-et-Vilaine",
        "Solidarités",
        "Personnes âgées isolées\nDemandeurs d’emploi",
        "Conseillers numériques France Services",
        "https://www.ille-et-vilaine.fr/inclusion-numerique",
        "Quartier 09",
        "",
        "Méfiance envers le numérique\nManque de temps des agents",
        "Les communes ; les CCAS\n",
        "Voir avec la DSI",
    ],
    [
        "3",
        "Comment permettre aux bénéficiaires de l’aide alimentaire de venir sans voiture ?",
        "CCAS de Brest",
        "Mobilités",
        "Familles monoparentales\nÉtudiant·e·s\nPersonnes âgées",
        "Bénévoles de l’épicerie solidaire\nTransport à la demande",
        "https://www.brest.fr/ccas",
        "29200 Brest",
        "Dignité des personnes ; lutte contre le non-recours.",
        "Horaires d’ouverture limités\nStigmatisation",
        "Banque alimentaire du Finistère\nBibus (réseau de transport)",
        "Contact : M. Kerhervé",
    ],
]
PEOPLE_HEADERS = [
    "Identifiant", "Nom complet", "Adresse mail", "Structure", "Rôle", "Équipe", "Téléphone",
]  # fmt: skip
# Trailing empty cells are not kept: Ève Durand has no team and no phone.
PEOPLE = [
    (2, ["", "Chloé Martin", "chloe.martin@rennes.fr", "Ville de Rennes", "membre", "1", "0612345678"]),
    (3, ["", "Éric Le Gall", "", "Département d'Ille-et-Vilaine", "animateur", "2", "02 99 87 65 43"]),
    (4, ["", "Zoë N'Diaye", "zoe.ndiaye@example.org", "CCAS de Brest", "porteuse du défi", "3", "0298001122"]),
    (5, ["", "Ève Durand", "eve.durand@example.fr", "Rennes Métropole", "co-organisateur"]),
    (6, ["", "Jean-Baptiste Lefèvre", "jb.lefevre@example.fr", "Préfecture d'Ille-et-Vilaine", "membre", "1", "0601020304"]),
]  # fmt: skip


def challenge_header(cells: list[str]) -> bool:
    return "N°" in cells and "Intitulé du défi" in cells


def people_header(cells: list[str]) -> bool:
    return "Nom complet" in cells


def _challenges(first_line: int, question_2: str = QUESTION_2, numbers=("1", "2", "3")):
    rows = [list(row) for row in CHALLENGES]
    rows[1][1] = question_2
    for row, number in zip(rows, numbers, strict=True):
        row[0] = number
    return [(first_line + i, row) for i, row in enumerate(rows)]


def _read(app, name: str, recognise=None, language="en"):
    with app.test_request_context(), force_locale(language):
        return read_table((FIXTURES / name).read_bytes(), name, recognise)


def _refusal(app, data: bytes, filename: str, language="fr") -> str:
    with app.test_request_context(), force_locale(language), pytest.raises(SpreadsheetError) as e:
        read_table(data, filename)
    return str(e.value)


@pytest.mark.parametrize(
    ("name", "question_2"),
    [
        ("defis-libreoffice.ods", QUESTION_2_GLUED),
        ("defis-libreoffice.xlsx", QUESTION_2),
        ("defis-libreoffice.csv", QUESTION_2_GLUED),
        ("defis-source.csv", QUESTION_2),
    ],
)
def test_challenges_below_a_title_row_are_read_cell_by_cell(app, name, question_2):
    table = _read(app, name, challenge_header)
    assert table.headers == CHALLENGE_HEADERS  # "Commentaire interne" too, though no field uses it
    assert table.header_line == 3
    assert table.rows == _challenges(4, question_2)
    assert table.formulas_without_value == []
    if name.endswith(".csv"):
        assert (table.sheet, table.sheet_names) == (None, [])
    else:
        # LibreOffice names the sheet of a converted CSV after the file.
        assert (table.sheet, table.sheet_names) == ("defis-libreoffice", ["defis-libreoffice"])


def test_without_a_rule_the_header_is_the_first_non_empty_row(app):
    table = _read(app, "defis-libreoffice.ods")
    assert table.headers == ["Université de l'innovation publique — Rennes 2026"]
    assert table.header_line == 1
    assert table.rows[0] == (3, CHALLENGE_HEADERS)


@pytest.mark.parametrize(
    ("name", "question_2"),
    [
        ("defis-deux-feuilles-libreoffice.ods", QUESTION_2_GLUED),
        ("defis-deux-feuilles-libreoffice.xlsx", QUESTION_2),
    ],
)
def test_the_table_is_found_on_the_second_sheet(app, name, question_2):
    table = _read(app, name, challenge_header)
    assert (table.sheet, table.sheet_names) == ("Défis", ["Consignes", "Défis"])
    assert table.header_line == 1
    assert table.headers == CHALLENGE_HEADERS
    assert table.rows == _challenges(2, question_2)


@pytest.mark.parametrize("recognise", [None, lambda cells: False], ids=["no-rule", "no-match"])
def test_when_no_row_is_recognised_the_first_sheet_is_read(app, recognise):
    table = _read(app, "defis-deux-feuilles-libreoffice.ods", recognise)
    assert (table.sheet, table.header_line) == ("Consignes", 1)
    assert table.headers == ["Consignes pour remplir le tableau des défis"]
    assert [cells for _line, cells in table.rows] == [
        ["Une ligne par défi, dans la feuille « Défis »."],
        ["Les listes (public cible, leviers…) : un élément par ligne dans la cellule."],
        ["Ne modifiez pas les intitulés des colonnes."],
    ]


def test_formulas_saved_without_a_value_are_reported_by_cell(app):
    table = _read(app, "defis-formules-openpyxl.xlsx", challenge_header)
    assert table.headers == CHALLENGE_HEADERS
    assert table.rows == _challenges(2, numbers=("", "", ""))
    assert table.formulas_without_value == [(2, 0), (3, 0), (4, 0)]
    assert [cell_reference(*cell) for cell in table.formulas_without_value] == ["A2", "A3", "A4"]


def test_formulas_of_an_ods_without_a_value_are_reported_with_repeats(app):
    """A formula cell repeated over columns and rows counts once per cell it covers."""
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' office:version="1.3"><office:body><office:spreadsheet><table:table table:name="F">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>N°</text:p>'
        '</table:table-cell><table:table-cell office:value-type="string"><text:p>Q</text:p>'
        "</table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="2"><table:table-cell'
        ' table:formula="of:=ROW()" table:number-columns-repeated="2"/></table:table-row>'
        '<table:table-row><table:table-cell table:formula="of:=1" office:value-type="float"'
        ' office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    with app.test_request_context():
        table = read_table(out.getvalue(), "f.ods")
    assert table.headers == ["N°", "Q"]
    assert table.rows == [(4, ["1"])]
    assert table.formulas_without_value == [(2, 0), (2, 1), (3, 0), (3, 1)]


def test_an_xlsx_as_excel_writes_it_is_read_whole_despite_its_stale_dimension(app):
    """<dimension ref="A1:B2"/> while the data go to L4; shared strings, _x000D_ before the
    line feeds of multi-line cells."""
    table = _read(app, "defis-excel.xlsx", challenge_header)
    assert (table.sheet, table.sheet_names, table.header_line) == ("Défis", ["Défis"], 1)
    assert table.headers == CHALLENGE_HEADERS
    assert table.rows == _challenges(2)


@pytest.mark.parametrize(
    "name",
    [
        "participants-libreoffice.ods",
        "participants-libreoffice.xlsx",
        "participants-libreoffice.xls",
        "participants-libreoffice.csv",
        "participants-excel.csv",
        "participants-source.csv",
    ],
)
def test_attendees_keep_leading_zeros_and_empty_cells(app, name):
    table = _read(app, name, people_header)
    assert table.headers == PEOPLE_HEADERS
    assert table.header_line == 1
    assert table.rows == PEOPLE


def test_the_format_is_told_by_the_content_not_the_name(app):
    data = (FIXTURES / "participants-libreoffice.ods").read_bytes()
    with app.test_request_context():
        assert read_table(data, "participants.xlsx").rows == PEOPLE
        assert read_table(data, "participants.csv").rows == PEOPLE


@pytest.mark.parametrize(
    ("data", "description"),
    [
        ("Nom;Adresse\r\nZoë N’Diaye;01000 Bourg\r\n".encode("cp1252"), "French Excel"),
        ("\ufeffNom;Adresse\nZoë N’Diaye;01000 Bourg\n".encode(), "UTF-8 with BOM"),
        ("Nom\tAdresse\nZoë N’Diaye\t01000 Bourg\n".encode(), "tab"),
        ('Nom,Adresse\n"Zoë N’Diaye","01000 Bourg"\n'.encode(), "comma"),
        ("Nom;Adresse\n\n;\nZoë N’Diaye;01000 Bourg\n".encode(), "empty rows"),
    ],
)
def test_csv_dialects(app, data, description):
    with app.test_request_context():
        table = read_table(data, "liste.csv")
    assert table.headers == ["Nom", "Adresse"], description
    assert [cells for _line, cells in table.rows] == [["Zoë N’Diaye", "01000 Bourg"]]


def test_a_csv_comma_in_a_cell_does_not_make_it_the_separator(app):
    data = b"Nom;Structures\nA;Rennes, Brest, Quimper\nB;Vannes\n"
    with app.test_request_context():
        table = read_table(data, "x.csv")
    assert table.rows == [(2, ["A", "Rennes, Brest, Quimper"]), (3, ["B", "Vannes"])]


def test_neutralised_formulas_are_restored_in_csv_only(app):
    with app.test_request_context():
        csv_table = read_table(write_csv(["a"], [["=1+1"], ["'x"]]), "x.csv")
        book = openpyxl.Workbook()
        book.active.append(["a"])
        book.active.append(["'=1+1"])
        out = io.BytesIO()
        book.save(out)
        xlsx_table = read_table(out.getvalue(), "x.xlsx")
    assert csv_table.rows == [(2, ["=1+1"]), (3, ["'x"])]
    assert xlsx_table.rows == [(2, ["'=1+1"])]  # typed so: kept as typed


def test_values_are_written_as_the_spreadsheet_shows_them(app):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["a", "b", "c", "d", "e", "f", "g", "h"])
    sheet.append(
        [
            12.0,
            0.1,
            datetime.date(2026, 3, 14),
            datetime.datetime(2026, 3, 14, 9, 30),
            datetime.datetime(2026, 3, 14, 9, 30, 15),
            datetime.time(9, 30),
            True,
            "  \u00a0texte\r\navec retour  ",
        ]
    )
    sheet["B3"] = "centré"  # a row starting in column B: cells keep their columns
    out = io.BytesIO()
    book.save(out)
    with app.test_request_context():
        table = read_table(out.getvalue(), "x.xlsx")
    assert table.rows == [
        (
            2,
            [
                "12", "0.1", "2026-03-14", "2026-03-14 09:30", "2026-03-14 09:30:15", "09:30",
                "TRUE", "texte\navec retour",
            ],
        ),
        (3, ["", "centré"]),
    ]  # fmt: skip


def test_a_header_below_the_first_twenty_rows_is_not_looked_for(app):
    rows = [[f"note {i}"] for i in range(20)] + [["Nom complet"], ["Chloé"]]
    data = write_csv(["intro"], rows)
    with app.test_request_context():
        table = read_table(data, "x.csv", people_header)
    assert table.headers == ["intro"]  # the caller then reports its missing columns
    rows = rows[2:]  # the header is now the 20th non-empty row
    with app.test_request_context():
        table = read_table(write_csv(["intro"], rows), "x.csv", people_header)
    assert (table.header_line, table.headers) == (20, ["Nom complet"])
    assert table.rows == [(21, ["Chloé"])]


def test_cell_references():
    assert [cell_reference(*c) for c in [(1, 0), (4, 2), (1, 25), (1, 26), (10, 16383)]] == [
        "A1",
        "C4",
        "Z1",
        "AA1",
        "XFD10",
    ]


ENCRYPTED = "Ce fichier est protégé par un mot de passe\u00a0: enregistrez-le sans mot de passe"
NOT_A_SPREADSHEET = "Ce fichier n’est pas un tableur. Envoyez un fichier XLSX, ODS ou CSV"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("protege.xlsx", ENCRYPTED),
        ("protege.ods", ENCRYPTED),
        ("pas-un-tableur.xlsx", NOT_A_SPREADSHEET),
    ],
)
def test_files_that_cannot_be_read_are_refused_in_french(app, name, message):
    assert message in _refusal(app, (FIXTURES / name).read_bytes(), name)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "x.csv", "Le fichier est vide."),
        (b"\r\n;;\r\n", "x.csv", "Le fichier est vide."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "defis.xlsx", NOT_A_SPREADSHEET),
        (b"%PDF-1.7\n1 0 obj", "defis.pdf", NOT_A_SPREADSHEET),
        (b"PK\x03\x04" + b"\x00" * 100, "x.xlsx", "Ce fichier n’est pas un classeur XLSX valide."),
        (b"PK\x03\x04garbage", "x.ods", "Ce fichier n’est pas un classeur ODS valide."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600,
            "x.xls",
            "Ce fichier n’est pas un classeur XLS valide.",
        ),
        (b"texte", "x.ods", "Ce fichier n’est pas un classeur ODS valide."),
        (b"Nom;Email\n", "x.docx", "Envoyez un fichier CSV ou XLSX (Excel) ou un fichier ODS"),
    ],
)
def test_damaged_or_empty_files_are_refused_in_french(app, data, filename, message):
    assert message in _refusal(app, data, filename)


def test_a_zip_that_is_no_spreadsheet_is_refused(app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    assert NOT_A_SPREADSHEET in _refusal(app, out.getvalue(), "rapport.zip")


def test_an_empty_workbook_is_refused(app):
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    assert "Le fichier est vide." in _refusal(app, out.getvalue(), "x.xlsx")


def test_a_panic_of_calamine_is_one_message(app, monkeypatch):
    class PanicException(BaseException):
        """As pyo3_runtime.PanicException: a BaseException, not an Exception."""

    def panic(_stream):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(workbooks.CalamineWorkbook, "from_filelike", panic)
    data = (FIXTURES / "participants-libreoffice.xlsx").read_bytes()
    assert "Ce fichier n’est pas un classeur XLSX valide." in _refusal(app, data, "x.xlsx")


def _damaged(data: bytes, seed: int, count: int) -> bytes:
    out = bytearray(data)
    for i in range(count):
        position = (seed * 7919 + i * 104729) % len(out)
        out[position] = (out[position] + 1 + i) % 256
    return bytes(out)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(
        [
            "participants-libreoffice.xlsx",
            "participants-libreoffice.ods",
            "participants-libreoffice.xls",
            "defis-excel.xlsx",
        ]
    ),
    seed=st.integers(0, 10**6),
    count=st.integers(1, 20),
)
def test_garbled_workbooks_never_escape_as_another_error(app, name, seed, count):
    data = _damaged((FIXTURES / name).read_bytes(), seed, count)
    with app.test_request_context(), contextlib.suppress(SpreadsheetError):
        read_table(data, name)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
    data=st.binary(max_size=2000),
    filename=st.sampled_from(["x.xlsx", "x.ods", "x.csv", "x.xls"]),
)
def test_random_bytes_never_escape_as_another_error(app, prefix, data, filename):
    with app.test_request_context(), contextlib.suppress(SpreadsheetError):
        read_table(prefix + data, filename)
