"""A prototype photo's small version, for the pages that show photos small: the workspace's
thumbnails and the stand page phones open at the exhibition (thumbnails.py says why and how).

Read like the original (prototyping.show_file): by the same people (policy.can_read_prototype_file), with the same headers. A
photo without a small version is served as it is, once clean (photos.py); a PDF has none: 404.
"""

import os

from flask import abort

from facilitate.workspace import bp, photos, thumbnails, uploads
from facilitate.workspace.routes import readable_file


@bp.get("/events/<slug>/teams/<int:number>/workspace/files/<int:file_id>/small")
def show_small_file(slug: str, number: int, file_id: int):
    row, name = readable_file(slug, number, file_id)
    if not row.is_photo:
        abort(404)
    path = uploads.path_of(row.storage_name)
    if path is None or not os.path.isfile(path):
        abort(404)
    small = thumbnails.small_version(path, uploads.small_path_of(row.storage_name))
    if small is not None:
        path, mimetype, extension = small, "image/jpeg", "jpg"
    elif photos.ready_to_serve(row.storage_name):
        mimetype, extension = row.content_type, row.storage_name.rsplit(".", 1)[1]
    else:
        abort(404)
    return uploads.send_inline(path, mimetype, name, extension)
