"""One cell's text, as it travels between the database and a spreadsheet: formulas neutralised
on the way out and restored on the way in, lists one item per line, and what a typed file
(XLSX, ODS) holds of each value."""

import datetime
import re

from facilitate.text import clean_text

# Characters XML 1.0 cannot hold and UTF-8 cannot encode, beyond what ``clean_text`` drops.
_NOT_IN_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
# Anything ``export_text`` changes: line breaks but line feed, controls but tab and line feed,
# surrogates and noncharacters (as ``clean_text`` lists them). Exports hold thousands of clean
# cells: one search each, rather than three substitutions.
_NONCHARACTERS = "".join(chr(p * 0x10000 + 0xFFFE) + chr(p * 0x10000 + 0xFFFF) for p in range(17))
_TO_CLEAN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")


def cell(cells: list[str], index: int | None) -> str:
    """The text of one cell of a row, trimmed and without control characters (``clean_text``);
    "" for a missing column or a short row."""
    if index is None or index >= len(cells):
        return ""
    return clean_text(cells[index]).strip()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A cell a spreadsheet program would run as a formula is written with a leading quote
    (OWASP's advice against CSV injection); ``restore_formula`` removes it on import. A text
    that already looks neutralised gets one more quote, so that it reads back unchanged."""
    if isinstance(value, str) and (
        value.startswith(_FORMULA_STARTS) or restore_formula(value) != value
    ):
        return "'" + value
    return value


def restore_formula(text: str) -> str:
    if text.startswith("'") and text[1:].startswith((*_FORMULA_STARTS, "'")):
        return text[1:]
    return text


def join_list(items: list[str]) -> str:
    """A list in one cell, one item per line. A single item containing ";" gets a final line
    break, which tells ``split_list`` not to cut it at the ";"."""
    text = "\n".join(items)
    if len(items) == 1 and ";" in items[0]:
        text += "\n"
    return text


def split_list(text: str) -> list[str]:
    """The items of a list cell: one per line or, in a cell without line breaks, separated by
    ";" (as people type "A; B; C"). Items are trimmed, empty ones dropped, order kept."""
    parts = text.split("\n") if "\n" in text else text.split(";")
    return [item for item in (part.strip() for part in parts) if item]


def export_text(value: str) -> str:
    """Text as an export writes it. Text stored before ``clean_text`` guarded every way in may
    still hold control characters, which openpyxl refuses (a 500) and CSV readers trip on."""
    if not _TO_CLEAN.search(value):
        return value
    return _NOT_IN_XML.sub("", clean_text(value))


def export_value(value):
    """A cell as written to a typed file: None as an empty cell, numbers, booleans and dates as
    they are, anything else as text."""
    if value is None or isinstance(value, (bool, int, float, datetime.date, datetime.time)):
        return value
    return export_text(value if isinstance(value, str) else str(value))
