"""The ideation page's idea cards and the prototyping page's file cards, written in Python
rather than by template loops, as ``html.py`` writes the journal and the checklists: per card
the flash messages, the time, the dot count, the dot and comment forms and the comments cost
~40% of the ideation page in Jinja (issue 13, third round).

Jinja's autoescaping does not guard this HTML: every value is escaped here
(``tests/workspace/test_cards_written_in_python.py``). The words are translated once a page and
written as the templates write them (``trusted_gettext``: the translation trusted, what it inserts
escaped), the addresses built once a page with each row's id put in, and each card's empty
forms rendered once (``routes_ideation.STAMP``); a form a view refused is rendered through its
macro, with its errors and what was typed.
"""

from flask_babel import format_decimal, gettext, ngettext
from flask_login import current_user
from markupsafe import Markup, escape

from facilitate.flashes import messages_for
from facilitate.i18n import local_times
from facilitate.pagination import row_urls
from facilitate.policy import can_record_public_consent
from facilitate.security import generate_csrf
from facilitate.workspace.blank_forms import form_inside


def trusted_gettext(msgid: str, **variables) -> Markup:
    """``_(msgid, **variables)`` as a template writes it: Jinja trusts the translation and
    escapes what is put in it."""
    words = Markup(gettext(msgid))  # noqa: S704  (the catalogue's words, as Jinja trusts them)
    return words % variables if variables else words


def trusted_ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
    """``ngettext`` as a template writes it (see ``trusted_gettext``)."""
    words = Markup(ngettext(singular, plural, num))  # noqa: S704  (as Jinja trusts them)
    return words % dict(variables, num=num)


def flashes(target: str) -> str:
    """The flash messages about ``target``, as ``macros/messages.html`` shows them."""
    shown = messages_for(target)
    if not shown:
        return ""
    lines = "".join(
        f'<p class="flash flash--{escape(message.category)}">{escape(message.text)}</p>\n'
        for message in shown
    )
    return (
        f'<div class="flashes flashes--inline" role="status" data-flash-target="{escape(target)}">'
        f"\n{lines}</div>\n"
    )


def _comments(comments, when, someone: Markup) -> str:
    items = "".join(
        '<li class="history__entry">\n'
        f"<p><strong>{escape(comment.author.name) if comment.author else someone}</strong>\n"
        f' · <time datetime="{comment.created_at.isoformat()}Z">'
        f"{escape(when(comment.created_at))}</time></p>\n"
        f"<p>{escape(comment.body)}</p>\n</li>\n"
        for comment in comments
    )
    return f'<ul class="history">\n{items}</ul>\n'


def idea_cards(panel: dict, may: dict, timezone: str) -> Markup:
    """The ideation panel's cards (``ideation_for``): each idea's title, author and time, its
    dots, the member's dot form, the retained idea's reason and endorsement, the retain form
    (facilitator), the comments and the comment form."""
    when = local_times(timezone)
    token = escape(generate_csrf())
    dotting = may["dot"] and not panel["dots_closed"]
    dots_left, retained = panel["dots_left"], panel["retained"]
    may_retain, may_endorse, may_comment = may["retain"], may["endorse"], may["comment"]
    error, error_idea_id = panel["error"], panel["error_idea_id"]
    stamp = panel["stamp"]
    url = panel["idea_url"]
    # Each action's address with a marker for the idea's id, built once.
    marker = 2**31 - 1
    dot_url, endorse_url, retain_url, comment_url = (
        url(endpoint, marker).split(str(marker))
        for endpoint in (
            "workspace.dot",
            "workspace.endorse",
            "workspace.retain",
            "workspace.comment",
        )
    )
    someone = trusted_gettext("someone who left")
    # Translated outside the f-strings: Babel's extractor reads no call inside one.
    yours_word, retained_word = trusted_gettext("including yours"), trusted_gettext("Retained idea")
    take_back_word, place_word = trusted_gettext("Take my dot back"), trusted_gettext("Place a dot")
    including_yours = f'<span class="tag">{yours_word}</span>\n'
    retained_tag = f'<span class="tag">{retained_word}</span>\n'
    take_back = (
        '<input type="hidden" name="action" value="remove">\n'
        '<button type="submit" class="button button--small button--secondary">'
        f"{take_back_word}"
    )
    place = (
        '<input type="hidden" name="action" value="place">\n'
        f'<button type="submit" class="button button--small">{place_word}'
    )
    token_field = f'<input type="hidden" name="csrf_token" value="{token}">\n'
    why = trusted_gettext("Why it answers the challenge owner's expectation:")
    why = f"<p><strong>{why}</strong> "
    if may_retain:
        retain_fields, retain_field = form_inside("retain_hidden"), form_inside("retain_field")
        retain_word, change_word = (
            trusted_gettext("Retain this idea"),
            trusted_gettext("Change why it is retained"),
        )
        replaces_words = trusted_gettext("Retaining it replaces the idea retained so far.")
        replaces = f'<p class="field__hint">{replaces_words}</p>\n'
    if may_comment:
        comment_fields, comment_submit = form_inside("comment"), trusted_gettext("Send the comment")
        comment_word = trusted_gettext("Comment")
    if may_endorse:
        endorse_word = trusted_gettext("Endorse this idea")
    not_endorsed_words = trusted_gettext("Not yet endorsed by the challenge owner.")
    not_endorsed = f"<p>{not_endorsed_words}</p>\n"
    cards = []
    for row in panel["ideas"]:
        idea = row.idea
        number, title = idea.id, escape(idea.title)
        anchor = f"#idea-{number}"
        hidden_title = f'<span class="visually-hidden"> – {title}</span>'
        author = escape(idea.author.name) if idea.author else someone
        parts = [
            f'<li class="card" id="idea-{number}">\n<h4 class="card__title">{title}</h4>\n',
            flashes(f"idea-{number}"),
            f'<p class="card__meta">\n{author}\n'
            f' · <time datetime="{idea.created_at.isoformat()}Z">'
            f"{escape(when(idea.created_at))}</time>\n</p>\n",
        ]
        if idea.description:
            parts.append(f"<p>{escape(idea.description)}</p>\n")
        dots = trusted_ngettext("%(num)d dot", "%(num)d dots", row.dots)
        parts.append(f"<p>\n<strong>{dots}</strong>\n")
        if row.mine:
            parts.append(including_yours)
        if idea.retained_at:
            parts.append(retained_tag)
        parts.append("</p>\n")
        if error and error_idea_id == number:
            parts.append(f'<p class="field__error" role="alert">{escape(error)}</p>\n')
        if dotting and (row.mine or dots_left):
            parts.append(
                f'<form method="post" action="{dot_url[0]}{number}{dot_url[1]}{anchor}"'
                f' class="inline-form">\n{token_field}{take_back if row.mine else place}'
                f"{hidden_title}</button>\n</form>\n"
            )
        if idea.retained_at:
            parts.append(f"{why}{escape(idea.retained_reason)}</p>\n")
            if idea.endorsed_at:
                by = idea.endorsed_by
                endorsed = trusted_gettext(
                    "Endorsed by %(name)s on %(time)s.",
                    name=by.name if by else someone,
                    time=when(idea.endorsed_at),
                )
                parts.append(f"<p>{endorsed}</p>\n")
            else:
                parts.append(not_endorsed)
                if may_endorse:
                    parts.append(
                        f'<form method="post" action="{endorse_url[0]}{number}{endorse_url[1]}'
                        f'{anchor}" class="inline-form">\n{token_field}'
                        f'<button type="submit" class="button button--small">{endorse_word}'
                        f"{hidden_title}</button>\n</form>\n"
                    )
        idea_stamp = f"-{number}-"
        if may_retain:
            form = panel["given_retain_form"](number)
            if form is not None:
                hidden = form_inside("retain_hidden", form)
                field = form_inside("retain_field", form)
            else:
                hidden = retain_fields.replace(stamp, idea_stamp)
                field = retain_field.replace(stamp, idea_stamp)
            parts.append(
                f"<details{' open' if form and form.errors else ''}>\n"
                '<summary class="button button--secondary">'
                f"{change_word if idea.retained_at else retain_word}{hidden_title}</summary>\n"
                f'<form method="post" action="{retain_url[0]}{number}{retain_url[1]}{anchor}"'
                f' class="stacked-form" novalidate>\n{hidden}\n'
                f"{replaces if not idea.retained_at and retained else ''}{field}\n"
                f'<button type="submit" class="button button--small">{retain_word}'
                f"{hidden_title}</button>\n</form>\n</details>\n"
            )
        comments = panel["comments"].get(number)
        if comments:
            counted = trusted_ngettext("%(num)d comment", "%(num)d comments", len(comments))
            parts.append(f"<h5>{counted}</h5>\n{_comments(comments, when, someone)}")
        if may_comment:
            form = panel["given_comment_form"](number)
            if form is not None:
                fields = form_inside("comment", form)
            else:
                fields = comment_fields.replace(stamp, idea_stamp)
            parts.append(
                f"<details{' open' if form and form.errors else ''}>\n"
                f'<summary class="button button--secondary">{comment_word}{hidden_title}'
                "</summary>\n"
                f'<form method="post" action="{comment_url[0]}{number}{comment_url[1]}{anchor}"'
                f' class="stacked-form" novalidate>\n{fields}\n'
                '<button type="submit" class="button button--small button--secondary">'
                f"{comment_submit}{hidden_title}</button>\n</form>\n</details>\n"
            )
        parts.append("</li>")
        cards.append("".join(parts))
    return Markup("\n".join(cards))  # noqa: S704  (every value escaped above)


def file_size(size_bytes: int) -> str:
    """A file's size in KB or MB, in the reader's language (also the ``file_size`` filter)."""
    if size_bytes < 1024 * 1024:
        return gettext("%(size)s KB", size=format_decimal(max(1, round(size_bytes / 1024))))
    size = format_decimal(size_bytes / (1024 * 1024), format="#,##0.#")
    return gettext("%(size)s MB", size=size)


def file_cards(files, team, back, editing: bool) -> Markup:
    """The prototyping panel's photos and files: each photo's thumbnail, name and size, whether
    it may be public and the button to record it; each document's link; the remove button."""
    slug, number = team.challenge.event.slug, team.challenge.number
    back_query = {"back": back} if back else None
    show_url = row_urls("workspace.show_file", "file_id", slug=slug, number=number)
    small_url = row_urls("workspace.show_small_file", "file_id", slug=slug, number=number)
    delete_url = row_urls("workspace.delete_file", "file_id", back_query, slug=slug, number=number)
    public_url = row_urls(
        "workspace.record_public_consent", "file_id", back_query, slug=slug, number=number
    )
    may_record_public = can_record_public_consent(current_user, team)
    token_field = f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">\n'
    # Translated outside the f-strings: Babel's extractor reads no call inside one.
    public_words = trusted_gettext(
        "May be public: the people pictured agreed to it appearing on the showcase."
    )
    event_only_words = trusted_gettext("Within the event only: never shown on the public showcase.")
    keep_word, agreed_word = (
        trusted_gettext("Keep it within the event"),
        trusted_gettext("They agreed: it may be public"),
    )
    may_be_public = f'<p class="card__meta">{public_words}</p>\n'
    event_only = f'<p class="card__meta">{event_only_words}</p>\n'
    keep_within = (
        '<input type="hidden" name="choice" value="event">\n'
        '<button type="submit" class="button button--small button--secondary">\n'
        f"{keep_word}"
    )
    agreed = (
        '<input type="hidden" name="choice" value="public">\n'
        '<button type="submit" class="button button--small button--secondary">\n'
        f"{agreed_word}"
    )
    pdf, remove = trusted_gettext("PDF document"), trusted_gettext("Remove")
    cards = []
    for file in files:
        row, name = file.id, escape(file.original_name)
        url, size = show_url(row), escape(file_size(file.size_bytes))
        parts = [f'<li class="card" id="file-{row}">\n']
        if file.is_photo:
            alt = trusted_gettext("Photo of the prototype: %(name)s", name=file.original_name)
            public = file.may_be_public
            parts += [
                flashes(f"file-{row}"),
                f'<a href="{url}"><img src="{small_url(row)}" alt="{alt}" width="240"'
                ' loading="lazy" decoding="async"></a>\n'
                f'<p class="card__meta">{name} · {size}</p>\n',
                may_be_public if public else event_only,
            ]
            if may_record_public:
                parts.append(
                    f'<form method="post" action="{public_url(row)}">\n{token_field}'
                    f"{keep_within if public else agreed}"
                    f'<span class="visually-hidden"> ({name})</span>\n</button>\n</form>\n'
                )
        else:
            parts.append(
                f'<p><a href="{url}">{name}</a></p>\n<p class="card__meta">{pdf} · {size}</p>\n'
            )
        if editing:
            parts.append(
                f'<form method="post" action="{delete_url(row)}">\n{token_field}'
                f'<button type="submit" class="button button--small button--danger">{remove}'
                f'<span class="visually-hidden"> {name}</span></button>\n</form>\n'
            )
        parts.append("</li>")
        cards.append("".join(parts))
    return Markup("\n".join(cards))  # noqa: S704  (every value escaped above)
