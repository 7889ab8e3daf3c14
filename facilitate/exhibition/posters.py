"""The A3 posters of the stands: what each prints (its QR code to the stand page, a type size
that keeps its text on one page), which posters an organiser prints (every numbered stand, one
team's, those not yet printed), and the mark that a batch of posters was printed."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from facilitate.exhibition.exhibits import Exhibit, exhibits_of, stand_teams
from facilitate.exhibition.routes_stands import stand_url
from facilitate.extensions import db
from facilitate.models import Event, Team
from facilitate.people.codes import team_label
from facilitate.printing.batches import as_shown, digest, marks_field, note_printed
from facilitate.printing.services import TeamChoice, qr_code_svg

# Beyond these many characters of text, the poster uses a smaller type, then a smaller one
# still, to stay on its one page (a pitch holds 600, a prototype summary 2,000).
DENSE_POSTER_CHARACTERS = 1200
VERY_DENSE_POSTER_CHARACTERS = 2400


@dataclass(frozen=True)
class Poster:
    exhibit: Exhibit
    url: str  # the stand page's public address, printed under the QR code
    qr_code: Markup
    density: str  # "", "dense" or "very-dense": the poster's type size (poster.css)


@dataclass(frozen=True)
class PosterSelection:
    """The posters an organiser prints: every numbered stand's, or one team's (numbered or
    not), and possibly only those not yet printed."""

    team_id: int | None = None
    not_printed: bool = False

    def holds(self, team: Team) -> bool:
        chosen = team.stand_number is not None if self.team_id is None else team.id == self.team_id
        return chosen and not (self.not_printed and team.poster_printed_at is not None)


@dataclass(frozen=True)
class PosterBatch:
    posters: list[Poster]
    choices: list[TeamChoice]
    numbered: int  # stands with a number, whose posters "every stand" prints
    not_printed: int  # of those, never marked printed, or renumbered or moved since
    marks: str  # the posters shown, as "mark as printed" names them (batches.marks_field)


def public_stand_url(exhibit: Exhibit) -> str:
    """The stand page at the public address (BASE_URL), as printed links are: its number."""
    return current_app.config["BASE_URL"].rstrip("/") + stand_url(exhibit.team)


def poster_of(exhibit: Exhibit) -> Poster:
    url = public_stand_url(exhibit)
    texts = [
        exhibit.team.pitch,
        exhibit.team.prototype_summary,
        exhibit.retained.title if exhibit.retained else None,
        exhibit.retained.retained_reason if exhibit.retained else None,
        exhibit.challenge.question,
    ]
    number = exhibit.team.stand_number
    label = (
        _("QR code to the page of stand %(number)d", number=number)
        if number
        else _("QR code to the page of the stand of %(team)s", team=exhibit.label)
    )
    return Poster(
        exhibit=exhibit,
        url=url,
        qr_code=qr_code_svg(url, label),
        density=_density(sum(len(t or "") for t in texts)),
    )


def _density(characters: int) -> str:
    if characters > VERY_DENSE_POSTER_CHARACTERS:
        return "very-dense"
    if characters > DENSE_POSTER_CHARACTERS:
        return "dense"
    return ""


def _choice(team: Team) -> TeamChoice:
    """A team in the posters page's list: its stand number, if any, says where it is."""
    label = team_label(team.name, team.challenge.number)
    if team.stand_number is None:
        return TeamChoice(team.id, _("%(team)s (no stand number yet)", team=label))
    return TeamChoice(
        team.id, _("Stand %(number)d: %(team)s", number=team.stand_number, team=label)
    )


def poster_digest(stand_number: int | None, stand_place: str | None) -> str:
    """What a poster prints that, when it changes, makes the printed poster out of date (the
    same fields as Team._printed_stand)."""
    return digest(stand_number, stand_place)


def poster_batch(event: Event, selection: PosterSelection) -> PosterBatch | None:
    """The posters of ``selection``, by stand number, with the page's list of teams; None when
    the team asked for is none of the event's. Three queries, whatever the number of teams."""
    teams = stand_teams(event)
    if selection.team_id is not None and all(team.id != selection.team_id for team in teams):
        return None
    chosen = [team for team in teams if selection.holds(team)]
    numbered = [team for team in teams if team.stand_number is not None]
    return PosterBatch(
        posters=[poster_of(exhibit) for exhibit in exhibits_of(chosen)],
        choices=[_choice(team) for team in teams],
        numbered=len(numbered),
        not_printed=sum(1 for team in numbered if team.poster_printed_at is None),
        marks=marks_field((t.id, poster_digest(t.stand_number, t.stand_place)) for t in chosen),
    )


def mark_posters_printed(event: Event, actor, marks: dict[int, str]) -> tuple[int, int]:
    """Note the posters named by ``marks`` (team id → ``poster_digest``, as the page showed
    them) as printed now. A poster whose stand number or place changed since the page was shown
    is out of date and left as it is, as is a team of another event. Returns how many were
    marked, and how many of ``marks`` were not. Two queries, the rows read under lock."""
    rows = db.session.execute(
        select(Team.id, Team.stand_number, Team.stand_place)
        .where(Team.id.in_(marks), Team.event_id == event.id)
        .with_for_update()
    ).all()
    current = as_shown(rows, marks, poster_digest)
    note_printed(event, actor, Team.poster_printed_at, current, "posters.printed")
    return len(current), len(marks) - len(current)
