"""facilitate: run innovation-university events for the public sector."""

import threading
from inspect import iscoroutinefunction
from pathlib import Path

from flask import Flask, redirect, url_for
from flask.globals import _cv_request
from flask.templating import _default_template_ctx_processor

from facilitate import (
    accounts,
    api,
    audit,
    auth,
    book,
    challenges,
    cli,
    dashboard,
    debrief,
    editions,
    errors,
    events,
    exhibition,
    flashes,
    followup,
    forms,
    i18n,
    jury,
    layout,
    people,
    policy,
    printing,
    privacy,
    programme,
    resources,
    security,
    sessions,
    showcase,
    spreadsheets,
    teams,
    templating,
    urls,
    workspace,
)
from facilitate.config import load_config
from facilitate.extensions import csrf, db, limiter, migrate
from facilitate.urls import DatabaseInteger

PACKAGE_DIR = Path(__file__).parent
_PLAIN = frozenset({str, int, bool, float, type(None)})  # values an address is built from


class Facilitate(Flask):
    """Flask, with two things kept per process: whether each function is a coroutine function
    (``ensure_sync``: Flask asks again for every hook of every request, a dozen a page, 3 µs
    each through ``inspect``), and the addresses built within requests (``url_for``)."""

    SYNCHRONOUS_KEPT = 1024  # the app's hooks and views; functions made per request are not kept
    # Addresses kept, each with its key: short ones only (see ``URL_VALUE_KEPT``), under a
    # kilobyte with its key, so at most some 8 MB a process.
    URLS_KEPT = 8192
    # A text value longer than this, or an address longer than ``URL_KEPT``, is built and not
    # kept: an anonymous page's "sign in" link carries the page's address (``next``), long
    # query strings included, which would fill the cache with addresses read once.
    URL_VALUE_KEPT = 200
    URL_KEPT = 300

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._synchronous: dict = {}
        self._urls: dict[tuple, str] = {}  # oldest first
        self._urls_lock = threading.Lock()

    def ensure_sync(self, func):
        try:
            synchronous = self._synchronous.get(func)
        except TypeError:  # not hashable
            return super().ensure_sync(func)
        if synchronous is None:
            synchronous = not iscoroutinefunction(func)
            if len(self._synchronous) < self.SYNCHRONOUS_KEPT:
                self._synchronous[func] = synchronous
        return func if synchronous else self.async_to_sync(func)

    def url_for(self, endpoint: str, /, **values) -> str:
        """Flask's ``url_for``, each address built once per process within requests: a
        werkzeug build costs 5 to 10 µs, and a page builds dozens, the same for every reader
        of an event. Kept by what the address depends on (the request's host, scheme and
        root, the endpoint, the values and their types); values that are not plain numbers
        or text, relative endpoints, addresses built outside a request, and apps with
        ``url_defaults`` are Flask's alone. Long values and long addresses are built and
        not kept."""
        context = _cv_request.get(None)  # as Flask's url_for finds the request
        adapter = context.url_adapter if context is not None else None
        if adapter is None or endpoint[:1] == "." or self._has_url_defaults():
            return super().url_for(endpoint, **values)
        types = tuple(map(type, values.values()))
        key = (
            adapter.server_name,
            adapter.script_name,
            adapter.subdomain,
            adapter.url_scheme,
            endpoint,
            tuple(values.items()),
            types,
        )
        try:
            url = self._urls.get(key)
        except TypeError:  # a value that cannot be a key
            return super().url_for(endpoint, **values)
        if url is None:
            url = super().url_for(endpoint, **values)
            if (
                _PLAIN.issuperset(types)
                and len(url) <= self.URL_KEPT
                and not any(len(v) > self.URL_VALUE_KEPT for v in values.values() if type(v) is str)
            ):
                with self._urls_lock:
                    self._urls[key] = url
                    while len(self._urls) > self.URLS_KEPT:
                        del self._urls[next(iter(self._urls))]
        return url

    def _has_url_defaults(self) -> bool:
        return bool(self.url_default_functions) and any(self.url_default_functions.values())


def create_app(config: dict | None = None) -> Flask:
    app = Facilitate(__name__, instance_relative_config=True)
    templating.init_app(app)  # before anything creates app.jinja_env
    forms.install_widgets()  # WTForms' widgets write their attributes faster
    app.url_map.converters["int"] = DatabaseInteger
    load_config(app, config)
    security.init_app(app)  # headers and cookie flags; trusts PROXY_FIX proxies
    sessions.init_app(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    security.init_csrf(app)  # each session's token signed once
    limiter.init_app(app)
    i18n.init_app(app)
    flashes.init_app(app)
    urls.init_app(app)
    layout.init_app(app)  # the layout's header and footer, kept
    auth.init_app(app)
    policy.init_app(app)

    app.register_blueprint(auth.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(events.bp)
    app.register_blueprint(editions.bp)
    app.register_blueprint(jury.bp)
    app.register_blueprint(challenges.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(teams.bp)
    app.register_blueprint(printing.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(workspace.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(exhibition.bp)
    app.register_blueprint(programme.bp)
    app.register_blueprint(resources.bp)
    app.register_blueprint(debrief.bp)
    app.register_blueprint(followup.bp)
    app.register_blueprint(showcase.bp)
    app.register_blueprint(spreadsheets.bp)
    app.register_blueprint(privacy.bp)
    app.register_blueprint(book.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)
    app.register_blueprint(i18n.bp)
    errors.init_app(app)
    cli.init_app(app)
    # Browsers ask for /favicon.ico whatever the pages say (feed readers, bookmarks): the icon
    # pages link to, rather than a 404 in every log.
    app.add_url_rule(
        "/favicon.ico",
        "favicon",
        lambda: redirect(url_for("static", filename="favicon.svg"), code=301),
    )
    _once_per_render(app)
    return app


def _once_per_render(app: Flask) -> None:
    """Flask gives each blueprint its own copy of the default context processor (``g`` and
    ``request`` for templates), which runs again after the application's, with the same values:
    the application's alone is kept."""
    for name, processors in list(app.template_context_processors.items()):
        if name is None:
            continue
        processors[:] = [p for p in processors if p is not _default_template_ctx_processor]
        if not processors:
            del app.template_context_processors[name]
