"""What the challenge import's preview says before anything is written: the file's columns
(which field each fills, which are ignored and why), and for each challenge or theme that
changes, the fields that change; an untouched export is no change."""

import io

from flask_babel import force_locale
from sqlalchemy import select

from facilitate.challenges.export import (
    challenge_table,
)
from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    check_challenge_file,
)
from facilitate.events.theme_colours import PALETTE
from facilitate.extensions import db
from facilitate.models import Theme
from facilitate.spreadsheets.writing import write_csv, write_xlsx
from tests.factories import sign_in
from tests.test_challenge_spreadsheets import _event_with_sheets


def test_an_untouched_export_is_no_change_even_with_windows_line_endings_stored(make):
    event = _event_with_sheets(make)
    # A sheet typed in a browser form keeps "\r\n"; its export reads back with "\n".
    event.challenges[0].stakes = "Première ligne\r\ndeuxième ligne  "
    db.session.flush()
    headers, rows = challenge_table(event)
    with force_locale("fr"):
        checked = check_challenge_file(event, write_csv(headers, rows), "defis.csv")
    assert checked.problems == []
    assert (checked.creates, checked.updates, checked.changes) == ([], [], [])
    assert len(checked.unchanged) == 4


def test_the_preview_says_field_by_field_what_changes(make):
    event = _event_with_sheets(make)
    headers, rows = challenge_table(event)
    by_number = {row[0]: row for row in rows}
    obstacles = headers.index("Obstacles")
    by_number[1][obstacles] = "Peu d’intérêt des partenaires\nManque de budget"
    by_number[2][headers.index("Porteur du défi")] = "Département d’Ille-et-Vilaine"
    by_number[4][headers.index("Couleur du thème")] = "#AA0000"
    with force_locale("fr"):
        checked = check_challenge_file(event, write_csv(headers, rows), "defis.csv")
        changes = [str(change).replace("\xa0", " ") for change in checked.changes]
    assert changes == [
        "Défi 1 — Obstacles : 1 ajouté, 1 modifié",
        "Défi 2 — Porteur du défi : CD35 → « Département d’Ille-et-Vilaine »",
        "Thème « Solidarités » — Couleur du thème : (vide) → #aa0000",
    ]
    assert (checked.updates, checked.unchanged) == ([1, 2], [4, 12])
    import_challenges(event, checked)
    assert event.challenges[0].obstacles == [
        "Peu d’intérêt des partenaires",
        "Manque de budget",
    ]
    assert db.session.scalar(select(Theme.colour).where(Theme.name == "Solidarités")) == "#aa0000"


def test_theme_colours_are_exported_and_create_themes_with_them(make):
    event = _event_with_sheets(make)
    headers, rows = challenge_table(event)
    colours = {row[headers.index("Thème")]: row[headers.index("Couleur du thème")] for row in rows}
    assert colours == {"Transition écologique": None, "Solidarités": None, None: None}
    event.challenges[0].theme.colour = "#1d4e89"
    headers, rows = challenge_table(event)
    assert rows[0][headers.index("Couleur du thème")] == "#1d4e89"
    data = (
        "Défi;Question;Thématique;Couleur\n"
        "1;Comment ?;Mobilités;1D4E89\n"
        "2;Pourquoi ?;Mobilités;\n"
        "3;Où ?;Santé;#zzz\n"
        "4;Quand ?;Mobilités;#000000\n"
        "5;Qui ?;;#000000\n"
    ).encode()
    other = make.event()
    with force_locale("en"):
        checked = check_challenge_file(other, data, "x.csv")
    assert [(p.line, p.message) for p in checked.problems] == [
        (4, "“#zzz” is not a colour: write it as six hexadecimal digits, such as #1d4e89."),
        (5, "line 2 gives this theme another colour (#1d4e89)."),
        (6, "a colour needs a theme on its line."),
    ]
    checked = check_challenge_file(other, data.replace(b"#zzz", b"").split(b"4;")[0], "x.csv")
    assert checked.problems == []
    import_challenges(other, checked)
    colours = {t.name: t.colour for t in other.themes}
    assert colours["Mobilités"] == "#1d4e89"
    # A theme the file gives no colour takes the first palette colour no other theme uses.
    assert colours["Santé"] in PALETTE and colours["Santé"] != "#1d4e89"


def test_the_column_report_names_each_column_and_warns_of_those_ignored(make):
    event = make.event()
    data = (
        "Université de l’innovation publique — Rennes 2026;;;;\n"
        ";;;;\n"
        "N°;Intitulé du défi;Structure porteuse;Commentaire interne;Thème;Thématique\n"
        "1;Comment ?;Ville de Rennes;à relire;Mobilités;Santé\n"
    ).encode()
    with force_locale("fr"):
        checked = check_challenge_file(event, data, "defis.csv")
        assert checked.problems == []
        report = checked.report
        assert report.header_line == 3
        assert report.where == "Ligne d’en-têtes\xa0: ligne 3."
        assert [(c.letter, c.header, c.field) for c in report.columns] == [
            ("A", "N°", "Défi"),
            ("B", "Intitulé du défi", "Question"),
            ("C", "Structure porteuse", "Porteur du défi"),
            ("D", "Commentaire interne", None),
            ("E", "Thème", "Thème"),
            ("F", "Thématique", None),
        ]
        assert [c.note for c in report.ignored] == [
            "Colonne inconnue de cet import\xa0: ses cellules ne sont pas importées.",
            "La colonne E remplit déjà ce champ\xa0: celle-ci n’est pas importée.",
        ]
    assert checked.rows[0].theme == "Mobilités"


def test_the_export_s_follow_up_columns_come_back_without_a_warning(make, client):
    """The export writes each challenge's follow-up after its sheet, for reading: importing the
    file again must not warn about columns to check, only say where follow-up is kept."""
    event = _event_with_sheets(make)
    organiser = make.organiser(event)
    headers, rows = challenge_table(event)
    assert headers[-3:] == [
        "Suivi\xa0: statut",
        "Suivi\xa0: avancement (%)",
        "Suivi\xa0: dernière nouvelle",
    ]
    sign_in(client, organiser, event)
    response = client.post(
        f"/events/{event.slug}/challenges/import",
        data={"file": (io.BytesIO(write_xlsx(headers, rows, "Défis")), "defis.xlsx")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ne sera pas importée" not in page and "ne seront pas importées" not in page
    assert page.count("il se tient à jour dans les pages de suivi") == 3
    assert "Ignorée" not in page


def test_the_preview_page_shows_the_column_report_and_the_changes(make, client):
    event = _event_with_sheets(make)
    organiser = make.organiser(event)
    headers, rows = challenge_table(event)
    rows[0][headers.index("Territoire")] = "Étel (56)"
    headers.append("Remarque")
    rows = [[*row, "x"] for row in rows]
    sign_in(client, organiser, event)
    response = client.post(
        f"/events/{event.slug}/challenges/import",
        data={"file": (io.BytesIO(write_xlsx(headers, rows, "Défis")), "defis.xlsx")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Colonnes lues" in page
    assert "1 colonne du fichier ne sera pas importée" in page
    assert "Remarque" in page
    assert "Ce qui change" in page
    assert "<strong>Défi 1</strong>" in page
    assert "Territoire\xa0: Étel → «\xa0Étel (56)\xa0»" in page
    assert "3 défis sont déjà à jour." in page
