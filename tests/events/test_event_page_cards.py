"""The event page's challenge cards are written in Python (``events/cards.py``), not by a loop
in the template: the same HTML as the template wrote (whitespace aside), every value escaped."""

import re

import pytest
from flask import render_template_string

from facilitate.events.cards import challenge_groups
from facilitate.events.services import challenges_by_theme
from facilitate.extensions import db

HOSTILE = '<img src=x onerror="alert(1)">Zoé & co'
ESCAPED = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Zoé &amp; co"

# What event.html's loop wrote before the cards were written in Python.
TEMPLATE_CARDS = """
{% from "macros/themes.html" import theme_heading %}
{% for group in groups %}
  {% set headed = group.theme or groups|length > 1 %}
  <section class="theme"{% if headed %} aria-labelledby="theme-{{ group.theme.id if group.theme else 'none' }}"{% endif %}>
    {% if headed %}{{ theme_heading(group.theme, 3) }}{% endif %}
    <ul class="card-grid">
      {% for challenge in group.challenges %}
        <li class="card challenge-card">
          <p class="challenge-card__number">{{ _("Challenge %(number)d", number=challenge.number) }}</p>
          <h4 class="card__title">
            <a href="{{ url_for('challenges.show', slug=slug, number=challenge.number) }}">{{ challenge.question }}</a>
          </h4>
          {% if challenge.owner_organisation %}
            <p class="card__meta"><span class="visually-hidden">{{ _("Challenge owner:") }} </span>{{ challenge.owner_organisation }}</p>
          {% endif %}
        </li>
      {% endfor %}
    </ul>
  </section>
{% else %}
  <p>{{ _("No challenge has been set up for this event yet.") }}</p>
{% endfor %}
"""


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "themes, without_theme",
    [(0, 0), (0, 3), (1, 0), (2, 2), (3, 0)],
    ids=["none", "no-theme", "one-theme", "themes-and-none", "themes"],
)
def test_cards_are_what_the_template_wrote(app, make, language, themes, without_theme):
    event = make.event(challenges=4 if themes else 0, themes=themes)
    for number in range(10, 10 + without_theme):
        make.challenge(event, number=number, owner_organisation=None if number == 10 else HOSTILE)
    if event.themes:  # a theme without a colour: the swatch's default
        event.themes[0].colour = None
    db.session.flush()
    with app.test_request_context(headers={"Accept-Language": language}):
        groups = challenges_by_theme(event)
        written = challenge_groups(event.slug, groups)
        expected = render_template_string(TEMPLATE_CARDS, groups=groups, slug=event.slug)
    assert _normal(written) == _normal(expected)


def test_what_organisers_typed_arrives_escaped(client, make):
    event = make.event(themes=1)
    theme = event.themes[0]
    theme.name, theme.colour = HOSTILE, '"><i>&'  # seven characters at most
    make.challenge(event, number=1, theme=theme, question=HOSTILE, owner_organisation=HOSTILE)
    db.session.commit()
    page = client.get(f"/events/{event.slug}").text
    assert "<img src=x" not in page and "<i>&" not in page
    # The theme's name, the question and the owner.
    assert page.count(ESCAPED) == 3
    assert 'fill="&#34;&gt;&lt;i&gt;&amp;"' in page
