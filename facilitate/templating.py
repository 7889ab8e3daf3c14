"""Jinja's environment, with each template's globals the environment's own dict.

Jinja gives every template a ``ChainMap`` of its own globals over the environment's, so that
changing a template's globals leaves the others alone. No template here has globals of its own,
and the app's are many (the policy predicates templates ask): a ``ChainMap`` of about a hundred
names is copied key by key in Python each time a template renders, and again at each
``{% from ... import %}`` to find which globals are new (Jinja's ``_get_default_module``).
A plain dict does both in C: 0.1 ms a page, more for the pages that import several macros.
Nothing may change the globals of one template alone (``template.globals``): change the
environment's (``app.jinja_env.globals``), before the first request, as Flask says.

Templates loaded are kept in a plain dict rather than Jinja's LRU cache of 400: every
``get_template`` (each render, ``extends``, ``include`` and ``import``: several a page) moved the
template to the front of the LRU's queue under a lock, a scan of the queue comparing keys that
hold weak references. The app's templates are a few hundred files, all kept either way.
"""

from flask import Flask
from flask.templating import Environment as FlaskEnvironment


class Environment(FlaskEnvironment):
    def __init__(self, app, **options):
        options.setdefault("cache_size", -1)  # a dict, never emptied
        super().__init__(app, **options)

    def make_globals(self, d):
        if not d:
            return self.globals
        return super().make_globals(d)


def init_app(app: Flask) -> None:
    """Before anything creates ``app.jinja_env``."""
    app.jinja_environment = Environment
