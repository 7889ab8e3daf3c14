"""The layout's fixed parts (base.html): its header (skip link, account links, language switch)
and its footer, rendered by Jinja once per process for each kind of page and kept.

Every page renders them, some twenty template calls (translated words, fixed addresses, the CSRF
token, the page's own path) for HTML that depends on little. So each is rendered once for what
it shows (the path the app is served under, the reader's language and the languages offered,
whether someone is signed in and can change a password; for the footer, whether the page is
about an event), with placeholders where the request's own values go: the person's name, the
session's CSRF token, the page's path, the sign-in link (which carries the path) and the event's
privacy notice link. Those are put back at each request, escaped as Jinja would
(``markupsafe.escape``). What is kept thus holds nobody's name, token or address.

The templates are ``_layout_header.html`` and ``_layout_footer.html``: they see only the
variables given here and the environment's globals (``_``, ``fixed_url``). While templates are
reloaded when changed (``TEMPLATES_AUTO_RELOAD``, debug), nothing is kept.
"""

import re
import threading

from flask import url_for
from flask.globals import _cv_request
from jinja2 import Undefined, pass_context
from markupsafe import Markup, escape

from facilitate.policy import can_change_own_password
from facilitate.security import generate_csrf

KEPT = 64  # kinds of pages: (root, language, languages offered, signed in, password) at most
_SLOT = "\ue000{}\ue000"  # a private-use character: neither escaped nor typed in a template
_SLOTS = re.compile("\ue000(\\w+)\ue000")
_lock = threading.Lock()


def _kept(environment) -> dict:
    """This environment's (hence app's) fragments: oldest first."""
    try:
        return environment.layout_fragments
    except AttributeError:
        environment.layout_fragments = {}
        return environment.layout_fragments


def _fragment(environment, template: str, key: tuple, variables: dict) -> tuple[str, ...]:
    """The template rendered with ``variables`` (the slots as placeholders), split into text and
    slot names in turn: ``(text, slot, text, slot, text)``."""
    kept = _kept(environment)
    pieces = kept.get(key) if not environment.auto_reload else None
    if pieces is None:
        html = environment.get_template(template).render(variables)
        pieces = tuple(_SLOTS.split(html))
        if not environment.auto_reload:
            with _lock:
                kept[key] = pieces
                while len(kept) > KEPT:
                    del kept[next(iter(kept))]
    return pieces


def _filled(pieces: tuple[str, ...], values: dict) -> Markup:
    """The fragment with each slot's value, escaped."""
    parts = list(pieces)
    for i in range(1, len(parts), 2):
        parts[i] = escape(values[parts[i]])
    return Markup("".join(parts))  # noqa: S704  (Jinja's output, and escaped values)


_HEADER_SLOTS = {name: _SLOT.format(name) for name in ("name", "csrf", "path", "sign_in_href")}


@pass_context
def layout_header(context) -> Markup:
    """The skip link and the header: the brand, who is signed in with their account's links and
    "Sign out", or "Sign in"; the switch to the other languages."""
    request = _cv_request.get().request
    user = context.get("current_user")
    authenticated = bool(user.is_authenticated)
    password = authenticated and can_change_own_password(user)
    language = context.get("current_language")
    others = tuple(context.get("other_languages") or ())
    key = ("header", request.script_root, language, others, authenticated, password)
    pieces = _fragment(
        context.environment,
        "_layout_header.html",
        key,
        {
            **_HEADER_SLOTS,
            "authenticated": authenticated,
            "can_change_password": password,
            "other_languages": others,
        },
    )
    path = request.full_path.removesuffix("?")  # i18n.current_path
    values = {"csrf": generate_csrf(), "path": path}
    if authenticated:
        values["name"] = user.name
    else:
        here = path if request.endpoint != "auth.sign_in" else None
        values["sign_in_href"] = url_for("auth.sign_in", next=here)
    return _filled(pieces, values)


_FOOTER_SLOTS = {"event_href": _SLOT.format("event_href")}


@pass_context
def layout_footer(context) -> Markup:
    """The footer: the platform's privacy notice, and the event's on a page about an event (a
    template that has an ``event`` with a ``slug``)."""
    request = _cv_request.get().request
    # As ``event is defined and event.slug is defined`` (None has no slug either).
    slug = context.environment.getattr(context.get("event"), "slug")
    about_event = not isinstance(slug, Undefined)
    key = ("footer", request.script_root, context.get("current_language"), about_event)
    pieces = _fragment(
        context.environment,
        "_layout_footer.html",
        key,
        _FOOTER_SLOTS if about_event else {"event_href": None},
    )
    values = {"event_href": url_for("privacy.event_notice", slug=slug)} if about_event else {}
    return _filled(pieces, values)


def init_app(app) -> None:
    app.jinja_env.globals.update(layout_header=layout_header, layout_footer=layout_footer)
