"""Long lists shown a page at a time (issue 13: an edition's 1,050 attendees, 70 teams).

A list page reads its rows once as light tuples, filters and sorts them in Python (the
reader's collation is not the database's), then shows one page: this module cuts the page and
gives the links to the others, which keep the list's search, filters and order. A page number
past the end shows the last page, and one that is no page number (negative, zero, letters,
too many digits) the first: a link kept from a longer list, or typed by hand, never fails.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import urlencode

from flask import request, url_for
from flask_babel import format_decimal
from sqlalchemy import func, select

from facilitate.extensions import db
from facilitate.numbers import whole_number

T = TypeVar("T")

PER_PAGE = 50
# Page numbers shown around the current one in the page links (the first and last always).
AROUND = 2


def requested_page(param: str = "page") -> int:
    """The page number the query string asks for; 1 for anything that is no page number."""
    number = whole_number(request.args.get(param), max_digits=9)
    return number if number is not None and number > 0 else 1


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, where it stands among the pages, and its links."""

    items: list[T]
    number: int
    count: int  # items in the whole list, every page
    per_page: int
    asked: int  # the page the query string asked for (the number shown may differ)
    args: dict = field(default_factory=dict)  # the list's search, filters and order
    param: str = "page"

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def past_the_end(self) -> bool:
        """The query string asked for a page after the last: the last is shown instead."""
        return self.asked > self.pages

    @property
    def first(self) -> int:
        """The position of the page's first item in the whole list, from 1 (0: no item)."""
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    def numbers(self) -> list[int | None]:
        """The page numbers to link, None where some are left out: 1 … 4 5 [6] 7 8 … 21."""
        shown = {1, self.pages, *range(self.number - AROUND, self.number + AROUND + 1)}
        result: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if result and number - (result[-1] or 0) > 1:
                result.append(None)
            result.append(number)
        return result

    def url(self, number: int) -> str:
        """This list's address at page ``number``, with its search, filters and order; page 1
        without a page number (one address per page). Other pages' numbers on the same page
        (two lists on one page) are kept."""
        kept = {k: v for k, v in request.args.items() if k not in self.args and k != self.param}
        args = {**kept, **{k: v for k, v in self.args.items() if v not in (None, "")}}
        if number > 1:
            args[self.param] = number
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    @staticmethod
    def formatted(number: int) -> str:
        """A count as the reader writes it: "1 050" in French, "1,050" in English (Babel only
        from a thousand: below, every language writes the digits alone)."""
        return str(number) if 0 <= number < 1000 else format_decimal(number)


def paginate(
    items: Sequence[T],
    args: dict | None = None,
    per_page: int = PER_PAGE,
    param: str = "page",
) -> Page[T]:
    """The requested page of ``items`` (the whole list, filtered and in order); ``args`` are
    the query string's other parameters the page links keep (search, filters, order)."""
    asked = requested_page(param)
    pages = max(1, -(-len(items) // per_page))
    number = min(asked, pages)
    start = (number - 1) * per_page
    return Page(
        items=list(items[start : start + per_page]),
        number=number,
        count=len(items),
        per_page=per_page,
        asked=asked,
        args=dict(args or {}),
        param=param,
    )


# A number no row has (the largest the database holds), built into an address and then
# replaced by each row's: one address built per list and endpoint, not one per row.
_MARKER = 2**31 - 1


def row_urls(endpoint: str, key: str, query: dict | None = None, **values):
    """``url_for(endpoint, key=row_id, **values)`` for many rows, with ``query`` as its query
    string: a list's fifty rows with three links each built 150 addresses a request (3 ms of
    CPU); this builds one and fills it in. The row's id is the last number of the path."""
    path = url_for(endpoint, **{key: _MARKER}, **values)
    before, _marker, after = path.rpartition(str(_MARKER))
    after += "?" + urlencode(query) if query else ""
    return lambda row_id: f"{before}{int(row_id)}{after}"


def paginate_select(query, per_page: int = PER_PAGE, param: str = "page") -> Page:
    """The requested page of a SELECT's rows, read from the database (two statements: the count,
    then the page's rows), for a list too long to read whole and sorted by the database (a
    history): the same ``Page``, the same rules for page numbers as ``paginate``."""
    asked = requested_page(param)
    count = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = min(asked, max(1, -(-count // per_page)))
    items = db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)).unique()
    return Page(
        items=list(items),
        number=number,
        count=count,
        per_page=per_page,
        asked=asked,
        param=param,
    )
