"""What a file reads as, whatever its format: a ``Table`` of texts as typed from its header line,
each cell cleaned the same way (``clean_cell``), and the names spreadsheet programs give columns
and cells."""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from facilitate.spreadsheets.problems import HEADER_SEARCH_ROWS
from facilitate.text import clean_text

# Says whether a row, as texts, is the header line of the table wanted.
Recognise = Callable[[list[str]], bool]

_SPACES = " \t\u00a0"


@dataclass
class Table:
    """Cells keep their text as typed, including line breaks, without the spaces around it."""

    headers: list[str]
    # (row number as a spreadsheet program shows it, cells); trailing empty cells are dropped,
    # so a row may be shorter than the headers.
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    # The sheet read (None for a CSV file), and every sheet of the workbook in order.
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    # The row number of the header line.
    header_line: int = 1
    # Columns (by index from 0) that a caller reads itself, with the note the column report
    # shows beside them (an edition workbook's Site column): not reported as unexpected.
    read_apart: dict[int, str] = field(default_factory=dict)
    # (row number, column index from 0) of the cells at or below the header line that hold a
    # formula saved without its value (as tools that generate files write them): they read as
    # empty, while the spreadsheet program would show a value.
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA": columns as spreadsheet programs name them."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def cell_reference(line: int, index: int) -> str:
    """The name a spreadsheet program gives a cell: (4, 2) -> "C4"."""
    return f"{column_letter(index)}{line}"


def header_key(header: str) -> str:
    """'Adresse e-mail ' -> 'adresse email': case, accents and punctuation do not matter. Sheet
    names and an edition's site names are matched the same way."""
    decomposed = unicodedata.normalize("NFKD", header or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("n°", "numero ").replace("°", " ")
    words = "".join(c if c.isalnum() else " " if c not in "-'’" else "" for c in plain)
    # A header made of punctuation only ("#") is its own key.
    return " ".join(words.split()) or "".join(plain.split())


def clean_cell(text: str) -> str:
    """Line breaks as line feeds whatever the system that saved the file, other control
    characters gone (``clean_text``), then the spaces around the text. Line feeds stay: a list
    cell may end with one (see ``join_list``); a cell of nothing but line breaks is empty."""
    text = clean_text(text).strip(_SPACES)
    return text if text.strip() else ""


def trimmed(cells: list[str]) -> list[str]:
    """The row without its trailing empty cells (the list itself, shortened)."""
    while cells and not cells[-1]:
        cells.pop()
    return cells


def table_of(rows: Iterable[tuple[int, list[str]]], recognise: Recognise | None) -> Table | None:
    """The table of one sheet's non-empty rows, from the header line ``recognise`` accepts
    (among the first rows), or from the first row without ``recognise``. None when the sheet
    is empty, or when ``recognise`` accepts none of its first rows."""
    rows = list(rows)
    if not rows:
        return None
    start = 0
    if recognise is not None:
        start = next(
            (i for i, (_n, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]) if recognise(cells)),
            None,
        )
        if start is None:
            return None
    number, headers = rows[start]
    return Table(headers=headers, rows=rows[start + 1 :], header_line=number)
