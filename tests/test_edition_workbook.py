"""An edition's workbook: every site's challenges and attendees in one file, with a Site column,
exported and imported back by national organisers through the same preview as a site's own
import. A line naming no site of the edition stops the import and is listed."""

import base64
import io

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from facilitate.challenges.export import (
    challenge_table,
)
from facilitate.extensions import db
from facilitate.models import Challenge, Edition, Membership, NationalOrganiser
from facilitate.models._types import utcnow
from facilitate.people.spreadsheet import attendee_table
from facilitate.spreadsheets.writing import save_xlsx_sheets
from tests.factories import sign_in


@pytest.fixture
def world(make):
    edition = Edition(name="Université d’été", year=2018)
    other = Edition(name="Université d’hiver", year=2019)
    db.session.add_all([edition, other])
    db.session.flush()
    rennes = make.event(challenges=2, themes=1, name="Rennes", slug="rennes-2018")
    aix = make.event(challenges=1, name="Aix-en-Provence", slug="aix-2018")
    rennes.edition_id = aix.edition_id = edition.id
    make.participant(rennes, team=rennes.challenges[0].team, name="Paul Participant")
    make.participant(aix, name="Alice Aixoise", organisation="Ville d’Aix")
    national = make.user(name="Nadia Nationale", email_confirmed_at=utcnow())
    elsewhere = make.user(name="Élise Ailleurs", email_confirmed_at=utcnow())
    db.session.add_all(
        [
            NationalOrganiser(edition_id=edition.id, user_id=national.id),
            NationalOrganiser(edition_id=other.id, user_id=elsewhere.id),
        ]
    )
    db.session.flush()
    rennes_organiser = make.organiser(rennes, password=None, name="Rose Rennes")
    return dict(
        edition=edition,
        sites=[rennes, aix],
        national=national,
        elsewhere=elsewhere,
        rennes_organiser=rennes_organiser,
    )


def _client(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def _state(sites):
    """What the sites hold, as their own exports say it."""
    return [(challenge_table(site)[1], attendee_table(site)[1]) for site in sites]


def _sheets(data: bytes) -> dict[str, list[list]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def _upload(client, edition, data, filename="edition.xlsx"):
    return client.post(
        f"/editions/{edition.id}/workbook/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _confirm(client, edition, data, filename="edition.xlsx"):
    return client.post(
        f"/editions/{edition.id}/workbook/import",
        data={"content": base64.b64encode(data).decode(), "filename": filename},
    )


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_exported_workbook_imports_back_unchanged(app, world, fmt):
    edition, sites = world["edition"], world["sites"]
    client = _client(app, world["national"])
    assert "/workbook/import" in client.get(f"/editions/{edition.id}").text
    response = client.get(f"/editions/{edition.id}/workbook.{fmt}")
    assert response.status_code == 200
    data = response.data
    sheets = _sheets(data)
    assert list(sheets) == ["Défis", "Participants"]
    assert sheets["Défis"][0][:3] == ["Site", "Défi", "Question"]
    assert [row[0] for row in sheets["Défis"][1:]] == ["Aix-en-Provence", "Rennes", "Rennes"]
    assert sheets["Participants"][0][0] == "Site"
    assert {"Paul Participant", "Alice Aixoise"} <= {row[2] for row in sheets["Participants"]}
    before = _state(sites)

    preview = _upload(client, edition, data, f"edition.{fmt}")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page
    assert '<h2 id="site-1-title">Aix-en-Provence</h2>' in page
    assert '<h2 id="site-2-title">Rennes</h2>' in page
    assert "2 défis sont déjà à jour." in page
    assert "chaque ligne va à l’import du site qu’elle nomme" in page
    assert "ne sera pas importée" not in page

    done = _confirm(client, edition, data, f"edition.{fmt}")
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/editions/{edition.id}")
    db.session.expire_all()
    assert _state(sites) == before


def _edited_workbook(edition_sheets_rows, edit) -> bytes:
    out = io.BytesIO()
    sheets = [
        (title, rows[0], [list(row) for row in rows[1:]]) for title, rows in edition_sheets_rows
    ]
    edit({title: rows for title, _headers, rows in sheets})
    save_xlsx_sheets(out, sheets)
    return out.getvalue()


def test_lines_of_an_unknown_site_are_listed_and_nothing_is_written(app, world):
    edition = world["edition"]
    client = _client(app, world["national"])
    exported = _sheets(client.get(f"/editions/{edition.id}/workbook.xlsx").data)

    def edit(sheets):
        challenges, attendees = sheets["Défis"], sheets["Participants"]
        # A site named in other case and without its hyphens is still the site.
        challenges[0][0] = "AIX EN PROVENCE"
        new = list(challenges[1])
        new[0:3] = ["rennes", 99, "Comment accueillir mieux ?"]
        challenges.append(new)
        challenges.append(["Lyon", 7, "Un défi d’un site inconnu"])
        attendees[0][0] = ""
        attendees.append(["Lyon", None, "Léa Lyonnaise"])

    data = _edited_workbook(exported.items(), edit)
    memberships = db.session.scalar(select(func.count()).select_from(Membership))
    for response in (_upload(client, edition, data), _confirm(client, edition, data)):
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Rien n’a été importé" in page
        assert "3 lignes ne nomment aucun site de l’édition" in page
        # The lines as the spreadsheet numbers them, with what their Site cell says.
        assert "<td>Défis</td><td>6</td><td>Lyon</td>" in page
        assert "<td>Participants</td><td>2</td><td>(vide)</td>" in page
        assert "<td>Participants</td><td>4</td><td>Lyon</td>" in page
        assert "<td>AIX EN PROVENCE</td>" not in page
        assert "Sites de l’édition\xa0: Aix-en-Provence, Rennes." in page
    db.session.expire_all()
    assert db.session.scalar(select(Challenge).where(Challenge.number == 99)) is None
    assert db.session.scalar(select(func.count()).select_from(Membership)) == memberships


def test_a_site_s_own_rules_apply_to_its_lines(app, world):
    """A Rennes line on a challenge number Rennes lacks a team for is Rennes's problem, said in
    Rennes's section; nothing is written for Aix either."""
    edition = world["edition"]
    client = _client(app, world["national"])
    exported = _sheets(client.get(f"/editions/{edition.id}/workbook.xlsx").data)

    def edit(sheets):
        sheets["Participants"].append(["Rennes", None, "Rita Rennaise", None, None, None, 42])

    response = _upload(client, edition, _edited_workbook(exported.items(), edit))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    rennes_section = page[page.index('id="site-2-title"') :]
    assert "1 problème à corriger." in rennes_section
    assert "42" in rennes_section


@pytest.mark.parametrize("who", ["rennes_organiser", "elsewhere"])
def test_only_the_edition_s_national_organisers_use_its_workbook(app, world, who):
    edition = world["edition"]
    client = _client(app, world[who])
    data = _client(app, world["national"]).get(f"/editions/{edition.id}/workbook.xlsx").data
    assert client.get(f"/editions/{edition.id}/workbook.xlsx").status_code == 403
    assert client.get(f"/editions/{edition.id}/workbook.ods").status_code == 403
    assert client.get(f"/editions/{edition.id}/workbook/import").status_code == 403
    assert _upload(client, edition, data).status_code == 403
    assert _confirm(client, edition, data).status_code == 403


def test_a_csv_is_not_an_edition_workbook(app, world):
    edition = world["edition"]
    client = _client(app, world["national"])
    response = _upload(client, edition, b"Site;D\xc3\xa9fi;Question\nRennes;1;Q\n", "x.csv")
    assert response.status_code == 400
    assert "Ce fichier n’a pas de feuilles" in response.get_data(as_text=True)


def test_changes_at_several_sites_are_written_together_and_english_sheet_names_do(app, world):
    edition, (rennes, aix) = world["edition"], world["sites"]
    client = _client(app, world["national"])
    exported = _sheets(client.get(f"/editions/{edition.id}/workbook.xlsx").data)
    headers = exported["Défis"][0]
    attendee_headers = exported["Participants"][0]

    def edit(sheets):
        rennes_row = next(row for row in sheets["Challenges"] if row[0] == "Rennes")
        rennes_row[headers.index("Territoire")] = "Pays de Rennes"
        alice = next(row for row in sheets["Attendees"] if row[2] == "Alice Aixoise")
        alice[attendee_headers.index("Organisation")] = "Métropole Aix-Marseille"

    renamed = [("Challenges", exported["Défis"]), ("Attendees", exported["Participants"])]
    data = _edited_workbook(renamed, edit)
    preview = _upload(client, edition, data)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    assert "Territoire\xa0: " in preview.get_data(as_text=True)
    assert _confirm(client, edition, data).status_code == 303
    db.session.expire_all()
    territories = {challenge.territory for challenge in rennes.challenges}
    assert "Pays de Rennes" in territories
    aix_rows = attendee_table(aix)[1]
    assert any(row[3] == "Métropole Aix-Marseille" for row in aix_rows)


def test_two_sites_of_the_same_name_keep_their_own_lines(app, world, make):
    """Sites are events, and two events may share a name: the export then names them by their
    address, so that importing it back never moves a site's people to the other."""
    edition, (rennes, _aix) = world["edition"], world["sites"]
    twin = make.event(challenges=1, name="Rennes", slug="rennes-bis-2018")
    twin.edition_id = edition.id
    make.participant(twin, name="Jumeau Jumelle")
    db.session.commit()
    sites = [rennes, twin]
    before = _state(sites)
    client = _client(app, world["national"])
    data = client.get(f"/editions/{edition.id}/workbook.xlsx").data
    assert {"rennes-2018", "rennes-bis-2018"} <= {row[0] for row in _sheets(data)["Participants"]}
    assert _confirm(client, edition, data).status_code == 303
    db.session.expire_all()
    assert _state(sites) == before


def test_the_workbook_runs_a_fixed_number_of_queries(app, make, world, count_queries):
    client = _client(app, world["national"])
    edition = world["edition"]
    few = []
    for fmt in ("xlsx", "ods"):
        client.get(f"/editions/{edition.id}/workbook.{fmt}")
        with count_queries() as queries:
            assert client.get(f"/editions/{edition.id}/workbook.{fmt}").status_code == 200
        few.append(len(queries))
    for name in ("Cluny", "Martinique", "Strasbourg"):
        site = make.event(challenges=3, themes=1, name=name, edition_id=edition.id)
        make.organiser(site, password=None)
        for i in range(4):
            make.participant(site, team=site.challenges[i % 3].team)
    db.session.commit()
    many = []
    for fmt in ("xlsx", "ods"):
        with count_queries() as queries:
            assert client.get(f"/editions/{edition.id}/workbook.{fmt}").status_code == 200
        many.append(len(queries))
    assert many == few
