"""Forms as first shown, rendered once per language and process.

A form shown empty (nothing typed, no error: the journal's, a new persona's, a new idea's...)
renders the same HTML at every request but for its CSRF token, and a form showing what is
stored (the framing) the same HTML until what is stored changes. Building such a form with
WTForms and rendering its fields through the macros cost 0.1 to 2 ms a form at every request
(bench/pages.py), so the workspace renders each once, through the same macro
(``workspace/_forms.html``) that renders it refused with its errors, and keeps it as the
edition's and the jury's forms are kept (``facilitate/rendered_forms.py``: without the token,
keyed by what it shows; the request's token put back in). Nothing changes for what is sent:
every POST builds its Flask-WTF form, which checks the token and every field.
"""

from collections.abc import Callable

from markupsafe import Markup

from facilitate.rendered_forms import as_shown, macro
from facilitate.workspace import bp

TEMPLATE = "workspace/_forms.html"
# The forms the templates may ask for by name: how to build one empty, and what else its HTML
# depends on (a setting it shows), if anything.
FORMS: dict[str, tuple[Callable, Callable | None]] = {}


def register(name: str, form_class: type, prefix: str = "", build=None, depends=None) -> None:
    """``name`` is also the macro of ``workspace/_forms.html`` that renders the form's inside;
    ``build`` builds the empty form when the class alone does not."""
    FORMS[name] = (build or (lambda: form_class(prefix=prefix, formdata=None)), depends)


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
        return macro(TEMPLATE, name)(form, **arguments)
    build, depends = FORMS[name]
    # What the HTML shows besides its language and token: the rest is the form's class.
    shown = (
        _hashable(arguments),
        None if values is None else _hashable(values),
        depends() if depends else None,
    )
    built = (lambda: (build(),)) if values is None else (lambda: (build(values),))
    return as_shown(TEMPLATE, name, shown, built, keywords=arguments)
