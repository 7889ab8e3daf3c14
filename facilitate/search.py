"""Searching a list as people expect: "eve" finds "Ève", "LEFEVRE" finds "Lefèvre",
"d'arc" finds "d’Arc", "oeuvre" finds "Œuvre".

The lists search in Python, over the light rows they read anyway (see facilitate.pagination):
SQLite's LIKE folds only ASCII case, and PostgreSQL's unaccent is an extension an installation
may not have, so the database alone would not find "Ève" from "eve" on both.
"""

import unicodedata

# Letters NFKD does not decompose, written as people type them on a keyboard without them.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "’": "'"})


def fold(text: str | None) -> str:
    """``text`` without case, accents or ligatures, and with its spaces collapsed: the form two
    spellings of one word share."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(_LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_LIGATURES).split())


def matcher(search: str | None):
    """A test of whether any of some texts holds every word of ``search`` (in any order, each
    in any of the texts); None when there is nothing to search for."""
    words = fold(search).split()
    if not words:
        return None

    def matches(*texts: str | None) -> bool:
        haystack = "\n".join(fold(text) for text in texts if text)
        return all(word in haystack for word in words)

    return matches
