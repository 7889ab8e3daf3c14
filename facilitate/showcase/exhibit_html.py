"""One team's work as the showcase shows it (the retained idea, the prototype, the photos that
may be public), written here rather than by a macro called for each team (fourteen teams cost
the showcase some 2 ms there): each word translated once a page, the photos' addresses built
once a page, every value escaped. Teams and challenges are named; people never are (not even
in the photos' text). ``showcase/_exhibit.html``'s macro writes one exhibit with it (a
challenge's page, the jury's)."""

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.models import Event
from facilitate.pagination import row_urls
from facilitate.showcase.services import Exhibit

_NUMBER, _FILE = 2_000_000_011, 2_000_000_033  # markers, replaced in each photo's address


class ExhibitWriter:
    """``writer(event, exhibit)``: the body of one exhibit (for one page: its words kept)."""

    def __init__(self):
        self.owner = escape(_("Challenge owner:"))
        self.retained = escape(_("The retained idea"))
        self.not_chosen = escape(_("Not chosen yet."))
        self.prototype = escape(_("The prototype"))
        self.not_described = escape(_("Not described yet."))
        self.photos = escape(_("Photos of the prototype"))
        self.urls: dict[str, tuple[str, str]] = {}

    def _photo_urls(self, slug: str) -> tuple[str, str]:
        urls = self.urls.get(slug)
        if urls is None:
            urls = self.urls[slug] = tuple(
                url_for(endpoint, slug=slug, number=_NUMBER, file_id=_FILE)
                for endpoint in ("workspace.show_file", "workspace.show_small_file")
            )
        return urls

    def _photos(self, event: Event, exhibit: Exhibit) -> str:
        number, count = exhibit.challenge.number, len(exhibit.photos)
        full, small = (
            url.replace(str(_NUMBER), str(int(number))) for url in self._photo_urls(event.slug)
        )
        items = []
        for position, photo in enumerate(exhibit.photos, start=1):
            label = _(
                "Photo %(position)d of %(count)d of the prototype of challenge %(number)d",
                position=position,
                count=count,
                number=number,
            )
            file_id = str(int(photo.id))
            items.append(
                f'<li>\n<a href="{escape(full.replace(str(_FILE), file_id))}">\n'
                f'<img src="{escape(small.replace(str(_FILE), file_id))}" alt="{escape(label)}"'
                ' width="240" loading="lazy" decoding="async">\n</a>\n</li>'
            )
        return (
            f'<ul class="showcase__photos" aria-label="{self.photos}">\n'
            + "\n".join(items)
            + "\n</ul>"
        )

    def __call__(self, event: Event, exhibit: Exhibit) -> Markup:
        challenge, team, idea = exhibit.challenge, exhibit.team, exhibit.retained
        parts = []
        if challenge.owner_organisation:
            parts.append(
                f'<p class="card__meta"><span class="visually-hidden">{self.owner} </span>'
                f"{escape(challenge.owner_organisation)}</p>"
            )
        if team.name:
            name = escape(_("Team: %(name)s", name=team.name))
            parts.append(f'<p class="showcase__team">{name}</p>')
        if idea:
            reason = f"<br>{escape(idea.retained_reason)}" if idea.retained_reason else ""
            retained = f"<dd><strong>{escape(idea.title)}</strong>{reason}</dd>"
        else:
            retained = f"<dd>{self.not_chosen}</dd>"
        if team.prototype_summary:
            kind = (
                f"<strong>{escape(team.prototype_kind.label)}</strong><br>"
                if team.prototype_kind
                else ""
            )
            summary = escape(team.prototype_summary)
            prototype = f'<dd>{kind}<span class="showcase__text">{summary}</span></dd>'
        else:
            prototype = f"<dd>{self.not_described}</dd>"
        parts.append(
            '<dl class="facts facts--stacked showcase__facts">\n'
            f"<div>\n<dt>{self.retained}</dt>\n{retained}\n</div>\n"
            f"<div>\n<dt>{self.prototype}</dt>\n{prototype}\n</div>\n</dl>"
        )
        if exhibit.photos:
            parts.append(self._photos(event, exhibit))
        return Markup("\n".join(parts))  # noqa: S704  (every value escaped above)


def exhibit_body(event: Event, exhibit: Exhibit) -> Markup:
    return ExhibitWriter()(event, exhibit)


def exhibit_cards(event: Event, exhibits: list[Exhibit], writer: ExhibitWriter) -> Markup:
    """The showcase's cards of one theme's teams."""
    link = row_urls("showcase.challenge", "number", slug=event.slug)
    cards = []
    for exhibit in exhibits:
        number = exhibit.challenge.number
        title = escape(_("Challenge %(number)d", number=number))
        cards.append(
            '<li class="card showcase__exhibit">\n'
            f'<p class="challenge-card__number">'
            f"{title}</p>\n"
            f'<h3 class="card__title">\n<a href="{escape(link(number))}">'
            f"{escape(exhibit.challenge.question)}</a>\n</h3>\n"
            f"{writer(event, exhibit)}\n</li>"
        )
    return Markup("\n".join(cards))  # noqa: S704  (every value escaped above)
