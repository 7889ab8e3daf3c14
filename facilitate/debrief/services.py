"""The debrief's rules: who answers when, and what organisers see.

An answer is stored with its author so that each person answers once (a unique constraint)
and may change their mind until the questionnaire closes; organisers only ever get the
answers gathered (counts, means, the texts without names) and a name where the person ticked
"show my name". The texts are listed in alphabetical order, never in the order people
answered, which would tell who wrote what to someone who watched the room.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitate.audit.services import record
from facilitate.domain import DomainError
from facilitate.extensions import db
from facilitate.models import Debrief, DebriefAnswer, Event, Membership, Role

SCORES = (1, 2, 3, 4, 5)
MAX_PARTS = 12
PART_MAX = 80
TEXT_MAX = 2000


def default_parts() -> list[str]:
    """The parts of the event asked about until the organisers choose theirs, in their words."""
    return [
        pgettext("debrief part", "Welcome"),
        pgettext("debrief part", "Framing"),
        pgettext("debrief part", "Ideation"),
        pgettext("debrief part", "Prototyping"),
        pgettext("debrief part", "Exhibition"),
        pgettext("debrief part", "Organisation"),
    ]


@dataclass(frozen=True)
class Bar:
    """One part's bar in the summary's chart (debrief/_chart.html), in SVG units."""

    part: str
    mean: float | None
    y: int
    width: float


CHART_LABEL_WIDTH = 200
CHART_BAR_SPACE = 340
CHART_ROW = 36


def chart_bars(parts: list["PartSummary"]) -> list[Bar]:
    """Each part's mean as a bar from 0 to 5: the chart is drawn on the server, in SVG, from
    these numbers."""
    return [
        Bar(
            part=p.part,
            mean=p.mean,
            y=20 + i * CHART_ROW,
            width=round(CHART_BAR_SPACE * (p.mean or 0) / 5, 1),
        )
        for i, p in enumerate(parts)
    ]


def debrief_of(event: Event) -> Debrief | None:
    return db.session.scalar(select(Debrief).where(Debrief.event_id == event.id))


def parts_of(event: Event, debrief: Debrief | None = None) -> list[str]:
    debrief = debrief or debrief_of(event)
    return list(debrief.parts) if debrief and debrief.parts else default_parts()


def _debrief_for_change(event: Event) -> Debrief:
    debrief = debrief_of(event)
    if debrief is None:
        debrief = Debrief(event_id=event.id, is_open=False, parts=default_parts())
        db.session.add(debrief)
    return debrief


def set_open(event: Event, is_open: bool, actor) -> Debrief:
    debrief = _debrief_for_change(event)
    debrief.is_open = is_open
    db.session.flush()
    record(event, actor, "debrief.opened" if is_open else "debrief.closed")
    return debrief


def set_parts(event: Event, text: str, actor) -> list[str]:
    """The parts from the organiser's text, one per line. Raises DomainError (``parts``)."""
    parts = [line.strip() for line in text.splitlines() if line.strip()]
    if not parts:
        raise DomainError(_("Name at least one part of the event."), field="parts")
    if len(parts) > MAX_PARTS:
        raise DomainError(_("At most %(num)d parts.", num=MAX_PARTS), field="parts")
    too_long = next((p for p in parts if len(p) > PART_MAX), None)
    if too_long:
        raise DomainError(
            _(
                "“%(part)s…” is too long: at most %(num)d characters.",
                part=too_long[:30],
                num=PART_MAX,
            ),
            field="parts",
        )
    seen = set()
    for part in parts:
        if part.casefold() in seen:
            raise DomainError(_("“%(part)s” is there twice.", part=part), field="parts")
        seen.add(part.casefold())
    debrief = _debrief_for_change(event)
    debrief.parts = parts
    db.session.flush()
    record(event, actor, "debrief.parts_changed", parts=parts)
    return parts


def answer_of(event: Event, user) -> DebriefAnswer | None:
    return db.session.scalar(
        select(DebriefAnswer).where(
            DebriefAnswer.event_id == event.id, DebriefAnswer.user_id == user.id
        )
    )


def save_answer(
    event: Event, user, scores: dict[str, int], keep: str, change: str, show_name: bool
) -> DebriefAnswer:
    """Record the person's answers, or replace them while the questionnaire is open. Two
    submissions at once (a double tap) end as one answer: the database refuses a second."""
    debrief = debrief_of(event)
    if debrief is None or not debrief.is_open:
        raise DomainError(_("The questionnaire is closed: your answers could not be saved."))
    parts = set(debrief.parts)
    values = {
        "scores": {p: s for p, s in scores.items() if p in parts and s in SCORES},
        "keep": keep.strip()[:TEXT_MAX],
        "change": change.strip()[:TEXT_MAX],
        "show_name": bool(show_name),
    }
    answer = answer_of(event, user)
    if answer is None:
        try:
            with db.session.begin_nested():
                answer = DebriefAnswer(event_id=event.id, user_id=user.id, **values)
                db.session.add(answer)
        except IntegrityError:
            answer = answer_of(event, user)
    for name, value in values.items():
        setattr(answer, name, value)
    db.session.flush()
    return answer


# --- What organisers see ----------------------------------------------------------------------


@dataclass
class PartSummary:
    part: str
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        total = self.total
        return sum(s * n for s, n in self.counts.items()) / total if total else None


@dataclass
class Summary:
    answers: int
    parts: list[PartSummary]
    # (text, name or None), alphabetically
    keep: list[tuple[str, str | None]]
    change: list[tuple[str, str | None]]


class _Answer(NamedTuple):
    scores: dict | None
    keep: str | None
    change: str | None


def _answers_with_names(event: Event) -> list[tuple[_Answer, str | None]]:
    """Every answer and, where the person chose so, their name at the event: two queries of
    columns (an edition has a thousand answers), each read by the event alone. Joined in SQL,
    SQLite could match each answer against every attendee of the event, by the memberships'
    index on the event rather than on the person (a plan that changes with the order the
    migrations created the indexes in): 0.15 s instead of 5 ms at an edition."""
    rows = db.session.execute(
        select(
            DebriefAnswer.user_id,
            DebriefAnswer.scores,
            DebriefAnswer.keep,
            DebriefAnswer.change,
            DebriefAnswer.show_name,
        ).where(DebriefAnswer.event_id == event.id)
    ).all()
    names = dict(
        db.session.execute(
            select(Membership.user_id, Membership.name).where(
                Membership.event_id == event.id, Membership.role == Role.PARTICIPANT
            )
        ).all()
    )
    return [
        (_Answer(scores, keep, change), names.get(user_id) if show_name else None)
        for user_id, scores, keep, change, show_name in rows
    ]


def summary(event: Event, parts: list[str] | None = None) -> Summary:
    """``parts``: those asked about, when the caller has read them already."""
    parts = parts_of(event) if parts is None else parts
    answers = _answers_with_names(event)
    by_part = {part: PartSummary(part) for part in parts}
    keep, change = [], []
    for answer, name in answers:
        for part, score in (answer.scores or {}).items():
            if part in by_part and score in SCORES:
                by_part[part].counts[score] += 1
        if answer.keep:
            keep.append((answer.keep, name))
        if answer.change:
            change.append((answer.change, name))
    return Summary(
        answers=len(answers),
        parts=[by_part[p] for p in parts],
        keep=sorted(keep, key=lambda t: t[0].casefold()),
        change=sorted(change, key=lambda t: t[0].casefold()),
    )


def answers_table(event: Event) -> tuple[list[str], list[list]]:
    """One row per answer for the export: the name only where the person chose to give it;
    named rows first by name, then the anonymous ones ordered by what they say."""
    parts = parts_of(event)
    headers = [_("Name (if given)"), *parts, _("What to keep"), _("What to change")]
    rows = [
        [name or "", *[(answer.scores or {}).get(p) for p in parts], answer.keep, answer.change]
        for answer, name in _answers_with_names(event)
    ]
    rows.sort(key=lambda r: (r[0] == "", r[0].casefold(), [str(v) for v in r[1:]]))
    return headers, rows
