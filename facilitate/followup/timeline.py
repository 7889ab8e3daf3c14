"""The follow-up's timeline, and the event's table of where each prototype stands, written in
Python rather than by loops in the templates (issue 13: an event's page dates and labels every
update of every challenge, a hundred and more at an edition, and a row per challenge). Jinja's
autoescaping does not guard them: every value is escaped here
(``tests/test_lists_written_in_python.py``)."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.pagination import row_urls


def _said_once():
    """``once(key, word)``: ``word()`` escaped, worked out once for each key (a list names the
    same days, challenges, statuses and authors again and again)."""
    said: dict = {}

    def once(key, word):
        found = said.get(key)
        if found is None:
            found = said[key] = _escaped(word())
        return found

    return once


def _escaped(found):
    return tuple(escape(part) for part in found) if isinstance(found, tuple) else escape(found)


def timeline_items(
    event, updates, with_challenge: bool, local_day, status_words, done_words, challenge_link
) -> Markup:
    """The updates as the timeline's list items, oldest first as given. ``local_day``,
    ``status_words``, ``done_words`` and ``challenge_link`` are the page's own wording helpers
    (each worked out once per request)."""
    photo_urls: dict[int, tuple] = {}  # a challenge's: (full size, small), built once
    once = _said_once()  # each word and link worked out once a call, escaped
    items = []
    for update in updates:
        on, number = update.happened_on, update.challenge_number
        day = once(("day", on), lambda on=on: local_day(on))
        status, progress = update.status, update.progress
        item = (
            f'<li class="timeline__item" id="update-{int(update.id)}">\n'
            f'<p class="timeline__date"><time datetime="{on.isoformat()}">{day}</time></p>\n'
            '<div class="timeline__body">\n'
        )
        if with_challenge:
            link, words = once(
                ("link", number), lambda number=number: challenge_link(event, number)
            )
            item += f'<h3 class="timeline__title"><a href="{link}">{words}</a></h3>\n'
        item += (
            f'<p class="timeline__status">{once(status, lambda s=status: status_words(s))} · '
            f"{once(('done', progress), lambda p=progress: done_words(p))}</p>\n"
            f'<p class="timeline__text">{escape(update.text)}</p>\n'
        )
        if update.has_photo:
            if number not in photo_urls:
                photo_urls[number] = tuple(
                    row_urls(endpoint, "update_id", slug=event.slug, number=number)
                    for endpoint in ("followup.photo", "followup.small_photo")
                )
            full, small = (url(update.id) for url in photo_urls[number])
            alt = once(
                ("alt", on),
                lambda on=on: _(
                    "Photo sent with the update of %(date)s (opens the full size)",
                    date=local_day(on),
                ),
            )
            item += (
                f'<a class="timeline__photo-link" href="{escape(full)}">'
                f'<img class="timeline__photo" src="{escape(small)}" alt="{alt}"'
                ' loading="lazy"></a>\n'
            )
        if name := update.author_name:
            by = once(("by", name), lambda name=name: _("By %(name)s", name=name))
            item += f'<p class="timeline__author">{by}</p>\n'
        items.append(item + "</div>\n</li>")
    return Markup("\n".join(items))  # noqa: S704  (every value escaped above)


def progress_html(follow_up) -> Markup:
    """A follow-up's progress: the number for everyone, a bar beside it for the eye; "–"
    without a follow-up."""
    if follow_up is None:
        return Markup("–")
    progress = int(follow_up.progress)
    percent = escape(_("%(percent)d%%", percent=progress))
    return Markup(  # noqa: S704  (a number and an escaped text)
        '<span class="follow-up-progress"><span class="follow-up-progress__bar" '
        'aria-hidden="true"><span class="follow-up-progress__done '
        f'follow-up-progress__done--{(progress // 5) * 5}"></span></span> {percent}</span>'
    )


def table_rows(event, rows, local_day, status_words, challenge_link) -> Markup:
    """The rows of the event's table: each challenge, its status, progress and last update.
    ``rows``: (challenge, its follow-up or None); the wording helpers as ``timeline_items``'."""
    no_news = escape(_("No news yet"))
    once = _said_once()
    written = []
    for challenge, follow_up in rows:
        link, name = _escaped(challenge_link(event, challenge.number))
        if challenge.project_name:
            name = f"{name} – {escape(challenge.project_name)}"  # not Markup's +: escaped
        if follow_up is None:
            status, last = no_news, "–"
        else:
            status = once(follow_up.status, lambda s=follow_up.status: status_words(s))
            day = follow_up.last_update_on
            last = (
                f'<time datetime="{day.isoformat()}">{once(day, lambda d=day: local_day(d))}</time>'
            )
        written.append(
            "<tr>\n"
            f'<th scope="row"><a href="{link}">{name}</a></th>\n'
            f"<td>{status}</td>\n"
            f"<td>{progress_html(follow_up)}</td>\n"
            f"<td>{last}</td>\n"
            "</tr>"
        )
    return Markup("\n".join(written))  # noqa: S704  (every value escaped above)
