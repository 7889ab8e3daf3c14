"""Building books in the background, from any of the application's processes.

The state of each book is a ``BookBuild`` row, so that every gunicorn process sees the same:
a request asks for a build (the row becomes "queued" with the fingerprint of the content), then a
worker thread of that process claims the row (one UPDATE that only one claimer can win), builds
the PDF under the upload folder and records its progress on the row as it goes. Pages read the
row and show the progress. A finished PDF serves as long as its fingerprint matches the data;
once the data changes it is stale and the next request builds it again. A build left "building"
by a process that died is taken over after ``STALLED_AFTER``.
"""

import logging
import os
import threading
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from facilitate.book import rendering
from facilitate.book.services import Book, gather, settings_of
from facilitate.book.storage import books_folder, pdf_path, remove_file
from facilitate.extensions import db
from facilitate.kept import Kept
from facilitate.models import BookBuild, BookSettings, BookStatus, Challenge, Event
from facilitate.models._types import utcnow

logger = logging.getLogger(__name__)

STALLED_AFTER = timedelta(minutes=10)
EVENT_SCOPE = "event"


def scope_of(challenge: Challenge | None) -> str:
    return EVENT_SCOPE if challenge is None else f"challenge-{challenge.id}"


@dataclass(frozen=True)
class BookState:
    """What a page says about one book: its build (None: never asked) and whether the PDF on
    disk shows the data as it is now."""

    build: BookBuild | None
    fresh: bool

    @property
    def running(self) -> bool:
        return is_running(self.build)

    @property
    def failed(self) -> bool:
        return self.build is not None and self.build.status == BookStatus.FAILED


def is_running(build: BookBuild | None) -> bool:
    return build is not None and build.status in (BookStatus.QUEUED, BookStatus.BUILDING)


def find(event: Event, challenge: Challenge | None, language: str) -> BookBuild | None:
    return _find(event, scope_of(challenge), language)


def book_of(event: Event, challenge: Challenge | None) -> Book:
    book = gather(event)
    return book if challenge is None else book.for_challenge(challenge.id)


def _find(event: Event, scope: str, language: str) -> BookBuild | None:
    return db.session.scalar(
        select(BookBuild).where(
            BookBuild.event_id == event.id,
            BookBuild.scope == scope,
            BookBuild.language == language,
        )
    )


def _is_fresh(build: BookBuild | None, fingerprint: str | None) -> bool:
    if (
        build is None
        or fingerprint is None
        or build.status != BookStatus.DONE
        or build.fingerprint != fingerprint
    ):
        return False
    path = pdf_path(build)
    return path is not None and os.path.exists(path)


def _stalled(build: BookBuild) -> bool:
    since = build.started_at or build.requested_at
    return since is not None and utcnow() - since > STALLED_AFTER


# The fingerprint of every book of an event, by (event id, language), with what they were
# worked out from: see ``fingerprints``. At most this many events' (a few kB each).
# Every site of a large edition in both languages, with room to spare.
_FINGERPRINTS: Kept[tuple[int, str], tuple[tuple, dict[str, str]]] = Kept(256)


def fingerprints(
    event: Event, language: str, settings: BookSettings | None = None
) -> dict[str, str]:
    """The fingerprint of the whole book and of each challenge's, by scope, for the pages that
    say whether each PDF is up to date (the organisers' page checks 71 books at an edition).

    Gathering the book and hashing it costs some 25 ms at an edition's scale, on every view of
    the organisers' page and of a challenge's book page. So the fingerprints are kept in this
    process, keyed by what provably changes whenever the book's content may have: the event's
    data version (facilitate/dashboard/versions.py: a new random number in the same transaction
    as any write to the tables the book reads: the event, its themes, challenges, teams,
    memberships, people's names and their consent to them, personas, ideas, dots, photos and
    feedback), the book's settings compared as they are, and the language. The vote's result
    needs no key of its own: the book shows it once revealed, which is for good (no ballot
    changes after), and revealing it writes the event's row. A stale entry can only make a page
    work the fingerprints out again, never call a stale PDF up to date; and the download itself
    (``state``) gathers the book every time, trusting no cache.

    The version is read before the book is gathered: data committed in between is newer than
    the version, so the entry is at worst thought older than it is.
    """
    settings = settings or settings_of(event)
    key = (event.id, language)
    # Read first, before the data they stand for.
    stamp = (event.data_version, settings.opening, settings.closing, settings.order)
    cached = _FINGERPRINTS.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    book = gather(event, settings)
    found = {EVENT_SCOPE: book.fingerprint(language)}
    for chapter in book.chapters:
        found[f"challenge-{chapter.challenge_id}"] = book.for_challenge(
            chapter.challenge_id
        ).fingerprint(language)
    _FINGERPRINTS.put(key, (stamp, found))
    return found


def state(event: Event, challenge: Challenge | None, language: str) -> BookState:
    """Whether the book's PDF shows the data as it is now, the book gathered afresh: what the
    download checks before it sends the file."""
    build = _find(event, scope_of(challenge), language)
    fingerprint = book_of(event, challenge).fingerprint(language)
    return BookState(build, _is_fresh(build, fingerprint))


def shown_state(event: Event, challenge: Challenge | None, language: str) -> BookState:
    """What a page says of one book (``fingerprints``' cache)."""
    scope = scope_of(challenge)
    build = _find(event, scope, language)
    if build is None or build.status != BookStatus.DONE:
        return BookState(build, False)  # nothing to compare
    return BookState(build, _is_fresh(build, fingerprints(event, language).get(scope)))


def states(
    event: Event, challenges: list, language: str, settings: BookSettings | None = None
) -> dict[str, BookState]:
    """What the organisers' page says of the whole book and of each challenge's (``challenges``:
    anything with an ``id``), their fingerprints worked out only if a finished build needs
    comparing, and then at most once per change of the data (``fingerprints``)."""
    builds = {
        build.scope: build
        for build in db.session.scalars(
            select(BookBuild).where(BookBuild.event_id == event.id, BookBuild.language == language)
        )
    }
    known = {}
    if any(build.status == BookStatus.DONE for build in builds.values()):
        known = fingerprints(event, language, settings)
    found = {}
    for scope in (EVENT_SCOPE, *(f"challenge-{challenge.id}" for challenge in challenges)):
        build = builds.get(scope)
        found[scope] = BookState(build, _is_fresh(build, known.get(scope)))
    return found


def request_build(
    event: Event, challenge: Challenge | None, language: str, background: bool | None = None
) -> BookBuild:
    """Queue a build unless the PDF is fresh or a build of the same content is under way;
    commits, then starts the work: in a thread, or here (``background`` False, or by default
    when the configuration says so)."""
    scope = scope_of(challenge)
    fingerprint = book_of(event, challenge).fingerprint(language)
    build = _find(event, scope, language)
    if _is_fresh(build, fingerprint):
        return build
    if (
        build is not None
        and build.status in (BookStatus.QUEUED, BookStatus.BUILDING)
        and build.fingerprint == fingerprint
        and not _stalled(build)
    ):
        return build
    if build is None:
        build = BookBuild(event_id=event.id, scope=scope, language=language)
        db.session.add(build)
    build.status = BookStatus.QUEUED
    build.progress = 0
    build.fingerprint = fingerprint
    build.requested_at = utcnow()
    build.started_at = None
    build.error = None
    try:
        db.session.commit()
    except IntegrityError:
        # Another process created the row at the same moment: theirs builds.
        db.session.rollback()
        return _find(event, scope, language)
    if background is None:
        background = current_app.config.get("BOOK_BUILDS_IN_BACKGROUND", True)
    _start(build.id, language, background)
    return build


def _start(build_id: int, language: str, background: bool) -> None:
    if not background:
        run_build(build_id, language)
        return
    app = current_app._get_current_object()
    thread = threading.Thread(
        target=_run_in_app, args=(app, build_id, language), name=f"book-{build_id}", daemon=True
    )
    thread.start()


def _run_in_app(app, build_id: int, language: str) -> None:
    with app.app_context(), app.test_request_context(base_url=app.config.get("BASE_URL")):
        try:
            run_build(build_id, language)
        finally:
            db.session.remove()


def _claim(build_id: int) -> bool:
    """Only one worker wins a queued build (or one stalled in another process)."""
    now = utcnow()
    claimed = db.session.execute(
        update(BookBuild)
        .where(
            BookBuild.id == build_id,
            (BookBuild.status == BookStatus.QUEUED)
            | (
                (BookBuild.status == BookStatus.BUILDING)
                & (BookBuild.started_at < now - STALLED_AFTER)
            ),
        )
        .values(status=BookStatus.BUILDING, started_at=now, progress=5)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _progress(build_id: int, percent: int) -> None:
    db.session.execute(
        update(BookBuild)
        .where(BookBuild.id == build_id)
        .values(progress=percent)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def run_build(build_id: int, language: str) -> None:
    """Build the PDF of this row, if this worker claims it."""
    if not _claim(build_id):
        return
    build = db.session.get(BookBuild, build_id)
    db.session.refresh(build)
    try:
        with force_locale(language):
            _build(build, language)
    except Exception as error:  # noqa: BLE001 (any failure is the build's, shown on its page)
        logger.exception("The book build %s failed", build_id)
        db.session.rollback()
        build = db.session.get(BookBuild, build_id)
        if build is None:  # discarded meanwhile (a person erased): nothing to report on
            return
        build.status = BookStatus.FAILED
        build.error = str(error)[:500]
        build.finished_at = utcnow()
        db.session.commit()


def _build(build: BookBuild, language: str) -> None:
    build_id, previous = build.id, build.storage_name
    event = db.session.get(Event, build.event_id)
    challenge = None
    if build.scope != EVENT_SCOPE:
        challenge = db.session.get(Challenge, int(build.scope.removeprefix("challenge-")))
    book = book_of(event, challenge)
    # What is built is the data as it is now, perhaps newer than when the build was asked for.
    fingerprint = book.fingerprint(language)
    html = rendering.book_html(book, whole=challenge is None)
    _progress(build.id, 15)
    folder = books_folder()
    os.makedirs(folder, exist_ok=True)
    name = f"{build.event_id}-{build.scope}-{language}-{fingerprint[:16]}.pdf"
    temporary = os.path.join(folder, f".{name}.part")
    # About four pages a challenge, plus the cover, contents, opening and closing.
    expected = 4 * len(book.chapters) + (4 if challenge is None else 0)
    rendering.write_pdf(html, temporary, expected, lambda percent: _progress(build.id, percent))
    os.replace(temporary, os.path.join(folder, name))
    # One UPDATE, not the ORM row: erasing a person meanwhile deleted the event's builds
    # (book.storage.discard_books), and then the PDF, which may name them, must go too.
    finished = db.session.execute(
        update(BookBuild)
        .where(BookBuild.id == build_id)
        .values(
            storage_name=name,
            fingerprint=fingerprint,
            status=BookStatus.DONE,
            progress=100,
            finished_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if finished.rowcount == 0:
        remove_file(name)
        return
    if previous != name:
        remove_file(previous)
