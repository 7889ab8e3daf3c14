"""Forms as first shown, rendered once per process while what they show stays the same: the
workspace's (``workspace/blank_forms.py``: the journal's, a new idea's, the framing...), the
edition's and the jury's.

The jury's page shows a form per criterion, a juror's page a form per nominee (a 1–5 choice per
criterion), the edition's page three forms: building them with WTForms and rendering them
through the field macros cost most of those pages' time at every request. A form shown as
stored (nothing typed, no error) is the same HTML at every request but for its CSRF token: it
is rendered once through its macro (``editions/_forms.html``, ``jury/_forms.html``: the one a
refused form is rendered with too, showing its errors), kept without the token under a digest
of everything it shows, and the request's token is put back in. Every POST still builds its
Flask-WTF form, which checks the token and every field.
"""

import hashlib
from collections.abc import Callable

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

from facilitate.kept import Kept, with_token, without_token
from facilitate.security import generate_csrf

# A juror's page holds a form per nominee and juror (about 40 at edition scale); the workspace's
# forms showing stored values, a few per team. Kept without the CSRF token.
_forms: Kept[bytes, str] = Kept(1024)


def macro(template: str, name: str):
    return getattr(current_app.jinja_env.get_template(template).module, name)


def as_shown(
    template: str,
    name: str,
    shown: tuple,
    arguments: Callable[[], tuple],
    refused=False,
    keywords: dict | None = None,
) -> Markup:
    """Macro ``name`` of ``template`` called with ``arguments()`` (the forms it renders, built
    as first shown), rendered once while ``shown`` (all the HTML shows: ids, names, values,
    choices) and the reader's language stay the same; with this request's CSRF token.
    ``refused``: a form among them is the one a POST gives back with its errors, rendered as
    it is and not kept. ``keywords`` go to the macro as they are (and belong in ``shown``)."""
    keywords = keywords or {}
    if refused:
        return Markup(macro(template, name)(*arguments(), **keywords))  # noqa: S704  (the macro's own)
    config = current_app.config
    token = generate_csrf() if config.get("WTF_CSRF_ENABLED", True) else None
    # The root the app is served under: a form's action is an address under it.
    context = (template, name, str(get_locale()), token is None, request.script_root)
    context += (config.get("WTF_CSRF_FIELD_NAME"), shown)
    # A digest: the key keeps no second copy of what people wrote.
    key = hashlib.sha256(repr(context).encode()).digest()
    html = _forms.get_or_make(
        key, lambda: without_token(str(macro(template, name)(*arguments(), **keywords)), token)
    )
    # The macro's own output, escaped when it was rendered.
    return Markup(with_token(html, token))  # noqa: S704
