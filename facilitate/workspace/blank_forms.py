"""Forms as first shown, rendered once per language and process.

A form shown empty (nothing typed, no error: the journal's, a new persona's, a new idea's...)
renders the same HTML at every request but for its CSRF token, and a form showing what is
stored (the framing) the same HTML until what is stored changes. Building such a form with
WTForms and rendering its fields through the macros cost 0.1 to 2 ms a form at every request
(bench/pages.py), so the workspace renders each once, through the same macro
(``workspace/_forms.html``) that renders it refused with its errors, keeps that HTML with the
token taken out (keyed by what it shows, if anything), and puts the request's token back in.
Nothing changes for what is sent: every POST builds its Flask-WTF form, which checks the
token and every field.
"""

import hashlib
import secrets
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup

from facilitate.security import generate_csrf
from facilitate.workspace import bp

# Where the token was, in the HTML kept: drawn at random per process, so that no text a person
# typed can be taken for it.
_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
# The forms the templates may ask for by name: how to build one empty, and what else its HTML
# depends on (a setting it shows), if anything.
FORMS: dict[str, tuple[Callable, Callable | None]] = {}
_RENDERED: OrderedDict[tuple, str] = OrderedDict()
# Forms showing stored values are kept for the teams most recently shown, the oldest dropped.
_KEPT = 512
_LOCK = Lock()


def register(name: str, form_class: type, prefix: str = "", build=None, depends=None) -> None:
    """``name`` is also the macro of ``workspace/_forms.html`` that renders the form's inside;
    ``build`` builds the empty form when the class alone does not."""
    FORMS[name] = (build or (lambda: form_class(prefix=prefix, formdata=None)), depends)


def _macro(name: str):
    return getattr(current_app.jinja_env.get_template("workspace/_forms.html").module, name)


def _hashable(value):
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_hashable(item) for item in value)
    return value


@bp.app_template_global()
def form_inside(name: str, form=None, values: dict | None = None, **arguments) -> Markup:
    """The inside of form ``name`` (hidden fields, fields, buttons): ``form`` as a view gives it
    back (refused, with its errors), else the form first shown (empty, or showing ``values``)
    with this request's CSRF token. ``arguments`` go to the macro (an address it shows)."""
    if form is not None:
        return _macro(name)(form, **arguments)
    config = current_app.config
    protected = config.get("WTF_CSRF_ENABLED", True)
    # Whatever the HTML depends on: the language of its labels, whether (and as what) the
    # token is sent, what it shows; the rest is the form's class, the same in every app.
    build, depends = FORMS[name]
    key = (name, str(get_locale()), protected, config.get("WTF_CSRF_FIELD_NAME"))
    # What the form shows, as a digest: the key does not keep a second copy of a team's texts.
    shown = None if values is None else hashlib.sha256(repr(_hashable(values)).encode()).digest()
    key += (_hashable(arguments), shown, depends() if depends else None)
    with _LOCK:
        html = _RENDERED.get(key)
        if html is not None:
            _RENDERED.move_to_end(key)
    if html is None:
        built = build() if values is None else build(values)
        html = str(_macro(name)(built, **arguments))
        if protected:
            html = html.replace(generate_csrf(), _PLACEHOLDER)
        with _LOCK:
            _RENDERED[key] = html
            if len(_RENDERED) > _KEPT:
                _RENDERED.popitem(last=False)
    if protected:
        html = html.replace(_PLACEHOLDER, generate_csrf())
    return Markup(html)  # noqa: S704 (the macro's own output, escaped when it was rendered)
