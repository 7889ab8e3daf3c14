"""The programme in and out as a spreadsheet, with the same upload, preview and confirmation as
the challenges."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from facilitate.programme import bp
from facilitate.programme.routes_organise import managed_event_or_404
from facilitate.programme.spreadsheet import (
    check_programme_file,
    import_programme,
    programme_table,
)
from facilitate.spreadsheets.pages import import_page
from facilitate.spreadsheets.writing import spreadsheet_download


def _describe(checked) -> list[str]:
    lines = []
    if checked.creates:
        lines.append(
            ngettext(
                "%(num)d session will be created.",
                "%(num)d sessions will be created.",
                checked.creates,
            )
        )
    if checked.updates:
        lines.append(
            ngettext(
                "%(num)d session will be updated.",
                "%(num)d sessions will be updated.",
                checked.updates,
            )
        )
    if checked.unchanged:
        lines.append(
            ngettext(
                "%(num)d session is already as in the file.",
                "%(num)d sessions are already as in the file.",
                checked.unchanged,
            )
        )
    if not checked.creates and not checked.updates:
        lines.append(_("No change: the programme already has everything this file holds."))
    return lines


@bp.route("/events/<slug>/organise/programme/import", methods=["GET", "POST"])
def import_sessions(slug: str):
    event = managed_event_or_404(slug)

    def apply(checked):
        created, updated = import_programme(event, checked, current_user)
        return _(
            "Import done. Sessions created: %(created)d; updated: %(updated)d.",
            created=created,
            updated=updated,
        )

    return import_page(
        check=lambda data, filename: check_programme_file(event, data, filename),
        apply=apply,
        describe=_describe,
        title=_("Import the programme"),
        hint=_(
            "One line per session, below a header line (title lines above it are skipped). "
            "Columns, in French or English: Jour (10/07/2018), Début and Fin (9:30), Type "
            "(plénière, conférence, mini-conférence, travail en équipe, exposition, repas, "
            "retour collectif) and Titre are required; Salle, Intervenants, Description, "
            "Étape and Équipe (a challenge number) are optional. Times are the venue’s. "
            "A line with the Identifiant of an exported session updates it; the others are "
            "added. Nothing is deleted."
        ),
        done_url=url_for("programme.manage", slug=slug),
        back_url=url_for("programme.manage", slug=slug),
        breadcrumb=[
            (_("Organise: %(name)s", name=event.name), url_for("events.organise", slug=slug)),
            (_("Programme"), url_for("programme.manage", slug=slug)),
        ],
    )


@bp.get("/events/<slug>/organise/programme/export.<fmt>")
def export_sessions(slug: str, fmt: str):
    event = managed_event_or_404(slug)
    headers, rows = programme_table(event)
    return spreadsheet_download(headers, rows, fmt, f"{event.slug}-programme", _("Programme"))
