"""An organiser imports the attendee list as LibreOffice saved it (ODS), reads the column report
(the phone column is not imported), downloads the list as ODS, changes one organisation, and
sends it back: the preview says what changes, field by field, and nothing else. axe-core checks
each page."""

import uuid
from pathlib import Path

from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import P
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, catalogue_plural, catalogue_text, fr
from tests.factories import PASSWORD

t = catalogue_text
FIXTURES = Path(__file__).parent.parent / "fixtures" / "spreadsheets"


def _replace_in_ods(path: Path, old: str, new: str) -> None:
    """Change one cell's text, as someone editing the file in LibreOffice would."""
    document = load(str(path))
    for table in document.spreadsheet.getElementsByType(Table):
        for row in table.getElementsByType(TableRow):
            for cell in row.getElementsByType(TableCell):
                paragraphs = cell.getElementsByType(P)
                if [str(p) for p in paragraphs] == [old]:
                    paragraphs[0].childNodes = []
                    paragraphs[0].addText(new)
    document.save(str(path))


def test_organiser_imports_an_ods_file_then_round_trips_the_export(page: Page, seed, tmp_path):
    slug = f"ods-{uuid.uuid4().hex[:10]}"
    with seed() as make:
        event = make.event(challenges=3, slug=slug, name="Université de l'innovation – Brest")
        organiser = make.organiser(event, email=f"orga-{slug}@example.org")
        email = organiser.email
    page.goto("/sign-in")
    page.get_by_label(t("Email address"), exact=True).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=fr("Sign in"), exact=True).click()

    page.goto(f"/events/{slug}/people")
    page.get_by_role("link", name=t("Import a spreadsheet")).click()
    label = t("Spreadsheet (LibreOffice ODS, Excel XLSX or CSV)")
    page.get_by_label(label).set_input_files(FIXTURES / "participants-libreoffice.ods")
    page.get_by_role("button", name=t("Check the file")).click()

    columns = page.get_by_role("region", name=t("Columns read"))
    expect(columns.get_by_role("row").filter(has_text="Téléphone")).to_contain_text(
        t("Not a column this import knows: its cells are not imported.")
    )
    expect(
        page.get_by_text(
            catalogue_plural(
                "%(num)d column of the file is not imported: check its header if it should be.",
                "%(num)d columns of the file are not imported: check their headers if they should be.",
                1,
            )
        )
    ).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        catalogue_plural("%(num)d new attendee.", "%(num)d new attendees.", 5)
    )
    assert_accessible(page)
    page.get_by_role("button", name=t("Import"), exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Éric Le Gall")

    with page.expect_download() as download:
        page.get_by_role("link", name=t("Export (LibreOffice)")).click()
    exported = tmp_path / "participants.ods"
    download.value.save_as(exported)
    assert download.value.suggested_filename == f"{slug}-participants.ods"
    _replace_in_ods(exported, "CCAS de Brest", "Ville de Brest")

    page.get_by_role("link", name=t("Import a spreadsheet")).click()
    page.get_by_label(label).set_input_files(exported)
    page.get_by_role("button", name=t("Check the file")).click()
    status = page.get_by_role("status")
    expect(status).to_contain_text(
        catalogue_plural(
            "%(num)d attendee is already as in the file.",
            "%(num)d attendees are already as in the file.",
            4,
        )
    )
    change = status.get_by_role("listitem").filter(has_text="Zoë N'Diaye")
    expect(change).to_contain_text("«\u00a0CCAS de Brest\u00a0» → «\u00a0Ville de Brest\u00a0»")
    assert_accessible(page)
    page.get_by_role("button", name=t("Import"), exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Ville de Brest")
