"""A CSV file's text: its encoding, then its separator, which nothing in the file names.

Excel writes ";" in French and "," in English, LibreOffice asks, and people paste tab-separated
text from everywhere; a cell may hold any of the three. ``delimiter_of`` judges by the records
the first lines make under each."""

import csv
import io

from flask_babel import gettext as _

from facilitate.spreadsheets.problems import HEADER_SEARCH_ROWS, SpreadsheetError


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise SpreadsheetError(_unknown_encoding()) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_unknown_encoding()) from error


def _unknown_encoding() -> str:
    return _("The file's text encoding is not recognised. Save it as CSV UTF-8 or as XLSX.")


def delimiter_of(text: str) -> str:
    """The separator under which the first records read as well-formed CSV, then the one that
    cuts most of them into the same number of cells, more than one; on a tie ";" (French Excel,
    and our own exports), then tab, then ",". A cell may hold any of them, so counting them on
    the first line is not enough; and under the wrong separator, cells quoted because they hold
    the right one (or a line break) fall apart into records that may well agree with each other,
    so the quotes they leave in the middle of cells count against it first."""
    sample = text[: 64 * 1024]
    best, best_score = ";", (-(10**9), -1, 0)
    for preference, delimiter in enumerate((";", "\t", ",")):
        counts = []
        try:
            for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                if any(record):
                    counts.append(len(record))
                if len(counts) == HEADER_SEARCH_ROWS:
                    break
        except csv.Error:
            pass  # the sample may end inside a quoted cell
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        if common < 2:
            continue
        score = (-_misplaced_quotes(sample, delimiter), counts.count(common), -preference)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _misplaced_quotes(sample: str, delimiter: str) -> int:
    """Quotes of the first 8 KB that CSV's rules don't allow with this separator: one inside an
    unquoted cell, or a quoted cell's closing quote followed by anything but the separator or a
    line end. Spreadsheets never write them; a wrong separator makes them. One pass, so a file
    made to be slow costs no more than any other."""
    text = sample[: 8 * 1024]
    ends = {delimiter, "\r", "\n"}
    misplaced, quoted, cell_start, index = 0, False, True, 0
    while index < len(text):
        char = text[index]
        index += 1
        if quoted:
            if char == '"':
                if text.startswith('"', index):
                    index += 1  # a doubled quote stands for one
                    continue
                quoted = False
                if index < len(text) and text[index] not in ends:
                    misplaced += 1
        elif char == '"':
            if cell_start:
                quoted = True
            else:
                misplaced += 1
            cell_start = False
        else:
            cell_start = char in ends
    return misplaced
