"""The rows of the table of facilitators and challenge owners on "Co-organisers and invitations",
written in Python rather than by a template loop (issue 13: the page's CPU; a site has some
thirty of them, an edition a hundred): each word translated once a page, not once a row. Jinja's
autoescaping does not guard them: every value is escaped here."""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.pagination import row_urls
from facilitate.security import generate_csrf


def invitee_rows(event, invitees, now) -> Markup:
    words = {  # escaped once, written on every row
        "chosen": escape(_("chosen")),
        "not_yet": escape(_("not yet")),
        "own_password": escape(_("Signs in with their own password")),
        "add_email": escape(_("Add an email address")),
        "fresh_link": escape(_("Issue a fresh link")),
        "create_link": escape(_("Create a link")),
    }
    challenge = _("Challenge %(number)d")  # the pattern, filled in below
    labels: dict = {}  # a role's or an invitation status's words, translated once

    def label(value) -> Markup:
        if value not in labels:
            labels[value] = escape(str(value.label))
        return labels[value]

    edit_url = row_urls("people.edit", "user_id", slug=event.slug)
    refresh_url = row_urls("accounts.refresh", "invitation_id", slug=event.slug)
    create_url = escape(url_for("accounts.create", slug=event.slug))
    token = escape(generate_csrf())
    rows = []
    for row in invitees:
        user = row.user
        name = escape(user.name)
        email = f'<br><span class="card__meta">{escape(user.email)}</span>' if user.email else ""
        role = label(row.role)
        if row.challenge_number:
            role += f" – {escape(challenge % {'number': row.challenge_number})}"
        if user.password_hash:
            password = words["chosen"]
        elif row.invitation:
            password = label(row.invitation.status(now))
        else:
            password = words["not_yet"]
        if user.password_hash:
            action = f'<span class="card__meta">{words["own_password"]}</span>'
        elif not user.email:
            action = (
                f'<a class="button button--small button--secondary" href="{escape(edit_url(user.id))}">'
                f'{words["add_email"]}<span class="visually-hidden"> : {name}</span></a>'
            )
        elif row.invitation:
            action = (
                f'<form method="post" action="{escape(refresh_url(row.invitation.id))}" class="inline-form">\n'
                f'<input type="hidden" name="csrf_token" value="{token}">\n'
                '<button type="submit" class="button button--small button--secondary">'
                f'{words["fresh_link"]}<span class="visually-hidden"> {name}</span></button>\n'
                "</form>"
            )
        else:
            action = (
                f'<form method="post" action="{create_url}" class="inline-form">\n'
                f'<input type="hidden" name="csrf_token" value="{token}">\n'
                f'<input type="hidden" name="role" value="{escape(row.role.value)}">\n'
                f'<input type="hidden" name="email" value="{escape(user.email)}">\n'
                f'<button type="submit" class="button button--small">{words["create_link"]}'
                f'<span class="visually-hidden"> : {name}</span></button>\n'
                "</form>"
            )
        rows.append(
            f"<tr>\n<td>{name}{email}</td>\n<td>{role}</td>\n<td>{password}</td>\n"
            f'<td class="table__actions">\n{action}\n</td>\n</tr>'
        )
    return Markup("\n".join(rows))  # noqa: S704  (every value escaped above)
