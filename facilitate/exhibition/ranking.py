"""The ranking as the vote page, the results and the reveal screen show it: places (the stands
that share a rank), their names ("3e ex æquo") and each stand's words, ready for the templates.

An edition's ranking shows its 70 stands twice (overall, then within their theme), each with a
few translated words: "Défi 3", "Idée retenue : …", the photo's text, its place, what a screen
reader hears on the reveal screen. Flask-Babel finds the request's language and catalogue again
on every call (10 µs from Python, 18 µs from a template), and calling it for each word of each
row cost an edition's results page 25 ms of its 45. So each message is looked up once a page
(``Wording``) and filled in for each stand, and each stand's words are made once, shared by the
overall ranking and its theme's.
"""

from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby

from flask_babel import get_locale, ngettext, pgettext
from flask_babel import gettext as _

from facilitate.elision import elide_french
from facilitate.exhibition.vote import Results, StandResult


class Wording:
    """The ranking's messages, each looked up in the catalogue once a page; ``fill`` puts the
    values in as Flask-Babel's gettext does here (French articles elide, see elision)."""

    def __init__(self):
        self._french = getattr(get_locale(), "language", None) == "fr"
        # Without values, gettext answers the translated message as it is, to be filled below.
        self.challenge = _("Challenge %(number)d")
        # A team without a name, as people.codes.team_label words it.
        self.unnamed_team = _("Challenge %(number)d team")
        self.stand = _("Stand %(number)d")
        self.idea = _("Retained idea: %(title)s")
        self.photo = _("Photo of the prototype of %(team)s")
        self.tied = _("%(ordinal)s (tied)")
        self.team_at_stand = _("%(team)s (stand %(stand)d)")
        self.said = _("%(place)s, %(votes)s: %(teams)s")
        self.in_theme = _("Theme “%(theme)s”: %(place)s")
        self.no_theme = _("No theme")
        self._ordinals: dict[int, str] = {}
        self._votes: dict[int, str] = {}

    def fill(self, message: str, **values) -> str:
        if self._french:
            message = elide_french(message, values)
        return message % values

    def team(self, stand: StandResult) -> str:
        if stand.team_name:
            return stand.team_name
        return self.fill(self.unnamed_team, number=stand.challenge_number)

    def ordinal(self, rank: int) -> str:
        if rank not in self._ordinals:
            self._ordinals[rank] = ordinal(rank)
        return self._ordinals[rank]

    def votes(self, number: int) -> str:
        """'5 votes' ("5 voix")."""
        if number not in self._votes:
            self._votes[number] = ngettext("%(num)d vote", "%(num)d votes", number)
        return self._votes[number]


def ordinal(rank: int) -> str:
    """'1st', '2nd', '23rd' in English; '1er', '2e', '23e' in French."""
    if rank == 1:
        return pgettext("ranking", "1st")
    if rank % 100 in (11, 12, 13) or rank % 10 not in (1, 2, 3):
        return pgettext("ranking", "%(rank)dth", rank=rank)
    if rank % 10 == 1:
        return pgettext("ranking", "%(rank)dst", rank=rank)
    if rank % 10 == 2:
        return pgettext("ranking", "%(rank)dnd", rank=rank)
    return pgettext("ranking", "%(rank)drd", rank=rank)


@dataclass(frozen=True)
class Entry:
    """One stand in a ranking with its words (``showing`` adds what its team built)."""

    result: StandResult
    team: str  # its name, or "Équipe du défi 3"
    challenge: str  # "Défi 3"
    stand: str | None  # "Stand 4", None without a stand number
    idea: str | None = None  # "Idée retenue : …"
    photo_url: str | None = None
    photo_alt: str | None = None


@dataclass(frozen=True)
class Place:
    """One place of a ranking: its rank and the stands that share it (more than one: a tie)."""

    rank: int
    entries: list[Entry]
    ordinal: str  # "3e"
    name: str  # "3e", or "3e ex æquo" for a tie
    votes_text: str  # "5 voix"
    theme: str | None  # the theme's name, in a ranking within a theme
    wording: Wording = field(repr=False, compare=False)

    @property
    def votes(self) -> int:
        return self.entries[0].result.votes

    @property
    def tied(self) -> bool:
        return len(self.entries) > 1

    @cached_property
    def announcement(self) -> str:
        """What a screen reader says when the reveal screen shows the place (only it asks):
        "3e ex æquo, 5 voix : Équipe A (stand 4), Équipe B (stand 7)"."""
        wording = self.wording
        teams = ", ".join(
            wording.fill(wording.team_at_stand, team=e.team, stand=e.result.stand)
            if e.result.stand is not None
            else e.team
            for e in self.entries
        )
        said = wording.fill(wording.said, place=self.name, votes=self.votes_text, teams=teams)
        if self.theme is not None:
            said = wording.fill(wording.in_theme, theme=self.theme, place=said)
        return said


def entries(result: Results, wording: Wording, showcases: dict | None = None) -> dict:
    """Each stand's entry by team id; ``showcases`` (exhibits.showcases) adds what it built."""
    made = {}
    for stand in result.stands:
        shown = showcases.get(stand.team_id) if showcases else None
        idea = shown.idea if shown else None
        photo_url = shown.photo_url if shown else None
        team = wording.team(stand)
        made[stand.team_id] = Entry(
            result=stand,
            team=team,
            challenge=wording.fill(wording.challenge, number=stand.challenge_number),
            stand=None if stand.stand is None else wording.fill(wording.stand, number=stand.stand),
            idea=wording.fill(wording.idea, title=idea) if idea else None,
            photo_url=photo_url,
            photo_alt=wording.fill(wording.photo, team=team) if photo_url else None,
        )
    return made


def places(
    stands: list[StandResult],
    made: dict[int, Entry],
    wording: Wording,
    overall: bool = True,
    theme: str | None = None,
) -> list[Place]:
    """Stands grouped by rank, best first (``stands`` must be in ranking order). ``theme``:
    the theme's name for a ranking within a theme (said first by the screen reader)."""
    rank_of = (lambda s: s.rank) if overall else (lambda s: s.theme_rank)
    found = []
    for rank, group in groupby(stands, key=rank_of):
        shared = [made[stand.team_id] for stand in group]
        ordinal_text = wording.ordinal(rank)
        name = wording.fill(wording.tied, ordinal=ordinal_text) if len(shared) > 1 else ordinal_text
        votes_text = wording.votes(shared[0].result.votes)
        found.append(Place(rank, shared, ordinal_text, name, votes_text, theme, wording))
    return found


def ranking(result: Results, showcases: dict | None = None) -> dict:
    """The overall ranking and the ranking within each theme, as places, best first: what the
    ranking templates read."""
    wording = Wording()
    made = entries(result, wording, showcases)
    themes = [
        (theme, places(stands, made, wording, overall=False, theme=theme or wording.no_theme))
        for theme, stands in result.by_theme()
    ]
    return {
        "overall": places(result.stands, made, wording),
        # An event without themes has no ranking within them.
        "themes": themes if any(theme for theme, _places in themes) else [],
    }
