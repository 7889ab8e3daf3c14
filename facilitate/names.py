"""People in the order people expect: by surname, then first name, as the reader's language
collates them (ICU): "Ève" with the E's, before "Zoë"; "Céline" before "Chloé"; case ignored,
accents only breaking ties.

A person has one name field ("Prénom Nom", as printed on the badge). The surname is read from it
by the rule a French organiser would apply reading a list:

1. A word written in capitals (two letters or more) is the surname, with the capitalised words
   next to it: "Jean DUPONT", "DUPONT Jean", "Marie LE GOFF", "Anne de LA TOUR". (If every word is
   in capitals, capitals say nothing and rule 2 applies.) Writing the surname in capitals is how an
   organiser fixes the order of a name the rule below reads wrong ("Marie MARTIN DUPONT").
2. Otherwise the surname is the last word with the particles just before it (de, du, des, d',
   le, la, les, van, von, der, den, di, da, del, della, dos, das, ten, ter), never the first word:
   "Anne-Marie de La Tour" → "de La Tour", "Yann Le Goff" → "Le Goff", "Lucas da Silva" → "da Silva".
3. For the order, a lower-case "de" or "d'" in front of the surname is set aside, as dictionaries
   do ("La Fontaine (Jean de)", "Ormesson (Jean d')"); articles stay: "de La Tour" is filed under
   L, "Le Goff" under L, "du Bellay" under D, "van Gogh" under V.
4. A single word is the surname. An empty name and an erased (anonymised) person come last.

When an attendee file gave the surname in a column of its own, the attendance keeps it
(``Membership.family_name``) and it wins over these rules while the name still holds it.

The collation is the reader's language (the request's); without a request (command line), the
platform's default (BABEL_DEFAULT_LOCALE). Equal keys keep the order they came in, so callers
pass rows already ordered by id.
"""

import functools
import re
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

import icu
from flask import current_app, has_app_context
from flask_babel import get_locale

T = TypeVar("T")

# Words that belong to the surname they precede ("de La Tour", "van Gogh"), in any case.
PARTICLES = frozenset([
    "de", "du", "des", "d'", "d’", "le", "la", "les", "van", "von", "der", "den", "di", "da",
    "del", "della", "dos", "das", "ten", "ter",
])  # fmt: skip
# Set aside for the order when written in lower case ("de La Tour" under L, "d'Ormesson" under O).
_NOBILIARY = re.compile(r"^(?:de\s+|d['’]\s*)+")

_local = threading.local()


def _locale_name(locale) -> str:
    """The reader's language (the request's, else the platform's default)."""
    if locale is None and has_app_context():
        locale = get_locale() or current_app.config.get("BABEL_DEFAULT_LOCALE")
    return str(locale or "fr")


def collator(locale=None) -> "icu.Collator":
    """The reader's collation, accents secondary and case ignored; one per thread and language
    (an ICU collator is not shared between threads)."""
    name = _locale_name(locale)
    cache = _local.__dict__.setdefault("collators", {})
    if name not in cache:
        instance = icu.Collator.createInstance(icu.Locale(name))
        instance.setStrength(icu.Collator.SECONDARY)
        cache[name] = instance
    return cache[name]


def _in_capitals(word: str) -> bool:
    return word.isupper() and sum(c.isalpha() for c in word) >= 2


def _find(words: list[str], part: list[str]) -> int:
    """Where the words of ``part`` run in ``words`` (the last such place), or -1."""
    for start in range(len(words) - len(part), -1, -1):
        if words[start : start + len(part)] == part:
            return start
    return -1


def contains_words(name: str | None, part: str | None) -> bool:
    """Whether ``part`` is whole words of ``name``: "Le Goff" of "Yann Le Goff", not "Goff"
    of "Yann Legoff"."""
    words = (part or "").split()
    return bool(words) and _find((name or "").split(), words) >= 0


def split_name(name: str | None, family_name: str | None = None) -> tuple[str, str]:
    """(given names, surname) of a full name: the family name known, if the name holds it,
    else by the rules above; ("", "") for no name."""
    words = (name or "").split()
    known = (family_name or "").split()
    if known and (start := _find(words, known)) >= 0:
        return " ".join(words[:start] + words[start + len(known) :]), " ".join(known)
    if len(words) <= 1:
        return "", " ".join(words)
    capitals = [i for i, word in enumerate(words) if _in_capitals(word)]
    marked = 0 < len(capitals) < len(words)
    if marked:
        start = end = capitals[0]
        while end + 1 < len(words) and _in_capitals(words[end + 1]):
            end += 1
    else:
        start = end = len(words) - 1
    while start > 0 and words[start - 1].lower() in PARTICLES and (marked or start > 1):
        start -= 1
    if start == 0 and end == len(words) - 1:  # only particles before: keep a first name
        start = 1
    surname = " ".join(words[start : end + 1])
    given = " ".join(words[:start] + words[end + 1 :])
    return given, surname


def _filed_under(surname: str) -> str:
    """The surname as filed: without a lower-case "de" or "d'" in front."""
    return _NOBILIARY.sub("", surname) or surname


def _key(name: str | None, family_name: str | None, collate: Callable[[str], bytes]) -> tuple:
    given, surname = split_name(name, family_name)
    if not surname:
        return (1,)
    return (0, collate(_filed_under(surname)), collate(given), collate(name.strip()))


# Sort keys of the names lists were last sorted by: a list of 1,050 attendees costs 3 ms of
# ICU keys each time, a few hundred microseconds from here. A key depends only on the name,
# the surname known and the language, so it never goes stale; 16,384 keys take a few MB.
@functools.lru_cache(maxsize=16384)
def _cached_key(locale_name: str, name: str | None, family_name: str | None) -> tuple:
    return _key(name, family_name, collator(locale_name).getSortKey)


def surname_sort_key(name: str | None, locale=None, family_name: str | None = None) -> tuple:
    """The order of a name among others: surname, then first names, in the reader's collation."""
    return _cached_key(_locale_name(locale), name, family_name)


def name_key(locale=None) -> Callable[..., tuple]:
    """``surname_sort_key`` with the language chosen once, for sorting many names:
    ``key(name, family_name=None)``."""
    locale_name = _locale_name(locale)
    return lambda name, family_name=None: _cached_key(locale_name, name, family_name)


def sort_people(
    items: Iterable[T],
    key: Callable[[T], str | None] = lambda item: item,
    locale=None,
    family: Callable[[T], str | None] | None = None,
) -> list[T]:
    """The items in name order; ``key`` gives an item's full name (None for an erased person),
    ``family`` the surname within it when known (an attendance's ``family_name``)."""
    by_name = name_key(locale)
    if family is None:
        return sorted(items, key=lambda item: by_name(key(item)))
    return sorted(items, key=lambda item: by_name(key(item), family(item)))
