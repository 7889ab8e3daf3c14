"""Empty forms, rendered once per language and process.

A form shown empty (nothing typed, no error: the journal's, a new persona's, a new idea's...)
renders the same HTML at every request but for its CSRF token. Building it with WTForms and
rendering its fields through the macros cost 0.1 to 0.4 ms a form at every request
(bench/pages.py), so the workspace renders each empty form once, through the same macro
(``workspace/_forms.html``) that renders it refused with its errors, keeps that HTML with the
token taken out, and puts the request's token back in. Nothing changes for what is sent: every
POST builds its Flask-WTF form, which checks the token and every field.
"""

from collections.abc import Callable

from flask import current_app
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from facilitate.workspace import bp

# Where the token was, in the HTML kept: no form field or label holds a NUL character.
_PLACEHOLDER = "\x00csrf\x00"
# The forms the templates may ask for by name: how to build one empty, and what else its HTML
# depends on (a setting it shows), if anything.
FORMS: dict[str, tuple[Callable, Callable | None]] = {}
_RENDERED: dict[tuple, str] = {}


def register(name: str, form_class: type, prefix: str = "", build=None, depends=None) -> None:
    """``name`` is also the macro of ``workspace/_forms.html`` that renders the form's inside;
    ``build`` builds the empty form when the class alone does not."""
    FORMS[name] = (build or (lambda: form_class(prefix=prefix, formdata=None)), depends)


def _macro(name: str):
    return getattr(current_app.jinja_env.get_template("workspace/_forms.html").module, name)


@bp.app_template_global()
def form_inside(name: str, form=None) -> Markup:
    """The inside of form ``name`` (hidden fields, fields, button): ``form`` as a view gives it
    back (refused, with its errors), else the empty form with this request's CSRF token."""
    if form is not None:
        return _macro(name)(form)
    config = current_app.config
    protected = config.get("WTF_CSRF_ENABLED", True)
    # Whatever the HTML depends on: the language of its labels, whether (and as what) the
    # token is sent; the rest is the form's class, the same in every app.
    build, depends = FORMS[name]
    key = (name, str(get_locale()), protected, config.get("WTF_CSRF_FIELD_NAME"))
    if depends is not None:
        key += (depends(),)
    html = _RENDERED.get(key)
    if html is None:
        html = str(_macro(name)(build()))
        if protected:
            html = html.replace(generate_csrf(), _PLACEHOLDER)
        _RENDERED[key] = html
    if protected:
        html = html.replace(_PLACEHOLDER, generate_csrf())
    return Markup(html)  # noqa: S704 (the macro's own output, escaped when it was rendered)
