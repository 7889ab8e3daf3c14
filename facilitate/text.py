"""Text as the application keeps it: no control characters but tab and line feed.

Word pastes a vertical tab for a manual line break (Shift+Enter) and a form feed for a page
break; other control characters come from copied PDFs, old databases or hostile input. They
show as nothing on screen, but openpyxl refuses to write them, so that a single one made every
XLSX export of an event fail. ``clean_text`` is the one rule, applied when text is saved (every
form field through ``FlaskForm``, every imported cell) and again when text is exported, for what
was stored before.
"""

import re

import flask_wtf
from babel import support
from flask import current_app, g, request
from flask_babel import get_locale, gettext
from flask_wtf.i18n import translations as flask_wtf_translations
from wtforms import PasswordField, StringField
from wtforms.i18n import DummyTranslations, messages_path

from facilitate.elision import kept_for_locale

# Vertical tab and form feed separate lines or pages in the text they come from: they become
# line feeds so that the words on either side stay apart ("Avant\vAprès" is not "AvantAprès").
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")
# The other C0 controls but tab and line feed, DEL, the C1 controls (U+0080-U+009F), and what
# is no character at all: lone surrogates and Unicode's noncharacters (U+FDD0-U+FDEF, and the
# last two code points of every plane, U+FFFE/U+FFFF to U+10FFFE/U+10FFFF), which XML (hence
# XLSX and ODS) cannot hold or readers replace, so that they would change between an export
# and its import.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17)
)
_CONTROLS = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")


def clean_text(value):
    """``value`` without control characters; line breaks as line feeds. Anything that is not
    text (None, a number, a file) is returned as it is, so that this can filter any field."""
    if not isinstance(value, str):
        return value
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))


def has_control_characters(value) -> bool:
    """Whether text holds what ``clean_text`` would take out (line breaks of any kind aside):
    for the fields that refuse such text rather than clean it quietly."""
    return isinstance(value, str) and bool(_CONTROLS.search(_LINE_BREAKS.sub("\n", value)))


# WTForms' words for a choice that is not among those offered: no choice made on a radio list,
# or one the page offered but no longer does (nominating a team twice, attaching a site twice).
# Its own "Not a valid choice." says nothing of what to do.
_CHOICE_MESSAGES = frozenset({"Not a valid choice.", "Invalid Choice: could not coerce."})


# WTForms' own catalogue (the default label of a field given none, its validators' messages),
# per language, read once per process: Flask-WTF reads it from disk again at every request that
# asks, and building a form with a hidden field asks (a quarter of a millisecond a request).
_WTFORMS_CATALOGUES: dict[str, support.Translations] = {}
_CATALOGUE = "_facilitate_wtforms_catalogue"  # this request's, in ``g``


class _WTFormsCatalogue:
    """Flask-WTF's translations of WTForms' messages, as it finds them (a request, Babel), with
    each language's catalogue kept."""

    @staticmethod
    def _found():
        # Every form asks (the label of its CSRF field): answered from the request's globals
        # while Flask-Babel's locale is the one it was found for.
        kept = kept_for_locale(_CATALOGUE)
        if kept is not None:
            return kept[1]
        if not request or "babel" not in current_app.extensions:
            return None
        locale = get_locale()
        key = str(locale)
        found = _WTFORMS_CATALOGUES.get(key)
        if found is None:
            found = support.Translations.load(messages_path(), [locale], domain="wtforms")
            _WTFORMS_CATALOGUES[key] = found
        setattr(g, _CATALOGUE, (locale, found))
        return found

    def gettext(self, string):
        found = self._found()
        return string if found is None else found.ugettext(string)

    def ngettext(self, singular, plural, n):
        found = self._found()
        if found is None:
            return singular if n == 1 else plural
        return found.ungettext(singular, plural, n)


_WTFORMS_CATALOGUE = _WTFormsCatalogue()


class _ClearerChoices:
    """WTForms' translations, but for a choice not among those offered."""

    def __init__(self, translations):
        self._translations = translations or DummyTranslations()

    def gettext(self, string):
        if string in _CHOICE_MESSAGES:
            return gettext("Choose one of the options offered.")
        return self._translations.gettext(string)

    def ngettext(self, singular, plural, n):
        return self._translations.ngettext(singular, plural, n)


class FlaskForm(flask_wtf.FlaskForm):
    """The base of every form of the application: each text field (text, text area, hidden,
    search...) cleans what is typed before any other filter or validator sees it. Passwords are
    left as typed: they are compared, never shown or exported."""

    class Meta:
        def get_translations(self, form):
            translations = super().get_translations(form)
            if translations is flask_wtf_translations:
                translations = _WTFORMS_CATALOGUE
            return _ClearerChoices(translations)

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                filters = unbound_field.kwargs.get("filters") or ()
                options = dict(options, filters=(clean_text, *filters))
            return unbound_field.bind(form=form, **options)
