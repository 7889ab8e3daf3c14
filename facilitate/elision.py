"""French elision before names: "d’Hélène", "l’Idéation", "en tant qu’animatrice", never
"de Hélène".

A translation writes "de %(name)s", "le %(stage)s" or "que %(role)s" as usual; when the value put
there begins with a vowel sound (a vowel, a mute h, a y before a consonant), the article elides.
Every translated message goes through ``elide`` before its values are put in: messages in Python
(Flask-Babel's domain) and in templates (the Jinja ``_``), so translators need no special form.
"""

import re
import unicodedata

import flask_babel
from babel import support
from flask import Flask, g
from flask.globals import _cv_app
from flask_babel import Domain, get_domain
from jinja2 import pass_context
from markupsafe import Markup

# Words whose h is aspirated keep their article ("de Hollande", "le Havre"); names of people
# with an h (Hélène, Hugo, Hervé) take the elision.
_ASPIRATED_H = {
    "hall",
    "hameau",
    "handicap",
    "hangar",
    "hasard",
    "haut",
    "haute",
    "hautes",
    "hauts",
    "havre",
    "hollande",
    "hongrie",
    "honte",
}
_VOWELS = set("aeiou")
# "de", "le", "la", "que" (also "jusque", "lorsque", "puisque") right before a placeholder.
_ARTICLE = re.compile(r"\b(d|l|qu|jusqu|lorsqu|puisqu)(?:e|a) (%\((\w+)\)s)", re.IGNORECASE)


def _plain(letter: str) -> str:
    return unicodedata.normalize("NFD", letter)[0].lower()


def starts_with_vowel_sound(word) -> bool:
    """True for "Hélène", "Yves", "animatrice", "Idéation"; False for "Yann", "Hollande", "8"."""
    text = str(word).strip()
    if not text:
        return False
    first = _plain(text[0])
    second = _plain(text[1]) if len(text) > 1 else ""
    if first in _VOWELS:
        return True
    if first == "y":  # "Yves" elides, "Yann" does not: y before a vowel is a consonant
        return bool(second) and second.isalpha() and second not in _VOWELS | {"y"}
    if first == "h":
        head = re.split(r"[\s\-’']", text.lower(), maxsplit=1)[0]
        return second in _VOWELS and head not in _ASPIRATED_H
    return False


def elide(template: str, values: dict) -> str:
    """The translated ``template`` with "de/le/la/que %(key)s" elided where ``values[key]``
    begins with a vowel sound, when the reader reads French. Other languages are left alone."""
    if not _catalogue()[1]:
        return template
    return elide_french(template, values)


def elide_french(template: str, values: dict) -> str:
    """``elide`` for a template known to be French."""
    if not values or "%(" not in template:
        return template

    def replace(match: re.Match) -> str:
        value = values.get(match[3])
        if value is None or not starts_with_vowel_sound(value):
            return match[0]
        return f"{match[1]}’{match[2]}"

    return _ARTICLE.sub(replace, template)


_CATALOGUE = "_facilitate_catalogue"


def _catalogue() -> tuple[support.NullTranslations, bool]:
    """The reader's translations, and whether they read French, looked up once per request.

    Flask-Babel finds its domain, the locale and the catalogue again at every message (some ten
    context look-ups, 10 µs); a page translates fifty messages, a list a thousand. Kept with
    the locale it was found for, so that a change of locale (``force_locale``) is followed.
    Once found, it is answered from the request's globals directly (``_found``): Flask-Babel's
    ``get_locale`` goes through ``g`` three times, and a list asks a hundred times a page."""
    found = _found()
    if found is not None:
        return found[1], found[2]
    locale = current_locale()
    if locale is None:  # no application context: Flask-Babel's untranslated messages
        return support.NullTranslations(), False
    found = g.get(_CATALOGUE)
    if found is None or found[0] is not locale:
        found = (locale, Domain.get_translations(get_domain()), locale.language == "fr")
        setattr(g, _CATALOGUE, found)
    return found[1], found[2]


def _found():
    return kept_for_locale(_CATALOGUE)


def kept_for_locale(name: str):
    """What the request's globals keep under ``name`` as ``(locale, ...)``, if the locale is
    still the one it was found for (the locale Flask-Babel keeps in ``g._flask_babel``:
    ``force_locale`` replaces it there); None otherwise, or without an application context."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return None
    namespace = app_context.g.__dict__
    found = namespace.get(name)
    babel = namespace.get("_flask_babel")
    if found is None or babel is None or getattr(babel, "babel_locale", None) is not found[0]:
        return None
    return found


class ElidingDomain(Domain):
    """Flask-Babel's domain, eliding French articles before the values it puts in."""

    def get_translations(self):
        return _catalogue()[0]

    def gettext(self, string, **variables):
        s = self.get_translations().ugettext(string)
        return s if not variables else elide(s, variables) % variables

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        s = self.get_translations().ungettext(singular, plural, num)
        return elide(s, variables) % variables

    def pgettext(self, context, string, **variables):
        s = self.get_translations().upgettext(context, string)
        return s if not variables else elide(s, variables) % variables


@pass_context
def _jinja_gettext(context, string, **variables):
    """Jinja's new-style ``_`` (values escaped, always formatted), with the elision."""
    translations, french = _catalogue()
    text = translations.ugettext(string)
    if french and variables:
        text = elide_french(text, variables)
    if context.eval_ctx.autoescape:
        # As Jinja does: the catalogue is trusted, the values are escaped by Markup's %.
        text = Markup(text)  # noqa: S704
    if not variables and "%" not in text:
        return text  # what ``%`` would give, without its cost (most words of a page)
    return text % variables


@pass_context
def _jinja_ngettext(context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    translations, french = _catalogue()
    text = translations.ungettext(singular, plural, num)
    if french:
        text = elide_french(text, variables)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704
    return text % variables


@pass_context
def _jinja_pgettext(context, string_context, string, **variables):
    """Jinja's new-style ``pgettext``, straight to the catalogue as ``_`` is."""
    variables.setdefault("context", string_context)
    translations, french = _catalogue()
    text = translations.upgettext(string_context, string)
    if french:
        text = elide_french(text, variables)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704
    return text % variables


def _get_domain() -> Domain:
    """Flask-Babel's ``get_domain``, once it has found the domain of this request: read from
    the request's globals in one look-up, where Flask-Babel goes through ``g`` three times.
    Its ``gettext`` (every message of the Python code, every lazy label of a form) asks
    for the domain at each message."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return _flask_babel_get_domain()
    domain = getattr(app_context.g.__dict__.get("_flask_babel"), "babel_domain", None)
    return _flask_babel_get_domain() if domain is None else domain


def current_locale():
    """Flask-Babel's ``get_locale``, once it has found the locale of this request: read from the
    request's globals in one look-up, where Flask-Babel goes through ``g`` three times (the
    layout, the dates, the lists and Flask-Babel's own formatting ask for it)."""
    app_context = _cv_app.get(None)
    if app_context is not None:
        locale = getattr(app_context.g.__dict__.get("_flask_babel"), "babel_locale", None)
        if locale is not None:
            return locale
    return _flask_babel_get_locale()


_flask_babel_get_domain = flask_babel.get_domain
_flask_babel_get_locale = flask_babel.get_locale


def init_app(app: Flask, babel) -> None:
    """Put the eliding gettext in place of Flask-Babel's, in Python and in templates."""
    babel.domain_instance = ElidingDomain()
    flask_babel.get_domain = _get_domain  # what flask_babel.gettext and its kin call
    flask_babel.get_locale = current_locale  # what its formatting and translations call
    # ``_`` straight to the eliding gettext: Jinja's own ``_`` looks ``gettext`` up in the
    # context at each call, then calls it, the cost of a second call for every word.
    app.jinja_env.globals.update(
        gettext=_jinja_gettext,
        ngettext=_jinja_ngettext,
        pgettext=_jinja_pgettext,
        _=_jinja_gettext,
    )
