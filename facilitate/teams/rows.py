"""The long lists of the teams pages written in Python rather than by a loop in the template
(issue 13: an edition's 1,050 people): the teams page's members and attendees without a team,
the placement proposal's people. Jinja's autoescaping does not guard them: every value a
person typed is escaped here (``tests/test_lists_written_in_python.py``)."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.elision import elide, starts_with_vowel_sound
from facilitate.people.row_addresses import escaped_addresses


def member_items(members, unplace_url, take_out: Markup) -> Markup:
    """A team's members as list items, each with the button that takes them out of the team
    (sent to the person's own address: ``formaction``, in the one form of the team's card).
    Written here rather than by a loop in the template: 200 people at a site, 1,050 at an
    edition (see ``people_items``)."""
    unplace_url = escaped_addresses(unplace_url)
    items = []
    for person in members:
        name = escape(person.name)
        item = f"<li>{name}"
        if person.organisation:
            item += f' <span class="card__meta">({escape(person.organisation)})</span>'
        items.append(
            f'{item} <button type="submit" formaction="{unplace_url(person.id)}"'
            f' class="button button--small button--secondary">{take_out}'
            f'<span class="visually-hidden"> {name}</span></button></li>'
        )
    return Markup("\n".join(items))  # noqa: S704  (every value escaped above)


def people_items(members, moved, new_tag: Markup) -> Markup:
    """A proposed team's people as list items, written here rather than by a loop in the
    template: the same HTML for 1,050 people costs an edition's page some 5 ms less."""
    items = []
    for person in members:
        item = f"<li>{escape(person.name)}"
        if person.organisation:
            item += f' <span class="card__meta">({escape(person.organisation)})</span>'
        if person.id in moved:
            item += f' <strong class="tag">{new_tag}</strong>'
        items.append(item + "</li>")
    return Markup("\n".join(items))  # noqa: S704  (every value escaped above)


def unplaced_items(people, place_url, token: str, options: Markup) -> Markup:
    """The attendees without a team as list items, each with its form that places them: the
    team select (``options``, written once) with its hidden label, and the button. Written here
    rather than by a loop in the template: the words translated once, not once a person."""
    # The label in its two forms, elided or not ("Équipe d’Alice", "Équipe de Bruno"), as the
    # templates' ``_`` elides: picked per person by the name's first sound.
    template = _("Team for %(name)s")
    team_for = Markup(template)  # noqa: S704  (our catalogue's, as Jinja trusts it)
    team_for_vowel = Markup(elide(template, {"name": "a"}))  # noqa: S704  (the same)
    place = escape(_("Place"))
    place_url = escaped_addresses(place_url)
    token = escape(token)
    items = []
    for person in people:
        name = escape(person.name)
        label = (team_for_vowel if starts_with_vowel_sound(person.name) else team_for) % {
            "name": name
        }
        meta = ""
        if person.organisation:
            meta = f' <span class="card__meta">({escape(person.organisation)})</span>'
        items.append(
            f'<li class="place-list__item" id="person-{person.id}">\n'
            f"<span>{name}{meta}</span>\n"
            f'<form method="post" action="{place_url(person.id)}" class="inline-form">\n'
            f'<input type="hidden" name="csrf_token" value="{token}">\n'
            f'<label class="visually-hidden" for="team-for-{person.id}">{label}</label>\n'
            f'<select name="team_id" id="team-for-{person.id}"'
            f' class="field__input field__input--inline">\n{options}\n</select>\n'
            f'<button type="submit" class="button button--small">{place}'
            f'<span class="visually-hidden"> {name}</span></button>\n'
            "</form>\n</li>"
        )
    return Markup("\n".join(items))  # noqa: S704  (every value escaped above)


def team_options(choices) -> Markup:
    """The options of the teams to place someone in, written once for every person's select."""
    return Markup(  # noqa: S704  (every value escaped)
        "".join(
            f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices
        )
    )
