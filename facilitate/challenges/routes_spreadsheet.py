"""Challenge sheets in and out as spreadsheets (the format round-trips)."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from facilitate.challenges import bp
from facilitate.challenges.export import (
    challenge_table,
)
from facilitate.challenges.importing import (
    import_challenges,
)
from facilitate.challenges.spreadsheet import (
    check_challenge_file,
)
from facilitate.events.services import get_managed_event_or_404
from facilitate.spreadsheets.pages import import_page
from facilitate.spreadsheets.writing import spreadsheet_download


@bp.route("/events/<slug>/challenges/import", methods=["GET", "POST"])
def import_sheets(slug: str):
    event = get_managed_event_or_404(slug)

    def apply(checked):
        result = import_challenges(event, checked, current_user)
        return _(
            "Import done. Challenges created: %(created)d; updated: %(updated)d.",
            created=result.created,
            updated=result.updated,
        )

    return import_page(
        check=lambda data, filename: check_challenge_file(event, data, filename),
        apply=apply,
        describe=describe_challenge_import,
        title=_("Import challenges"),
        hint=_(
            "One line per challenge, below a header line (title lines above it are skipped). "
            "Columns, in French or English: Défi or N° (number) and Question or Intitulé are required; "
            "Structure porteuse, Projet, Territoire, Enjeux, Parties prenantes, Public cible, Obstacles, "
            "Leviers d’action, Thématique, Couleur du thème, Pour en savoir plus are optional. "
            "In list columns, put one item per line in the cell, or separate items with “;”. "
            "A challenge whose number already exists is updated; the preview shows what changes."
        ),
        done_url=url_for("challenges.manage", slug=slug),
        back_url=url_for("challenges.manage", slug=slug),
        breadcrumb=[
            (_("Organise: %(name)s", name=event.name), url_for("events.organise", slug=slug)),
            (_("Challenges"), url_for("challenges.manage", slug=slug)),
        ],
    )


@bp.get("/events/<slug>/challenges/export.<fmt>")
def export_sheets(slug: str, fmt: str):
    event = get_managed_event_or_404(slug)
    headers, rows = challenge_table(event)
    return spreadsheet_download(headers, rows, fmt, f"{event.slug}-defis", _("Challenges"))


def describe_challenge_import(checked) -> list[str]:
    """What importing the checked file will do, in a few lines (also said per site of an
    edition's workbook)."""
    lines = []
    if checked.creates:
        lines.append(
            ngettext(
                "%(num)d challenge will be created.",
                "%(num)d challenges will be created.",
                len(checked.creates),
            )
        )
    if checked.updates:
        lines.append(
            ngettext(
                "%(num)d challenge will be updated.",
                "%(num)d challenges will be updated.",
                len(checked.updates),
            )
        )
    if checked.unchanged:
        lines.append(
            ngettext(
                "%(num)d challenge is already as in the file.",
                "%(num)d challenges are already as in the file.",
                len(checked.unchanged),
            )
        )
    if not checked.creates and not checked.changes:
        lines.append(_("No change: the event already has everything this file holds."))
    if checked.new_themes:
        lines.append(_("New themes: %(names)s", names=", ".join(checked.new_themes)))
    return lines
