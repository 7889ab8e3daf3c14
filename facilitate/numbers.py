"""Numbers people type or send, read the same way everywhere: digits 0 to 9 only.

Python's int() alone is no check. It takes Arabic-Indic or fullwidth digits ("١٢", "１２")
and "1_000"; it refuses "²" although "²".isdigit() is true, and refuses more than 4,300 digits
(ValueError); and a number it takes may still be too large for the database to bind (a 500).
"""

import re

# PostgreSQL's INTEGER: the largest id or number a row can have.
MAX_DATABASE_INTEGER = 2**31 - 1
MAX_DIGITS = 12

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def is_whole_number(text) -> bool:
    """Whether ``text`` is written as a whole number: digits 0 to 9, perhaps a sign, spaces
    around; whatever its length."""
    return _WHOLE_NUMBER.fullmatch("" if text is None else str(text).strip()) is not None


def whole_number(text, max_digits: int = MAX_DIGITS) -> int | None:
    """The whole number in ``text`` (see ``is_whole_number``); None for anything else,
    including a number longer than ``max_digits``."""
    text = "" if text is None else str(text).strip()
    if not _WHOLE_NUMBER.fullmatch(text) or len(text.lstrip("+-")) > max_digits:
        return None
    return int(text)


def database_id(text) -> int | None:
    """An id: a whole number from 1 that the database can hold; None for anything else. Also
    for query strings: ``request.args.get(name, type=database_id)``."""
    number = whole_number(text, max_digits=10)
    return number if number is not None and 0 < number <= MAX_DATABASE_INTEGER else None
