"""The follow-up's timeline written in Python rather than by a loop in the template (issue 13:
an event's page dates and labels every update of every challenge, a hundred and more at an
edition). Jinja's autoescaping does not guard it: every value is escaped here
(``tests/test_lists_written_in_python.py``)."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.pagination import row_urls


def timeline_items(
    event, updates, with_challenge: bool, local_day, status_words, done_words, challenge_link
) -> Markup:
    """The updates as the timeline's list items, oldest first as given. ``local_day``,
    ``status_words``, ``done_words`` and ``challenge_link`` are the page's own wording helpers
    (each worked out once per request)."""
    photo_urls: dict[int, tuple] = {}  # a challenge's: (full size, small), built once
    items = []
    for update in updates:
        day = local_day(update.happened_on)
        item = (
            f'<li class="timeline__item" id="update-{int(update.id)}">\n'
            f'<p class="timeline__date"><time datetime="{update.happened_on.isoformat()}">'
            f"{escape(day)}</time></p>\n"
            '<div class="timeline__body">\n'
        )
        if with_challenge:
            link, words = challenge_link(event, update.challenge_number)
            item += (
                f'<h3 class="timeline__title"><a href="{escape(link)}">{escape(words)}</a></h3>\n'
            )
        item += (
            f'<p class="timeline__status">{escape(status_words(update.status))} · '
            f"{escape(done_words(update.progress))}</p>\n"
            f'<p class="timeline__text">{escape(update.text)}</p>\n'
        )
        if update.has_photo:
            number = update.challenge_number
            if number not in photo_urls:
                photo_urls[number] = tuple(
                    row_urls(endpoint, "update_id", slug=event.slug, number=number)
                    for endpoint in ("followup.photo", "followup.small_photo")
                )
            full, small = (url(update.id) for url in photo_urls[number])
            alt = _("Photo sent with the update of %(date)s (opens the full size)", date=day)
            item += (
                f'<a class="timeline__photo-link" href="{escape(full)}">'
                f'<img class="timeline__photo" src="{escape(small)}" alt="{escape(alt)}"'
                ' loading="lazy"></a>\n'
            )
        if update.author_name:
            by = _("By %(name)s", name=update.author_name)
            item += f'<p class="timeline__author">{escape(by)}</p>\n'
        items.append(item + "</div>\n</li>")
    return Markup("\n".join(items))  # noqa: S704  (every value escaped above)
