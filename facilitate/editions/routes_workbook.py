"""An edition's workbook: every site's challenges and attendees, out and back in."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from facilitate.challenges.routes_spreadsheet import describe_challenge_import
from facilitate.challenges.spreadsheet import (
    ChallengeImport,
)
from facilitate.editions import bp
from facilitate.editions.routes import managed_edition
from facilitate.editions.workbook import (
    check_edition_workbook,
    edition_sheets,
    import_edition_workbook,
    site_events,
    workbook_hint,
)
from facilitate.people.spreadsheet import describe_attendee_import
from facilitate.spreadsheets.pages import import_page
from facilitate.spreadsheets.writing import workbook_download


@bp.get("/editions/<int:edition_id>/workbook.<workbook_format>")
def workbook(edition_id: int, workbook_format: str):
    """XLSX or ODS (a CSV holds one table, the workbook two)."""
    edition = managed_edition(edition_id)
    basename = f"edition-{edition.year}-{edition.id}"
    return workbook_download(edition_sheets(edition), workbook_format, basename)


def _describe_part(event, checked) -> list[str]:
    if isinstance(checked, ChallengeImport):
        return describe_challenge_import(checked)
    return describe_attendee_import(event, checked)


def _describe(checked) -> list[str]:
    return [
        ngettext(
            "%(num)d site has lines in the workbook: each is checked by its own rules below.",
            "%(num)d sites have lines in the workbook: each is checked by its own rules below.",
            len(checked.sites),
        )
    ]


@bp.route("/editions/<int:edition_id>/workbook/import", methods=["GET", "POST"])
def import_workbook(edition_id: int):
    edition = managed_edition(edition_id)

    def apply(checked):
        challenges, attendees = import_edition_workbook(edition, checked, current_user)
        return _(
            "Import done. Sites: %(sites)d; challenge lines: %(challenges)d; attendee lines: "
            "%(attendees)d.",
            challenges=challenges,
            attendees=attendees,
            sites=len(checked.sites),
        )

    edition_url = url_for("editions.show", edition_id=edition.id)
    return import_page(
        check=lambda data, filename: check_edition_workbook(edition, data, filename),
        apply=apply,
        describe=_describe,
        title=_("Import the edition’s workbook"),
        hint=workbook_hint(),
        done_url=edition_url,
        back_url=edition_url,
        breadcrumb=[
            (_("Editions"), url_for("editions.home")),
            (f"{edition.name} {edition.year}", edition_url),
        ],
        template="editions/workbook_preview.html",
        describe_part=_describe_part,
        site_names=[event.name for event in site_events(edition)],
    )
