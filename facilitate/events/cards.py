"""The event page's challenge cards, grouped by theme, written in Python rather than by a loop
in the template (issue 13: the event page every attendee opens first; at 14 challenges the
loop, its translation and address per card and the theme heading's macro were a third of the
page's CPU). Jinja's autoescaping does not guard them: every value is escaped here
(``tests/test_event_page.py``). The heading is ``macros/themes.html``'s ``theme_heading``, as
the showcase writes it."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.events.services import ThemeGroup
from facilitate.pagination import row_urls


def _heading(theme, level: int) -> str:
    if theme is None:
        inside = escape(_("Challenges without a theme"))
        anchor = "none"
    else:
        # An SVG fill, not a style attribute: the Content-Security-Policy refuses inline styles.
        inside = (
            '<svg class="theme__swatch" viewBox="0 0 2 2" aria-hidden="true" focusable="false">'
            f'<circle cx="1" cy="1" r="1" fill="{escape(theme.colour or "#3a3a3a")}"/></svg>'
            f"{escape(theme.name)}"
        )
        anchor = int(theme.id)
    return f'<h{level} class="theme__title" id="theme-{anchor}">\n{inside}\n</h{level}>'


def challenge_groups(slug: str, groups: list[ThemeGroup]) -> Markup:
    """Each group's section: its heading (when there are themes) and its challenges' cards."""
    if not groups:
        nothing = escape(_("No challenge has been set up for this event yet."))
        return Markup(f"<p>{nothing}</p>")  # noqa: S704  (a translation, escaped)
    # Translated once: "%(number)d" takes no elision (numbers start with no vowel).
    number_words = _("Challenge %(number)d")
    owner_words = escape(_("Challenge owner:"))
    challenge_url = row_urls("challenges.show", "number", slug=slug)
    sections = []
    for group in groups:
        headed = group.theme is not None or len(groups) > 1
        labelled = ""
        if headed:
            anchor = int(group.theme.id) if group.theme else "none"
            labelled = f' aria-labelledby="theme-{anchor}"'
        cards = []
        for challenge in group.challenges:
            owner = ""
            if challenge.owner_organisation:
                owner = (
                    f'<p class="card__meta"><span class="visually-hidden">{owner_words} </span>'
                    f"{escape(challenge.owner_organisation)}</p>\n"
                )
            cards.append(
                '<li class="card challenge-card">\n'
                f'<p class="challenge-card__number">'
                f"{escape(number_words % {'number': challenge.number})}</p>\n"
                f'<h4 class="card__title">\n<a href="{escape(challenge_url(challenge.number))}">'
                f"{escape(challenge.question)}</a>\n</h4>\n{owner}</li>"
            )
        sections.append(
            f'<section class="theme"{labelled}>\n'
            + (_heading(group.theme, 3) + "\n" if headed else "")
            + '<ul class="card-grid">\n'
            + "\n".join(cards)
            + "\n</ul>\n</section>"
        )
    return Markup("\n".join(sections))  # noqa: S704  (every value escaped above)
