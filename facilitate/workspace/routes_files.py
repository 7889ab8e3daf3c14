"""A prototype photo's small version, for the pages that show photos small: the workspace's
thumbnails and the stand page phones open at the exhibition (thumbnails.py says why and how).

Read like the original (prototyping.show_file): by the same people (policy.can_read_prototype_file), with the same headers. A
photo without a small version is served as it is, once clean (photos.py); a PDF has none: 404.
"""

from flask import abort

from facilitate.workspace import bp, thumbnails
from facilitate.workspace.routes import readable_file


@bp.get("/events/<slug>/teams/<int:number>/workspace/files/<int:file_id>/small")
def show_small_file(slug: str, number: int, file_id: int):
    row, name = readable_file(slug, number, file_id)
    if not row.is_photo:
        abort(404)
    return thumbnails.send_small(row.storage_name, row.content_type, name)
