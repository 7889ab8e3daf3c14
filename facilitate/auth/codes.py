"""Personal access codes: long enough to resist guessing, easy to read off a badge and type.

31 symbols with no look-alikes (no 0/O, no 1/I/L), 15 of them: 15 x log2(31) = 74 bits of
entropy, shown in three groups of five ("K7QMX-3PAHD-R9TWE").
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 15
GROUP = 5

_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_access_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_access_code(typed: str) -> str:
    """What was typed, as stored: upper case, without the spaces and dashes people add."""
    return _SEPARATORS.sub("", typed or "").upper()


def format_access_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def looks_like_access_code(code: str) -> bool:
    return len(code) == LENGTH and all(c in ALPHABET for c in code)
