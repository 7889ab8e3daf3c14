"""A prototype photo's small version, for the pages that show photos small: the workspace's
thumbnails and the stand page phones open at the exhibition (thumbnails.py says why and how);
and whether a photo may be public, recorded photo by photo.

Read like the original (prototyping.show_file): by the same people (policy.can_read_prototype_file), with the same headers. A
photo without a small version is served as it is, once clean (photos.py); a PDF has none: 404.
"""

from flask import abort, redirect
from flask_babel import gettext as _
from flask_login import current_user

from facilitate import policy
from facilitate.extensions import db
from facilitate.flashes import flash_at
from facilitate.models import Stage
from facilitate.workspace import bp, thumbnails
from facilitate.workspace.consent import record_public_consent as record
from facilitate.workspace.forms import PUBLIC, PublicConsentForm
from facilitate.workspace.pages import back_url
from facilitate.workspace.routes import _team_for, readable_file
from facilitate.workspace.services import file_of_team_or_404


@bp.get("/events/<slug>/teams/<int:number>/workspace/files/<int:file_id>/small")
def show_small_file(slug: str, number: int, file_id: int):
    row, name = readable_file(slug, number, file_id)
    if not row.is_photo:
        abort(404)
    return thumbnails.send_small(row.storage_name, row.content_type, name)


@bp.post("/events/<slug>/teams/<int:number>/workspace/files/<int:file_id>/public")
def record_public_consent(slug: str, number: int, file_id: int):
    """The people pictured agreed to the photo being public, or no longer do. Only a photo they
    agreed to share within the event can be public: any other file is a 404."""
    team = _team_for(slug, number, policy.can_record_public_consent)
    row = file_of_team_or_404(team, file_id)
    if not (row.is_photo and row.consent_confirmed):
        abort(404)
    anchor = f"file-{row.id}"
    form = PublicConsentForm()
    if not form.validate_on_submit():
        flash_at(anchor, _("Nothing changed: please try again."), "error")
    else:
        if record(team, row, form.choice.data == PUBLIC, current_user):
            db.session.commit()
        if row.public_consent:
            flash_at(anchor, _("This photo may now appear on the public showcase."))
        else:
            flash_at(
                anchor, _("This photo now stays within the event: the showcase no longer shows it.")
            )
    return redirect(back_url(team, Stage.PROTOTYPING, f"#{anchor}"), code=303)
