"""The rankings written in Python rather than by a macro called for each stand: the tables of
the vote page and the results (overall, then within each theme), and the reveal screen's
places. Each stand appears twice a page (overall and within its theme): its cells are written
once and put in both. The macros cost the results page some 2 ms at site scale (a call, the
labels looked up, a dozen values escaped, for each row of each table).

The words are exhibition.ranking's (``Place``, ``Entry``). Jinja's autoescaping does not guard
this HTML: every value is escaped here, what a person typed (a team's name, an idea's title, a
challenge's question, a theme's name) and the words made of it alike; the catalogue's own text
is trusted, as the templates trust it (``tests/exhibition/test_ranking_html.py``).

What is written is kept (``_written``), under everything it is made of: the page's kind, the
reader's language and the results themselves (every stand's votes, ranks, names, question and
theme, and what the results and the reveal show of its work). The results page is asked again
and again once revealed, by every participant, with the same figures: ranking and writing it
cost it a fifth of its time; reading the figures stays (one statement, two more for the work
shown), so the kept HTML never outlives them, whatever changed them (a ballot, a name, a photo),
and nothing has to say when to forget it."""

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from facilitate.elision import elide
from facilitate.exhibition.ranking import ranking
from facilitate.exhibition.vote import Results
from facilitate.kept import Kept


def _trusted(text: str) -> Markup:
    """A message of our catalogue, without values: written as it is, as a template's ``_``."""
    return Markup(text)  # noqa: S704  (our catalogue's, as Jinja trusts it)


def _filled(message: str, **values) -> Markup:
    """A message of our catalogue with values, as a template's ``_`` writes it: the values
    escaped, French articles elided before them."""
    return _trusted(elide(message, values)) % values


class _Labels:
    """The tables' words, each looked up once a page."""

    def __init__(self):
        self.rank = _trusted(_("Rank"))
        self.stand = _trusted(_("Stand"))
        self.team = _trusted(_("Team"))
        self.challenge = _trusted(_("Challenge"))
        self.theme = _trusted(_("Theme"))
        self.votes = _trusted(_("Votes"))
        self.no_stand = _trusted(_("No stand"))
        self.no_theme = _trusted(_("No theme"))
        self.nobody = _trusted(_("No team here yet."))


class _Row:
    """One stand's cells, written once a page: its row in the overall table (``overall``, with
    its theme) and in its theme's (``within``) differ only by their rank."""

    def __init__(self, entry, labels: _Labels):
        stand = entry.result
        number = (
            str(int(stand.stand))
            if stand.stand is not None
            else f'<span class="notice">{labels.no_stand}</span>'
        )
        team = str(escape(entry.team))  # a str: Markup would escape what is added
        if entry.idea:
            team += f'<span class="ranking__idea">{escape(entry.idea)}</span>'
        if entry.photo_url:
            team += (
                f'<img class="ranking__photo" src="{escape(entry.photo_url)}"'
                f' alt="{escape(entry.photo_alt)}" width="96" height="72" loading="lazy"'
                ' decoding="async">'
            )
        cells = (
            f'<td data-label="{labels.stand}">{number}</td>\n'
            f'<th scope="row" data-label="{labels.team}">{team}</th>\n'
            f'<td data-label="{labels.challenge}">{escape(entry.challenge)}<br>'
            f'<span class="card__meta">{escape(stand.question)}</span></td>\n'
        )
        theme = (
            escape(stand.theme) if stand.theme else f'<span class="notice">{labels.no_theme}</span>'
        )
        votes = f'<td class="ranking__votes" data-label="{labels.votes}">{int(stand.votes)}</td>'
        self.team_id = str(int(stand.team_id))
        self.within = cells + votes
        self.overall = cells + f'<td data-label="{labels.theme}">{theme}</td>\n' + votes


class RankingTables:
    """``tables(overall, themes)``: the overall ranking, then one table per theme, as the vote
    page and the results show them."""

    def __init__(self):
        self.labels = _Labels()
        self.rows: dict[int, _Row] = {}

    def _row(self, entry) -> _Row:
        row = self.rows.get(entry.result.team_id)
        if row is None:
            row = self.rows[entry.result.team_id] = _Row(entry, self.labels)
        return row

    def table(self, places, caption: Markup, table_id: str, show_theme: bool = True) -> str:
        labels = self.labels
        theme_head = f'<th scope="col">{labels.theme}</th>\n' if show_theme else ""
        rows = []
        for place in places:
            opening = f'" data-rank="{int(place.rank)}"'
            if place.tied:
                opening += ' data-tied="true"'
            rank = f'>\n<td class="ranking__rank" data-label="{labels.rank}">{escape(place.name)}</td>\n'
            for entry in place.entries:
                row = self._row(entry)
                cells = row.overall if show_theme else row.within
                rows.append(f'<tr data-team="{row.team_id}{opening}{rank}{cells}\n</tr>')
        if not rows:
            rows.append(f'<tr><td colspan="{6 if show_theme else 5}">{labels.nobody}</td></tr>')
        return (
            f'<div class="table-wrap" tabindex="0" role="region" aria-labelledby="{table_id}-caption">\n'
            f'<table class="table table--stack ranking" id="{table_id}">\n'
            f'<caption id="{table_id}-caption" class="ranking__caption">{caption}</caption>\n'
            "<thead>\n<tr>\n"
            f'<th scope="col">{labels.rank}</th>\n'
            f'<th scope="col">{labels.stand}</th>\n'
            f'<th scope="col">{labels.team}</th>\n'
            f'<th scope="col">{labels.challenge}</th>\n'
            f"{theme_head}"
            f'<th scope="col" class="ranking__votes">{labels.votes}</th>\n'
            "</tr>\n</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>"
        )

    def __call__(self, overall, themes, heading_level: int = 2) -> Markup:
        h, sub = f"h{int(heading_level)}", f"h{int(heading_level) + 1}"
        overall_title = _trusted(_("Overall ranking"))
        parts = [
            f'<{h} id="ranking-overall-title">{overall_title}</{h}>',
            self.table(overall, _trusted(_("Overall ranking, best first")), "ranking-overall"),
        ]
        if themes:
            themes_title = _trusted(_("Ranking within each theme"))
            parts.append(f'<{h} id="ranking-themes-title">{themes_title}</{h}>')
            for index, (theme, places) in enumerate(themes, start=1):
                if theme:
                    caption = _filled(
                        _("Ranking within the theme “%(theme)s”, best first"), theme=theme
                    )
                else:
                    caption = _trusted(_("Ranking of the stands without a theme, best first"))
                name = escape(theme) if theme else self.labels.no_theme
                parts.append(f"<{sub}>{name}</{sub}>")
                parts.append(
                    self.table(places, caption, f"ranking-theme-{index}", show_theme=False)
                )
        return Markup("\n".join(parts))  # noqa: S704  (every value escaped above)


def ranking_tables(result: Results, showcases: dict | None = None, heading_level=2) -> Markup:
    """The vote page's (``heading_level`` 3) and the results' tables of these results, with
    what each team built (``showcases``, exhibits.showcases) on the results page."""

    def write():
        return RankingTables()(**ranking(result, showcases), heading_level=heading_level)

    return _written(("tables", heading_level), result, showcases, write)


class RevealPlaces:
    """``places(places)``: the reveal screen's list items of these places, from the last to the
    first; each stand written once a page, shown overall and within its theme. A place's
    ``data-announce`` is what screen readers hear when reveal.js shows it."""

    def __init__(self):
        self.tied = _trusted(_("tied"))
        self.stands: dict[int, str] = {}

    def _stand(self, entry) -> str:
        written = self.stands.get(entry.result.team_id)
        if written is not None:
            return written
        photo, item_class = "", "reveal__stand"
        if entry.photo_url:
            item_class += " reveal__stand--photo"
            photo = (
                f'<img class="reveal__photo" src="{escape(entry.photo_url)}"'
                f' alt="{escape(entry.photo_alt)}" width="320" height="240" decoding="async">\n'
            )
        meta = f"{escape(entry.stand)} · " if entry.stand else ""
        idea = f'<span class="reveal__idea">{escape(entry.idea)}</span>\n' if entry.idea else ""
        written = self.stands[entry.result.team_id] = (
            f'<li class="{item_class}">\n{photo}<div class="reveal__what">\n'
            f'<span class="reveal__team">{escape(entry.team)}</span>\n'
            f'<span class="reveal__meta">{meta}{escape(entry.challenge)}\n</span>\n'
            f'<span class="reveal__question">{escape(entry.result.question)}</span>\n'
            f"{idea}</div>\n</li>"
        )
        return written

    def __call__(self, places) -> Markup:
        items = []
        for place in reversed(places):
            first = " reveal__place--first" if place.rank == 1 else ""
            tied = f' <span class="reveal__tied">{self.tied}</span>' if place.tied else ""
            stands = "\n".join(self._stand(entry) for entry in place.entries)
            items.append(
                f'<li class="reveal__place{first}" data-reveal-step data-rank="{int(place.rank)}"\n'
                f'data-announce="{escape(place.announcement)}">\n'
                f'<p class="reveal__rank">{escape(place.ordinal)}{tied}</p>\n'
                f'<ul class="reveal__stands">\n{stands}\n</ul>\n'
                f'<p class="reveal__votes">{escape(place.votes_text)}</p>\n</li>'
            )
        return Markup("\n".join(items))  # noqa: S704  (every value escaped above)


def reveal_sections(result: Results, showcases: dict) -> tuple[Markup, list]:
    """The reveal screen's places overall, and (theme, places) for each theme: list items,
    from the last place to the first."""

    def write():
        ranked, places = ranking(result, showcases), RevealPlaces()
        return places(ranked["overall"]), [
            (theme, places(theme_places)) for theme, theme_places in ranked["themes"]
        ]

    return _written(("reveal",), result, showcases, write)


# A site's results, its vote page and its reveal screen in a language or two, a few sites of an
# edition, and what changed since (each ballot of an open vote on the vote page).
_kept: Kept[tuple, object] = Kept(64)


def _written(kind: tuple, result: Results, showcases: dict | None, write):
    """``write()``, or what it wrote before from the same results, for the same page and
    language."""
    key = (
        kind,
        str(get_locale()),
        tuple(result.stands),
        tuple(showcases.items()) if showcases else None,
    )
    return _kept.get_or_make(key, write)
