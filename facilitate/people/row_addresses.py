"""Rows' addresses ready for an HTML attribute, for the lists written in Python."""

from collections.abc import Callable

from markupsafe import escape

_MARKER = 987654321987654321  # a row id no address holds otherwise


def escaped_addresses(url_of: Callable[[int], str]) -> Callable[[int], str]:
    """``pagination.row_urls``'s addresses, escaped: the two fixed parts escaped once a page
    rather than the whole address once a row (a list's fifty rows with three links, a teams
    page's two hundred people). The row's id, a number, has nothing to escape."""
    # The id is in the path: the query string may hold anything a person typed, the marker too.
    path, mark, query = url_of(_MARKER).partition("?")
    before, _marker, after = path.rpartition(str(_MARKER))
    before, after = str(escape(before)), str(escape(after + mark + query))
    return lambda row_id: f"{before}{int(row_id)}{after}"
