"""One book's state and actions as the pages show them (the whole book, each challenge's), and
the organisers' cards of the challenges' books: written here rather than by an
``{% include %}`` per challenge (fourteen challenges with three addresses each cost the page
some 2 ms there). Each word is translated once a page, each address built once a page
(``row_urls``), and every value written is escaped."""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.book.builds import BookState, scope_of
from facilitate.models import Challenge, Event
from facilitate.pagination import row_urls


class StateWriter:
    """``writer(state, id, label, build_url, pdf_url, status_url)``: one book's ``<div>``;
    ``hidden`` is the build form's hidden fields (its CSRF token), the same for every book."""

    def __init__(self, hidden: Markup):
        self.hidden = hidden
        self.building = escape(_("Being built…"))
        self.follows = escape(_("This page follows the build; you may also reload it."))
        self.up_to_date = escape(_("Up to date."))
        self.failed = escape(
            _(
                "The last build failed. Try again; if it fails again, tell the platform’s administrators."
            )
        )
        self.changed = escape(
            _("The data changed since the last build: build it again to download it.")
        )
        self.not_built = escape(_("Not built yet."))

    def __call__(
        self, state: BookState, id: str, label: str, build_url: str, pdf_url: str, status_url: str
    ) -> Markup:
        id = escape(id)
        running = state.running
        if running:
            progress = escape(state.build.progress)
            inside = (
                f'<p role="status" id="{id}-text">{self.building} '
                f"<span data-book-percent>{progress}</span> %</p>\n"
                f'<progress max="100" value="{progress}" aria-labelledby="{id}-text">'
                f"{progress} %</progress>\n"
                f'<p class="field__hint">{self.follows}</p>'
            )
        elif state.fresh:
            download = escape(_("Download %(book)s (PDF)", book=label))
            inside = (
                f"<p>{self.up_to_date}</p>\n"
                f'<p><a class="button" href="{escape(pdf_url)}">{download}</a></p>'
            )
        else:
            if state.failed:
                said = f'<p class="flash flash--error">{self.failed}</p>'
            elif state.build:
                said = f"<p>{self.changed}</p>"
            else:
                said = f"<p>{self.not_built}</p>"
            build = escape(_("Build %(book)s", book=label))
            inside = (
                f'{said}\n<form method="post" action="{escape(build_url)}">\n{self.hidden}\n'
                f'<button type="submit" class="button">{build}</button>\n</form>'
            )
        flag = " data-book-running" if running else ""
        return Markup(  # noqa: S704  (every value escaped above)
            f'<div class="book-state" data-book-status="{escape(status_url)}"{flag}>\n'
            f"{inside}\n</div>"
        )


def event_book_state(event: Event, state: BookState, hidden: Markup) -> Markup:
    return StateWriter(hidden)(
        state,
        "whole",
        _("the whole book"),
        url_for("book.build_event_book", slug=event.slug),
        url_for("book.event_book_pdf", slug=event.slug),
        url_for("book.event_book_status", slug=event.slug),
    )


def challenge_book_state(challenge: Challenge, state: BookState, hidden: Markup) -> Markup:
    slug = challenge.event.slug
    return StateWriter(hidden)(
        state,
        "challenge-book",
        _("the book of challenge %(number)d", number=challenge.number),
        url_for("book.build_challenge_book", slug=slug, number=challenge.number),
        url_for("book.challenge_book_pdf", slug=slug, number=challenge.number),
        url_for("book.challenge_book_status", slug=slug, number=challenge.number),
    )


def challenge_cards(event: Event, challenges: list, states: dict, hidden: Markup) -> Markup:
    """The organisers' cards of the challenges' books (``challenges``: rows with ``id``,
    ``number`` and ``question``)."""
    writer = StateWriter(hidden)
    urls = [
        row_urls(endpoint, "number", slug=event.slug)
        for endpoint in (
            "book.build_challenge_book",
            "book.challenge_book_pdf",
            "book.challenge_book_status",
        )
    ]
    cards = []
    for challenge in challenges:
        number = challenge.number
        title = escape(_("Challenge %(number)d", number=number))
        state = writer(
            states[scope_of(challenge)],
            f"challenge-{number}",
            _("the book of challenge %(number)d", number=number),
            *(url(number) for url in urls),
        )
        cards.append(
            f'<li class="card">\n<h3 class="card__title">{title}</h3>\n'
            f"<p>{escape(challenge.question)}</p>\n{state}\n</li>"
        )
    return Markup("\n".join(cards))  # noqa: S704  (every value escaped above)
